package feeds

import (
	"math"
	"time"
)

// A simulated or replayed feed served over the protocol says how fast its
// clock runs with Batch.Clock, after its hello and state and again at each
// change. A desk running the simulator or replay itself reads the speed
// from its own control (tui.SpeedSetter); a desk on the --feed had no way
// to know it, and its header showed neither "60×" nor any hint that a
// minute of data was a second of the audience's time
// (docs/protocol.md, "Clock"). As for the pause, an in-process source is
// the authority and a recording's copy is stale, so only a fleet that
// follows its feed's signals (FleetOptions.CatchingUp nil) honours it.
//
// While the link is down the last speed said is kept, and the data clock
// runs on from the last data at it, not at 1×: the simulator most likely
// runs on at its speed (a network cut, a desk's link dropped for being
// slow), and at 1× a sim at 120× had its chargers go stale, its slots turn
// and its events end two minutes of data late for every second of the
// outage, while the header still read "120×". It is an estimate (the
// simulator may have been killed, paused or sped up meanwhile), and the
// snapshot says so (Snapshot.ClockEstimated) so the desk can mark its clock.
// The next connection's data sets the clock again, back if the estimate ran
// ahead; its server says the speed again.

// clockLocked applies a clock signal.
func (fl *Fleet) clockLocked(sig *ClockSignal) {
	switch {
	case !fl.signalled():
		return
	case !fl.simulated:
		// A live feed runs on the wall clock, at 1×: a speed there is a
		// server's mistake, said in the log rather than shown.
		fl.opt.Logger.Warn("telemetry: clock signal ignored on a live feed", "speed", sig.Speed)
		return
	}
	fl.speed = sig.Speed
}

// feedSpeedLocked is the speed the feed's server last said its clock runs
// at, or 0 when it has not said (an older server, a live feed, an
// in-process source). Callers hold fl.mu.
func (fl *Fleet) feedSpeedLocked() float64 {
	if !fl.simulated || !fl.signalled() {
		return 0
	}
	return fl.speed
}

// clockEstimatedLocked reports whether the data clock runs on an estimate:
// a simulated feed's link is down, with a speed said before. Callers hold
// fl.mu.
func (fl *Fleet) clockEstimatedLocked() bool {
	return fl.simulated && fl.signalled() && fl.speed > 0 && !fl.stats.connected &&
		!fl.stats.ended && !fl.pausedLocked() && !fl.dataTS.IsZero()
}

// scaled is d at speed x, bounded to what a Duration holds (a link down for
// hours at a speed of 1e6 would overflow).
func scaled(d time.Duration, x float64) time.Duration {
	v := float64(d) * x
	if v >= math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(v)
}
