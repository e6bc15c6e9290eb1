package alarm

import (
	"bytes"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// deliver sends the frames of one minute at the rig's clock plus d, as a
// seek's catch-up does: F01 at f01kw, CP-2 in st, the rest as step sends
// them. Nothing is observed.
func (r *fleetRig) deliver(d time.Duration, f01kw float64, st feeds.ChargerState) {
	r.now = r.now.Add(d)
	r.feeder("F01", f01kw)
	r.feeder("F02", 100)
	r.charger("CP-1", feeds.StateCharging)
	r.charger("CP-2", st)
}

func (r *fleetRig) observe() *Board {
	r.eng.Observe(r.fleet.Snapshot())
	return r.eng.Board()
}

// skippedHour delivers 18:02..19:00 as one catch-up: F01 (limit 1,000 kW)
// overloaded at 120 % from 18:10 to 18:19 and again at 110 % from 18:50 on,
// CP-2 faulted 18:12..18:13. look, when set, is called after each minute's
// frames (to take a snapshot mid-way, as a desk's ticks may).
func (r *fleetRig) skippedHour(look func(min int)) {
	for m := 2; m <= 60; m++ { // the minute of the hour
		kw, st := 500.0, feeds.StateCharging
		switch {
		case m >= 10 && m < 20:
			kw = 1200
		case m >= 50:
			kw = 1100
		}
		if m == 12 || m == 13 {
			st = feeds.StateFaulted
		}
		r.deliver(time.Minute, kw, st)
		if look != nil {
			look(m)
		}
	}
}

// TestCatchUpRaisesOnlyWhatHoldsAtArrival: an hour skipped by a seek is
// not raised minute by minute. The overload still on at the arrival is
// raised, unacknowledged, from when it began (18:50, by F01's history);
// the one that came and went (18:10..18:20) and the fault of 18:12 are
// not listed, but counted in the catch-up's summary and logged once.
func TestCatchUpRaisesOnlyWhatHoldsAtArrival(t *testing.T) {
	for _, tc := range []struct {
		name  string
		look  bool // snapshots are taken while the hour goes by
		fault bool // so the fault, seen by one of them, is in the summary
	}{
		{"snapshots during the catch-up", true, true},
		{"a catch-up between two snapshots", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newFleetRig(t)
			var logged bytes.Buffer
			r.eng = NewEngine(Options{DelayOn: 30 * time.Second, Clock: func() time.Time { return r.now },
				Logger: slog.New(slog.NewTextHandler(&logged, nil))})
			r.step(time.Minute, 500) // 18:01, watched
			from := r.now
			r.catchUps, r.catching = 1, tc.look
			var look func(int)
			if tc.look {
				look = func(m int) {
					if m%3 != 1 { // 18:13 is one: the fault is seen
						return
					}
					if b := r.observe(); len(b.Alarms) != 0 {
						t.Fatalf("%s, catching up: listed %v, want nothing until the arrival", r.now.Format("15:04"), ids(b))
					}
				}
			}
			r.skippedHour(look)
			r.catching = false
			b := r.observe() // the arrival, 19:00

			if got, want := ids(b), []string{"loading/F01"}; !reflect.DeepEqual(got, want) {
				t.Fatalf("listed at the arrival %v, want %v", got, want)
			}
			a := b.Alarms[0]
			if a.Severity != SevHigh || a.State != StateUnack || !a.Active {
				t.Errorf("F01 at the arrival: %v %v active %v, want HIGH unacknowledged active", a.Severity, a.State, a.Active)
			}
			if want := t0.Add(50 * time.Minute); !a.First.Equal(want) {
				t.Errorf("F01's alarm first %s, want %s (when the overload still on began)", a.First.Format("15:04"), want.Format("15:04"))
			}

			c, ok := r.eng.LastCatchUp()
			if !ok || c.N != 1 || !c.From.Equal(from) || !c.To.Equal(r.now) {
				t.Fatalf("catch-up %+v %v, want #1 from %s to %s", c, ok, from.Format("15:04"), r.now.Format("15:04"))
			}
			n, feeders := c.Overloads()
			if n != 1 || !reflect.DeepEqual(feeders, []string{"F01"}) {
				t.Errorf("overloads %d on %v, want 1 on F01", n, feeders)
			}
			m := c.Missed[0]
			if m.Kind != KindLoading || !m.First.Equal(t0.Add(10*time.Minute)) || !m.Last.Equal(t0.Add(20*time.Minute)) || m.Value != 120 {
				t.Errorf("missed[0] %+v, want F01 loading 18:10..18:20 peak 120", m)
			}
			wantOthers := 0
			if tc.fault {
				wantOthers = 1
			}
			if got := c.Others(); got != wantOthers {
				t.Errorf("others %d, want %d (the fault of 18:12) in %+v", got, wantOthers, c.Missed)
			}
			if w, _ := c.Warnings(); w != 0 {
				t.Errorf("warnings %d, want 0", w)
			}
			if lines := strings.Count(logged.String(), "catch-up"); lines != 1 || !strings.Contains(logged.String(), "loading/F01 HIGH 18:10..18:20 120") {
				t.Errorf("log %q: want one catch-up line naming F01's overload", logged.String())
			}
		})
	}
}

// TestNoCatchUpRaisesAsLive: the same hour played at speed raises the
// overload that came and went (returned to normal, unacknowledged): only a
// catch-up holds conditions back.
func TestNoCatchUpRaisesAsLive(t *testing.T) {
	r := newFleetRig(t)
	r.step(time.Minute, 500)
	r.skippedHour(func(int) { r.observe() })
	b := r.observe()
	if got, want := ids(b), []string{"loading/F01", "fault/CP-2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
	if a := b.Alarms[0]; !a.First.Equal(t0.Add(11 * time.Minute)) {
		t.Errorf("F01 first %s, want 18:11 (played through, the alarm is the first overload's, raised after delay-on)", a.First.Format("15:04"))
	}
	if _, ok := r.eng.LastCatchUp(); ok {
		t.Error("a catch-up summary without a catch-up")
	}
}

// TestCatchUpKeepsListedAlarms: an alarm listed before the seek is the
// operator's: it returns to normal inside the span as usual, and its
// overload is not counted again as missed.
func TestCatchUpKeepsListedAlarms(t *testing.T) {
	r := newFleetRig(t)
	r.step(time.Minute, 1200)
	b := r.step(time.Minute, 1200) // 18:02: raised
	if len(b.Alarms) != 1 {
		t.Fatalf("before the seek %v, want F01's alarm", ids(b))
	}
	r.catchUps, r.catching = 1, true
	for m := 0; m < 30; m++ {
		kw := 1200.0
		if m >= 5 {
			kw = 500
		}
		r.deliver(time.Minute, kw, feeds.StateCharging)
		r.observe()
	}
	r.catching = false
	b = r.observe()
	a, ok := b.Find("loading/F01")
	if !ok || a.State != StateRTNUnack {
		t.Fatalf("F01 after the catch-up %+v %v, want returned to normal, unacknowledged", a, ok)
	}
	if c, _ := r.eng.LastCatchUp(); len(c.Missed) != 0 {
		t.Errorf("missed %+v, want none: the overload was listed before the seek", c.Missed)
	}
}

// TestSeekBackStartsTheListOver: a backward seek rebuilds the fleet from
// an earlier time; an alarm of the later hour must not stay listed with
// its times after the clock (18:20 under a 17:30 clock), and what holds at
// the new time is raised from when it began there.
func TestSeekBackStartsTheListOver(t *testing.T) {
	e := NewEngine(Options{DelayOn: -1, Clock: func() time.Time { return t0 }})
	at := func(h, m int) time.Time { return t0.Add(time.Duration(h-18)*time.Hour + time.Duration(m)*time.Minute) }
	e.Observe(feederSnap(1, at(18, 5), 118))
	e.Observe(feederSnap(2, at(18, 20), 130))
	if err := e.Ack("loading/F07", "ana"); err != nil {
		t.Fatal(err)
	}
	// The seek back: the fleet forgets F07 and rebuilds from 16:00.
	reset := feederSnap(3, at(16, 0), 0)
	reset.Feeders[0].Seen = false
	reset.CatchingUp, reset.CatchUps, reset.Stats.Resets = true, 1, 1
	e.Observe(reset)
	mid := feederSnap(4, at(17, 10), 118)
	mid.CatchingUp, mid.CatchUps, mid.Stats.Resets = true, 1, 1
	e.Observe(mid)
	arrive := feederSnap(5, at(17, 30), 118)
	arrive.CatchUps, arrive.Stats.Resets = 1, 1
	e.Observe(arrive)

	b := e.Board()
	a, ok := b.Find("loading/F07")
	if !ok || len(b.Alarms) != 1 {
		t.Fatalf("after the seek back: %v, want F07's alarm", ids(b))
	}
	for what, tm := range map[string]time.Time{"first": a.First, "last": a.Last} {
		if tm.After(at(17, 30)) {
			t.Errorf("F07's %s %s is after the clock 17:30", what, tm.Format("15:04"))
		}
	}
	if !a.First.Equal(at(17, 10)) || a.State != StateUnack || a.Severity != SevHigh {
		t.Errorf("F07 %v %v first %s, want HIGH unacknowledged from 17:10", a.Severity, a.State, a.First.Format("15:04"))
	}
}

// TestSeekBackDatesFromTheRebuiltHistory: after a backward seek the desk
// may see its first snapshot late in the rebuild (a desk's ticks are a
// quarter second apart; a rebuild takes less). An overload that began
// early in the rebuilt span is still raised from when it began, by the
// history, not from that first snapshot.
func TestSeekBackDatesFromTheRebuiltHistory(t *testing.T) {
	r := newFleetRig(t)
	play := func(from, to int) { // minutes after 18:00, F01 over from 18:10
		for m := from; m <= to; m++ {
			r.now = t0.Add(time.Duration(m) * time.Minute)
			kw := 500.0
			if m >= 10 {
				kw = 1200
			}
			r.feeder("F01", kw)
			r.feeder("F02", 100)
			r.charger("CP-1", feeds.StateCharging)
			r.charger("CP-2", feeds.StateCharging)
		}
	}
	for m := 1; m <= 50; m++ {
		play(m, m)
		r.observe()
	}
	// :seek 18:30 — the fleet is reset and rebuilt from 18:00.
	r.catchUps, r.catching = 1, true
	r.fleet.HandleLink(feeds.LinkEvent{Up: true, At: t0.Add(30 * time.Minute), Reset: true})
	play(0, 25)
	r.observe() // the desk's first look, late in the rebuild
	play(26, 30)
	r.catching = false
	b := r.observe()
	a, ok := b.Find("loading/F01")
	if !ok || len(b.Alarms) != 1 {
		t.Fatalf("after the seek back %v, want F01's alarm only", ids(b))
	}
	if want := t0.Add(10 * time.Minute); !a.First.Equal(want) || a.Last.After(r.now) {
		t.Errorf("F01 first %s last %s, want first 18:10 and nothing after the clock %s",
			a.First.Format("15:04"), a.Last.Format("15:04"), r.now.Format("15:04"))
	}
	if c, _ := r.eng.LastCatchUp(); !c.From.Equal(t0) || len(c.Missed) != 0 {
		t.Errorf("catch-up %s..%s missed %+v, want from 18:00 (the rebuilt history) and nothing missed",
			c.From.Format("15:04"), c.To.Format("15:04"), c.Missed)
	}
}

// TestCatchUpCountsARunHeldByTheDeadband: F01 at 95 % from 18:10, easing
// to 88 % from 18:40 — inside the deadband, so the minute means keep the
// run going to the arrival, where 88 % alone raises nothing. The warning
// came and went: it is in the summary, not dropped between the two rules.
func TestCatchUpCountsARunHeldByTheDeadband(t *testing.T) {
	r := newFleetRig(t)
	r.step(time.Minute, 500)
	r.catchUps = 1
	for m := 2; m <= 60; m++ {
		kw := 500.0
		switch {
		case m >= 40:
			kw = 880
		case m >= 10:
			kw = 950
		}
		r.deliver(time.Minute, kw, feeds.StateCharging)
	}
	b := r.observe()
	if len(b.Alarms) != 0 {
		t.Fatalf("listed %v at 88 %%, want none", ids(b))
	}
	c, _ := r.eng.LastCatchUp()
	if n, fs := c.Warnings(); n != 1 || len(fs) != 1 || fs[0] != "F01" {
		t.Fatalf("warnings %d on %v in %+v, want 1 on F01", n, fs, c.Missed)
	}
	if m := c.Missed[0]; !m.First.Equal(t0.Add(10*time.Minute)) || !m.Last.Equal(r.now) {
		t.Errorf("missed %+v, want from 18:10 to the arrival", m)
	}
}

// TestCatchUpBeforeTheFirstLook: a replay started at a later hour
// (--start) may deliver its catch-up before the desk's first snapshot.
// That first snapshot is an arrival all the same: the overload on since
// 18:50 is listed from then, the one of 18:10 summarised.
func TestCatchUpBeforeTheFirstLook(t *testing.T) {
	r := newFleetRig(t)
	r.catchUps = 1
	r.deliver(time.Minute, 500, feeds.StateCharging)
	r.skippedHour(nil)
	b := r.observe()
	a, ok := b.Find("loading/F01")
	if !ok || len(b.Alarms) != 1 || !a.First.Equal(t0.Add(50*time.Minute)) || !a.Last.Equal(r.now) {
		t.Fatalf("listed %v, F01 %+v: want F01 alone, first 18:50, last the arrival", ids(b), a)
	}
	c, _ := r.eng.LastCatchUp()
	if n, _ := c.Overloads(); n != 1 || !c.From.Equal(t0.Add(time.Minute)) {
		t.Errorf("catch-up from %s, %d overloads, want from 18:01 (the first minute of history) with 1", c.From.Format("15:04"), n)
	}
}

// TestOnCatchUpToldOnce: a desk with a journal records each catch-up that
// skipped conditions (Options.OnCatchUp), once, at the arrival, whichever
// of the snapshots after it is observed. A catch-up that skipped nothing
// is not told.
func TestOnCatchUpToldOnce(t *testing.T) {
	r := newFleetRig(t)
	var told []CatchUp
	r.eng = NewEngine(Options{DelayOn: 30 * time.Second, Clock: func() time.Time { return r.now },
		OnCatchUp: func(c CatchUp, _ *feeds.Snapshot) { told = append(told, c) }})
	r.step(time.Minute, 500)
	r.catchUps, r.catching = 1, true
	r.skippedHour(nil)
	r.catching = false
	r.observe() // the arrival
	r.step(time.Minute, 500)
	r.step(time.Minute, 500)
	if len(told) != 1 {
		t.Fatalf("told %d times, want once: %+v", len(told), told)
	}
	if n, fs := told[0].Overloads(); told[0].N != 1 || n != 1 || !reflect.DeepEqual(fs, []string{"F01"}) {
		t.Errorf("told %+v, want catch-up #1 with F01's overload", told[0])
	}
	// A second catch-up over quiet minutes skipped nothing: not told.
	r.catchUps, r.catching = 2, true
	r.deliver(time.Minute, 500, feeds.StateCharging)
	r.catching = false
	r.observe()
	if c, ok := r.eng.LastCatchUp(); !ok || c.N != 2 || len(c.Missed) != 0 {
		t.Fatalf("last catch-up %+v %v, want #2 with nothing missed", c, ok)
	}
	if len(told) != 1 {
		t.Errorf("told %d times after a quiet catch-up, want still once", len(told))
	}
}

// TestCatchUpAfterAnEmptyLook: a desk's first snapshot may come before any
// data, its clock already at the --start time (a simulator's clock holds
// it while the day's history is delivered). The span began there, at the
// arrival's own time, and F01's overload was lost from the summary (span
// 19:00–19:00); it is the history the fleet holds, from 18:01.
func TestCatchUpAfterAnEmptyLook(t *testing.T) {
	r := newFleetRig(t)
	r.now = t0.Add(time.Hour)
	r.observe() // the topology, no figures yet, at 19:00
	r.now = t0
	r.catchUps, r.catching = 1, true
	r.skippedHour(nil)
	r.catching = false
	r.observe()
	c, ok := r.eng.LastCatchUp()
	if !ok || c.From.Format("15:04") != "18:01" {
		t.Fatalf("catch-up %+v %v, want the span from 18:01 (the history's first minute)", c, ok)
	}
	if n, _ := c.Overloads(); n != 1 {
		t.Errorf("overloads %d, want F01's 1 in %+v", n, c.Missed)
	}
}
