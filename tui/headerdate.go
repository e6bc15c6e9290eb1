package tui

import (
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// headerClocks gives the forms of the header's clock, the preferred first.
// A replay or a simulation shows a day that is not today (a recording, a
// scenario's day), and an audience shown one (a board, a trade show) is
// told which: its clock carries the date ("2024-01-17 18:04:08") where the
// header has room, and only the time where it has not. Live, the day is
// today's.
func (m *Model) headerClocks(now time.Time) []string {
	bare := now.Format("15:04:05")
	if m.mode() == feeds.ModeLive {
		return []string{bare}
	}
	return []string{now.Format("2006-01-02 15:04:05"), bare}
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
