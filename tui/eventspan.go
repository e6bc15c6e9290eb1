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
	ref := start
	if m.snap != nil && !m.snap.At.IsZero() {
		ref = m.snap.At
	}
	return m.eventSpanFrom(start, end, ref)
}

// eventWindow is the window of event v as eventSpan gives it, dated
// whatever the clock's date when v is of an earlier pass of the day
// (control.EarlierPass): the clock went back to its date, and "18:19–22:19"
// read as today's window of an event of another pass.
func (m *Model) eventWindow(v *control.EventView) string {
	if v != nil && v.EarlierPass != nil {
		return m.eventSpanFrom(v.Event.Start, v.Event.End, time.Time{})
	}
	return m.eventSpan(v.Event.Start, v.Event.End)
}

// eventSpanFrom is eventSpan against the clock reading ref: the start is
// dated unless it falls on ref's date (a zero ref dates it always).
func (m *Model) eventSpanFrom(start, end, ref time.Time) string {
	loc := m.loc()
	s := dayTime(start, ref, loc) + "–" + hhmm(end, loc)
	if start.IsZero() || end.IsZero() {
		return s
	}
	return s + m.dayMark(end, start)
}

// dayMark is " (+1 d)" (zh-CN " (+1 天)") when t falls on a later date than
// ref in the site's zone, " (−1 d)" on an earlier one, "" on the same date:
// control.DayMark in the desk's language.
func (m *Model) dayMark(t, ref time.Time) string {
	switch n := control.DaysAfter(t, ref, m.loc()); {
	case n > 0:
		return " " + fmt.Sprintf(m.tr.t("(+%d d)"), n)
	case n < 0:
		return " " + fmt.Sprintf(m.tr.t("(−%d d)"), -n)
	}
	return ""
}

// clockTime is t's HH:MM on the site's clock, marked when it falls on
// another date than the desk's clock (siteNow): triage's "until 21:02"
// read as today's when it was tomorrow's.
func (m *Model) clockTime(t time.Time) string {
	return m.clockTimeAt(t, m.siteNow())
}

// clockTimeAt is clockTime against the clock reading ref (an error's own
// fleet time).
func (m *Model) clockTimeAt(t, ref time.Time) string {
	if t.IsZero() || ref.IsZero() {
		return hhmm(t, m.loc())
	}
	return hhmm(t, m.loc()) + m.dayMark(t, ref)
}
