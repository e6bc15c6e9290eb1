package feeds

import (
	"testing"
	"time"
)

// TestResetToIsWhereTheResetWent: a seek back resets the fleet, and a desk
// stepping on snapshots first saw the new pass minutes of data later (at
// 1800x, 00:06 after a seek to 00:00), which it then named as the seek's
// target. ResetTo is the data time of the first message after the reset,
// by a link reset (a replay's seek) or a simulator's hello from earlier
// (its restart), and it stays while the clock runs on.
func TestResetToIsWhereTheResetWent(t *testing.T) {
	hello := func(ts string) []byte {
		return []byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"` + ts + `","mode":"simulation",
			"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[]}`)
	}
	feeder := func(ts string) []byte {
		return []byte(`{"v":1,"type":"feeder","id":"F1","ts":"` + ts + `","kw":50}`)
	}
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, tc := range []struct {
		name  string
		reset func(fl *Fleet)
	}{
		{"link reset", func(fl *Fleet) {
			fl.HandleLink(LinkEvent{Up: true, Reset: true})
			fl.HandleFrame(feeder("2024-01-17T00:00:00Z"))
		}},
		{"hello from earlier", func(fl *Fleet) { fl.HandleFrame(hello("2024-01-17T00:00:00Z")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fl := NewFleet(FleetOptions{})
			fl.HandleFrame(hello("2024-01-17T23:50:00Z"))
			fl.HandleFrame(feeder("2024-01-17T23:59:00Z"))
			if s := fl.Snapshot().Stats; s.Resets != 0 || !s.ResetTo.IsZero() {
				t.Fatalf("before any reset: %d resets, ResetTo %v", s.Resets, s.ResetTo)
			}
			tc.reset(fl)
			for _, ts := range []string{"2024-01-17T00:01:00Z", "2024-01-17T00:06:00Z"} {
				fl.HandleFrame(feeder(ts))
			}
			s := fl.Snapshot()
			if s.Stats.RejectTotal() != 0 {
				t.Fatalf("rejects: %v (%s)", s.Stats.Rejects, s.Stats.LastReject)
			}
			if s.Stats.Resets != 1 || !s.Stats.ResetTo.Equal(at("2024-01-17T00:00:00Z")) {
				t.Errorf("%d resets, ResetTo %v; want 1, 00:00 (the data clock is at %v)", s.Stats.Resets, s.Stats.ResetTo, s.At)
			}
		})
	}
}
