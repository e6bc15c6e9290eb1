package tui

import (
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// liveChartBack and liveChartAhead are how much of the past and of the
// future a live desk's load charts show. A live desk runs through the
// night: its "today" chart turned at midnight to an empty day, so an
// on-call engineer at 00:10 saw ten minutes of load and neither the
// evening peak nor the overload that began at 23:58. Eighteen hours back
// keeps the evening (from 06:00 the day before) on the chart all night;
// six ahead keep the rest of a DR plan in view. At the evening peak
// (18:00 to 19:00) the window is the local day, as a "today" chart was.
const (
	liveChartBack  = 18 * time.Hour
	liveChartAhead = 6 * time.Hour
)

// chartSpan is the x range of the overview's and a feeder page's load
// charts: from start, hours long, starting at the local hour fromHour.
type chartSpan struct {
	start           time.Time
	fromHour, hours int
}

// end is when the span ends.
func (c chartSpan) end() time.Time { return c.start.Add(time.Duration(c.hours) * time.Hour) }

// chartSpan gives the load charts' span. A replay or a simulation shows
// its day (shownDay): it is one day, and ends at its midnight. A live desk
// shows a rolling window, liveChartBack before the current local hour to
// liveChartAhead after it, so that midnight is a point on the axis and not
// a new, empty chart.
func (m *Model) chartSpan() chartSpan {
	loc := m.loc()
	if m.mode() != feeds.ModeLive {
		return chartSpan{start: m.shownDay(), hours: 24}
	}
	lt := m.snap.At.In(loc)
	hour := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), 0, 0, 0, loc)
	start := hour.Add(-liveChartBack)
	return chartSpan{start: start, fromHour: start.In(loc).Hour(), hours: int((liveChartBack + liveChartAhead) / time.Hour)}
}
