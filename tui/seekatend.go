package tui

import "time"

// holdsAtEnd reports whether the desk's control holds at the end of its
// recording or simulated day (EndHolder): a presenter at the end of a
// replayed day, or of the in-process demo day, can :seek back to show it
// again.
func (m *Model) holdsAtEnd() bool {
	h, ok := m.opts.Control.(EndHolder)
	return ok && h.HoldsAtEnd()
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
