package wsjson_test

import (
	"context"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// notConnected is the desk's feed subscriber while its link is down.
type notConnected struct{}

func (notConnected) Send(context.Context, any) error { return feeds.ErrNotConnected }

// TestFeedConnectionDown: an adapter on the desk's feed connection, with
// that connection down, fails its setpoint saying that the feed carrying
// it is down and what that means; it said "send setpoint frame: feeds: not
// connected to the feed".
func TestFeedConnectionDown(t *testing.T) {
	a := wsjson.New(notConnected{})
	r := a.Apply(context.Background(), adapters.Setpoint{ID: "x", Charger: "CP1", KW: 1, ValidUntil: until})
	want := "not sent: the feed's connection, which carries this adapter's setpoints, is down: no setpoint reaches the charger until the feed is back (feeds: not connected to the feed)"
	if r.Status != adapters.StatusFailed || r.Reason != want {
		t.Fatalf("result %+v\nwant failed, %q", r, want)
	}
}
