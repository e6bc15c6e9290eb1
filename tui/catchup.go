package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// maxCatchUpFeeders is how many feeders a catch-up's flash names before
// "+N": the footer is one line, at 80 columns too.
const maxCatchUpFeeders = 3

// noteCatchUp flashes the summary of a catch-up that arrived since the
// last look, once, when conditions came and went in it unraised: the
// alarm list does not show them (alarm.CatchUp), so the operator must be
// told they happened and where the details are. The flash goes after a few
// seconds, so the summary also stays on the alarms page (catchUpLine)
// until this session dismisses it. A session that starts after a catch-up
// does not flash it, but finds it there (New).
func (m *Model) noteCatchUp() {
	c, ok := m.alarms.LastCatchUp()
	if !ok || c.N == m.catchUpSeen {
		return
	}
	m.catchUpSeen = c.N
	if len(c.Missed) == 0 {
		return
	}
	m.catchUp = &c
	s := m.catchUpText(c, false)
	if m.w > 0 && ansi.StringWidth(s) > m.w-2 {
		s = m.catchUpText(c, true) // the footer's one line keeps "press 4: Alarms", the key to the alarms page (its "see 4 alarms" read as a count of four)
	}
	m.setFlash(s, false)
}

// dismissCatchUp takes the catch-up summary off this session's alarms
// page; other sessions keep theirs. It reports whether there was one.
func (m *Model) dismissCatchUp() bool {
	if m.catchUp == nil {
		return false
	}
	m.catchUp = nil
	return true
}

// catchUpLine is the alarms page's line above the list while a catch-up
// summary stands: "skipped 12:12–16:00: 1 loading warning on F10 ·
// d dismiss", shortened to fit w ("1 warning F10"), the key hint kept.
func (m *Model) catchUpLine(w int) string {
	c := m.catchUp
	hint := " · " + m.tr.t("d dismiss")
	s := catchUpSummary(m.tr.t, *c, m.loc(), false)
	if ansi.StringWidth(s)+ansi.StringWidth(hint) > w {
		s = catchUpSummary(m.tr.t, *c, m.loc(), true)
	}
	if room := w - ansi.StringWidth(hint); ansi.StringWidth(s) > room {
		s = truncateWhole(s, max(room, 0))
	}
	return m.st.warn.Render(s) + m.st.dim.Render(hint)
}

// catchUpText words a catch-up's flash: "skipped 14:00–18:00:
// 3 overloads on F07, F10 (press 4: Alarms)"; short, "3 overloads F07 F10".
func (m *Model) catchUpText(c alarm.CatchUp, short bool) string {
	t := m.tr.t
	from, to := catchUpSpan(t, c, m.loc())
	return fmt.Sprintf(t("skipped %s–%s: %s (press 4: Alarms)"), from, to, catchUpParts(t, c, short))
}

// CatchUpSummary is a catch-up's summary in English, its times in loc:
// "skipped 14:00–18:00: 3 overloads on F07, F10, 1 other alarm", as the
// alarms page shows it. A desk's audit journal records it.
func CatchUpSummary(c alarm.CatchUp, loc *time.Location) string {
	return catchUpSummary(translator{}.t, c, loc, false)
}

func catchUpSummary(t func(string) string, c alarm.CatchUp, loc *time.Location, short bool) string {
	from, to := catchUpSpan(t, c, loc)
	return fmt.Sprintf(t("skipped %s–%s: %s"), from, to, catchUpParts(t, c, short))
}

// catchUpSpan is the start and end of the span a catch-up skipped, as its
// summary says them in loc: "14:00", "18:00". An end at midnight after the
// start's date is "24:00": a desk whose first look came when a day started
// at 23:58 had ended read "skipped 00:00–00:00", a whole day as none (one
// that looked a minute sooner read "00:00–23:59"). An end on a later date
// otherwise carries its day, as an event's window does: "22:00", "01:30
// (+1 d)".
func catchUpSpan(t func(string) string, c alarm.CatchUp, loc *time.Location) (from, to string) {
	from, to = c.From.In(loc).Format("15:04"), c.To.In(loc).Format("15:04")
	switch days := control.DaysAfter(c.To, c.From, loc); {
	case days == 1 && to == "00:00":
		to = "24:00"
	case days > 0:
		to += " " + fmt.Sprintf(t("(+%d d)"), days)
	}
	return from, to
}

// catchUpParts words what a catch-up skipped: "3 overloads on F07, F10,
// 1 loading warning on F11"; short, "3 overloads F07 F10, 1 warning F11".
func catchUpParts(t func(string) string, c alarm.CatchUp, short bool) string {
	var parts []string
	if n, fs := c.Overloads(); n > 0 {
		if short {
			parts = append(parts, plural(n, t("%[1]d overload %[2]s"), t("%[1]d overloads %[2]s"), n, feederList(fs, " ")))
		} else {
			parts = append(parts, plural(n, t("%[1]d overload on %[2]s"), t("%[1]d overloads on %[2]s"), n, feederList(fs, ", ")))
		}
	}
	if n, fs := c.Warnings(); n > 0 {
		if short {
			parts = append(parts, plural(n, t("%[1]d warning %[2]s"), t("%[1]d warnings %[2]s"), n, feederList(fs, " ")))
		} else {
			parts = append(parts, plural(n, t("%[1]d loading warning on %[2]s"), t("%[1]d loading warnings on %[2]s"), n, feederList(fs, ", ")))
		}
	}
	if n := c.Others(); n > 0 {
		parts = append(parts, plural(n, t("%[1]d other alarm"), t("%[1]d other alarms"), n))
	}
	return strings.Join(parts, t(", "))
}

// feederList names up to maxCatchUpFeeders feeders, then how many more.
func feederList(ids []string, sep string) string {
	if len(ids) <= maxCatchUpFeeders {
		return strings.Join(ids, sep)
	}
	return strings.Join(ids[:maxCatchUpFeeders], sep) + fmt.Sprintf(" +%d", len(ids)-maxCatchUpFeeders)
}
