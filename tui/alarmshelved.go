package tui

import (
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// colAlarmText is the alarm list's "alarm" column in alarmsView's columns.
const colAlarmText = 2

// colBy is the alarm list's "by · reason" column in alarmsView's columns.
const colBy = 6

// shelvedUntil says when an alarm's shelving ends, "until 11-28 00:40
// wall clock", or "" when it has no end.
func (m *Model) shelvedUntil(a alarm.Alarm) string {
	if a.ShelvedUntil.IsZero() {
		return ""
	}
	s := m.tr.t("until") + " " + dayTime(a.ShelvedUntil, m.now(), m.loc())
	if m.mode() != feeds.ModeLive {
		// Shelving runs on the wall clock, not the replayed or simulated
		// day every other time here is in.
		s += " " + m.tr.t("wall clock")
	}
	return s
}

// alarmBy is an alarm's "by · reason" cell: who acknowledged it, or who
// shelved it, why and until when.
func (m *Model) alarmBy(a alarm.Alarm) string {
	switch a.State {
	case alarm.StateAcked:
		return m.who(a.AckedBy)
	case alarm.StateShelved:
		by := m.who(a.ShelvedBy) + " · " + a.ShelveReason
		if until := m.shelvedUntil(a); until != "" {
			by += " · " + until
		}
		return by
	}
	return ""
}

// shelvedNote is the line under a shelved alarm's row whose "by · reason"
// cell cannot hold it whole (at 80 columns the cell is 16 wide and read
// "local · works ·…"): when the shelving ends, then why, indented under
// the alarm. The end goes first, so a long reason is what gets cut. Who
// shelved it is in the note only where the list has no "by" column: the
// cell names them (alarmsView), and the note named them again. It is ""
// when the cell holds it all, or the alarm is not shelved.
func (m *Model) shelvedNote(a alarm.Alarm, cols []column, keep []int, w int) string {
	if a.State != alarm.StateShelved {
		return ""
	}
	by := m.alarmBy(a)
	indent := width(cursorMark)
	byShown := false
	for j, i := range keep {
		if i == colBy {
			if width(by) <= cols[j].w {
				return ""
			}
			byShown = true
			break
		}
	}
	for j, i := range keep {
		if i == colAlarmText {
			break
		}
		indent += cols[j].w + 1
	}
	note := a.ShelveReason
	if !byShown {
		note = m.who(a.ShelvedBy) + " · " + note
	}
	if until := m.shelvedUntil(a); until != "" {
		note = until + " · " + note
	}
	return fit("", indent) + m.st.dim.Render(fit(note, w-indent))
}

// alarmLines is how many lines an alarm takes in the list: its row, and
// the shelvedNote under it when it has one.
func (m *Model) alarmLines(a alarm.Alarm, cols []column, keep []int, w int) int {
	if m.shelvedNote(a, cols, keep, w) != "" {
		return 2
	}
	return 1
}
