package tui

import (
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// clockForm is one form of the header's clock: its text, and whether it
// is dated (a simulation's date is had only where the whole header has
// room for it, headerLine).
type clockForm struct {
	text  string
	dated bool
}

// headerClocks gives the forms of the header's clock, the preferred first.
// A replay or a simulation shows a day that is not today (a recording, a
// scenario's day), and an audience shown one (a board, a trade show) is
// told which: its clock carries the date ("2024-01-17 18:04:08") where the
// header has room, and only the time where it has not. Live, the day is
// today's. A clock run on an estimate (the feed's link down: it runs on
// at the speed the feed said last, Snapshot.ClockEstimated) is marked
// "≈" and, where there is room, "estimated": it is not a time the feed
// sent, and the simulator may have stopped.
func (m *Model) headerClocks(now time.Time) []clockForm {
	bare := now.Format("15:04:05")
	if m.mode() == feeds.ModeLive {
		return []clockForm{{text: bare}}
	}
	dated := now.Format("2006-01-02 15:04:05")
	if !m.clockEstimated() {
		return []clockForm{{text: dated, dated: true}, {text: bare}}
	}
	est := " " + m.st.warn.Render(m.tr.t("estimated"))
	return []clockForm{
		{text: "≈" + dated + est, dated: true},
		{text: "≈" + bare + est},
		{text: "≈" + bare},
	}
}

// clockEstimated reports whether the desk's clock is the feed's estimated
// one: on a --feed whose link is down, run on at the last speed said. A
// desk running its own simulation or replay knows its clock.
func (m *Model) clockEstimated() bool {
	if _, ok := m.opts.Control.(Clock); ok {
		return false
	}
	return m.mode() != feeds.ModeLive && m.latest != nil && m.latest.ClockEstimated
}

// chartDayTitle names the day the day charts show, for their titles: a
// replay's recorded day or a simulation's scenario day by its date
// ("System load · 2024-01-17"), as headerClocks dates the header, since it
// is not today; "today" live.
func (m *Model) chartDayTitle() string {
	if m.mode() == feeds.ModeLive || m.snap == nil {
		return m.tr.t("today")
	}
	return chartDay(m.snap, m.loc()).Format("2006-01-02")
}
