package main

import (
	"time"

	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// A simulator alone only goes forward (Sim.Seek): the past depends on the
// setpoints obeyed. `v2gdesk sim`'s presenter goes back with Restart, the
// day started over, and the desks on its feed reset. A presenter at the
// in-process demo desk pauses, jumps to 19:00 for the evening peak and
// goes back to show it again: its :seek was refused ("the simulator cannot
// seek backwards") and the day's end left nothing but a restart of the
// program. restartingSim gives that desk the same way back, through the
// same Restart, so the desk lives through it as a feed desk does.

// restartingSim is the in-process simulator as the dashboard's clock
// control: every control of the Sim, except that a seek to before where
// the simulation is going starts its day over there (Sim.Restart) instead
// of being refused.
type restartingSim struct{ *sim.Sim }

// Seek seeks forward (Sim.Seek), or restarts the day at t when t is
// before where the simulation is going (Sim.Heading: a seek asked for and
// not yet delivered counts as done, as `v2gdesk sim`'s seek does).
func (r restartingSim) Seek(t time.Time) error {
	if t.Before(r.Heading()) {
		return r.Restart(t)
	}
	return r.Sim.Seek(t)
}

// CheckSeek returns the error Seek(t) would return now: only a target
// outside the simulated day is refused.
func (r restartingSim) CheckSeek(t time.Time) error {
	if t.Before(r.Heading()) {
		return r.CheckRestart(t)
	}
	return r.Sim.CheckSeek(t)
}

// HoldsAtEnd reports that the day's end is not the simulator's (the
// dashboard's tui.EndHolder): held there, it still starts the day over at
// a :seek back, where the desk otherwise refuses every clock action once
// the source has ended.
func (restartingSim) HoldsAtEnd() bool { return true }
