package feeds

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

func feederAt(id string, ts time.Time, kw float64) []byte {
	return []byte(fmt.Sprintf(`{"v":1,"type":"feeder","id":%q,"ts":%q,"kw":%g}`, id, ts.Format(time.RFC3339Nano), kw))
}

func TestHistoryMeansAndSystemRule(t *testing.T) {
	fl, clk := newTestFleet(t, FleetOptions{})
	fl.HandleFrame([]byte(helloJSON))
	m0 := t0.Truncate(time.Minute) // 10:00:00Z
	// minute 0: F1 100 and 200 (mean 150), F2 40; minute 1: F1 only, 300;
	// minute 2: nobody; minute 3: F2 only, 10
	for _, f := range []struct {
		id string
		at time.Duration
		kw float64
	}{{"F1", 5 * time.Second, 100}, {"F1", 35 * time.Second, 200}, {"F2", 10 * time.Second, 40},
		{"F1", 70 * time.Second, 300}, {"F2", 3*time.Minute + 59*time.Second, 10}} {
		fl.HandleFrame(feederAt(f.id, m0.Add(f.at), f.kw))
	}
	clk.Advance(4 * time.Minute) // now 10:04:05: the views end with minute 10:04
	s := fl.Snapshot()
	f1, _ := s.Feeder("F1")
	f2, _ := s.Feeder("F2")
	sys := s.SystemHistory()
	if f1.History.Len() != HistoryMinutes || sys.Len() != HistoryMinutes {
		t.Fatalf("lengths %d %d, want %d", f1.History.Len(), sys.Len(), HistoryMinutes)
	}
	wantStart := m0.Add(4*time.Minute - (HistoryMinutes-1)*time.Minute)
	if !f1.History.Start().Equal(wantStart) || !sys.Start().Equal(wantStart) {
		t.Errorf("start %v, want %v", f1.History.Start(), wantStart)
	}
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		h    History
		want []float64 // minutes 10:00 .. 10:04
	}{
		{"F1", f1.History, []float64{150, 300, nan, nan, nan}},
		{"F2", f2.History, []float64{40, nan, nan, 10, nan}},
		{"system", sys, []float64{190, 300, nan, 10, nan}},
	} {
		got := tc.h.Range(m0, m0.Add(5*time.Minute))
		for i := range tc.want {
			if !(got[i] == tc.want[i] || math.IsNaN(got[i]) && math.IsNaN(tc.want[i])) {
				t.Errorf("%s minute %d = %v, want %v (all %v)", tc.name, i, got[i], tc.want[i], got)
			}
		}
	}
	if x := f1.History.At(-1); !math.IsNaN(x) {
		t.Errorf("At(-1) = %v, want NaN", x)
	}
}

func TestHistoryRingForgetsAfter48h(t *testing.T) {
	r := newMinuteRing()
	m0 := t0.Truncate(time.Minute)
	r.add(m0, 1)
	r.add(m0.Add(HistoryMinutes*time.Minute), 2) // same slot, one lap later
	r.add(m0.Add(time.Minute), 5)                // still inside the window: kept
	r.add(m0, 9)                                 // older than the window now: dropped
	v := r.view(unixMinute(m0.Add(HistoryMinutes*time.Minute)), nil)
	if got := v.At(HistoryMinutes - 1); got != 2 {
		t.Errorf("newest minute = %v, want 2", got)
	}
	if got := v.At(0); got != 5 {
		t.Errorf("oldest minute = %v, want 5", got)
	}
	if got := v.Range(m0, m0.Add(time.Minute)); !math.IsNaN(got[0]) {
		t.Errorf("minute a lap ago = %v, want NaN", got[0])
	}
}

// TestSnapshotsImmutableUnderIngest reads snapshots, every charger and every
// history while frames keep arriving; with -race it proves no reader ever
// sees a buffer being written.
func TestSnapshotsImmutableUnderIngest(t *testing.T) {
	clk := &fakeClock{t: t0}
	fl := NewFleet(FleetOptions{Clock: clk.Now})
	h := benchHello(2000)
	if err := fl.Apply(h); err != nil {
		t.Fatal(err)
	}
	first := fl.Snapshot()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			ts := t0.Add(time.Duration(i) * time.Second)
			fl.HandleFrame(benchChargerFrame(i%2000, ts))
			fl.HandleFrame(feederAt(h.Feeders[i%len(h.Feeders)].ID, ts, float64(i)))
			if i%500 == 0 {
				clk.Advance(time.Minute)
			}
		}
	}()
	for range 30 {
		s := fl.Snapshot()
		var sum float64
		for i := range s.NumChargers() {
			c := s.ChargerAt(i)
			if c.Seen && c.Last.SoC != nil {
				sum += *c.Last.SoC
			}
		}
		for _, f := range s.Feeders {
			for i := range f.History.Len() {
				sum += f.History.At(i)
			}
		}
		sys := s.SystemHistory()
		for i := range sys.Len() {
			sum += sys.At(i)
		}
		_ = sum
	}
	close(stop)
	wg.Wait()
	if first.Unknown != 2000 || first.NumChargers() != 2000 {
		t.Errorf("first snapshot changed: unknown %d", first.Unknown)
	}
	if c := first.ChargerAt(0); c.Seen {
		t.Error("first snapshot's charger 0 became seen")
	}
}

func TestFeedRates(t *testing.T) {
	wall := &fakeClock{t: time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)}
	fl := NewFleet(FleetOptions{Clock: wall.Now, Wall: wall.Now})
	fl.HandleFrame([]byte(helloJSON))
	for range 10 { // 10 frames per second for 10 s
		for range 10 {
			fl.HandleFrame([]byte(feederJSON))
		}
		wall.Advance(time.Second)
	}
	st := fl.Snapshot().Stats
	// now is exactly on a second: the window is the 4 whole seconds before
	// it (40 frames) plus 0 s of the current one
	if math.Abs(st.FramesPerSec-10) > 1e-9 {
		t.Errorf("frames/s = %v, want 10", st.FramesPerSec)
	}
	if want := 10 * float64(len(feederJSON)); math.Abs(st.BytesPerSec-want) > 1e-6 {
		t.Errorf("bytes/s = %v, want %v", st.BytesPerSec, want)
	}
	if st.Frames != 101 || !st.LastFrame.Equal(wall.Now().Add(-time.Second)) {
		t.Errorf("frames %d last %v", st.Frames, st.LastFrame)
	}
}

func TestUnknownTimeZoneFallsBackToUTC(t *testing.T) {
	fl, _ := newTestFleet(t, FleetOptions{})
	fl.HandleFrame([]byte(with(helloJSON, "tz", `"Mars/Olympus_Mons"`)))
	if s := fl.Snapshot(); !s.HaveTopology || s.Location != time.UTC {
		t.Errorf("topology %v location %v", s.HaveTopology, s.Location)
	}
}

// TestIncrementalViewMatchesFull writes samples at random minutes around a
// moving end and checks each view, which shares unchanged blocks with the
// previous one, equals a view built afresh; earlier views must not change.
func TestIncrementalViewMatchesFull(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	inc := newMinuteRing()
	end := unixMinute(t0)
	type kept struct {
		h    History
		vals []float64
	}
	var old []kept
	values := func(h History) []float64 {
		v := make([]float64, h.Len())
		for i := range v {
			v[i] = h.At(i)
		}
		return v
	}
	for step := range 300 {
		for range rng.IntN(5) {
			m := end - int64(rng.IntN(200)) + 2
			inc.add(time.Unix(m*60+int64(rng.IntN(60)), 0), rng.Float64()*100)
		}
		end += int64(rng.IntN(3))
		if step%50 == 49 {
			end += HistoryMinutes / 2 // a long jump
		}
		got := inc.view(end, nil)
		first, _, _ := historyWindow(end)
		for i := range HistoryMinutes {
			want := inc.mean(first + int64(i))
			if x := got.At(i); !(x == want || math.IsNaN(x) && math.IsNaN(want)) {
				t.Fatalf("step %d minute %d: view %v, ring %v", step, i, x, want)
			}
		}
		old = append(old, kept{got, values(got)})
	}
	for i, k := range old {
		for j, v := range values(k.h) {
			if !(v == k.vals[j] || math.IsNaN(v) && math.IsNaN(k.vals[j])) {
				t.Fatalf("view %d changed at minute %d: %v -> %v", i, j, k.vals[j], v)
			}
		}
	}
}
