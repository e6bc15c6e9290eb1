package wsjson_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters/wsjson"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// A desk's link decoded and kept every hello its peer sent (9 MB for
// 100,000 chargers) though only `v2gdesk setpoint` reads them. A link
// started without KeepHello now skips a hello as any frame that is not an
// ack: counted as skipped, never decoded, nothing kept, and Announced
// says so at once rather than wait. With KeepHello the same peer's hello
// is decoded and its bounds announced.
func TestLinkDecodesHellosOnlyWhenAsked(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	hello := `{"v":1,"type":"hello","site":"S","ts":"2026-11-28T10:00:00Z","feeders":[{"id":"F","import_limit_kw":100}],` +
		`"chargers":[{"id":"X","feeder":"F","max_charge_kw":7}]}`
	url := helloPeer(t, hello, `{"v":1,"type":"ack","id":"marker","status":"accepted","applied_kw":0}`)
	start := func(t *testing.T, keep bool) *wsjson.Link {
		ackSeen := make(chan struct{})
		l := wsjson.StartLink(t.Context(), url, func(ack feeds.AckFrame, _ error) {
			if ack.ID == "marker" {
				close(ackSeen)
			}
		}, wsjson.LinkOptions{Logger: quiet, KeepHello: keep})
		t.Cleanup(func() { l.Close() })
		<-ackSeen // frames are read in order: the hello was handled before it
		// The reader starts before the link records its connection, whose
		// counts Counts adds only from then.
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second) // a deadline is a failure, not a pace
		defer cancel()
		if err := l.WaitUp(ctx); err != nil {
			t.Fatal(err)
		}
		return l
	}
	t.Run("a desk's link", func(t *testing.T) {
		l := start(t, false)
		if skipped, bad := l.Counts(); skipped != 1 || bad != 0 {
			t.Errorf("skipped %d, bad %d; want the hello skipped undecoded (1, 0)", skipped, bad)
		}
		// A minute's window is never used: nothing kept, nothing waited for.
		_, listed, err := l.Announced(t.Context(), "X", time.Minute)
		if listed || !errors.Is(err, wsjson.ErrHelloNotKept) {
			t.Errorf("Announced: listed %v, err %v; want ErrHelloNotKept", listed, err)
		}
	})
	t.Run("setpoint's link", func(t *testing.T) {
		l := start(t, true)
		if skipped, bad := l.Counts(); skipped != 0 || bad != 0 {
			t.Errorf("skipped %d, bad %d; want the hello decoded and kept (0, 0)", skipped, bad)
		}
		info, listed, err := l.Announced(t.Context(), "X", time.Minute)
		if err != nil || !listed || info.MaxChargeKW != 7 {
			t.Errorf("Announced = %+v, %v, %v; want the hello's 7 kW", info, listed, err)
		}
	})
}
