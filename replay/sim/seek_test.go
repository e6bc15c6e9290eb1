package sim

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
)

// watchingSink feeds a Fleet and, after every message, lets the alarm
// engine observe a snapshot, as a desk's snapshot ticks may land between
// any two messages. It keeps every frame it was given.
type watchingSink struct {
	fleet  *feeds.Fleet
	alarms *alarm.Engine
	frames [][]byte
}

func (w *watchingSink) HandleFrame(raw []byte) {
	w.frames = append(w.frames, append([]byte(nil), raw...))
	w.fleet.HandleFrame(raw)
	w.alarms.Observe(w.fleet.Snapshot())
}

func (w *watchingSink) HandleLink(ev feeds.LinkEvent) {
	w.fleet.HandleLink(ev)
	w.alarms.Observe(w.fleet.Snapshot())
}

// TestSeekLeavesTheDeskAsIfPlayed: the demo day from 00:00, `:seek 18:30`
// while Run runs. The desk must then hold what it would hold had it played
// the day through: every charger's state as of 18:30, heard at 18:30, and
// no alarm about silence, even to a snapshot taken in the middle of the
// seek's delivery. The seek used to re-send every skipped step's charger
// frames after the clock had jumped, so such a snapshot found 3,000
// chargers silent for 18 hours (3,016 STALE alarms, RTN UNACK afterwards).
func TestSeekLeavesTheDeskAsIfPlayed(t *testing.T) {
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	target := sc.Start().Add(18*time.Hour + 30*time.Minute)
	s, err := New(sc, Options{Start: sc.Start(), Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet, Backfill: true})
	if err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration, 4)
	s.onWait = func(d time.Duration) { waits <- d }
	sink := &watchingSink{fleet: feeds.NewFleet(feeds.FleetOptions{Clock: s.Now}), alarms: alarm.NewEngine(alarm.Options{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, sink) }()
	<-waits // the hello and the state at 00:00 are in; the fake clock holds the next step
	before := len(sink.frames)
	if err := s.Seek(target); err != nil {
		t.Fatal(err)
	}
	<-waits // the seek is delivered
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if !s.Now().Equal(target) {
		t.Fatalf("clock after the seek %v, want %v", s.Now(), target)
	}

	// What the seek sent: feeder loads for the skipped minutes, then each
	// charger once, as of the target.
	sent := map[string]int{}
	feederFrames := 0
	for _, f := range decodeBatches(t, sink.frames[before:]) {
		switch f["type"] {
		case "charger":
			sent[f["id"].(string)]++
			if ts := f["ts"].(string); ts != target.Format(time.RFC3339) {
				t.Fatalf("the seek sent %s as of %s, want %s", f["id"], ts, target.Format(time.RFC3339))
			}
		case "feeder":
			feederFrames++
		}
	}
	if len(sent) != len(sc.Chargers()) {
		t.Errorf("the seek sent %d chargers, want all %d", len(sent), len(sc.Chargers()))
	}
	for id, n := range sent {
		if n != 1 {
			t.Fatalf("the seek sent %s %d times, want once", id, n)
		}
	}
	if want := (18*60 + 30 + 1) * len(sc.Feeders); feederFrames != want {
		t.Errorf("the seek sent %d feeder frames, want %d (every minute 00:00..18:30, each feeder)", feederFrames, want)
	}

	snap := sink.fleet.Snapshot()
	sink.alarms.Observe(snap)
	board := sink.alarms.Board()
	for _, a := range board.Alarms {
		if a.Kind == alarm.KindCommLost || a.Kind == alarm.KindStaleFeed {
			t.Fatalf("after the seek: %s alarm %s (%v, %.0f s); %d alarms in all", a.Kind, a.Source, a.State, a.Value, len(board.Alarms))
		}
	}
	if snap.StaleChargers != 0 || snap.StaleFeeders != 0 {
		t.Errorf("after the seek %d chargers and %d feeders stale", snap.StaleChargers, snap.StaleFeeders)
	}
	if st := snap.Stats; st.RejectTotal() != 0 || st.Ignored != 0 {
		t.Errorf("fleet rejected %v, ignored %d", st.Rejects, st.Ignored)
	}
	// The load curve has no gap over the hours skipped.
	for i, v := range snap.SystemHistory().Range(sc.Start(), target) {
		if math.IsNaN(v) || v <= 0 {
			t.Fatalf("system history minute %d after the seek = %v", i, v)
		}
	}

	// Each charger as a desk started at 18:30 sees it, and as the sim that
	// played the day through holds it.
	fresh, err := New(sc, Options{Start: target, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]feeds.ChargerFrame{}
	for _, f := range stateChargers(t, fresh.StateFrames()) {
		want[f.ID] = f
	}
	played, err := New(sc, Options{Start: sc.Start(), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	played.Step(target.Sub(sc.Start()))
	plugged := 0
	for i := 0; i < snap.NumChargers(); i++ {
		c := snap.ChargerAt(i)
		w, ok := want[c.ID]
		if !ok || !c.Seen {
			t.Fatalf("charger %s: seen %v after the seek, in the fresh sim's state %v", c.ID, c.Seen, ok)
		}
		got := c.Last
		if got.State != w.State || got.KW != w.KW || got.Plugged != w.Plugged || !sameFloat(got.SoC, w.SoC) ||
			!sameFloat(got.TargetSoC, w.TargetSoC) || !got.TS.Equal(w.TS) {
			t.Fatalf("charger %s after the seek: %s %v kW plugged %v soc %v at %s; a sim started at 18:30: %s %v kW plugged %v soc %v at %s",
				c.ID, got.State, got.KW, got.Plugged, deref(got.SoC), got.TS, w.State, w.KW, w.Plugged, deref(w.SoC), w.TS)
		}
		a, _ := s.EV(c.ID)
		b, _ := played.EV(c.ID)
		if a != b {
			t.Fatalf("charger %s: sought %+v, played through %+v", c.ID, a, b)
		}
		if got.Plugged {
			plugged++
		}
	}
	if plugged < 500 {
		t.Errorf("only %d EVs plugged in at 18:30: the comparison proves little", plugged)
	}
}

// TestSeekBeforeRunBackfills: a seek before Run moves the start; with
// Backfill the skipped loads follow the earlier ones, and Run then sends
// every charger once, as of the new start.
func TestSeekBeforeRunBackfills(t *testing.T) {
	sc := testScenario(t)
	s, err := New(sc, Options{Start: sc.Start().Add(time.Hour), Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet, Backfill: true})
	if err != nil {
		t.Fatal(err)
	}
	target := sc.Start().Add(19 * time.Hour)
	if err := s.Seek(target); err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration, 4)
	s.onWait = func(d time.Duration) { waits <- d }
	sink := &watchingSink{fleet: feeds.NewFleet(feeds.FleetOptions{Clock: s.Now}), alarms: alarm.NewEngine(alarm.Options{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, sink) }()
	<-waits
	cancel()
	<-done
	snap := sink.fleet.Snapshot()
	got := snap.SystemHistory().Range(sc.Start(), target)
	if len(got) != 19*60 {
		t.Fatalf("history %d minutes, want %d", len(got), 19*60)
	}
	for i, v := range got[:17*60] { // the first EV plugs in at 17:00
		if math.Abs(v-200) > 1e-9 {
			t.Fatalf("system history minute %d = %v kW, want the two base loads (200 kW)", i, v)
		}
	}
	if snap.StaleChargers != 0 || len(sink.alarms.Board().Alarms) != 0 {
		t.Errorf("%d stale chargers, alarms %+v", snap.StaleChargers, sink.alarms.Board().Alarms)
	}
	for _, id := range []string{"CP-0001", "CP-0002", "CP-0003"} {
		c, _ := snap.Charger(id)
		if !c.Last.TS.Equal(target) {
			t.Errorf("%s as of %s, want %s", id, c.Last.TS, target)
		}
	}
}

// stateChargers decodes the charger frames of a state's batches.
func stateChargers(t *testing.T, batches [][]byte) []feeds.ChargerFrame {
	t.Helper()
	var out []feeds.ChargerFrame
	for _, b := range batches {
		var batch feeds.Batch
		if err := json.Unmarshal(b, &batch); err != nil {
			t.Fatal(err)
		}
		for _, m := range batch.Frames {
			if !strings.Contains(string(m), `"type":"charger"`) {
				continue
			}
			var f feeds.ChargerFrame
			if err := json.Unmarshal(m, &f); err != nil {
				t.Fatal(err)
			}
			out = append(out, f)
		}
	}
	return out
}

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestSeekComputesOffTheLock: while Run computes a seek (the demo day,
// 00:00 to 18:30), the simulator's lock is free, so the desk's calls do not
// stall behind it (seconds at 100,000 EVs; BenchmarkSeekStall). Meanwhile
// Now says the time before the seek, a second seek to before its target is
// refused as it was when it waited for the first, and setpoints are
// answered as of the target, as they were when they waited for the lock,
// and hold in the state swapped in.
func TestSeekComputesOffTheLock(t *testing.T) {
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	from := sc.Start()
	target := sc.Start().Add(18*time.Hour + 30*time.Minute)
	// Sessions plugged in at 18:30 (but not at 00:00), and one gone by then.
	var plugged, gone []string
	for _, ss := range sc.Sessions {
		switch {
		case ss.Plugin.After(from) && !ss.Plugin.After(target) && ss.Plugout.After(target.Add(time.Hour)):
			plugged = append(plugged, ss.Charger)
		case ss.Plugin.After(from) && ss.Plugout.Before(target.Add(-time.Hour)):
			gone = append(gone, ss.Charger)
		}
	}
	if len(plugged) < 3 || len(gone) < 1 {
		t.Fatalf("the demo day has %d sessions plugged in at 18:30 since, %d gone by then", len(plugged), len(gone))
	}
	s, err := New(sc, Options{Start: from, Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	waits := make(chan time.Duration, 4)
	s.onWait = func(d time.Duration) { waits <- d }
	until := target.Add(30 * time.Minute)
	acks := map[string]feeds.AckFrame{}
	ahead := 0
	s.onSeekAhead = func() {
		ahead++
		if !s.mu.TryLock() {
			t.Error("the simulator's lock is held while the seek is computed")
			return
		}
		s.mu.Unlock()
		if got := s.Now(); !got.Equal(from) {
			t.Errorf("Now during the seek = %v, want the time before it, %v", got, from)
		}
		var back *SeekBackwardsError
		if err := s.CheckSeek(target.Add(-time.Hour)); !errors.As(err, &back) || !back.At.Equal(target) {
			t.Errorf("a seek to 17:30 during the seek to 18:30: %v, want refused as backwards from 18:30", err)
		}
		send := func(name, charger string, kw float64, until time.Time) {
			acks[name] = s.ApplySetpoint(feeds.SetpointFrame{ID: name, Charger: charger, KW: kw, ValidUntil: until})
		}
		send("plugged", plugged[0], 2, until)
		send("first", plugged[1], 3, until)
		send("second", plugged[1], 1.5, until) // the later one holds
		send("clamped", plugged[2], 1000, until)
		send("expired", plugged[0], 2, target.Add(-time.Minute))
		send("gone", gone[0], 2, until)
		if st := s.Stats(); st.Accepted != 3 || st.Clamped != 1 || st.Rejected != 2 {
			t.Errorf("stats during the seek: %d accepted, %d clamped, %d rejected; want 3, 1, 2", st.Accepted, st.Clamped, st.Rejected)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, &countSink{}) }()
	<-waits
	if err := s.Seek(target); err != nil {
		t.Fatal(err)
	}
	<-waits // the seek is delivered
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if ahead != 1 {
		t.Fatalf("the seek was computed off the lock %d times, want once", ahead)
	}
	for name, want := range map[string]feeds.AckStatus{"plugged": feeds.AckAccepted, "first": feeds.AckAccepted,
		"second": feeds.AckAccepted, "clamped": feeds.AckClamped, "expired": feeds.AckRejected, "gone": feeds.AckRejected} {
		a := acks[name]
		if a.Status != want || !a.TS.Equal(target) {
			t.Errorf("setpoint %s: %s at %v (%s), want %s at %v", name, a.Status, a.TS, a.Reason, want, target)
		}
	}
	if r := acks["gone"].Reason; !strings.Contains(r, "no EV plugged in") {
		t.Errorf("setpoint to a charger whose EV left before 18:30: %q", r)
	}
	if r := acks["expired"].Reason; !strings.Contains(r, "expired") {
		t.Errorf("setpoint valid until 18:29: %q", r)
	}
	for charger, kw := range map[string]float64{plugged[0]: 2, plugged[1]: 1.5, plugged[2]: acks["clamped"].AppliedKW} {
		e, _ := s.EV(charger)
		if e.SetpointKW == nil || *e.SetpointKW != kw || !e.SetpointValidUntil.Equal(until) {
			t.Errorf("%s after the seek: setpoint %v until %v, want %v kW until %v", charger, deref(e.SetpointKW), e.SetpointValidUntil, kw, until)
		}
	}
	if st := s.Stats(); st.Accepted != 3 || st.Clamped != 1 || st.Rejected != 2 || st.Steps != 18*60+30 {
		t.Errorf("stats after the seek: %d accepted, %d clamped, %d rejected, %d steps; want 3, 1, 2, %d",
			st.Accepted, st.Clamped, st.Rejected, st.Steps, 18*60+30)
	}
	if !s.Now().Equal(target) {
		t.Errorf("clock after the seek %v, want %v", s.Now(), target)
	}
}
