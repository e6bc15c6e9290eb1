package control

import (
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// forgetOldLocked forgets the events that are over (declined, ended or
// cancelled, nothing in flight) since more than feeds.EventRetention before
// now, once the fleet no longer holds them either: the same day the fleet
// keeps an event after its end (docs/protocol.md, event). The controller
// kept every event for the life of the process, so a live desk's events
// list, and every step's walk over it, grew with each event a feed sent (a
// price event an hour is 168 a week). Their records stay in the journal.
// An event the fleet still holds is kept, or the next step would take it
// for a new one. Callers hold c.mu.
func (c *Controller) forgetOldLocked(snap *feeds.Snapshot, now time.Time) {
	held := make(map[string]bool, len(snap.Events))
	for _, ev := range snap.Events {
		held[ev.ID] = true
	}
	kept := c.order[:0]
	for _, id := range c.order {
		e := c.events[id]
		if e.state.Final() && !e.busy && !held[id] && now.Sub(overAt(e)) > feeds.EventRetention {
			delete(c.events, id)
			continue
		}
		kept = append(kept, id)
	}
	if len(kept) != len(c.order) {
		c.log.Info("dispatch: events over for a day forgotten (their records stay in the journal)", "events", len(c.order)-len(kept))
		clear(c.order[len(kept):])
		c.order = kept
		c.notifyLocked()
	}
}

// overAt is when e was over: the latest of its window's end, when it was
// decided (declined, cancelled) and when the controller ended it.
func overAt(e *entry) time.Time {
	t := e.ev.End
	for _, u := range []time.Time{e.decided, e.ended} {
		if u.After(t) {
			t = u
		}
	}
	return t
}
