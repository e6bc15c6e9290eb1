package control

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// seekBackOnSim confirms an event on F1 at 18:00 on a simulated feed
// whose adapter cannot release, runs the clock to 18:40 and seeks back to
// 17:50 (the simulator's restart: its hello resets the fleet), stepping
// once there. It returns the rig and the event's id.
func seekBackOnSim(t *testing.T) (*rig, string) {
	t.Helper()
	ctx := context.Background()
	r := newRigOn(t, newSiteMode(t, "simulation"), func(o *Options) { o.HandBack = -1 })
	r.snd.noRelease = true
	r.c.Step(ctx)
	id := r.confirmed(t, capF1("", 120))
	r.site.report(40 * time.Minute)
	r.c.Step(ctx)
	r.site.fl.HandleLink(feeds.LinkEvent{Up: true, Reset: true})
	r.site.report(-50 * time.Minute)
	r.c.Step(ctx)
	return r, id
}

// endRecord is the journal's dispatch_end of event id.
func endRecord(t *testing.T, r *rig, id string) adapters.Record {
	t.Helper()
	r.j.mu.Lock()
	defer r.j.mu.Unlock()
	for _, rec := range r.j.recs {
		if rec.Kind == RecDispatchEnd && rec.Event == id {
			return rec
		}
	}
	t.Fatalf("no dispatch_end for %s in the journal", id)
	return adapters.Record{}
}

// TestSeekBackRestartDroppedTheSetpoints: a seek back on a simulator
// starts its day over and drops the setpoints in force (its restart
// signal). The event of the earlier pass it ended read "10 expire at
// their validity, by 19:15" in its dispatch_end and on its page, telling
// the dispatcher they were still in force. The restart signal comes after
// the new day's hello, so the controller waits for it at the seek's
// target, then says the setpoints were dropped.
func TestSeekBackRestartDroppedTheSetpoints(t *testing.T) {
	r, id := seekBackOnSim(t)
	if v, _ := r.c.Event(id); v.State.Final() {
		t.Fatalf("%s ended before the simulator's restart signal came: %s", id, v.Reason)
	}
	to := t0.Add(-10 * time.Minute)
	if err := r.site.fl.Apply(&feeds.Batch{Restart: &feeds.RestartSignal{At: to, Dropped: 10}}); err != nil {
		t.Fatal(err)
	}
	r.c.Step(context.Background())
	v, _ := r.c.Event(id)
	if v.State != StateEnded || v.EndWhy.Kind != WhyEarlierPass {
		t.Fatalf("%s after the restart signal: %s (%s), want ended as of an earlier pass", id, v.State, v.EndWhy.Kind)
	}
	pr := v.Progress
	if pr.Dropped == 0 || pr.ReleaseUnsupported != 0 || !pr.DroppedAt.Equal(to) {
		t.Errorf("progress: dropped %d at %v, unsupported %d; want all dropped at 17:50, none left to expire", pr.Dropped, pr.DroppedAt, pr.ReleaseUnsupported)
	}
	if pr.Unanswered != 0 {
		t.Errorf("%d unanswered after the restart dropped them, want 0", pr.Unanswered)
	}
	rec := endRecord(t, r, id)
	if strings.Contains(rec.Detail, "expire at their validity") || !strings.Contains(rec.Detail, "setpoints dropped when the simulator started its day over at 17:50 (not in force)") {
		t.Errorf("dispatch_end detail %q; want the setpoints dropped at 17:50, not expiring", rec.Detail)
	}
}

// TestSeekBackWithoutRestartSignalKeepsExpireWording: a simulator that
// sends no restart signal (one that predates it) says nothing was
// dropped: once its clock moves on from the seek's target the event is
// ended, its setpoints left to expire at their validity, as before.
func TestSeekBackWithoutRestartSignalKeepsExpireWording(t *testing.T) {
	r, id := seekBackOnSim(t)
	r.site.report(time.Minute)
	r.c.Step(context.Background())
	v, _ := r.c.Event(id)
	if v.State != StateEnded || v.Progress.Dropped != 0 || v.Progress.ReleaseUnsupported == 0 {
		t.Fatalf("%s: %s, dropped %d, unsupported %d; want ended, its setpoints left to expire", id, v.State, v.Progress.Dropped, v.Progress.ReleaseUnsupported)
	}
	if rec := endRecord(t, r, id); !strings.Contains(rec.Detail, "expire at their validity") {
		t.Errorf("dispatch_end detail %q; want the setpoints left to expire at their validity", rec.Detail)
	}
}
