package feeds

import (
	"fmt"
	"testing"
	"time"
)

// conflateDay is when the conflation tests' feed stands before the set.
var conflateDay = time.Date(2024, 1, 17, 17, 0, 0, 0, time.UTC)

func conflateHello(mode string) []byte {
	return []byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T17:00:00Z","mode":"` + mode + `",
		"feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[{"id":"C1","feeder":"F1","max_charge_kw":11},
		{"id":"C2","feeder":"F1","max_charge_kw":11},{"id":"C3","feeder":"F1","max_charge_kw":11}]}`)
}

func conflatedSignal(set int, to string, replaced int, done bool) []byte {
	d := ""
	if done {
		d = `,"done":true`
	}
	return fmt.Appendf(nil, `{"v":1,"type":"batch","frames":[],"conflated":{"set":%d,"to":%q,"replaced":%d%s}}`, set, to, replaced, d)
}

func chargerAt(id, hhmm string) []byte {
	return []byte(`{"v":1,"type":"batch","frames":[{"v":1,"type":"charger","id":"` + id + `","ts":"2024-01-17T` + hhmm +
		`:00Z","state":"charging","kw":7,"plugged":true}]}`)
}

// newConflateFleet returns a --feed desk's fleet that has heard the hello
// in mode and every charger at 17:00.
func newConflateFleet(t *testing.T, mode string) *Fleet {
	t.Helper()
	wall := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	fl := NewFleet(FleetOptions{Wall: func() time.Time { return wall }})
	fl.HandleLink(LinkEvent{Up: true, At: wall})
	fl.HandleFrame(conflateHello(mode))
	for _, id := range []string{"C1", "C2", "C3"} {
		fl.HandleFrame(chargerAt(id, "17:00"))
	}
	if s := fl.Snapshot(); s.Stats.RejectTotal() != 0 || s.StaleChargers != 0 {
		t.Fatalf("before the set: rejects %v (%s), %d stale", s.Stats.Rejects, s.Stats.LastReject, s.StaleChargers)
	}
	return fl
}

// TestConflatedSetHoldsTheClock: a set arrives in charger order, its
// newest frames first for some; while it arrives the data clock keeps the
// time before it, so the chargers whose frames are still to come are not
// judged silent, and at its end it moves to the set's newest. Without the
// signal the first frame moved the clock ten minutes on and the others
// were stale until their frames came: at 100,000 EVs and 600x, about
// 96,000 stale alarms for a set (docs/benchmarks.md).
func TestConflatedSetHoldsTheClock(t *testing.T) {
	for _, signalled := range []bool{true, false} {
		t.Run(fmt.Sprintf("signalled=%v", signalled), func(t *testing.T) {
			fl := newConflateFleet(t, "simulation")
			if signalled {
				fl.HandleFrame(conflatedSignal(1, "2024-01-17T17:10:00Z", 40, false))
			}
			fl.HandleFrame(chargerAt("C1", "17:10"))
			s := fl.Snapshot()
			if signalled && (s.StaleChargers != 0 || !s.At.Equal(conflateDay)) {
				t.Errorf("mid-set: %d stale chargers at %s, want none at 17:00 (the clock held)", s.StaleChargers, s.At.Format("15:04"))
			}
			if !signalled && s.StaleChargers != 2 {
				t.Errorf("mid-set without the signal: %d stale chargers, want the 2 still to come (what the signal prevents)", s.StaleChargers)
			}
			fl.HandleFrame(chargerAt("C2", "17:08"))
			fl.HandleFrame(chargerAt("C3", "17:09"))
			if signalled {
				fl.HandleFrame(conflatedSignal(1, "2024-01-17T17:10:00Z", 40, true))
			}
			s = fl.Snapshot()
			if want := conflateDay.Add(10 * time.Minute); !s.At.Equal(want) || s.StaleChargers != 0 {
				t.Errorf("after the set: %d stale chargers at %s, want none at 17:10", s.StaleChargers, s.At.Format("15:04"))
			}
			wantSets, wantFrames := uint64(0), uint64(0)
			if signalled {
				wantSets, wantFrames = 1, 40
			}
			if st := s.Stats; st.Conflations != wantSets || st.ConflatedFrames != wantFrames || st.BadConflations != 0 || st.RejectTotal() != 0 {
				t.Errorf("stats: %d sets, %d frames left out, %d bad, %d rejects; want %d, %d, 0, 0",
					st.Conflations, st.ConflatedFrames, st.BadConflations, st.RejectTotal(), wantSets, wantFrames)
			}
		})
	}
}

// TestConflatedSignalsThatDoNotFit: signals out of order or ending no set
// are ignored and counted, a frame past the set's newest ends it (its end
// was lost), a new connection numbers its sets anew, and a live feed's
// sets are counted but hold nothing (its clock is the wall's).
func TestConflatedSignalsThatDoNotFit(t *testing.T) {
	fl := newConflateFleet(t, "simulation")
	fl.HandleFrame(conflatedSignal(1, "2024-01-17T17:10:00Z", 0, true)) // an end, none arriving
	fl.HandleFrame(conflatedSignal(2, "2024-01-17T17:10:00Z", 5, false))
	fl.HandleFrame(conflatedSignal(2, "2024-01-17T17:20:00Z", 5, false)) // out of order
	fl.HandleFrame(chargerAt("C1", "17:12"))                             // past set 2's newest: ends it
	s := fl.Snapshot()
	if !s.At.Equal(conflateDay.Add(12*time.Minute)) || s.Stats.BadConflations != 3 || s.Stats.Conflations != 1 || s.Stats.ConflatedFrames != 5 {
		t.Errorf("at %s, %d bad, %d sets, %d frames; want 17:12, 3 bad, 1 set, 5 frames",
			s.At.Format("15:04"), s.Stats.BadConflations, s.Stats.Conflations, s.Stats.ConflatedFrames)
	}
	fl.HandleLink(LinkEvent{Err: fmt.Errorf("lost")})
	fl.HandleLink(LinkEvent{Up: true})
	fl.HandleFrame(conflatedSignal(1, "2024-01-17T17:20:00Z", 0, false)) // the new connection's first
	fl.HandleFrame(chargerAt("C1", "17:20"))
	if s := fl.Snapshot(); s.Stats.Conflations != 2 || s.Stats.BadConflations != 3 || !s.At.Equal(conflateDay.Add(12*time.Minute)) {
		t.Errorf("new connection: %d sets, %d bad, at %s; want 2, 3 and the clock held at 17:12", s.Stats.Conflations, s.Stats.BadConflations, s.At.Format("15:04"))
	}

	live := newConflateFleet(t, "live")
	live.HandleFrame(conflatedSignal(1, "2024-01-17T17:10:00Z", 3, false))
	live.HandleFrame(chargerAt("C1", "17:10"))
	live.HandleFrame(conflatedSignal(1, "2024-01-17T17:10:00Z", 3, true))
	if s := live.Snapshot(); s.Stats.Conflations != 1 || s.Stats.ConflatedFrames != 3 || s.Stats.BadConflations != 0 {
		t.Errorf("live feed: %d sets, %d frames, %d bad; want 1, 3, 0", s.Stats.Conflations, s.Stats.ConflatedFrames, s.Stats.BadConflations)
	}
}

// TestConflatedSignalDecoded: the signal's fields are checked as the
// other signals' are, naming "batch conflated".
func TestConflatedSignalDecoded(t *testing.T) {
	for _, tc := range []struct{ msg, reject string }{
		{`{"v":1,"type":"batch","frames":[],"conflated":{"to":"2024-01-17T17:10:00Z"}}`, "missing_field: batch conflated: set missing"},
		{`{"v":1,"type":"batch","frames":[],"conflated":{"set":0,"to":"2024-01-17T17:10:00Z"}}`, "out_of_range: batch conflated: set 0 below 1"},
		{`{"v":1,"type":"batch","frames":[],"conflated":{"set":1,"to":"soon"}}`, "bad_time: batch conflated: to"},
		{`{"v":1,"type":"batch","frames":[],"conflated":{"set":1,"to":"2024-01-17T17:10:00Z","replaced":-1}}`, "out_of_range: batch conflated: replaced -1 below 0"},
		{`{"v":1,"type":"batch","frames":[],"conflated":{"set":1,"to":"2024-01-17T17:10:00Z","done":"yes"}}`, "bad_json: batch conflated: done"},
	} {
		_, err := Decode([]byte(tc.msg))
		if err == nil || len(err.Error()) < len(tc.reject) || err.Error()[:len(tc.reject)] != tc.reject {
			t.Errorf("%s: %v, want %s…", tc.msg, err, tc.reject)
		}
	}
	fr, err := Decode(conflatedSignal(3, "2024-01-17T17:10:00+08:00", 12, true))
	if b, ok := fr.(*Batch); err != nil || !ok || b.Conflated == nil || *b.Conflated != (ConflatedSignal{Set: 3, To: b.Conflated.To, Replaced: 12, Done: true}) ||
		!b.Conflated.To.Equal(time.Date(2024, 1, 17, 9, 10, 0, 0, time.UTC)) {
		t.Errorf("decoded %+v, %v", fr, err)
	}
	if err := Validate(&Batch{Header: NewHeader(TypeBatch), Frames: nil, Conflated: &ConflatedSignal{Set: 0, To: conflateDay}}); err == nil {
		t.Error("a Go-built batch with conflated set 0 passed validation")
	}
}
