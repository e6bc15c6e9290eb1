package tui

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// A simulated day served by `v2gdesk sim` does not end at midnight: the
// simulator holds it there, paused, until a presenter seeks back or quits
// (docs/replay.md). The desk's clock then reads the next date's 00:00, and
// the new-event form proposed its window on that date ("00:00–02:00"),
// which the held day never reaches: a seek back goes to a time of the day
// that was played. A dispatcher expects no event to be planned there, and
// is told why and what to do instead.

// dayHeldAtEnd reports whether the desk's simulated day is held at its
// end: a simulation paused at local midnight after data of the day before
// it (a simulator paused at 00:00 at the start of its day has none), or
// whose link dropped there, its clock's estimate standing at the pause
// (Snapshot.ClockStands): the charts turned to the next, empty, day as
// the link went.
func (m *Model) dayHeldAtEnd() bool {
	s := m.latest
	if s == nil || m.mode() != feeds.ModeSimulation || !m.sourcePaused() && !(s.ClockStands && m.clockEstimated()) {
		return false
	}
	at := s.At.In(m.loc())
	if !at.Equal(dayStart(at, m.loc())) {
		return false
	}
	h := s.SystemHistory()
	return h.Len() > 0 && h.Start().Before(at)
}

// dayHeldWhy says why key (n, or enter in the form) proposes nothing on a
// day held at its end, "" when the day is not held.
func (m *Model) dayHeldWhy(key string) string {
	if !m.dayHeldAtEnd() {
		return ""
	}
	return fmt.Sprintf(m.tr.t("%s: the simulated day is held at its end (%s): a DR event would start on a day it never reaches; seek back on the simulator first"),
		key, hhmm(m.latest.At, m.loc()))
}
