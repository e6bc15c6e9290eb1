package alarm

import (
	"testing"
	"time"
)

// TestLoadingBeganUnseen: a desk that joined a feed during an overload
// dated the overload from its join, as if it had seen it begin. An
// overload in the first reading the engine judged, or the first after a
// gap in the feeder's data, began unseen (at or before First); one that
// follows a reading under the thresholds was seen to begin.
func TestLoadingBeganUnseen(t *testing.T) {
	type step struct {
		sec   int
		pct   float64
		stale bool
		ack   bool // acknowledged after this reading
	}
	tests := []struct {
		name   string
		steps  []step
		unseen bool
	}{
		{"over at the first reading (a desk joining mid-overload)", []step{{0, 118, false, false}, {30, 118, false, false}}, true},
		{"under, then over: seen to begin", []step{{0, 80, false, false}, {10, 118, false, false}, {40, 118, false, false}}, false},
		{"under, a gap, then over: began in the gap", []step{
			{0, 80, false, false}, {10, 80, true, false}, {20, 118, false, false}, {50, 118, false, false}}, true},
		// Returned unacknowledged, the alarm keeps its first time, and
		// says of it what it did; acknowledged, it left the list, and the
		// next overload is a new alarm, seen to begin.
		{"over unseen, acknowledged, under, over again", []step{
			{0, 118, false, false}, {30, 118, false, true}, {40, 80, false, false}, {50, 118, false, false}, {80, 118, false, false}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewEngine(Options{Clock: func() time.Time { return t0 }})
			for i, s := range tt.steps {
				snap := feederSnap(uint64(i+1), t0.Add(time.Duration(s.sec)*time.Second), s.pct)
				snap.Feeders[0].Stale = s.stale
				e.Observe(snap)
				if s.ack {
					if err := e.Ack("loading/F07", "ana"); err != nil {
						t.Fatal(err)
					}
				}
			}
			a, ok := e.Board().Find("loading/F07")
			if !ok || !a.Active {
				t.Fatalf("no active loading alarm: %+v", a)
			}
			if a.BeganUnseen != tt.unseen {
				t.Errorf("BeganUnseen = %v, want %v (first %s)", a.BeganUnseen, tt.unseen, a.First.Format("15:04:05"))
			}
		})
	}
}
