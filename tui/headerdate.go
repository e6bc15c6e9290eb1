package tui

import (
	"fmt"
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
// today's, but a desk runs through midnight, and its lists date what is
// not today's ("11-27 22:30–01:30 (+1 d)", an alarm of 11-25): at 00:10
// "11-27" is read against the date, so a live clock is dated too where
// the whole header has room for it, as a simulation's. A clock run on an
// estimate (the feed's link down: it runs on
// at the speed the feed said last, Snapshot.ClockEstimated) is marked
// "≈" and, where there is room, "estimated": it is not a time the feed
// sent, and the simulator may have stopped.
func (m *Model) headerClocks(now time.Time) []clockForm {
	bare := now.Format("15:04:05")
	dated := now.Format("2006-01-02 15:04:05")
	if m.mode() == feeds.ModeLive {
		return []clockForm{{text: dated, dated: true}, {text: bare}}
	}
	if since, ok := m.feedGoneSince(); ok {
		// Estimating no longer: after feedGoneAfter the sim is most
		// likely gone (killed, its host down), and a clock run on at its
		// last speed for ever read as a simulation still running.
		at := hhmm(since, m.loc())
		return []clockForm{
			{text: m.st.high.Render("○ " + fmt.Sprintf(m.tr.t("feed gone since %s"), at))},
			{text: m.st.high.Render("○ " + fmt.Sprintf(m.tr.t("gone since %s"), at))},
		}
	}
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

// chartDayTitle names the span the load charts show, for their titles: a
// replay's recorded day or a simulation's scenario day by its date
// ("System load · 2024-01-17"), as headerClocks dates the header, since it
// is not today; live, the rolling window of chartSpan. A simulated day
// held at its end (dayHeldAtEnd) is the day shown, not the next date its
// midnight belongs to, which the held day never reaches.
func (m *Model) chartDayTitle() string {
	if m.snap == nil {
		return m.tr.t("today")
	}
	if m.mode() == feeds.ModeLive {
		return fmt.Sprintf(m.tr.t("past %d h, next %d h"), int(liveChartBack.Hours()), int(liveChartAhead.Hours()))
	}
	return m.shownDay().Format("2006-01-02")
}

// shownDay is local midnight of the day a simulation's or a replay's load
// charts show and are titled by: chartDay, or on a simulated day held at
// its end (dayHeldAtEnd) the day that was played, not the next date its
// midnight belongs to. The title said the held day while the charts drew
// the next one: at 00:00 on a --feed desk the evening vanished, and the
// next day's first reading stood at the start of the day titled.
func (m *Model) shownDay() time.Time {
	if m.dayHeldAtEnd() {
		return dayStart(m.latest.At.Add(-time.Nanosecond), m.loc())
	}
	return chartDay(m.snap, m.loc())
}

// feedGoneAfter is how long, in wall time, a desk on a simulated --feed
// estimates its clock after the last frame before it says the feed is
// gone: long enough for a reconnect (a network cut, a link dropped for
// being slow), short of an estimate that runs on for ever after the
// simulator was killed.
const feedGoneAfter = time.Minute

// feedGoneSince is the data time of the feed's last data when the desk's
// clock has been an estimate for feedGoneAfter or longer: the newest
// feeder measurement, else the estimate taken back by the wall time since
// the last frame at the speed said. False while the link is up, or down
// for less than feedGoneAfter.
func (m *Model) feedGoneSince() (time.Time, bool) {
	if !m.clockEstimated() {
		return time.Time{}, false
	}
	s := m.latest
	down := m.now().Sub(s.Stats.LastFrame)
	if s.Stats.LastFrame.IsZero() || down < feedGoneAfter {
		return time.Time{}, false
	}
	var last time.Time
	for i := range s.Feeders {
		if ts := s.Feeders[i].TS; s.Feeders[i].Seen && ts.After(last) {
			last = ts
		}
	}
	if last.IsZero() {
		last = s.At.Add(-scaledBy(down, s.FeedSpeed))
	}
	return last, true
}

// scaledBy is d at speed x, bounded to what a Duration holds.
func scaledBy(d time.Duration, x float64) time.Duration {
	v := float64(d) * x
	if v >= float64(1<<63-1) {
		return 1<<63 - 1
	}
	return time.Duration(v)
}
