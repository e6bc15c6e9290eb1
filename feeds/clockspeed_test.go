package feeds

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func clockSignal(speed string) []byte {
	return []byte(`{"v":1,"type":"batch","frames":[],"clock":{"speed":` + speed + `}}`)
}

// TestClockSignal: a simulated or replayed feed that says its clock runs
// at 120× has FeedSpeed 120 in its snapshots, and the latest signal wins;
// the speed is forgotten with the connection (the next one's server says
// it again; while the link is down the last one is kept,
// TestClockRunsOnAtTheLastSpeedWhileDown) and when the feed turns live, and
// a live feed's is ignored. The data clock is not touched while the link
// is up: the speed is what the desk shows.
func TestClockSignal(t *testing.T) {
	for _, mode := range []string{"simulation", "replay"} {
		t.Run(mode, func(t *testing.T) {
			fl, _ := newCatchUpFleet(t, mode)
			if s := fl.Snapshot(); s.FeedSpeed != 0 {
				t.Fatalf("FeedSpeed %g before any signal, want 0 (not said)", s.FeedSpeed)
			}
			before := fl.Snapshot().At
			fl.HandleFrame(clockSignal("120"))
			s := fl.Snapshot()
			if s.FeedSpeed != 120 || !s.At.Equal(before) || s.Stats.RejectTotal() != 0 {
				t.Fatalf("after the signal: FeedSpeed %g at %s, rejects %v; want 120 at %s, none", s.FeedSpeed, s.At, s.Stats.Rejects, before)
			}
			fl.HandleFrame(clockSignal("0.5"))
			if s := fl.Snapshot(); s.FeedSpeed != 0.5 {
				t.Errorf("after a change: FeedSpeed %g, want 0.5", s.FeedSpeed)
			}
			fl.HandleLink(LinkEvent{At: time.Now()})
			if s := fl.Snapshot(); s.FeedSpeed != 0.5 || !s.ClockEstimated {
				t.Errorf("after the link went down: FeedSpeed %g, estimated %v; want the last said, 0.5, estimated", s.FeedSpeed, s.ClockEstimated)
			}
			fl.HandleLink(LinkEvent{Up: true, At: time.Now()})
			if s := fl.Snapshot(); s.FeedSpeed != 0 || s.ClockEstimated {
				t.Errorf("after the link came back: FeedSpeed %g, estimated %v; want 0 (the new connection says it again), not estimated", s.FeedSpeed, s.ClockEstimated)
			}
			fl.HandleFrame(clockSignal("60"))
			fl.HandleFrame([]byte(strings.Replace(string(catchUpHello(mode)), `"mode":"`+mode+`"`, `"mode":"live"`, 1)))
			if s := fl.Snapshot(); s.FeedSpeed != 0 {
				t.Errorf("after a live hello: FeedSpeed %g, want 0", s.FeedSpeed)
			}
			fl.HandleFrame(clockSignal("60"))
			if s := fl.Snapshot(); s.FeedSpeed != 0 || s.Stats.RejectTotal() != 0 {
				t.Errorf("a live feed's signal: FeedSpeed %g, rejects %v; want 0, none (ignored, logged)", s.FeedSpeed, s.Stats.Rejects)
			}
		})
	}
}

// TestClockSignalInProcess: a fleet whose source reports in process
// (FleetOptions.CatchingUp: the desk's own simulator or replay, whose speed
// the desk asks it) ignores the signal a recording of a sim feed keeps.
func TestClockSignalInProcess(t *testing.T) {
	fl := NewFleet(FleetOptions{CatchingUp: func() (uint64, bool) { return 0, false }})
	fl.HandleFrame(catchUpHello("replay"))
	fl.HandleFrame(clockSignal("60"))
	if s := fl.Snapshot(); s.FeedSpeed != 0 || s.Stats.RejectTotal() != 0 {
		t.Errorf("in process: FeedSpeed %g, rejects %v; want 0, none", s.FeedSpeed, s.Stats.Rejects)
	}
}

// TestClockSignalMalformed: a clock signal that is not one rejects its
// batch, naming batch clock and the rule.
func TestClockSignalMalformed(t *testing.T) {
	for _, tt := range []struct {
		speed  string
		reason RejectReason
		msg    string
	}{
		{"0", RejectOutOfRange, "batch clock: speed 0 not above 0 and up to 1e+06"},
		{"-60", RejectOutOfRange, "batch clock: speed -60 not above 0"},
		{"1e7", RejectOutOfRange, "batch clock: speed 1e+07 not above 0 and up to 1e+06"},
		{`"60"`, RejectBadJSON, "batch clock: speed: want a number, got a string"},
		{"null", RejectMissingField, "batch clock: speed missing"},
	} {
		fl, _ := newCatchUpFleet(t, "simulation")
		fl.HandleFrame(clockSignal(tt.speed))
		s := fl.Snapshot()
		if s.Stats.Rejects[tt.reason] != 1 || !strings.Contains(s.Stats.LastReject, tt.msg) || s.FeedSpeed != 0 {
			t.Errorf("speed %s: rejects %v, last %q, FeedSpeed %g; want one %s naming %q", tt.speed, s.Stats.Rejects, s.Stats.LastReject, s.FeedSpeed, tt.reason, tt.msg)
		}
	}
}

// TestClockRunsOnAtTheLastSpeedWhileDown: a sim at 120× whose link is lost
// had its data clock run on at 1× (and its speed forgotten): 10 s of
// outage moved it 10 s where the sim moved 20 minutes, so nothing went
// stale and the header still read the old time under "120×". It runs on at
// the last speed said, marked estimated, and the next connection's data
// sets it again (back, when the estimate ran ahead).
func TestClockRunsOnAtTheLastSpeedWhileDown(t *testing.T) {
	fl, wall := newCatchUpFleet(t, "simulation")
	fl.HandleFrame(clockSignal("120"))
	last := time.Date(2024, 1, 17, 16, 5, 0, 0, time.UTC) // the fleet's latest data
	if s := fl.Snapshot(); !s.At.Equal(last) || s.ClockEstimated {
		t.Fatalf("before: at %s, estimated %v; want %s, not estimated", s.At, s.ClockEstimated, last)
	}
	*wall = wall.Add(time.Second) // up: 1× between frames, as before
	if s := fl.Snapshot(); !s.At.Equal(last.Add(time.Second)) {
		t.Errorf("link up, 1 s after the last frame: at %s, want %s", s.At, last.Add(time.Second))
	}
	fl.HandleLink(LinkEvent{At: *wall})
	*wall = wall.Add(9 * time.Second) // 10 s since the last frame
	s := fl.Snapshot()
	if want := last.Add(20 * time.Minute); !s.At.Equal(want) || !s.ClockEstimated || s.FeedSpeed != 120 {
		t.Errorf("10 s after the last frame, the link down: at %s, estimated %v, speed %g; want %s (120×), estimated, 120",
			s.At, s.ClockEstimated, s.FeedSpeed, want)
	}
	if !s.Feeders[0].Stale {
		t.Errorf("F1 not stale 20 simulated minutes after its last data (stale after %s)", DefaultStaleAfter)
	}
	// Back: the sim had been killed and restarted at 16:06, behind the
	// estimate of 16:25; its data sets the clock.
	fl.HandleLink(LinkEvent{Up: true, At: *wall})
	fl.HandleFrame(feederAtHHMM("16:06"))
	s = fl.Snapshot()
	if want := last.Add(time.Minute); !s.At.Equal(want) || s.ClockEstimated || s.FeedSpeed != 0 {
		t.Errorf("back, data at 16:06: at %s, estimated %v, speed %g; want %s, not estimated, 0 until said", s.At, s.ClockEstimated, s.FeedSpeed, want)
	}
}

// TestClockStandsWhileDownAfterAPause: a link that drops while its sim is
// paused (a sim held at midnight and then killed, a presenter's pause and
// then a network cut) leaves the clock's estimate where the pause stood,
// through every failed reconnection, rather than run it on at the last
// speed: at 60× the desk read 00:11 eleven seconds later, its charts
// turned to the next, empty, day, and an hour of slots and event ends
// nobody played would have been counted in a minute. The pause itself ends
// with its link (TestPauseSignalEndsWithItsLink); the next connection's
// data sets the clock again.
func TestClockStandsWhileDownAfterAPause(t *testing.T) {
	fl, wall := newCatchUpFleet(t, "simulation")
	fl.HandleFrame(clockSignal("60"))
	fl.HandleFrame(pauseSignal("2024-01-17T16:05:00Z", false))
	paused := time.Date(2024, 1, 17, 16, 5, 0, 0, time.UTC)
	*wall = wall.Add(10 * time.Second)
	fl.HandleLink(LinkEvent{At: *wall, Err: fmt.Errorf("connection reset")})
	*wall = wall.Add(11 * time.Second)
	s := fl.Snapshot()
	if !s.At.Equal(paused) || !s.ClockEstimated || !s.ClockStands || s.Paused {
		t.Errorf("11 s after the link dropped while paused: at %s, estimated %v, stands %v, paused %v; want %s, estimated, stands, not paused",
			s.At.Format("15:04:05"), s.ClockEstimated, s.ClockStands, s.Paused, paused.Format("15:04:05"))
	}
	if s.Feeders[0].Stale {
		t.Error("F1 stale though the clock stands at its last data")
	}
	// A failed reconnection is another link event: the clock still stands.
	fl.HandleLink(LinkEvent{At: *wall, Err: fmt.Errorf("connection refused")})
	*wall = wall.Add(30 * time.Second)
	if s := fl.Snapshot(); !s.At.Equal(paused) {
		t.Errorf("after a failed reconnection: at %s, want %s", s.At.Format("15:04:05"), paused.Format("15:04:05"))
	}
	// Back, and running: the next connection's data moves the clock.
	fl.HandleLink(LinkEvent{Up: true, At: *wall})
	fl.HandleFrame(feederAtHHMM("16:06"))
	*wall = wall.Add(time.Second)
	if s := fl.Snapshot(); !s.At.Equal(paused.Add(time.Minute+time.Second)) || s.ClockEstimated {
		t.Errorf("back, data at 16:06, 1 s on: at %s, estimated %v; want 16:06:01, not estimated", s.At.Format("15:04:05"), s.ClockEstimated)
	}
	// Down again, not paused this time: the estimate runs on at the
	// speed said on this connection.
	fl.HandleFrame(clockSignal("60"))
	fl.HandleLink(LinkEvent{At: *wall, Err: fmt.Errorf("connection reset")})
	*wall = wall.Add(10 * time.Second)
	if s := fl.Snapshot(); !s.At.Equal(paused.Add(time.Minute+11*time.Minute)) || s.ClockStands {
		t.Errorf("down again, running, 11 s after the last data: at %s, stands %v; want 16:17:00, not standing", s.At.Format("15:04:05"), s.ClockStands)
	}
}
