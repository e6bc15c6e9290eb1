package feeds

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/feeds/feedstest"
)

// A Subscriber whose server accepts the connection and never answers the
// websocket upgrade stops when its ctx is cancelled: it waited out the
// whole handshake timeout (an hour here), so Ctrl-C on `v2gdesk status
// --timeout 1h` did nothing for an hour.
func TestSubscriberCancelledDuringHandshake(t *testing.T) {
	url, accepted := feedstest.SilentServer(t)
	opt := testSubOptions()
	opt.MaxAttempts = 1
	opt.HandshakeTimeout = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- NewSubscriber(url, opt).Run(ctx, newNotifySink(FleetOptions{}))
	}()
	<-accepted
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}

// A ^C that comes as the connection is made, before gorilla/websocket sets
// the handshake's own deadline, still ends the handshake at once. A past
// deadline set then was overwritten by gorilla's (an hour here), and the
// dial waited it out: seen under load as `v2gdesk status` ignoring ^C.
// The connection below cancels ctx when gorilla first sets its deadline
// and applies that deadline only once the cancellation has acted on the
// connection, so the cancellation always lands in that window.
func TestDialCancelledAsConnected(t *testing.T) {
	url, _ := feedstest.SilentServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := websocket.Dialer{
		HandshakeTimeout: time.Hour,
		NetDialContext: func(dctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(dctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &cancelOnDeadline{Conn: c, t: t, cancel: cancel, acted: make(chan struct{})}, nil
		},
	}
	conn, _, err := dialCancellable(ctx, d, url)
	if conn != nil {
		conn.Close()
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("dialCancellable = %v, want context.Canceled", err)
	}
}

// cancelOnDeadline is a connection that cancels its dial's ctx the first
// time its deadline is set and waits until the cancellation has closed it
// or set a deadline of its own before applying that first one. A read
// with a deadline still in the future after that fails the test instead
// of waiting for it.
type cancelOnDeadline struct {
	net.Conn
	t      *testing.T
	cancel context.CancelFunc

	mu     sync.Mutex
	calls  int
	closed bool
	future bool // the deadline in force is still ahead
	acted  chan struct{}
	once   sync.Once // closes acted
}

func (c *cancelOnDeadline) SetDeadline(at time.Time) error {
	c.mu.Lock()
	c.calls++
	first := c.calls == 1
	c.mu.Unlock()
	if first {
		c.cancel()
		<-c.acted // the cancellation closed the connection or set a deadline
	} else {
		defer c.actedNow()
	}
	c.mu.Lock()
	c.future = at.After(time.Now())
	c.mu.Unlock()
	return c.Conn.SetDeadline(at)
}

func (c *cancelOnDeadline) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.actedNow()
	return c.Conn.Close()
}

func (c *cancelOnDeadline) Read(p []byte) (int, error) {
	c.mu.Lock()
	open, future := !c.closed, c.future
	c.mu.Unlock()
	if open && future {
		c.t.Error("the handshake reads after ^C with its deadline still ahead: it would wait out the hour")
		return 0, errors.New("test: read after ^C")
	}
	return c.Conn.Read(p)
}

// actedNow says the cancellation has acted on the connection.
func (c *cancelOnDeadline) actedNow() { c.once.Do(func() { close(c.acted) }) }
