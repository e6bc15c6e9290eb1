package replay_test

import (
	"context"
	"io"
	"log/slog"
	"math"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// demoRecordings caches recordings of the demo day by start and length, as
// the simulator sends them (one batch per simulated minute, a full refresh
// every quarter hour), so the test and the benchmark build each once.
var demoRecordings sync.Map // key string -> *replay.Recording

// demoRecording records the demo day from start (after its midnight) for d
// and reads it back.
func demoRecording(tb testing.TB, start, d time.Duration) *replay.Recording {
	tb.Helper()
	key := start.String() + "+" + d.String()
	if r, ok := demoRecordings.Load(key); ok {
		return r.(*replay.Recording)
	}
	sc, err := demo.Scenario()
	if err != nil {
		tb.Fatal(err)
	}
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(start), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "demo.v2grec")
	w := replay.NewRecorder(path, replay.RecorderOptions{Source: "in-process simulator"})
	w.HandleFrame(s.Hello())
	msgs := append(s.StateFrames(), s.Step(d)...)
	for i, m := range msgs {
		w.HandleFrame(m)
		if i%60 == 0 {
			if err := w.Flush(); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	rec, err := replay.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	demoRecordings.Store(key, rec)
	return rec
}

// seekPlayer is a paced Player on a fake clock feeding a Fleet, with a
// channel that says each time the player has caught up (blocks).
type seekPlayer struct {
	p      *replay.Player
	fleet  *feeds.Fleet
	caught chan time.Duration
}

// startSeekPlayer starts rec at speed 60 on a fake clock that never moves,
// after seeking to start when it is not zero (as --start does).
func startSeekPlayer(tb testing.TB, rec *replay.Recording, start time.Time) *seekPlayer {
	tb.Helper()
	fake := clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	p, err := replay.NewPlayer(rec, replay.PlayerOptions{Speed: 60, Clock: fake})
	if err != nil {
		tb.Fatal(err)
	}
	sp := &seekPlayer{p: p, fleet: feeds.NewFleet(feeds.FleetOptions{Clock: p.Now}), caught: make(chan time.Duration, 1)}
	replay.SetOnWait(p, func(d time.Duration) { sp.caught <- d })
	if !start.IsZero() {
		if err := p.Seek(start); err != nil {
			tb.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, sp.fleet) }()
	tb.Cleanup(func() { cancel(); <-done })
	<-sp.caught
	return sp
}

// seek seeks to t and waits until every frame up to t is delivered; t must
// be before the recording's last frame, where Run would return instead.
func (sp *seekPlayer) seek(tb testing.TB, t time.Time) {
	tb.Helper()
	if err := sp.p.Seek(t); err != nil {
		tb.Fatal(err)
	}
	<-sp.caught
}

// TestSeekBackDemoDayIsAFreshPlay plays a demo afternoon to 17:55, seeks
// back to 17:07 and compares what the fleet holds (every feeder's history
// since the recording's start, charger states, events) with a fresh play
// started at 17:07. A backward seek used to restore only the state as of
// the index point at 17:00, so the load curves before it were gone.
func TestSeekBackDemoDayIsAFreshPlay(t *testing.T) {
	rec := demoRecording(t, 16*time.Hour, 2*time.Hour)
	day := rec.Start().Truncate(24 * time.Hour)
	at := func(h, m int) time.Time {
		return rec.Start().Add(time.Duration(h-16)*time.Hour + time.Duration(m)*time.Minute)
	}

	sp := startSeekPlayer(t, rec, time.Time{})
	sp.seek(t, at(17, 55))
	for _, back := range []time.Time{at(17, 7), at(16, 20), at(16, 3)} {
		sp.seek(t, back)
		fresh := startSeekPlayer(t, rec, back)
		got, want := sp.fleet.Snapshot(), fresh.fleet.Snapshot()
		if !got.At.Equal(back) || !want.At.Equal(back) {
			t.Fatalf("fleet clocks %v and %v, want %v", got.At, want.At, back)
		}
		if f, _ := got.Feeder("F01"); measured(f.History.Range(day, rec.Start().Add(10*time.Minute))) == 0 {
			t.Errorf("back to %s: F01 has no load in the recording's first 10 minutes", back.Format("15:04"))
		}
		compareFleets(t, "back to "+back.Format("15:04"), got, want, rec.Start(), back)
		sp.seek(t, at(17, 55))
	}
}

// measured counts the minutes of a history range that hold data.
func measured(v []float64) int {
	n := 0
	for _, x := range v {
		if !math.IsNaN(x) {
			n++
		}
	}
	return n
}

// BenchmarkSeekBackDemoDay measures a backward seek on a recording of the
// whole demo day into a Fleet (what the dashboard's ingest is): from the
// day's end back to 17:07, until every frame up to 17:07 is delivered. The
// forward seek back to the end between two runs is not timed.
func BenchmarkSeekBackDemoDay(b *testing.B) {
	rec := demoRecording(b, 0, 24*time.Hour)
	back := rec.Start().Add(17*time.Hour + 7*time.Minute)
	// Not the end itself: there the player ends (Run returns) and cannot seek.
	late := rec.End().Add(-time.Second)
	sp := startSeekPlayer(b, rec, time.Time{})
	sp.seek(b, late)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		sp.seek(b, back)
		b.StopTimer()
		sp.seek(b, late)
		b.StartTimer()
	}
}
