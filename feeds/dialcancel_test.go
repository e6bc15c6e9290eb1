package feeds

import (
	"context"
	"errors"
	"testing"
	"time"

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
