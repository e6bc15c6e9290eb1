package replay_test

import (
	"context"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// clockWatch is a desk in miniature: a Fleet on the player's clock and an
// alarm engine that observes a snapshot after every message, as a desk's
// snapshot ticks may land between any two. After every frame it checks
// that the player's clock does not say a time newer than every frame
// delivered so far (since the last reset).
type clockWatch struct {
	tb     testing.TB
	p      *replay.Player
	fleet  *feeds.Fleet
	alarms *alarm.Engine
	newest time.Time // newest time stamped on a frame delivered since the last reset
	times  map[time.Time]bool
	ahead  int // frames after which the clock was ahead of newest
	frames int // frames handled
	first  string
}

func (w *clockWatch) HandleFrame(raw []byte) {
	w.frames++
	w.fleet.HandleFrame(raw)
	for _, ts := range frameTimes(w.tb, raw) {
		if ts.After(w.newest) {
			w.newest = ts
		}
	}
	now := w.p.Now()
	w.times[now] = true
	if now.After(w.newest) {
		if w.ahead == 0 {
			loc := now.Location()
			w.first = "clock " + now.Format("15:04:05") + " with frames delivered only up to " + w.newest.In(loc).Format("15:04:05")
		}
		w.ahead++
	}
	w.alarms.Observe(w.fleet.Snapshot())
}

func (w *clockWatch) HandleLink(ev feeds.LinkEvent) {
	if ev.Reset {
		w.newest = time.Time{}
	}
	w.fleet.HandleLink(ev)
	w.alarms.Observe(w.fleet.Snapshot())
}

// frameTimes returns the time stamped on a frame, or on each of a batch's
// members.
func frameTimes(tb testing.TB, raw []byte) []time.Time {
	tb.Helper()
	f, err := feeds.Decode(raw)
	if err != nil {
		tb.Fatalf("frame %.80s: %v", raw, err)
	}
	switch f := f.(type) {
	case *feeds.Batch:
		var out []time.Time
		for _, m := range f.Frames {
			out = append(out, frameTimes(tb, m)...)
		}
		return out
	case *feeds.ChargerFrame:
		return []time.Time{f.TS}
	case *feeds.FeederFrame:
		return []time.Time{f.TS}
	case *feeds.Hello:
		return []time.Time{f.TS}
	}
	return nil
}

// TestSeekClockWaitsForItsFrames: the demo day from 16:00 to 19:00 started
// at 18:30 (as --start does), then `:seek 18:50` and `:seek 17:20` while it
// plays. Each seek's frames are delivered at once, and the player's clock,
// which the desk shows and its fleet judges staleness by, must not say a
// time whose frames are still to come: it used to read the target from the
// seek on, so a desk showed 18:00 over the night's figures for seconds and
// a snapshot in the middle found every charger not yet sent silent since
// the recording's start (stale chargers, comm_lost alarms). Once a seek is
// delivered the clock reads its target, and the desk holds no alarm about
// silence.
func TestSeekClockWaitsForItsFrames(t *testing.T) {
	rec := demoRecording(t, 16*time.Hour, 3*time.Hour)
	at := func(h, m int) time.Time {
		return rec.Start().Add(time.Duration(h-16)*time.Hour + time.Duration(m)*time.Minute)
	}
	fake := clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	p, err := replay.NewPlayer(rec, replay.PlayerOptions{Speed: 60, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	w := &clockWatch{tb: t, p: p, fleet: feeds.NewFleet(feeds.FleetOptions{Clock: p.Now}),
		alarms: alarm.NewEngine(alarm.Options{}), times: map[time.Time]bool{}}
	// Each time Run blocks it says how many frames the sink has (read on
	// Run's goroutine, which writes it), and stays blocked until the test
	// hears it.
	ctx, cancel := context.WithCancel(context.Background())
	caught := make(chan int)
	replay.SetOnWait(p, func(time.Duration) {
		select {
		case caught <- w.frames:
		case <-ctx.Done():
		}
	})
	sent := 0 // frames the sink had before the seek checked

	start := at(18, 30)
	if err := p.Seek(start); err != nil {
		t.Fatal(err)
	}
	if now := p.Now(); !now.Equal(rec.Start()) {
		t.Errorf("clock %v after --start before any frame, want the recording's start %v", now, rec.Start())
	}
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, w) }()
	defer func() {
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	}()

	check := func(what string, target time.Time) {
		t.Helper()
		// Run blocks once every frame up to target is delivered; it may
		// block (and be heard) once more before it takes the seek.
		for n := range caught {
			if n > sent {
				sent = n
				break
			}
		}
		if w.ahead > 0 {
			t.Errorf("%s: after %d frames the clock was ahead of the frames delivered; first: %s", what, w.ahead, w.first)
		}
		if len(w.times) < 10 {
			t.Errorf("%s: the clock read %d times while the frames came, want it to follow them", what, len(w.times))
		}
		if now := p.Now(); !now.Equal(target) {
			t.Errorf("%s: clock %v once delivered, want %v", what, now, target)
		}
		snap := w.fleet.Snapshot()
		w.alarms.Observe(snap)
		for _, a := range w.alarms.Board().Alarms {
			if a.Kind == alarm.KindCommLost || a.Kind == alarm.KindStaleFeed {
				t.Fatalf("%s: %s alarm %s (%v, %.0f s); %d alarms in all", what, a.Kind, a.Source, a.State, a.Value, len(w.alarms.Board().Alarms))
			}
		}
		if snap.StaleChargers != 0 || snap.StaleFeeders != 0 {
			t.Errorf("%s: %d chargers and %d feeders stale", what, snap.StaleChargers, snap.StaleFeeders)
		}
		if st := snap.Stats; st.RejectTotal() != 0 || st.Ignored != 0 {
			t.Errorf("%s: fleet rejected %v, ignored %d", what, st.Rejects, st.Ignored)
		}
		w.times = map[time.Time]bool{}
	}
	check("--start 18:30", start)

	// A forward seek: the clock stays at 18:30 until the frames pass it.
	if err := p.Seek(at(18, 50)); err != nil {
		t.Fatal(err)
	}
	if now := p.Now(); !now.Equal(start) {
		t.Errorf("clock %v right after :seek 18:50, want 18:30 until its frames come", now)
	}
	check(":seek 18:50", at(18, 50))

	// A backward seek rebuilds the desk from the recording's start.
	if err := p.Seek(at(17, 20)); err != nil {
		t.Fatal(err)
	}
	check(":seek 17:20", at(17, 20))
}
