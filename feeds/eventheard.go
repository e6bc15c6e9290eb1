package feeds

import (
	"maps"
	"time"
)

// An event frame carries no time of its own: the feed sends it when the
// grid operator or aggregator asks, and that moment is its time in the
// data. A desk that reads it later than it came (a seek's catch-up hands a
// skipped span's frames over at once, while the fleet clock runs through
// the span or holds before it) still has to say when it was asked for: an
// audit journal of a replayed day started at 20:40 gave an event sent at
// 17:30 whatever time the catch-up had reached when the desk looked.

// noteEventLocked records when event id was first heard, in data time
// (eventHeardLocked). A repeat of a known event keeps its first time.
// Called with fl.mu held.
func (fl *Fleet) noteEventLocked(id string, now time.Time) {
	if _, ok := fl.eventHeard[id]; ok {
		return
	}
	if fl.eventHeard == nil {
		fl.eventHeard = make(map[string]time.Time)
	}
	fl.eventHeard[id] = fl.eventHeardLocked(now)
}

// eventHeardLocked is the data time of a frame without a time stamp that
// arrives now (the fleet clock): on a feed with a clock of its own
// (simulation, replay), the newest measurement time delivered before it,
// including those a signalled catch-up or conflated set holds back from
// the clock; on a live feed, or before any measurement, now. Called with
// fl.mu held.
func (fl *Fleet) eventHeardLocked(now time.Time) time.Time {
	if !fl.simulated {
		return now
	}
	newest := fl.dataTS
	for _, held := range []time.Time{fl.catch.heldNewest(), fl.conflate.heldNewest()} {
		if held.After(newest) {
			newest = held
		}
	}
	if newest.IsZero() {
		return now
	}
	return newest
}

// eventsHeardLocked is a copy of the events' first times for a snapshot
// (nil when there are none). Called with fl.mu held, after pruning.
func (fl *Fleet) eventsHeardLocked() map[string]time.Time {
	if len(fl.eventHeard) == 0 {
		return nil
	}
	return maps.Clone(fl.eventHeard)
}

// EventHeardAt is when the event with id was first heard, in data time:
// on a simulated or replayed feed the newest measurement time delivered
// before its frame (its time in the recorded day, however late the desk
// read it), on a live feed the fleet clock when it arrived. It is zero for
// an event the snapshot does not hold.
func (s *Snapshot) EventHeardAt(id string) time.Time {
	return s.eventHeard[id]
}
