package feeds

import (
	"context"
	"net"
	"net/http"
	"sync"

	"github.com/gorilla/websocket"
)

// dialCancellable dials url with d, as d.DialContext does, and also ends
// the websocket handshake when ctx is cancelled. gorilla/websocket bounds
// the handshake by ctx's deadline alone: against a server that accepts the
// connection and never answers the upgrade, a cancelled ctx (Ctrl-C, a
// desk quitting) waited out the whole handshake timeout (`v2gdesk status
// --timeout 1h`: an hour).
//
// Cancelling closes the connection rather than giving it a past deadline:
// gorilla sets the handshake's deadline itself just after the dial
// returns, which undid a past deadline set in between, so a ^C that came
// as the server accepted still waited out the hour (seen under load).
func dialCancellable(ctx context.Context, d websocket.Dialer, url string) (*websocket.Conn, *http.Response, error) {
	var (
		mu        sync.Mutex
		raw       net.Conn
		cancelled bool
	)
	base := d.NetDialContext
	if base == nil {
		base = (&net.Dialer{}).DialContext
	}
	d.NetDialContext = func(dctx context.Context, network, addr string) (net.Conn, error) {
		c, err := base(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		if cancelled {
			c.Close() // cancelled while dialling
			return nil, context.Canceled
		}
		raw = c
		return c, nil
	}
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		cancelled = true
		if raw != nil {
			raw.Close() // ends the handshake's read or write at once
		}
	})
	conn, resp, err := d.DialContext(ctx, url, nil)
	if !stop() {
		// Cancelled during the dial: whatever it returned, the
		// connection's deadline is spent, so it is of no use.
		if conn != nil {
			conn.Close()
		}
		return nil, resp, ctx.Err()
	}
	return conn, resp, err
}

// DialCancellable dials a protocol v1 websocket at url with d, ending the
// handshake at once when ctx is cancelled (dialCancellable), for the
// packages that dial one of their own: the wsjson adapter's Dial waited
// out its 5 s dial limit on Ctrl-C against a peer that never answered.
func DialCancellable(ctx context.Context, d websocket.Dialer, url string) (*websocket.Conn, *http.Response, error) {
	return dialCancellable(ctx, d, url)
}
