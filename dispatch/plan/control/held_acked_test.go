package control

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestHeldCountsOnlyAcknowledgedHolds: with the feed that carries the
// setpoints down, the holds on stale data fail to send, yet the progress
// counted every charger asked as held ("10 chargers held on stale data:
// last import limit kept"), and the page and `dispatch --follow` said so.
// A hold never sent, or refused, is not in force: Held counts the holds the
// equipment acknowledged, HeldAsked those the plan asked for.
func TestHeldCountsOnlyAcknowledgedHolds(t *testing.T) {
	var logged bytes.Buffer
	r := newRig(t, func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(&logged, nil)) }) // stale after 5 min, 15-min slots
	id := r.confirmed(t, capF1("DR-1", 120))
	ctx := context.Background()
	r.site.report(time.Minute) // 18:01, heard
	r.c.Step(ctx)
	const feedDown = "not sent: the feed's connection, which carries this adapter's setpoints, is down"
	r.snd.mu.Lock()
	r.snd.fail = map[string]string{}
	for i := 2; i < 10; i++ {
		r.snd.fail[fmt.Sprintf("CP-%02d", i)] = feedDown
	}
	r.snd.refuse["CP-01"] = "refused by the charger"
	r.snd.mu.Unlock()
	silentTo := func(until time.Time) {
		for r.site.Now().Before(until) {
			r.site.mu.Lock()
			r.site.now = r.site.now.Add(time.Minute)
			r.site.mu.Unlock()
			r.c.Step(ctx)
		}
	}
	silentTo(t0.Add(16 * time.Minute)) // the 18:15 slot holds every charger
	v, _ := r.c.Event(id)
	if v.Progress.HeldAsked != 10 {
		t.Fatalf("held asked %d at 18:16, want the 10 F1 chargers on stale data", v.Progress.HeldAsked)
	}
	if v.Progress.Held != 1 {
		t.Errorf("held %d at 18:16 with 8 holds not sent and 1 refused, want 1 (CP-00's, accepted)", v.Progress.Held)
	}
	if v.Progress.HeldSince.IsZero() || v.Progress.HeldLastHeard.IsZero() {
		t.Errorf("held since %v, last heard %v: want the asked holds' times", v.Progress.HeldSince, v.Progress.HeldLastHeard)
	}

	// The log says it once the answers are in: it said "held=10" before
	// any was sent.
	if want := "dispatch: chargers held at their last import limit on stale data\" event=DR-1 plan=2 asked=10 held=1"; !strings.Contains(logged.String(), want) {
		t.Errorf("log:\n%s\nwant %q", logged.String(), want)
	}

	// The whole feed down: nothing is held, whatever was asked.
	r.snd.mu.Lock()
	r.snd.fail["CP-00"], r.snd.fail["CP-01"] = feedDown, feedDown
	r.snd.mu.Unlock()
	silentTo(t0.Add(31 * time.Minute))
	v, _ = r.c.Event(id)
	if v.Progress.HeldAsked != 10 || v.Progress.Held != 0 {
		t.Errorf("every hold failed at 18:30: held %d of %d asked, want 0 of 10", v.Progress.Held, v.Progress.HeldAsked)
	}
	if n := v.Progress.ByStatus["failed"]; n != 10 {
		t.Errorf("failed %d at 18:30, want 10 (%v)", n, v.Progress.ByStatus)
	}
}
