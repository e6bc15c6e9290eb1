package control

import (
	"context"
	"testing"
	"time"
)

// TestStaleScopeIsNotJudgedAgainstTheCap: when the scope's measurement goes
// stale (the feed lost, a meter silent past the fleet's stale time), its
// last figure is not the load now. It kept the cap-miss alarm's clock
// running and raised ▲ CAP MISSED ten minutes into a feed outage, and
// re-planned "over cap" every MinReplan on the same frozen figure. The
// track says it is stale; the alarm is neither raised nor cleared on it,
// and no over-cap plan is made; data again, and the cap is judged again.
func TestStaleScopeIsNotJudgedAgainstTheCap(t *testing.T) {
	r := newRig(t, nil) // CapMissAfter 10 min, MinReplan 2 min, stale after 5 min
	// Refused setpoints: F1 stays at 190 kW against its 120 kW cap.
	for i := 0; i < 10; i++ {
		r.snd.refuse[fmtCP(i)] = "offline"
	}
	id := r.confirmed(t, capF1("DR-1", 120))
	ctx := context.Background()
	r.site.report(time.Minute) // 18:01: over, measured
	r.c.Step(ctx)
	plans := func() int { v, _ := r.c.Event(id); return v.Plans }
	// The feed goes silent: the clock runs on, nothing is reported. While
	// the figure is fresh (to 18:06) it is re-planned for every MinReplan;
	// then not.
	atStale := -1
	for range 12 { // to 18:13
		r.site.mu.Lock()
		r.site.now = r.site.now.Add(time.Minute)
		r.site.mu.Unlock()
		r.c.Step(ctx)
		if v, _ := r.c.Event(id); atStale < 0 && v.Track[len(v.Track)-1].Stale {
			atStale = plans()
		}
	}
	v, _ := r.c.Event(id)
	last := v.Track[len(v.Track)-1]
	if !last.Stale || !last.MeasuredAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("track at 18:13 after 12 silent minutes: stale %v, measured at %v; want stale, measured at 18:01", last.Stale, last.MeasuredAt)
	}
	if v.Alarm != nil {
		t.Errorf("cap-miss alarm raised on a measurement 12 minutes old: %+v", v.Alarm)
	}
	if atStale < 0 || plans() != atStale {
		t.Errorf("plans made on the frozen figure: %d when it went stale, %d at 18:13 (%s)", atStale, plans(), v.LastReason)
	}
	// Data again, still over: judged, and the alarm comes (over since 18:01).
	r.site.report(time.Minute)
	r.c.Step(ctx)
	v, _ = r.c.Event(id)
	if last := v.Track[len(v.Track)-1]; last.Stale {
		t.Error("the track is still stale after a report")
	}
	if v.Alarm == nil || !v.Alarm.Active() {
		t.Errorf("over the cap since 18:01 and measured again at 18:14: alarm %+v, want raised", v.Alarm)
	}
}
