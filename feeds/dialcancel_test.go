package feeds

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

// A Subscriber whose server accepts the connection and never answers the
// websocket upgrade stops when its ctx is cancelled: it waited out the
// whole handshake timeout (an hour here), so Ctrl-C on `v2gdesk status
// --timeout 1h` did nothing for an hour.
func TestSubscriberCancelledDuringHandshake(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c // held open, never answered
		}
	}()
	opt := testSubOptions()
	opt.MaxAttempts = 1
	opt.HandshakeTimeout = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- NewSubscriber("ws://"+ln.Addr().String()+"/v1", opt).Run(ctx, newNotifySink(FleetOptions{}))
	}()
	c := <-accepted
	defer c.Close()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
}
