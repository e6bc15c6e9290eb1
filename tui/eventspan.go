package tui

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// eventSpan is an event's window as the desk shows it: the start as
// dayTime gives it (with its date when that is not the desk's today), then
// the end, marked when it falls on a later date than the start. An
// overnight event read "23:00–21:02", with no sign that it ends the next
// day; it reads "23:00–21:02 (+1 d)".
func (m *Model) eventSpan(start, end time.Time) string {
	loc := m.loc()
	ref := start
	if m.snap != nil && !m.snap.At.IsZero() {
		ref = m.snap.At
	}
	s := dayTime(start, ref, loc) + "–" + hhmm(end, loc)
	if start.IsZero() || end.IsZero() {
		return s
	}
	switch n := control.DaysAfter(end, start, loc); {
	case n > 0:
		s += " " + fmt.Sprintf(m.tr.t("(+%d d)"), n)
	case n < 0:
		s += " " + fmt.Sprintf(m.tr.t("(−%d d)"), -n)
	}
	return s
}
