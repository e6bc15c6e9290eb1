package feeds

import "time"

// A simulated or replayed feed served over the protocol says when its
// presenter pauses it with Batch.Pause, and again when it resumes. Without
// the signal a desk on the --feed could not tell a pause from a failing
// feed: its data clock ran on by the wall time since the last frame, the
// feeders went stale and the feed-silence alarm fired
// (docs/protocol.md, "Pause"). An in-process source is paused through the
// desk's own control (tui.Pauser), and a recording's copy of the signal is
// stale, so only a fleet that follows its feed's signals
// (FleetOptions.CatchingUp nil) honours it.

// pauseTrack is what a Fleet knows of its feed's pause. Guarded by the
// Fleet's lock.
type pauseTrack struct {
	paused bool
	at     time.Time // the data time the feed paused at
	bad    uint64    // signals refused (FeedStats.BadPauses)
	// downPaused: the link went down while the feed was paused. The pause
	// ends with its connection, but the estimate of the data clock while
	// the link is down (clockspeed.go) then stands where the pause left
	// it: a paused simulator does not run on because its link dropped.
	// Run on at the last speed, a sim held paused at midnight had the desk
	// estimate 00:11 a second later, turn its charts to the next, empty,
	// day and count slots and event ends nobody played.
	downPaused bool
}

// pauseLocked applies a pause signal, after the frames of the batch that
// carries it.
func (fl *Fleet) pauseLocked(sig *PauseSignal) {
	p := &fl.pause
	switch {
	case !fl.signalled():
		return // the in-process source is the authority
	case !fl.simulated:
		// A live feed runs on the wall clock: it cannot stop it.
		fl.badPauseLocked("on a live feed", sig)
		return
	case !fl.dataTS.IsZero() && sig.At.Sub(fl.dataTS) > fl.opt.MaxAhead:
		fl.badPauseLocked("time too far ahead", sig)
		return
	}
	if !sig.Resumed {
		// The clock stops at the pause's time (a seek made while paused
		// sends it again, at the new time).
		if sig.At.After(fl.dataTS) {
			fl.noteResetToLocked(sig.At)
			fl.dataTS = sig.At
		}
		p.paused, p.at = true, sig.At
		return
	}
	if p.paused {
		// The clock starts again from where it stood, not from where the
		// wall time spent paused would have taken it.
		fl.dataWall = fl.opt.Wall()
	}
	p.paused, p.at = false, time.Time{}
}

// pauseDropLocked forgets a pause: the link changed (a new connection
// learns the server's pause on subscribing), the fleet was reset or the
// feed turned live.
func (fl *Fleet) pauseDropLocked() {
	if fl.pause.paused {
		fl.dataWall = fl.opt.Wall()
	}
	fl.pause.paused, fl.pause.at, fl.pause.downPaused = false, time.Time{}, false
}

// pausedLocked reports whether the feed's data clock is stopped by a
// pause its server signalled.
func (fl *Fleet) pausedLocked() bool {
	return fl.pause.paused && fl.simulated && fl.signalled()
}

// badPauseLocked counts and logs a signal ignored, its times in the site's
// zone as the desk shows them.
func (fl *Fleet) badPauseLocked(why string, sig *PauseSignal) {
	fl.pause.bad++
	loc := fl.siteLocLocked()
	fl.opt.Logger.Warn("telemetry: pause signal ignored: "+why, "at", sig.At.In(loc).Format(time.RFC3339),
		"resumed", sig.Resumed, "data_time", fl.dataTS.In(loc).Format(time.RFC3339))
}
