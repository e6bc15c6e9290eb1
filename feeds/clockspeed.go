package feeds

// A simulated or replayed feed served over the protocol says how fast its
// clock runs with Batch.Clock, after its hello and state and again at each
// change. A desk running the simulator or replay itself reads the speed
// from its own control (tui.SpeedSetter); a desk on the --feed had no way
// to know it, and its header showed neither "60×" nor any hint that a
// minute of data was a second of the audience's time
// (docs/protocol.md, "Clock"). As for the pause, an in-process source is
// the authority and a recording's copy is stale, so only a fleet that
// follows its feed's signals (FleetOptions.CatchingUp nil) honours it.

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
