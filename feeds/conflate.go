package feeds

import "time"

// A server whose client fell behind its stream may send it, in place of
// every frame, the latest frame of each charger (and every feeder frame),
// bracketed by Batch.Conflated signals (docs/protocol.md, "Conflated"):
// `v2gdesk sim` does so for a desk that cannot take 100,000 EVs at 600x.
// Such a set is sent in charger order, seconds of wall time for a whole
// fleet, and on a simulated feed each second is minutes of data time: a
// clock that followed the set's first batch found every charger of its
// last batches silent for longer than the stale time, and the desk raised
// some 96,000 stale alarms per set (docs/benchmarks.md). So while a set
// arrives the data clock keeps the time before it, as for a catch-up, and
// moves to the set's newest at its end; frames stamped ahead of the clock
// count as heard at their stamp (Fleet.heardAt). Unlike a catch-up, the
// set is not hours nobody watched: the alarm engine is not held.

// conflateTrack is what a Fleet knows of the conflated sets its feed
// sends. Guarded by the Fleet's lock.
type conflateTrack struct {
	heldClock        // while a set is arriving: begun and not ended; to is its newest ts
	sets      uint64 // sets begun, ever (FeedStats.Conflations)
	replaced  uint64 // frames the server said it left out (FeedStats.ConflatedFrames)
	bad       uint64 // signals ignored (FeedStats.BadConflations)
	set       uint64 // the latest set begun on this link; 0: none
}

// conflatedBeginLocked applies a begin signal, before the frames of the
// batch that carries it.
func (fl *Fleet) conflatedBeginLocked(sig *ConflatedSignal) {
	c := &fl.conflate
	switch {
	case !fl.signalled():
		return // an in-process source's clock is the authority; a recording's copy is stale
	case sig.Set <= c.set:
		fl.badConflatedLocked("out of order", sig)
		return
	case !fl.dataTS.IsZero() && sig.To.Sub(fl.dataTS) > fl.opt.MaxAhead:
		fl.badConflatedLocked("newest frame too far ahead", sig)
		return
	}
	if c.active {
		fl.conflatedEndLocked() // the previous one's end was lost
	}
	c.sets++
	c.replaced += sig.Replaced
	c.set = sig.Set
	c.begin(sig.To)
}

// conflatedDoneLocked applies an end signal, after the frames of the batch
// that carries it.
func (fl *Fleet) conflatedDoneLocked(sig *ConflatedSignal) {
	c := &fl.conflate
	switch {
	case !fl.signalled():
		return
	case !c.active || sig.Set != c.set:
		fl.badConflatedLocked("end of a set not arriving", sig)
		return
	}
	fl.conflatedEndLocked()
}

// conflatedEndLocked ends the set arriving: the data clock moves to the
// newest data time it held back.
func (fl *Fleet) conflatedEndLocked() {
	fl.releaseClockLocked(fl.conflate.end())
}

// conflatedDropLocked forgets the set arriving and the set numbers seen:
// the link changed (a new connection numbers its sets anew), the fleet
// was reset or the feed turned live.
func (fl *Fleet) conflatedDropLocked() {
	fl.conflatedEndLocked()
	fl.conflate.set = 0
}

// conflatedHoldLocked reports whether the data clock must stay where it
// is for a measurement stamped ts: a set is arriving on a simulated or
// replayed feed (a live feed's clock is the wall's, which nothing holds)
// and ts is within it. A measurement past the set's newest ends it (its
// end signal was lost) and is counted as a bad signal.
func (fl *Fleet) conflatedHoldLocked(ts time.Time) bool {
	c := &fl.conflate
	if !fl.simulated {
		return false
	}
	held, past := c.hold(ts)
	if past {
		fl.badConflatedLocked("frames past its newest before its end", &ConflatedSignal{Set: c.set, To: c.to})
		fl.conflatedEndLocked()
	}
	return held
}

// badConflatedLocked counts and logs a signal ignored, its times in the
// site's zone as the desk shows them.
func (fl *Fleet) badConflatedLocked(why string, sig *ConflatedSignal) {
	fl.conflate.bad++
	loc := fl.siteLocLocked()
	fl.opt.Logger.Warn("telemetry: conflated signal ignored: "+why, "set", sig.Set,
		"to", sig.To.In(loc).Format(time.RFC3339), "done", sig.Done, "data_time", fl.dataTS.In(loc).Format(time.RFC3339))
}
