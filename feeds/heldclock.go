package feeds

import "time"

// heldClock holds a fleet's data clock while a span its feed brackets
// with two signals arrives: a catch-up after a seek (catchup.go) or a
// conflated set (conflate.go). Both are minutes to hours of data time
// delivered in seconds, in an order the clock must not follow, so the
// clock keeps the time before the span and moves to the newest data time
// held back when the span ends. Guarded by the Fleet's lock.
type heldClock struct {
	active bool      // a span is arriving: begun and not ended
	to     time.Time // the active span's newest data time, as its begin signal said
	// newest is the newest data time held back while active: the data
	// clock moves there when the span ends.
	newest time.Time
}

// begin starts holding the clock for a span whose data times reach to.
func (h *heldClock) begin(to time.Time) {
	h.active, h.to, h.newest = true, to, time.Time{}
}

// hold reports whether a measurement stamped ts is held back, which it is
// while a span is arriving and ts is within it; past reports a ts after
// the span, whose end signal was then lost: the caller counts that and
// ends the span.
func (h *heldClock) hold(ts time.Time) (held, past bool) {
	switch {
	case !h.active:
		return false, false
	case ts.After(h.to):
		return false, true
	}
	if ts.After(h.newest) {
		h.newest = ts
	}
	return true, false
}

// end stops holding the clock and returns the newest data time held back,
// zero when no span was arriving or it held nothing.
func (h *heldClock) end() time.Time {
	newest := h.newest
	if !h.active {
		newest = time.Time{}
	}
	h.active, h.newest = false, time.Time{}
	return newest
}

// heldNewest is the newest data time held back by the span arriving, zero
// when none is.
func (h *heldClock) heldNewest() time.Time {
	if !h.active {
		return time.Time{}
	}
	return h.newest
}

// releaseClockLocked moves the data clock to newest, a span's newest data
// time held back, when that is ahead of it. Called with fl.mu held.
func (fl *Fleet) releaseClockLocked(newest time.Time) {
	if newest.After(fl.dataTS) {
		fl.noteResetToLocked(newest)
		fl.dataTS, fl.dataWall = newest, fl.opt.Wall()
	}
}

// siteLocLocked is the zone the desk shows times in: the topology's, else
// FleetOptions.Location. Logs of ignored signals word their times in it.
// Called with fl.mu held.
func (fl *Fleet) siteLocLocked() *time.Location {
	if fl.topo != nil && fl.topo.loc != nil {
		return fl.topo.loc
	}
	return fl.opt.Location
}
