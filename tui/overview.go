package tui

import (
	"fmt"
	"github.com/NimbleMarkets/ntcharts/sparkline"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// overview is view 1: the system load curve, V2G capacity, the newest
// unacknowledged alarms, the guard's setpoint counters and the feeders
// most loaded.
func (m *Model) overview(p *page, w, h int) []string {
	if m.compact() {
		return m.overviewCompact(p, w, h)
	}
	rightW := 48
	if w < 140 {
		rightW = max(40, w*36/100)
	}
	topH := max(14, min(h*45/100, 20))
	v2gH := 7
	left := m.box(m.tr.t("System load")+" · "+m.chartDayTitle(), w-rightW, topH, m.systemChart().render(w-rightW-4, topH-2))
	right := append(m.box(m.tr.t("V2G capacity"), rightW, v2gH, m.v2gLines(rightW-4)),
		m.alarmBox(rightW, topH-v2gH)...)
	out := beside(left, right)
	// The setpoints take one line, not a box: at a glance they say
	// whether anything is refused or timing out, and the feeders keep
	// the rows.
	out = append(out, " "+m.setpointLine(w-1))
	// What peers sent that the adapters could not use, under the
	// setpoints while there is any: the feeders give way to it.
	faults := 0
	if l := m.peerFaultLine(w - 1); l != "" {
		out = append(out, " "+l)
		faults = 1
	}
	// A forced release to come, under the setpoints: the feeders give
	// way to it.
	notices := m.releaseNotices(w - 1)
	notices = notices[:min(len(notices), 3)]
	for _, n := range notices {
		out = append(out, " "+n)
	}
	rest := h - topH - 1 - faults - len(notices)
	rows := m.feederRows(p)
	// On a short terminal (100x18) the top boxes and the setpoint line take
	// every row: the feeders' box gets none, and its table must not be
	// asked for a negative height.
	lines := m.feederTable(p, rows, w-4, max(0, rest-2), false)
	return append(out, m.box(m.tr.t("Feeders by loading"), w, rest, lines)...)
}

// overviewCompact is the overview under 100 columns: a shorter chart, one
// line each for V2G, alarms and setpoints, and the top five feeders.
func (m *Model) overviewCompact(p *page, w, h int) []string {
	const oneLiners = 3 // V2G, alarms, setpoints
	feederRows := 5
	feederH := feederRows + 3
	chartH := h - oneLiners - feederH
	if chartH > 16 {
		feederH += chartH - 16
		chartH = 16
	}
	if chartH < 7 {
		feederH = max(4, feederH-(7-chartH))
		chartH = h - oneLiners - feederH
	}
	out := m.box(m.tr.t("System load")+" · "+m.chartDayTitle(), w, chartH, m.systemChart().render(w-4, chartH-2))
	out = append(out, " "+m.v2gLine(w-1), " "+m.alarmLine(w-1), " "+m.setpointLine(w-1))
	// Peer faults take a feeder row while there are any.
	if l := m.peerFaultLine(w - 1); l != "" {
		out = append(out, " "+l)
		feederH--
	}
	// A forced release to come takes a feeder row (one line: the events
	// list and the page say the rest).
	if n := m.releaseNotices(w - 1); len(n) > 0 {
		out = append(out, " "+n[0])
		feederH--
	}
	rows := m.feederRows(p)
	lines := m.feederTable(p, rows, w-4, max(0, feederH-2), true)
	return append(out, m.box(m.tr.t("Feeders by loading"), w, feederH, lines)...)
}

// systemChart is the day's system load: measured so far, the plan for the
// rest of the day when there is one, and the import limit.
func (m *Model) systemChart() dayChart {
	s := m.snap
	span := m.chartSpan()
	day, end := span.start, span.end()
	meas := s.SystemHistory().Range(day, end)
	ch := dayChart{
		series:   []chartSeries{{vals: meas, style: m.st.measured}},
		limit:    s.System.ImportLimitKW,
		bands:    m.opts.TimeOfUse,
		st:       &m.st,
		t:        m.tr.t,
		fromHour: span.fromHour,
		hours:    span.hours,
	}
	ch.legend = append(ch.legend, m.st.measured.Render("⣿")+" "+m.tr.t("measured"))
	if m.opts.Plan != nil {
		if plan := m.opts.Plan.SystemPlanKW(s.At, end); len(plan) > 0 {
			full := make([]float64, len(meas))
			off := int(s.At.Sub(day) / time.Minute)
			for i := range full {
				full[i] = math.NaN()
				if j := i - off; j >= 0 && j < len(plan) {
					full[i] = plan[j]
				}
			}
			ch.series = append(ch.series, chartSeries{vals: full, dotted: true, style: m.st.plan})
			ch.legend = append(ch.legend, m.st.plan.Render("⠁⠁")+" "+m.tr.t("plan"))
		}
	}
	if ch.limit > 0 {
		ch.legend = append(ch.legend, m.st.limit.Render("┄")+" "+m.tr.t("import limit")+" "+limitText(ch.limit))
	}
	if len(ch.bands) > 0 {
		ch.legend = append(ch.legend, "░▒▓ "+m.tr.t("valley/flat/peak"))
	}
	return ch
}

// limitText formats a limit in MW above 10 MW, else kW.
func limitText(v float64) string {
	if v >= 10000 {
		return mw(v)
	}
	return kw(v) + " kW"
}

// v2gLines is the V2G box, w cells inside: capacity now and the outlook.
func (m *Model) v2gLines(w int) []string {
	v := m.snap.V2G
	next := m.v2gOutlook()
	t := m.tr.t
	kv := func(k, val string) string { return fit(k, 19) + " " + val }
	return []string{
		kv(t("can discharge now"), m.v2gFigure(v, mw(v.DischargeKW))),
		kv(t("import reducible"), m.v2gFigure(v, mw(v.ImportReducibleKW))),
		m.v2gOutlookLine(next, w),
		kv(t("energy above needs"), m.v2gFigure(v, mwh(v.EnergyAboveNeedKWh))),
		m.v2gPluggedWide(w),
	}
}

// v2gOutlookLine is the V2G box's outlook in w cells: its label in the
// box's key column, the bars and where the capacity goes ("1.3 → 1.0
// MW"). Where that does not fit the label leaves its column, then the bars
// go: at 100 columns the box cut the figures to "1.3 → …", the end of the
// outlook being what it is read for.
func (m *Model) v2gOutlookLine(next []float64, w int) string {
	label := fmt.Sprintf(m.tr.t("next %d h"), v2gHours)
	figures := m.v2gFigure(m.snap.V2G, strconv.FormatFloat(next[0]/1000, 'f', 1, 64)+" → "+mw(next[len(next)-1]))
	bars := m.v2gBars(next)
	if v2gUnknown(m.snap.V2G) {
		// Empty bars and "0.0 → 0.0 MW" said none to come.
		return fit(label, 19) + " " + figures
	}
	for _, line := range []string{
		fit(label, 19) + " " + bars + " " + figures,
		label + " " + bars + " " + figures,
	} {
		if width(line) <= w {
			return line
		}
	}
	return label + " " + figures
}

// v2gLine is the V2G box as one line of w cells, for the compact layout.
// Where the wording does not fit it gets shorter, then the outlook and the
// plugged count give way whole: cut, at 80 columns with a thousand EVs
// plugged the outlook ended in "…".
func (m *Model) v2gLine(w int) string {
	v := m.snap.V2G
	t := m.tr.t
	head := m.st.bold.Render(t("V2G")) + "  "
	discharge := m.v2gFigure(v, mw(v.DischargeKW))
	reducible := t("reducible") + " " + m.v2gFigure(v, mw(v.ImportReducibleKW))
	plugged := m.v2gPluggedShort()
	outlook := fmt.Sprintf(t("next %d h"), v2gHours) + " " + m.v2gBars(m.v2gOutlook())
	if v2gUnknown(v) {
		outlook = fmt.Sprintf(t("next %d h"), v2gHours) + " —"
	}
	for _, parts := range [][]string{
		{t("can discharge") + " " + discharge, reducible, plugged, outlook},
		{t("discharge") + " " + discharge, reducible, plugged, outlook},
		{t("discharge") + " " + discharge, reducible, plugged},
		{t("discharge") + " " + discharge, reducible},
	} {
		if line := head + strings.Join(parts, " · "); width(line) <= w {
			return fit(line, w)
		}
	}
	return fit(head+t("discharge")+" "+discharge, w)
}

// v2gBars draws the V2G outlook, one column per step, with ntcharts'
// column sparkline: discharge capacity is a quantity from zero, which is
// the scale ntcharts draws. (The load curves use tui's own braille chart:
// they overlay series with gaps, limits and time-of-use bands.)
func (m *Model) v2gBars(next []float64) string {
	hi := 1.0
	for _, v := range next {
		hi = math.Max(hi, v)
	}
	sl := sparkline.New(len(next), 1, sparkline.WithMaxValue(hi), sparkline.WithStyle(m.st.measured))
	sl.PushAll(next)
	sl.DrawColumnsOnly()
	return sl.View()
}

// alarmBox lists the unacknowledged alarms, worst first.
func (m *Model) alarmBox(w, h int) []string {
	b := m.board()
	title := m.tr.t("Alarms") + " · " + thousands(int64(b.Counts.Unack)) + " " + m.tr.t("unacknowledged")
	var shown []alarm.Alarm
	for _, a := range worstUnacked(b.Alarms) {
		if len(shown) >= h-2 {
			break
		}
		shown = append(shown, a)
	}
	// One row without its state word (a peak took its room) drops it
	// from every row that the title or its text says it of: at 160
	// columns "F11 loading 104% (▲106%)     16:33" stood between rows
	// ending "UNACK  16:26", and read as an alarm in some other state.
	bare := false
	for _, a := range shown {
		bare = bare || m.alarmStateDropped(a, w-4)
	}
	var lines []string
	for _, a := range shown {
		lines = append(lines, m.alarmShortIn(a, w-4, bare))
	}
	if len(lines) == 0 {
		if still := m.ackedStillActive(b); still != "" {
			// Wrapped: "▲ HIGH  4 feeders near or over their limit, no
			// alarm yet" is wider than the box at 160 columns.
			lines = append(append(lines, m.tr.t("no unacknowledged alarms")), wrapLines([]string{still}, w-4)...)
		} else {
			lines = append(lines, m.sevText(alarm.SevNone)+"  "+m.tr.t("no unacknowledged alarms"))
		}
	}
	return m.box(title, w, h, lines)
}

// ackedStillActive is the severity and count of the alarms acknowledged
// and still active ("▲ HIGH  4 acknowledged, still active"), else the
// feeders near or over their limit not yet alarmed (notYetAlarmed), ""
// when there are neither. With nothing left to acknowledge the overview
// said "✓ OK" beside four feeders still ▲ HIGH: acknowledged is not
// cleared, nor is not yet alarmed.
func (m *Model) ackedStillActive(b *alarm.Board) string {
	if b.Counts.Acked == 0 || b.Counts.Highest == alarm.SevNone {
		return m.notYetAlarmed(b)
	}
	return m.sevText(b.Counts.Highest) + "  " + fmt.Sprintf(m.tr.t("%s acknowledged, still active"), thousands(int64(b.Counts.Acked)))
}

// notYetAlarmed is the severity and count of the feeders near or over
// their limit that no alarm stands for yet ("▲ HIGH  4 feeders near or
// over their limit, no alarm yet"), "" when there are none. Their loading
// alarms wait out a 30 s delay-on, which a paused feed's clock never
// runs: a desk joining one said "✓ OK" beside F10 at 119%.
func (m *Model) notYetAlarmed(b *alarm.Board) string {
	n, worst := 0, alarm.SevNone
	for i := range m.snap.Feeders {
		fs := &m.snap.Feeders[i]
		if !fs.Seen || fs.Stale || b.FeederSeverity(fs.ID) != alarm.SevNone || b.FeederShelved(fs.ID) != alarm.SevNone {
			continue
		}
		if sev := m.loadingSeverity(fs); sev != alarm.SevNone {
			n++
			if sev == alarm.SevHigh || worst == alarm.SevNone {
				worst = sev
			}
		}
	}
	if n == 0 {
		return ""
	}
	if n == 1 {
		return m.sevText(worst) + "  " + m.tr.t("1 feeder near or over its limit, no alarm yet")
	}
	return m.sevText(worst) + "  " + fmt.Sprintf(m.tr.t("%d feeders near or over their limit, no alarm yet"), n)
}

// alarmSince is the time the overview gives an alarm: when its condition
// began while it still holds ("how long has F10 been over?"), when it
// returned to normal otherwise. The last change alone made every alarm a
// desk started with read the desk's start time (18:20 for an overload on
// since 16:26); the alarms page gives both times.
func alarmSince(a alarm.Alarm) time.Time {
	if a.Active && !a.First.IsZero() {
		return a.First
	}
	return a.Last
}

// alarmSinceClock is alarmSince as the overview writes it: "≤18:42" for
// a condition that began unseen, before the desk's first reading of it
// (alarm.Alarm.BeganUnseen: a desk that joined the feed mid-overload).
func (m *Model) alarmSinceClock(a alarm.Alarm) string {
	s := alarmClock(alarmSince(a), m.siteNow(), m.loc())
	if a.BeganUnseen && a.Active {
		return "≤" + s
	}
	return s
}

// alarmShort is one alarm in a line of w cells: severity, what, state,
// when. The time is last, so the box's times stand in one column whatever
// else a line gives up.
func (m *Model) alarmShort(a alarm.Alarm, w int) string {
	return m.alarmShortIn(a, w, false)
}

// stateSaid reports whether a's state goes without saying in the alarm
// box: every alarm there is unacknowledged (the title), and a loading
// alarm's "was 114%" has returned.
func stateSaid(a alarm.Alarm) bool {
	return a.State == alarm.StateUnack || (a.Kind == alarm.KindLoading && !a.Active)
}

// alarmStateDropped reports whether alarmShort leaves a's state word out
// of a line of w cells for want of room.
func (m *Model) alarmStateDropped(a alarm.Alarm, w int) bool {
	when := "  " + m.alarmSinceClock(a)
	state := "  " + m.stateWord(a.State)
	return w >= 44 && stateSaid(a) && width(m.alarmCell(a)) > w-10-width(state+when)
}

// alarmShortIn is alarmShort; with bare, a line whose state goes without
// saying (stateSaid) leaves it out whatever its room, as another line of
// the box had to.
func (m *Model) alarmShortIn(a alarm.Alarm, w int, bare bool) string {
	text := m.alarmCell(a)
	when := "  " + m.alarmSinceClock(a)
	right := when
	if w >= 44 {
		state := "  " + m.stateWord(a.State)
		switch {
		case width(text) <= w-10-width(state+when) && !(bare && stateSaid(a)):
			right = state + when
		case stateSaid(a):
			// The state before the time when the box or the text says
			// it: every alarm here is unacknowledged (the title), and a
			// loading alarm's "was 114%" has returned. With a peak,
			// "F10 loading 90% (▲120%)", the time went: during an
			// evening peak the box gave no time at all.
		default:
			// The figure before the time: at 160 columns the box read
			// "F11 loading was…  23:27  RTN UNACK" (the alarms view has
			// the time).
			right = state
		}
	}
	return fit(fit(m.sevText(alarmSev(a)), 9)+" "+fit(text, w-10-width(right))+right, w)
}

// alarmLine is the alarm box as one line of w cells, for the compact
// layout: the worst unacknowledged alarm and how many others wait, the
// count kept whole however long the alarm's text.
func (m *Model) alarmLine(w int) string {
	b := m.board()
	worst := worstUnacked(b.Alarms)
	if len(worst) == 0 {
		head := m.st.bold.Render(m.tr.t("Alarms")) + "  " + thousands(int64(b.Counts.Unack)) + " " + m.tr.t("unack")
		if still := m.ackedStillActive(b); still != "" {
			return fit(head+" · "+still, w)
		}
		return fit(head+" · "+m.sevText(alarm.SevNone), w)
	}
	a := worst[0]
	head := m.st.bold.Render(m.tr.t("Alarms")) + "  " + m.sevText(alarmSev(a)) + " "
	body := m.alarmText(a) + " " + m.alarmSinceClock(a)
	tail := ""
	if n := len(worst) - 1; n > 0 {
		tail = " · " + fmt.Sprintf(m.tr.t("+%s more unack"), thousands(int64(n)))
	}
	if room := max(1, w-width(head)-width(tail)); width(body) > room {
		body = fit(body, room)
	}
	return fit(head+body+tail, w)
}
