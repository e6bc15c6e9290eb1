package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

// bigScenario spreads n evening sessions over 12 feeders, 30% V2G.
func bigScenario(b testing.TB, n int) *scenario.Scenario {
	sc := testScenario(b)
	rng := rand.New(rand.NewPCG(1, 2))
	sc.Feeders = nil
	base := make([]float64, 144)
	for i := range base {
		base[i] = 1000
	}
	for f := 0; f < 12; f++ {
		sc.Feeders = append(sc.Feeders, scenario.Feeder{ID: fmt.Sprintf("F%02d", f+1), ImportLimitKW: 5000, BaseKW: base})
	}
	day := sc.Start()
	sc.Sessions = make([]scenario.Session, n)
	for i := range sc.Sessions {
		in := day.Add(16*time.Hour + time.Duration(rng.IntN(300))*time.Minute)
		sc.Sessions[i] = scenario.Session{ID: fmt.Sprintf("S-%06d", i+1), Charger: fmt.Sprintf("CP-%06d", i+1),
			Feeder: sc.Feeders[rng.IntN(12)].ID, Plugin: in, Plugout: in.Add(time.Duration(2+rng.IntN(12)) * time.Hour),
			EnergyKWh: 5 + rng.Float64()*30, MaxKW: 3.7 + rng.Float64()*7.4, V2G: rng.Float64() < 0.3, BatteryKWh: 60}
	}
	return sc
}

// BenchmarkStep100k measures one simulated minute with 100,000 EVs in the
// evening (about 60,000 plugged in), frames encoded: the quiet minutes
// (changes and the heartbeat share) and the quarter-hour full refresh.
func BenchmarkStep100k(b *testing.B) {
	sc := bigScenario(b, 100_000)
	for _, tt := range []struct {
		name string
		full bool
	}{{"changes+heartbeat", false}, {"full-refresh", true}} {
		b.Run(tt.name, func(b *testing.B) {
			start := func() *Sim {
				s, err := New(sc, Options{Start: sc.Start().Add(19 * time.Hour), Logger: quiet})
				if err != nil {
					b.Fatal(err)
				}
				s.frames(true) // as Run does: the state first, so later steps send changes
				return s
			}
			s := start()
			b.ReportAllocs()
			b.ResetTimer()
			var bytes, frames int
			for b.Loop() {
				s.mu.Lock()
				if !tt.full {
					for s.now.Add(s.step).Sub(s.sc.Start())%s.refresh == 0 {
						s.advance(false)
					}
				}
				s.advance(false)
				out := s.frames(tt.full)
				s.mu.Unlock()
				for _, m := range out {
					bytes += len(m)
				}
				frames++
				if !s.now.Before(s.end.Add(-time.Hour)) {
					b.StopTimer()
					s = start()
					b.StartTimer()
				}
			}
			plugged := 0
			for i := range s.evs {
				if s.evs[i].phase == phasePlugged {
					plugged++
				}
			}
			b.ReportMetric(float64(bytes)/float64(frames), "out-B/step")
			b.ReportMetric(float64(plugged), "plugged")
		})
	}
}

// BenchmarkSeek measures what a forward seek costs while Run runs (the
// catch-up Run does on its copy of the model, off the lock, before
// delivery; BenchmarkSeekStall measures the lock): the demo day
// (3,000 EVs) and 100,000 EVs, from midnight to 18:30 and over the whole
// day, and the evening with 100,000 EVs. "every-step" is the seek as it
// was, every skipped step's frames encoded (demo only: at 100,000 EVs it
// takes about a minute); "with-fleet" adds the desk's side, a Fleet
// decoding and applying the delivery.
func BenchmarkSeek(b *testing.B) {
	demoSc, err := demo.Scenario()
	if err != nil {
		b.Fatal(err)
	}
	big := bigScenario(b, 100_000)
	for _, tt := range []struct {
		name      string
		sc        *scenario.Scenario
		from, to  time.Duration
		everyStep bool
		ingest    bool // and the desk's Fleet takes the delivery
	}{
		{"demo/00:00-18:30", demoSc, 0, 18*time.Hour + 30*time.Minute, false, false},
		{"demo/00:00-24:00", demoSc, 0, 24 * time.Hour, false, false},
		{"demo/00:00-18:30/every-step", demoSc, 0, 18*time.Hour + 30*time.Minute, true, false},
		{"demo/00:00-18:30/with-fleet", demoSc, 0, 18*time.Hour + 30*time.Minute, false, true},
		{"demo/00:00-18:30/every-step/with-fleet", demoSc, 0, 18*time.Hour + 30*time.Minute, true, true},
		{"100k/00:00-18:30", big, 0, 18*time.Hour + 30*time.Minute, false, false},
		{"100k/00:00-24:00", big, 0, 24 * time.Hour, false, false},
		{"100k/16:00-20:00", big, 16 * time.Hour, 20 * time.Hour, false, false},
	} {
		b.Run(tt.name, func(b *testing.B) {
			var bytes, batches int
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				s, err := New(tt.sc, Options{Start: tt.sc.Start().Add(tt.from), Logger: quiet})
				if err != nil {
					b.Fatal(err)
				}
				state := s.encode(true, true) // as Run does: the state first
				var fleet *feeds.Fleet
				if tt.ingest {
					fleet = feeds.NewFleet(feeds.FleetOptions{Clock: s.Now})
					fleet.HandleFrame(s.Hello())
					deliver(fleet, state)
				}
				target := tt.sc.Start().Add(tt.to)
				b.StartTimer()
				s.mu.Lock()
				var out [][]byte
				if tt.everyStep {
					for s.now.Before(target) && s.now.Before(s.end) {
						out = append(out, s.advance(true)...)
					}
				} else {
					out = s.seekLocked(target) // what Run computes on its copy, off the lock
				}
				s.mu.Unlock()
				if fleet != nil {
					deliver(fleet, out)
				}
				for _, m := range out {
					bytes += len(m)
				}
				batches += len(out)
			}
			b.ReportMetric(float64(bytes)/float64(b.N), "out-B/seek")
			b.ReportMetric(float64(batches)/float64(b.N), "batches/seek")
		})
	}
}

// countSink counts what it is given and keeps nothing.
type countSink struct{ frames, bytes int }

func (c *countSink) HandleFrame(raw []byte)     { c.frames++; c.bytes += len(raw) }
func (c *countSink) HandleLink(feeds.LinkEvent) {}

// BenchmarkSeekStall measures what a desk feels during a forward seek while
// Run runs: a prober calls Now (which takes the simulator's lock, as
// status, setpoints and snapshots do) every millisecond, and the longest
// single call is the stall ("max-stall-ms", the worst over all iterations; the
// seek's own time is ns/op). 100,000 EVs, 00:00 to 18:30.
func BenchmarkSeekStall(b *testing.B) {
	big := bigScenario(b, 100_000)
	target := big.Start().Add(18*time.Hour + 30*time.Minute)
	var worst time.Duration
	for b.Loop() {
		b.StopTimer()
		s, err := New(big, Options{Start: big.Start(), Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		waits := make(chan time.Duration, 4)
		s.onWait = func(d time.Duration) { waits <- d }
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx, &countSink{}) }()
		<-waits // the state at 00:00 is delivered; Run waits on the fake clock
		stop := make(chan struct{})
		probed := make(chan time.Duration, 1)
		go func() {
			// A desk's pace, not a spin: a spinning prober took a core
			// from the seek on this 2-core machine.
			tick := time.NewTicker(time.Millisecond)
			defer tick.Stop()
			var longest time.Duration
			for {
				select {
				case <-stop:
					probed <- longest
					return
				case <-tick.C:
				}
				t0 := time.Now()
				s.Now()
				if d := time.Since(t0); d > longest {
					longest = d
				}
			}
		}()
		b.StartTimer()
		if err := s.Seek(target); err != nil {
			b.Fatal(err)
		}
		<-waits // the seek is delivered
		b.StopTimer()
		close(stop)
		worst = max(worst, <-probed)
		cancel()
		<-done
		b.StartTimer()
	}
	b.ReportMetric(float64(worst)/1e6, "max-stall-ms")
}
