package feeds

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func pauseSignal(at string, resumed bool) []byte {
	r := ""
	if resumed {
		r = `,"resumed":true`
	}
	return fmt.Appendf(nil, `{"v":1,"type":"batch","frames":[],"pause":{"at":%q%s}}`, at, r)
}

// TestPauseSignalOnASimulatedFeed: a server that says it paused at 16:05
// stops the desk's data clock there however long the pause lasts by the
// wall clock, and nothing goes stale; its resume starts the clock again
// from 16:05, not from where the wall time spent paused would have put it.
func TestPauseSignalOnASimulatedFeed(t *testing.T) {
	for _, mode := range []string{"simulation", "replay"} {
		t.Run(mode, func(t *testing.T) {
			fl, wall := newCatchUpFleet(t, mode)
			fl.HandleFrame(pauseSignal("2024-01-17T16:05:00Z", false))
			*wall = wall.Add(20 * time.Minute) // longer than DefaultStaleAfter
			s := fl.Snapshot()
			if !s.Paused || !s.At.Equal(catchUpDay) {
				t.Fatalf("20 min into the pause: Paused %v at %s; want true at 16:05", s.Paused, s.At.Format("15:04:05"))
			}
			if s.StaleChargers != 0 || s.Feeders[0].Stale {
				t.Errorf("paused: %d stale chargers, feeder stale %v; want none", s.StaleChargers, s.Feeders[0].Stale)
			}
			fl.HandleFrame(pauseSignal("2024-01-17T16:05:00Z", true))
			*wall = wall.Add(30 * time.Second)
			s = fl.Snapshot()
			if s.Paused || !s.At.Equal(catchUpDay.Add(30*time.Second)) {
				t.Errorf("30 s after the resume: Paused %v at %s; want false at 16:05:30", s.Paused, s.At.Format("15:04:05"))
			}
			if s.Stats.BadPauses != 0 || s.Stats.RejectTotal() != 0 {
				t.Errorf("bad pause signals %d, rejects %v; want none", s.Stats.BadPauses, s.Stats.Rejects)
			}
		})
	}
}

// TestPauseSignalWithASeek: a seek made while paused is delivered, then
// paused again at its target: the clock stands at the target.
func TestPauseSignalWithASeek(t *testing.T) {
	fl, wall := newCatchUpFleet(t, "simulation")
	fl.HandleFrame(pauseSignal("2024-01-17T16:05:00Z", false))
	fl.HandleFrame(catchUpSignal(1, "2024-01-17T19:00:00Z", false))
	fl.HandleFrame(feederAtHHMM("19:00"))
	fl.HandleFrame(catchUpSignal(1, "2024-01-17T19:00:00Z", true))
	fl.HandleFrame(pauseSignal("2024-01-17T19:00:00Z", false))
	*wall = wall.Add(time.Hour)
	if s := fl.Snapshot(); !s.Paused || !s.At.Equal(catchUpDay.Add(175*time.Minute)) || s.Stats.BadPauses != 0 {
		t.Errorf("an hour after a seek while paused: Paused %v at %s, %d bad; want true at 19:00, none", s.Paused, s.At.Format("15:04"), s.Stats.BadPauses)
	}
}

// TestPauseSignalNeverOnALiveFeed: a live feed runs on the wall clock: its
// pause signals are counted and ignored, and its silence stays a silence.
func TestPauseSignalNeverOnALiveFeed(t *testing.T) {
	for _, mode := range []string{"live", ""} {
		t.Run("mode="+mode, func(t *testing.T) {
			fl, wall := newCatchUpFleet(t, mode)
			fl.HandleFrame(pauseSignal("2024-01-17T16:05:00Z", false))
			*wall = wall.Add(time.Minute)
			s := fl.Snapshot()
			if s.Paused || s.Stats.BadPauses != 1 || !s.At.Equal(*wall) || s.Stats.RejectTotal() != 0 {
				t.Errorf("live feed after a pause: Paused %v, bad %d, at %s, rejects %v; want false, 1, the wall's %s, none",
					s.Paused, s.Stats.BadPauses, s.At.Format(time.RFC3339), s.Stats.Rejects, wall.Format(time.RFC3339))
			}
			fl.HandleFrame(pauseSignal("2024-01-17T16:05:00Z", true))
			if s := fl.Snapshot(); s.Stats.BadPauses != 2 {
				t.Errorf("live feed after a resume: bad %d, want 2", s.Stats.BadPauses)
			}
		})
	}
	// A feed that turns live while paused is paused no more.
	fl, _ := newCatchUpFleet(t, "simulation")
	fl.HandleFrame(pauseSignal("2024-01-17T16:05:00Z", false))
	fl.HandleFrame(catchUpHello("live"))
	if s := fl.Snapshot(); s.Paused {
		t.Error("a feed whose new hello says live still paused")
	}
}

// TestPauseSignalEndsWithItsLink: a pause does not outlive its connection
// (the next one learns the server's pause on subscribing), nor a reset.
func TestPauseSignalEndsWithItsLink(t *testing.T) {
	fl, wall := newCatchUpFleet(t, "simulation")
	fl.HandleFrame(pauseSignal("2024-01-17T16:05:00Z", false))
	fl.HandleLink(LinkEvent{At: *wall, Err: fmt.Errorf("connection reset")})
	if s := fl.Snapshot(); s.Paused {
		t.Error("paused after the link went down")
	}
	fl.HandleLink(LinkEvent{Up: true, At: *wall})
	fl.HandleFrame(pauseSignal("2024-01-17T16:05:00Z", false))
	fl.HandleLink(LinkEvent{Up: true, Reset: true, At: *wall})
	if s := fl.Snapshot(); s.Paused {
		t.Error("paused after a reset")
	}
}

// TestPauseSignalIgnoredInProcess: a fleet whose source is in process
// (FleetOptions.CatchingUp) is paused by the desk's own control; a
// recording's copy of a server's pause is neither followed nor counted.
func TestPauseSignalIgnoredInProcess(t *testing.T) {
	wall := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	fl := NewFleet(FleetOptions{Wall: func() time.Time { return wall }, CatchingUp: func() (uint64, bool) { return 0, false }})
	fl.HandleFrame(catchUpHello("replay"))
	fl.HandleFrame(feederAtHHMM("16:05"))
	fl.HandleFrame(pauseSignal("2024-01-17T16:05:00Z", false))
	if s := fl.Snapshot(); s.Paused || s.Stats.BadPauses != 0 {
		t.Errorf("Paused %v, bad %d; want false, none counted", s.Paused, s.Stats.BadPauses)
	}
}

// TestPauseSignalDecode: the signal's fields are checked as any frame's; a
// batch with a malformed one is rejected naming the field.
func TestPauseSignalDecode(t *testing.T) {
	fr, err := Decode(pauseSignal("2024-01-17T19:00:00+08:00", true))
	if err != nil {
		t.Fatal(err)
	}
	b := fr.(*Batch)
	if b.Pause == nil || !b.Pause.Resumed || !b.Pause.At.Equal(time.Date(2024, 1, 17, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("decoded %+v", b.Pause)
	}
	back, err := Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := Decode(back); err != nil || *again.(*Batch).Pause != *b.Pause {
		t.Errorf("round trip %s: %v", back, err)
	}
	for _, tc := range []struct {
		pause  string
		reason RejectReason
		detail string
	}{
		{`true`, RejectBadJSON, "pause: want an object"},
		{`{}`, RejectBadTime, "at missing"},
		{`{"at":"19:00"}`, RejectBadTime, `at "19:00"`},
		{`{"at":"2024-01-17T19:00:00Z","resumed":1}`, RejectBadJSON, "resumed: want true or false"},
	} {
		raw := `{"v":1,"type":"batch","frames":[],"pause":` + tc.pause + `}`
		_, err := Decode([]byte(raw))
		if r, _ := ReasonOf(err); r != tc.reason || !strings.Contains(err.Error(), tc.detail) {
			t.Errorf("%s: %v, want %s naming %q", raw, err, tc.reason, tc.detail)
		}
	}
	if err := validateFrame(&Batch{Header: NewHeader(TypeBatch), Pause: &PauseSignal{}}); err == nil {
		t.Error("a Go batch with a pause at the zero time validates")
	}
}

// TestUnknownBatchFieldTolerated: how a desk that predates a batch's
// optional signal (pause, catch_up) takes it: as an unknown field, ignored,
// the batch's frames applied and nothing counted as rejected.
func TestUnknownBatchFieldTolerated(t *testing.T) {
	fl, _ := newCatchUpFleet(t, "simulation")
	fl.HandleFrame([]byte(`{"v":1,"type":"batch","pause_v9":{"at":"2024-01-17T16:06:00Z","why":[1,{"x":null}]},` +
		`"frames":[{"v":1,"type":"feeder","id":"F1","ts":"2024-01-17T16:06:00Z","kw":60}]}`))
	s := fl.Snapshot()
	if s.Stats.RejectTotal() != 0 || s.Paused || s.Feeders[0].KW != 60 {
		t.Errorf("rejects %v (%s), Paused %v, F1 %v kW; want none, false, 60", s.Stats.Rejects, s.Stats.LastReject, s.Paused, s.Feeders[0].KW)
	}
}
