package control

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// seekingSite is the test site as a source that seeks: its snapshots say
// what a Player's say of its catch-ups (Snapshot.CatchingUp, CatchUps).
type seekingSite struct {
	*testSite
	mu       sync.Mutex
	catchUps uint64
	catching bool
}

func (s *seekingSite) Snapshot() *feeds.Snapshot {
	snap := *s.testSite.Snapshot()
	s.mu.Lock()
	defer s.mu.Unlock()
	snap.CatchUps, snap.CatchingUp = s.catchUps, s.catching
	return &snap
}

// seek moves the site's clock by d as a seek's catch-up does: the
// controller steps while the skipped span comes in (at its middle), and
// again once it is in.
func (s *seekingSite) seek(ctx context.Context, c *Controller, d time.Duration) {
	s.mu.Lock()
	s.catchUps++
	s.catching = true
	s.mu.Unlock()
	s.report(d / 2)
	c.Step(ctx)
	s.report(d - d/2)
	s.mu.Lock()
	s.catching = false
	s.mu.Unlock()
}

// TestSeekPlansAgainAtOnce: a :seek moved the clock of a running event.
// The controller re-planned only at the next slot of the old clock: after
// 18:00 -> 18:40 the journal gave the plan as "new slot 18:30", nothing
// saying a seek had skipped the slots between, and after 18:40 -> 18:44,
// within a slot, the plan of 18:40 stayed in force until 18:45. A seek
// back (the fleet reset) left the plan of 18:44 in force, and no new slot
// came before 18:45 of the new day. Each seek now plans again from the
// new time at once, its reason the seek; while the catch-up comes in
// nothing is planned.
func TestSeekPlansAgainAtOnce(t *testing.T) {
	ctx := context.Background()
	site := &seekingSite{testSite: newSite(t)}
	r := newRig(t, func(o *Options) { o.Fleet = site })
	r.snd.site = site.testSite
	id := r.confirmed(t, capF1("", 120))
	r.c.Step(ctx) // the desk's loop: the clock the controller last saw
	plans := func() int { v, _ := r.c.Event(id); return v.Plans }
	if plans() != 1 {
		t.Fatalf("plans after confirming: %d, want 1", plans())
	}

	for _, tc := range []struct {
		name string
		by   time.Duration
		why  string
	}{
		{"forward past slots", 40 * time.Minute, "seek from 18:00 to 18:40"},
		{"forward within a slot", 4 * time.Minute, "seek from 18:40 to 18:44"},
	} {
		before, sent := plans(), r.snd.count()
		site.seek(ctx, r.c, tc.by)
		if plans() != before || r.snd.count() != sent {
			t.Errorf("%s: planned or sent while the catch-up came in: plans %d -> %d, setpoints %d -> %d", tc.name, before, plans(), sent, r.snd.count())
		}
		r.c.Step(ctx)
		v, _ := r.c.Event(id)
		if v.Plans != before+1 || v.LastWhy.Kind != WhySeek || v.LastReason != tc.why {
			t.Errorf("%s: plans %d, last %q (%s); want %d, %q", tc.name, v.Plans, v.LastReason, v.LastWhy.Kind, before+1, tc.why)
		}
		if !v.LastPlan.Equal(site.Now()) {
			t.Errorf("%s: planned at %v, want at the seek's target %v", tc.name, v.LastPlan, site.Now())
		}
		// The next step plans nothing more: the seek is planned for.
		r.c.Step(ctx)
		if n := plans(); n != before+1 {
			t.Errorf("%s: %d plans after the next step, want %d", tc.name, n, before+1)
		}
	}
	// Every setpoint of the last plan says why it was sent.
	last := r.snd.sent[len(r.snd.sent)-1]
	if !strings.HasSuffix(last.Reason, "(seek from 18:40 to 18:44)") || !last.ValidFrom.Equal(site.Now()) {
		t.Errorf("last setpoint: reason %q valid from %v; want the seek's reason, valid from 18:44", last.Reason, last.ValidFrom)
	}

	// A seek back: the fleet forgets and hears the day again from 18:10.
	site.fl.HandleLink(feeds.LinkEvent{Up: true, Reset: true})
	site.report(-34 * time.Minute)
	r.c.Step(ctx)
	v, _ := r.c.Event(id)
	if v.LastReason != "seek back from 18:44 to 18:10" || !v.LastPlan.Equal(site.Now()) {
		t.Errorf("after a seek back: last plan %q at %v; want \"seek back from 18:44 to 18:10\" at 18:10", v.LastReason, v.LastPlan)
	}
}
