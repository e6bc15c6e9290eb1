package wsjson

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds/feedstest"
)

// Dial against a peer that accepts the connection and never answers the
// websocket upgrade ends when its ctx is cancelled: it waited for the
// ctx's deadline (the link's 5 s dial limit; an hour here), so Ctrl-C on
// a desk or `v2gdesk setpoint` dialling a silent wsjson peer hung there.
func TestDialCancelledDuringHandshake(t *testing.T) {
	url, accepted := feedstest.SilentServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		c, err := Dial(ctx, url, nil)
		if c != nil {
			c.Close()
		}
		done <- err
	}()
	<-accepted
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Dial = %v, want context.Canceled", err)
	}
}
