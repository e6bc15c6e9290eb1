package control

import (
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// seekLocked reports the seek the source made since the previous step, as
// the reason to plan the events in force again at once (WhySeek), or nil:
// a catch-up has begun since (Snapshot.CatchUps: a forward :seek, a
// --start, a seek back's rebuild) or the fleet was reset (Stats.Resets: a
// seek back). A forward seek's plans in force hold setpoints for slots it
// skipped, and the next new slot could be up to a slot away; a seek back's
// were made for a time not reached yet, and their next slot hours away.
// From is the fleet time of the previous step (zero before the first).
// It notes snap as the latest step's. Callers hold c.mu, outside a
// catch-up (Step waits them out).
func (c *Controller) seekLocked(snap *feeds.Snapshot) *Why {
	from := c.stepped
	moved := snap.CatchUps != c.catchUps || snap.Stats.Resets != c.resets
	c.catchUps, c.stepped = snap.CatchUps, snap.At
	if !moved {
		return nil
	}
	loc := locOf(snap)
	if !from.IsZero() {
		from = from.In(loc)
	}
	return &Why{Kind: WhySeek, From: from, At: seekTarget(snap, c.resets).In(loc)}
}

// seekTarget is where a seek since the step that saw resets fleet resets
// took the clock: for a seek back, where the reset went
// (Stats.ResetTo), not snap.At, which by this step may be minutes further
// on (a `seek 00:00` at 1800x first stepped at 00:06, and the earlier
// pass's lines named 00:06 as the seek's target); else snap.At.
func seekTarget(snap *feeds.Snapshot, resets uint64) time.Time {
	to := snap.Stats.ResetTo
	if snap.Stats.Resets == resets || to.IsZero() || to.After(snap.At) {
		return snap.At
	}
	return to
}
