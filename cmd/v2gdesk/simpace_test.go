package main

import (
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// pacedControl is a simControl as far as the status line reads it: a
// running sim at 600x with the given pace.
type pacedControl struct {
	simControl
	pace sim.Pace
}

func (p pacedControl) Speed() float64 { return 600 }
func (p pacedControl) Paused() bool   { return false }
func (p pacedControl) AtEnd() bool    { return false }
func (p pacedControl) Pace() sim.Pace { return p.pace }

// TestStatusSaysBehind: the status a presenter asks for says when the sim
// does not keep its speed, with the speed reached, the step's cost against
// its budget and the time slipped; keeping pace, it reads as before.
func TestStatusSaysBehind(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	at := time.Date(2024, 1, 17, 19, 0, 0, 0, loc)
	for _, tc := range []struct {
		name string
		pace sim.Pace
		want string
	}{
		{"kept", sim.Pace{Speed: 600, Achieved: 601, StepCost: 40 * time.Millisecond, Budget: 100 * time.Millisecond},
			"at 2024-01-17 19:00 CST, 600x, running, 1 client connected"},
		{"no window yet", sim.Pace{Speed: 600}, "at 2024-01-17 19:00 CST, 600x, running, 1 client connected"},
		{"behind", sim.Pace{Speed: 600, Achieved: 412.4, Behind: true, StepCost: 146 * time.Millisecond, Budget: 100 * time.Millisecond,
			Slipped: 41*time.Minute + 10*time.Second, BehindWindows: 3},
			"at 2024-01-17 19:00 CST, 600x but behind: 412x over the last 10s (a step takes 146ms of its 100ms), 41m of simulated time slipped so far, running, 1 client connected"},
		{"behind, seconds slipped", sim.Pace{Speed: 600, Achieved: 550, Behind: true, StepCost: 109 * time.Millisecond, Budget: 100 * time.Millisecond,
			Slipped: 42 * time.Second, BehindWindows: 1},
			"at 2024-01-17 19:00 CST, 600x but behind: 550x over the last 10s (a step takes 109ms of its 100ms), 42s of simulated time slipped so far, running, 1 client connected"},
	} {
		c := &simConsole{sim: pacedControl{pace: tc.pace}, clients: func() int { return 1 }, day: at, loc: loc}
		if got := c.state(at); got != tc.want {
			t.Errorf("%s: status\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

// TestPaceSummary: the sim's last line says whether it kept its speed.
func TestPaceSummary(t *testing.T) {
	for _, tc := range []struct {
		pace sim.Pace
		want string
	}{
		{sim.Pace{Speed: 600, Achieved: 601}, "kept its speed"},
		{sim.Pace{Speed: 600, BehindWindows: 1, Slipped: 30 * time.Second}, "fell behind its speed in 1 window of 10s, 30s of simulated time slipped"},
		{sim.Pace{Speed: 600, BehindWindows: 12, Slipped: 3*time.Hour + 5*time.Minute}, "fell behind its speed in 12 windows of 10s, 3h05m of simulated time slipped"},
		// Slipped once in a window that still reached 95%: said too.
		{sim.Pace{Speed: 600, Slipped: 10 * time.Minute}, "kept its speed over each 10s but slipped 10m of simulated time in all (steps over a second late)"},
	} {
		if got := paceSummary(tc.pace); got != tc.want {
			t.Errorf("paceSummary(%+v) = %q, want %q", tc.pace, got, tc.want)
		}
	}
}

// TestStatusSaysWhatWasConflated: the sim's status says how many clients
// are behind now and what was conflated for slow clients, once anything
// was (docs/replay.md); before that it says nothing of it.
func TestStatusSaysWhatWasConflated(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	at := time.Date(2024, 1, 17, 19, 0, 0, 0, loc)
	for _, tc := range []struct {
		st   sim.ServerStats
		want string
	}{
		{sim.ServerStats{Clients: 2}, "at 2024-01-17 19:00 CST, 600x, running, 2 clients connected"},
		{sim.ServerStats{Clients: 2, Behind: 1, Sets: 54, Conflated: 4557599},
			"at 2024-01-17 19:00 CST, 600x, running, 2 clients (1 behind now; 54 conflated sets for slow clients (4,557,599 frames left out for newer ones)) connected"},
		{sim.ServerStats{Clients: 1, Sets: 1, Conflated: 12},
			"at 2024-01-17 19:00 CST, 600x, running, 1 client (0 behind now; 1 conflated set for slow clients (12 frames left out for newer ones)) connected"},
	} {
		c := &simConsole{sim: pacedControl{pace: sim.Pace{Speed: 600}}, clients: func() int { return tc.st.Clients },
			served: func() sim.ServerStats { return tc.st }, day: at, loc: loc}
		if got := c.state(at); got != tc.want {
			t.Errorf("status\n%s\nwant\n%s", got, tc.want)
		}
	}
}
