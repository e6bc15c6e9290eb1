package feeds

import "time"

// A simulated or replayed feed served over the protocol signals its seeks
// with Batch.CatchUp: a begin before the skipped span's frames, an end
// after them. An in-process source tells the fleet through
// FleetOptions.CatchingUp instead; a desk on a --feed has only the stream,
// and without the signal its alarm engine took the span's hours, delivered
// in a second, for hours watched live (docs/protocol.md, "Catch-up").
//
// While a signalled catch-up is under way the data clock keeps the time
// before the seek, as the in-process simulator's clock does: the span's
// feeder loads are stamped hours ahead of the chargers, which the server
// sends once, at the target, and a clock that ran ahead with the loads
// found every charger silent for hours. The frames are still applied as
// they come; one stamped ahead of the clock counts as heard at its stamp.

// catchUpTrack is what a Fleet knows of the catch-up its feed signals.
// Guarded by the Fleet's lock.
type catchUpTrack struct {
	heldClock        // while one is under way: begun and not ended; to is its target
	begun     uint64 // catch-ups begun by a signal, ever (Snapshot.CatchUps)
	seek      uint64 // the latest seek number begun on this link; 0: none
	bad       uint64 // signals refused (FeedStats.BadCatchUps)
}

// signalled reports whether the fleet follows the feed's catch-up signals:
// when no in-process source reports its seeks (FleetOptions.CatchingUp).
func (fl *Fleet) signalled() bool { return fl.opt.CatchingUp == nil }

// catchUpBeginLocked applies a begin signal, before the frames of the batch
// that carries it.
func (fl *Fleet) catchUpBeginLocked(sig *CatchUpSignal) {
	c := &fl.catch
	switch {
	case !fl.signalled():
		return // the in-process source is the authority; a recording's copy is stale
	case !fl.simulated:
		// A live feed runs on the wall clock and cannot skip hours: a
		// signal on it is never honoured.
		fl.badCatchUpLocked("on a live feed", sig)
		return
	case sig.Seek <= c.seek:
		fl.badCatchUpLocked("out of order", sig)
		return
	case !fl.dataTS.IsZero() && !sig.To.After(fl.dataTS):
		fl.badCatchUpLocked("target not after the data held", sig)
		return
	case !fl.dataTS.IsZero() && sig.To.Sub(fl.dataTS) > fl.opt.MaxAhead:
		// Bounded as a measurement's ts is: the target also bounds how
		// long the clock may be held.
		fl.badCatchUpLocked("target too far ahead", sig)
		return
	}
	if c.active {
		// The previous one's end was lost; this begin ends it.
		fl.catchUpEndLocked()
	}
	c.begun++
	c.seek = sig.Seek
	c.begin(sig.To)
}

// catchUpDoneLocked applies an end signal, after the frames of the batch
// that carries it.
func (fl *Fleet) catchUpDoneLocked(sig *CatchUpSignal) {
	c := &fl.catch
	switch {
	case !fl.signalled():
		return
	case !fl.simulated:
		fl.badCatchUpLocked("on a live feed", sig)
		return
	case !c.active || sig.Seek != c.seek:
		fl.badCatchUpLocked("end of a catch-up not under way", sig)
		return
	}
	fl.catchUpEndLocked()
}

// catchUpEndLocked ends the active catch-up: the data clock moves to the
// newest data time it held back.
func (fl *Fleet) catchUpEndLocked() {
	fl.releaseClockLocked(fl.catch.end())
}

// catchUpDropLocked forgets the catch-up under way and the seek numbers
// seen: the link changed (a new connection numbers its seeks anew, and one
// cut short is over), the fleet was reset or the feed turned live.
func (fl *Fleet) catchUpDropLocked() {
	fl.catchUpEndLocked()
	fl.catch.seek = 0
}

// catchUpHoldLocked reports whether the data clock must stay where it is
// for a measurement stamped ts: a catch-up is under way and ts is within
// it. A measurement past the target ends the catch-up (its end signal was
// lost: the server is streaming again) and is counted as a bad signal.
func (fl *Fleet) catchUpHoldLocked(ts time.Time) bool {
	c := &fl.catch
	held, past := c.hold(ts)
	if past {
		fl.badCatchUpLocked("frames past the target before its end", &CatchUpSignal{Seek: c.seek, To: c.to})
		fl.catchUpEndLocked()
	}
	return held
}

// badCatchUpLocked counts and logs a signal ignored, its times in the
// site's zone (the topology's, else FleetOptions.Location) as the desk
// shows them.
func (fl *Fleet) badCatchUpLocked(why string, sig *CatchUpSignal) {
	fl.catch.bad++
	loc := fl.siteLocLocked()
	fl.opt.Logger.Warn("telemetry: catch_up signal ignored: "+why, "seek", sig.Seek,
		"to", sig.To.In(loc).Format(time.RFC3339), "done", sig.Done, "data_time", fl.dataTS.In(loc).Format(time.RFC3339))
}

// catchingUpLocked is what a Snapshot says of catching up: from the
// in-process source when there is one, else from the feed's signals.
func (fl *Fleet) catchingUpLocked() (n uint64, active bool) {
	if fl.opt.CatchingUp != nil {
		return fl.opt.CatchingUp()
	}
	return fl.catch.begun, fl.catch.active && fl.simulated
}
