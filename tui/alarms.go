package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// alarmRows returns indices into the board's alarms that pass the page's
// filter, cached on the page for the board version and filter.
func (m *Model) alarmRows(p *page) ([]int, *alarm.Board) {
	b := m.board()
	key := "alarm\x00" + p.filter
	if p.idxSeq == b.Version && p.idxKey == key {
		return p.idx, b
	}
	f := strings.ToLower(p.filter)
	idx := p.idx[:0]
	for i := range b.Alarms {
		a := &b.Alarms[i]
		if f != "" && !strings.Contains(strings.ToLower(a.ID+" "+m.alarmText(*a)+" "+m.sevWord(alarmSev(*a))+" "+m.stateWord(a.State)), f) {
			continue
		}
		idx = append(idx, i)
	}
	p.idx, p.idxSeq, p.idxKey = idx, b.Version, key
	return idx, b
}

// shelveWhat names the alarm the shelve prompt is for as the list words
// it ("F11 负载率 108%"): its id ("loading/F11") is the engine's, in
// English; an alarm gone from the board meanwhile is named by its id.
func (m *Model) shelveWhat() string {
	if a, ok := m.board().Find(m.shelveID); ok {
		return m.alarmText(a)
	}
	return m.shelveID
}

// alarmSev is the severity an alarm is listed with: the level it is at
// now, or, returned to normal unacknowledged, the highest it reached (there
// is no level now; what it reached is what the operator must learn).
func alarmSev(a alarm.Alarm) alarm.Severity {
	if !a.Active {
		return max(a.Severity, a.Peak)
	}
	return a.Severity
}

// alarmText says what an alarm is about, without its severity, as a
// phrase for one line (the overview's alarm line, a flash, the filter):
// single-spaced, "F10 loading 96% (▲119%)". An active alarm that eased
// before anyone acknowledged it adds the level and figure it reached
// (alarm.Alarm.Peak), also when it is still at that level: "F10 loading
// 117% (▲122%)".
func (m *Model) alarmText(a alarm.Alarm) string { return m.alarmTextIn(a, 0) }

// alarmCell is alarmText for a column of alarms, the alarms list's and the
// overview's box: the loading figure is padded to 4 cells, "F10 loading
// 96%" under "F06 loading 112%" with one more space, so the figures
// stand in line.
func (m *Model) alarmCell(a alarm.Alarm) string { return m.alarmTextIn(a, 4) }

// alarmTextIn is alarmText with the loading figure right-aligned in pad
// cells (0: as wide as it is).
func (m *Model) alarmTextIn(a alarm.Alarm, pad int) string {
	text := m.alarmWhatIn(a, pad)
	if eased(a) {
		_, glyph := m.sevMark(a.Peak)
		if a.Kind == alarm.KindLoading {
			glyph += pct(a.PeakValue)
		}
		text += " (" + glyph + ")"
	}
	return text
}

// eased reports whether an active alarm is below what it reached since it
// was last acknowledged: at a lower level, or, still over the limit (HIGH)
// as a loading, at a lower figure as the list words it. A HIGH overload
// that eased from 122 % to 117 % showed no peak while one that eased to
// WARN did, so the operator could not tell how far over the feeder had
// gone. A warning's peak within the warning band is not shown: it is not
// over the limit, and its point up and down would push the time out of
// the overview's box.
func eased(a alarm.Alarm) bool {
	if !a.Active {
		return false // alarmWhat words the peak itself
	}
	if a.Peak > a.Severity {
		return true
	}
	return a.Kind == alarm.KindLoading && a.Severity == alarm.SevHigh &&
		a.PeakValue > a.Value && pct(a.PeakValue) != pct(a.Value)
}

// alarmWhat is alarmText without the peak.
func (m *Model) alarmWhat(a alarm.Alarm) string { return m.alarmWhatIn(a, 0) }

// alarmWhatIn is alarmTextIn without the peak.
func (m *Model) alarmWhatIn(a alarm.Alarm, pad int) string {
	t := m.tr.t
	figure := func(v float64) string { return fitR(pct(v), max(pad, width(pct(v)))) }
	dur := time.Duration(a.Value * float64(time.Second))
	switch a.Kind {
	case alarm.KindLoading:
		if !a.Active {
			// Returned to normal: the most it reached before anyone
			// acknowledged it, not the feeder's loading now.
			return fmt.Sprintf(t("%s loading was %s"), a.Source, figure(max(a.Value, a.PeakValue)))
		}
		return fmt.Sprintf(t("%s loading %s"), a.Source, figure(a.Value))
	case alarm.KindStaleFeed:
		if a.Source == "feed" {
			return fmt.Sprintf(t("feed silent %s"), agoHours(dur, t))
		}
		return fmt.Sprintf(t("%s no data %s"), a.Source, agoHours(dur, t))
	case alarm.KindFeedDown:
		return t("feed link down")
	case alarm.KindFault:
		return fmt.Sprintf(t("%s fault"), a.Source)
	case alarm.KindCapMissed:
		// Worded as the event's kind says its target; an event the desk
		// no longer knows is worded as a cap, as the alarm is named.
		var kind feeds.EventKind
		if v, ok := m.drEvent(a.Source); ok {
			kind = v.Event.Kind
		}
		return fmt.Sprintf(m.capWords(kind).alarm, a.Source, kw(a.Value))
	case alarm.KindCommLost:
		if math.IsNaN(a.Value) || a.Value <= 0 {
			return fmt.Sprintf(t("%s offline"), a.Source)
		}
		return fmt.Sprintf(t("%s no data %s"), a.Source, agoHours(dur, t))
	}
	return a.ID
}

// stateWord is an ISA-18.2 state as the list shows it.
func (m *Model) stateWord(s alarm.State) string {
	switch s {
	case alarm.StateUnack:
		return m.st.bold.Render(m.tr.t("UNACK"))
	case alarm.StateAcked:
		return m.tr.t("ACK")
	case alarm.StateRTNUnack:
		return m.st.bold.Render(m.tr.t("RTN UNACK"))
	case alarm.StateShelved:
		return m.st.dim.Render(m.tr.t("SHELVED"))
	}
	return m.tr.t("NORMAL")
}

// priorityWord is an ISA-18.2 priority.
func (m *Model) priorityWord(p alarm.Priority) string {
	switch p {
	case alarm.PriorityHigh:
		return m.tr.t("high")
	case alarm.PriorityMedium:
		return m.tr.t("medium")
	}
	return m.tr.t("low")
}

// alarmsView is view 4: the alarm list with ISA-18.2 states.
func (m *Model) alarmsView(p *page, w, h int) []string {
	rows, b := m.alarmRows(p)
	t := m.tr.t
	all := []column{
		{title: t("severity"), w: 9},
		{title: t("priority"), w: 8, drop: 3},
		{title: t("alarm"), w: 26},
		{title: t("state"), w: 10},
		{title: t("first"), w: 5, drop: 2},
		{title: t("last"), w: 5},
		{title: t("by · reason"), w: 16, flex: true, drop: 1},
	}
	const colFirst = 4
	for _, i := range rows {
		if b.Alarms[i].BeganUnseen {
			// "≤18:42", whole: a cell for its mark while an alarm
			// needs it (alarmFirst), taken from the reason's room, not
			// the alarm's: at 80 columns "(▲119%)" was cut.
			all[colFirst].w++
			all[len(all)-1].w--
			break
		}
	}
	inner := h - 2
	cols, keep := layoutColumns(all, w-4)
	// first matters as much as last: when an overload began is what the
	// on-call engineer asks. Where it would be left out (80 columns) the
	// alarm column gives up to 4 cells for it, rather than the list
	// keeping last alone.
	for cut := 1; cut <= 4 && !slices.Contains(keep, colFirst); cut++ {
		narrow := slices.Clone(all)
		narrow[colAlarmText].w -= cut
		if c, k := layoutColumns(narrow, w-4); slices.Contains(k, colFirst) {
			cols, keep = c, k
		}
	}
	var lines []string
	if m.catchUp != nil && inner > 2 {
		// What a seek skipped, above the list until dismissed: the
		// footer's flash of it goes after a few seconds.
		lines = append(lines, "  "+m.catchUpLine(w-6))
	}
	lines = append(lines, m.tableHeader(cols, w-4))
	top := len(lines)
	scroll(p, len(rows), inner-top)
	p.visible = inner - top
	loc, now := m.loc(), m.siteNow()
	// A shelved alarm may take a second line (shelvedNote): keep the
	// cursor's row, and its note, on screen.
	for p.offset < p.cursor && m.alarmSpan(b, rows, p.offset, p.cursor, cols, keep, w-4) > inner-top {
		p.offset++
	}
	shown := 0
	for r := p.offset; r < len(rows) && len(lines) < inner; r++ {
		a := b.Alarms[rows[r]]
		by := m.alarmBy(a)
		note := m.shelvedNote(a, cols, keep, w-4)
		if note != "" && len(lines)+1 < inner {
			// The note under the row says until when, who and why whole:
			// the cell names only who, rather than the same words cut.
			by = m.who(a.ShelvedBy)
		} else {
			note = ""
		}
		cells := []string{m.sevText(alarmSev(a)), m.priorityWord(a.Priority), m.alarmCell(a), m.stateWord(a.State),
			alarmFirst(a, now, loc), alarmClock(a.Last, now, loc), by}
		lines = append(lines, m.tableRow(cols, pick(cells, keep), r == p.cursor, w-4))
		shown++
		if note != "" {
			lines = append(lines, note)
		}
	}
	switch {
	case len(rows) == 0 && p.filter != "":
		// Not "✓ OK": alarms may be standing, the filter hides them.
		lines = append(lines, "  "+fmt.Sprintf(t("no alarm matches the filter %q (esc clears it)"), clean(p.filter)))
	case len(rows) == 0:
		lines = append(lines, "  "+m.sevText(alarm.SevNone)+"  "+t("no alarms"))
	}
	c := b.Counts
	title := fmt.Sprintf(t("Alarms · %s unacknowledged · %s acknowledged · %s shelved"),
		thousands(int64(c.Unack)), thousands(int64(c.Acked)), thousands(int64(c.Shelved)))
	if len(rows) > 0 || p.filter != "" {
		title += " · " + m.rangeText(p, len(rows), max(shown, 1))
	}
	return m.box(title, w, h, lines)
}

// alarmSpan is how many lines the list's rows from..to (inclusive) take.
func (m *Model) alarmSpan(b *alarm.Board, rows []int, from, to int, cols []column, keep []int, w int) int {
	n := 0
	for r := from; r <= to && r < len(rows); r++ {
		n += m.alarmLines(b.Alarms[rows[r]], cols, keep, w)
	}
	return n
}

// selectedAlarm is the id of the alarm under the cursor in the alarm list.
func (m *Model) selectedAlarm(p *page) (string, bool) {
	if p.kind != pageList || p.view != viewAlarms || m.snap == nil {
		return "", false
	}
	rows, b := m.alarmRows(p)
	if p.cursor < 0 || p.cursor >= len(rows) {
		return "", false
	}
	return b.Alarms[rows[p.cursor]].ID, true
}
