package control

import (
	"slices"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// EarlierPass is the seek back that took the clock to before an event was
// proposed, confirmed, or over: a replay or simulated day seeked back, or
// started over (a loop, `seek 00:00` at the day's end). The event belongs
// to the pass of the day the clock has left. Its setpoints were sent and
// journalled, so it is kept, with what it did, but it is not today's: a
// screen lists it apart, dated, and the controller plans nothing more for
// it (Step ends it if it was still in force at the seek).
type EarlierPass struct {
	// From is the fleet time the clock had reached before the seek back,
	// To the time it went back to; both in the site's time zone.
	From, To time.Time
	// Resets is the fleet's count of resets (feeds.Stats.Resets) with
	// this seek back: a pass left later has a higher count, and its
	// events are listed first.
	Resets uint64
	// restarts is the feed's count of restart signals
	// (feeds.Stats.Restarts) before this seek back: one more says the
	// source dropped the setpoints in force when it started over.
	restarts uint64
}

// maxEarlierPass is how many events of earlier passes are kept for the
// screens (their records stay in the journal). A replay that loops all
// night leaves its confirmed events behind at every pass; the retention
// by the clock (forgetOldLocked) never forgets them, as the clock never
// gets a day past them.
const maxEarlierPass = 32

// markEarlierPassLocked marks the events whose history runs past the
// fleet time now that a seek back (back, the step's WhySeek) has just
// taken the clock to: proposed, confirmed or over after it. Those still
// in force are ended by the step (WhyEarlierPass); none is planned again.
// Pending events are left as they are: nothing was sent for them, and a
// dispatcher may still decide them in this pass. Callers hold c.mu.
func (c *Controller) markEarlierPassLocked(back *Why) {
	if back == nil || back.From.IsZero() || !back.At.Before(back.From) {
		return
	}
	now := back.At
	var left []*entry
	from := back.From
	for _, id := range c.order {
		e := c.events[id]
		if e.pass != nil || e.state == StatePending {
			continue
		}
		latest := e.created
		for _, t := range []time.Time{e.decided, e.ended} {
			if t.After(latest) {
				latest = t
			}
		}
		if !latest.After(now) {
			// Confirmed before the clock's new time (a presenter
			// seeking back within the event): it runs on, planned again
			// from there (WhySeek).
			continue
		}
		left = append(left, e)
		// The clock had reached the times of the events it leaves at
		// least, though no step saw them: confirmed at 19:00 after a
		// :seek 19:00 that no step had seen before the seek back, an
		// event's pass read "the clock went back from 16:00", the step
		// before the seeks, "before its confirmation".
		if latest.After(from) {
			from = latest.In(from.Location())
		}
	}
	for _, e := range left {
		e.pass = &EarlierPass{From: from, To: back.At, Resets: c.resets, restarts: c.restarts}
		c.log.Info("dispatch: event of an earlier pass of the day kept, not planned again",
			"event", e.ev.ID, "state", e.state, "seek_from", from, "seek_to", back.At)
		c.notifyLocked()
	}
	c.trimEarlierPassLocked()
}

// trimEarlierPassLocked forgets the oldest events of earlier passes beyond
// maxEarlierPass, those over and idle; their records stay in the journal.
// Callers hold c.mu.
func (c *Controller) trimEarlierPassLocked() {
	var earlier []string
	for _, id := range c.order {
		if e := c.events[id]; e.pass != nil && e.state.Final() && !e.busy {
			earlier = append(earlier, id)
		}
	}
	if len(earlier) <= maxEarlierPass {
		return
	}
	// c.order is in the order events were added: the first are the oldest.
	drop := earlier[:len(earlier)-maxEarlierPass]
	for _, id := range drop {
		delete(c.events, id)
	}
	c.order = slices.DeleteFunc(c.order, func(id string) bool { return slices.Contains(drop, id) })
	c.log.Info("dispatch: events of earlier passes of the day forgotten (their records stay in the journal)", "events", len(drop))
	c.notifyLocked()
}

// passDropped reports when the source dropped the setpoints of an event
// left in earlier pass p: the time its day started over, when a restart
// signal (Stats.Restarts, LastRestart) has come since the seek back, zero
// when none has. A simulator sends its signal after the new day's hello and
// state, at the same data time, so a desk on its websocket feed can step
// between the two: while a simulated feed's clock still stands at the
// seek back's target with no signal yet, wait is true and the event is
// ended at a later step, which then knows; once the clock has moved on
// without one (a simulator that predates the signal, a replay), the
// setpoints are taken as still held until their validity.
func passDropped(p *EarlierPass, snap *feeds.Snapshot) (dropped time.Time, wait bool) {
	if snap.Stats.Restarts > p.restarts {
		at := snap.Stats.LastRestart.At
		if at.IsZero() {
			at = p.To
		}
		return at, false
	}
	wait = snap.FeedMode == feeds.ModeSimulation && !snap.At.After(p.To)
	return time.Time{}, wait
}
