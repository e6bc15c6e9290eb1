package tui

import (
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// holdsAtEnd reports whether the desk's control holds at the end of its
// recording or simulated day (EndHolder): a presenter at the end of a
// replayed day, or of the in-process demo day, can :seek back to show it
// again.
func (m *Model) holdsAtEnd() bool {
	h, ok := m.opts.Control.(EndHolder)
	return ok && h.HoldsAtEnd()
}

// pausesAtEnd reports whether the clock can be paused at the day's end:
// a simulated day held there (the in-process demo desk) starts over at a
// :seek back, and runs from there at once unless paused, as `v2gdesk
// sim`'s presenter can pause at its end to seek back and start when ready.
// Pausing a held day sends nothing to the equipment and changes nothing
// but when the next day starts to run.
func (m *Model) pausesAtEnd() bool {
	return m.holdsAtEnd() && m.mode() == feeds.ModeSimulation
}

// seekDay is the time whose day a :seek HH:MM names: the clock's, except
// on a day stopped at its end (ended, or paused there), whose clock reads
// the next date's 00:00: there the day just played is meant. A presenter
// at the end of the demo day typing `:seek 19:00` went to 19:00 of the
// next date, past the end, and was refused.
func (m *Model) seekDay() time.Time {
	ref := m.siteNow()
	s := m.latest
	if s == nil || !(m.sourceEnded() || m.sourcePaused()) {
		return ref
	}
	at := ref.In(m.loc())
	if !at.Equal(dayStart(at, m.loc())) {
		return ref
	}
	if h := s.SystemHistory(); h.Len() > 0 && h.Start().Before(at) {
		return at.Add(-time.Nanosecond) // the day before midnight
	}
	return ref
}
