package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestAlarmBoxKeepsTheFigure: at 160 columns the overview's alarm box read
// "F11 loading was…  23:27  RTN UNACK" and "CP-3000 no data…": the figure
// went and the time stayed. The figure stays; the time gives way (the
// alarms view has it).
func TestAlarmBoxKeepsTheFigure(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	for _, c := range []struct {
		a    alarm.Alarm
		want string
	}{
		{alarm.Alarm{Kind: alarm.KindLoading, Source: "F11", Value: 104, Severity: alarm.SevWarn, State: alarm.StateRTNUnack, Last: fixedNow},
			"F11 loading was 104%"},
		{alarm.Alarm{Kind: alarm.KindStaleFeed, Source: "CP-3000", Value: 18 * 3600, Severity: alarm.SevStale, State: alarm.StateRTNUnack, Last: fixedNow},
			"CP-3000 no data 18 h"},
		{alarm.Alarm{Kind: alarm.KindLoading, Source: "F07", Value: 118, Active: true, Severity: alarm.SevHigh, State: alarm.StateUnack, Last: fixedNow},
			"F07 loading 118%"},
	} {
		got := ansi.Strip(m.alarmShort(c.a, 44))
		if !strings.Contains(got, c.want) || ansi.StringWidth(got) != 44 {
			t.Errorf("box line %q (%d cells), want %q in 44 cells", got, ansi.StringWidth(got), c.want)
		}
		if !strings.HasSuffix(strings.TrimSpace(got), ansi.Strip(m.stateWord(c.a.State))) && !strings.HasSuffix(strings.TrimSpace(got), "18:42") {
			t.Errorf("box line %q ends in neither its state nor its time", got)
		}
	}
}

// TestAlarmBoxKeepsTheTime: at 160 columns an unacknowledged alarm with a
// peak, "F10 loading 90% (▲120%)", lost its time to its state word in the
// overview's box, and so did a returned overload: during an evening peak no
// line had a time. The state word gives way first where the box or the
// text says it (every alarm in the box is unacknowledged; "was 114%" has
// returned); a returned alarm whose text does not say so keeps its state.
// In English and zh-CN.
func TestAlarmBoxKeepsTheTime(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		at := hhmm(fixedNow, m.loc())
		for _, c := range []struct {
			a           alarm.Alarm
			time, state bool
		}{
			{alarm.Alarm{Kind: alarm.KindLoading, Source: "F10", Value: 90, Peak: alarm.SevHigh, PeakValue: 120, Active: true,
				Severity: alarm.SevWarn, State: alarm.StateUnack, First: fixedNow, Last: fixedNow}, true, false},
			{alarm.Alarm{Kind: alarm.KindLoading, Source: "F08", Value: 95, PeakValue: 114, Severity: alarm.SevHigh, Peak: alarm.SevHigh,
				State: alarm.StateRTNUnack, Last: fixedNow}, true, false},
			{alarm.Alarm{Kind: alarm.KindStaleFeed, Source: "CP-3000", Value: 18 * 3600, Severity: alarm.SevStale,
				State: alarm.StateRTNUnack, Last: fixedNow}, false, true},
			// Room for both: the state, then the time, in the column of
			// the others' times.
			{alarm.Alarm{Kind: alarm.KindLoading, Source: "F07", Value: 118, Peak: alarm.SevHigh, PeakValue: 118, Active: true,
				Severity: alarm.SevHigh, State: alarm.StateUnack, First: fixedNow, Last: fixedNow}, true, true},
		} {
			got := ansi.Strip(m.alarmShort(c.a, 44))
			if strings.Contains(got, at) != c.time || strings.Contains(got, ansi.Strip(m.stateWord(c.a.State))) != c.state {
				t.Errorf("%s: box line %q: time %s shown %v, state shown %v; want %v and %v",
					lang, got, at, strings.Contains(got, at), strings.Contains(got, ansi.Strip(m.stateWord(c.a.State))), c.time, c.state)
			}
			if strings.Contains(got, "…") {
				t.Errorf("%s: box line %q is cut", lang, got)
			}
			// The time is last, so the box's times stand in one column
			// whether a line keeps its state or not.
			if c.time && !strings.HasSuffix(strings.TrimRight(got, " "), at) {
				t.Errorf("%s: box line %q does not end in its time", lang, got)
			}
		}
	}
}

// TestAlarmBoxStatesAllOrNone: where one line of the overview's alarm box
// has no room for its state word (a peak, a long zh-CN text), no line says
// the state the box's title says of them all: at 160 columns "F11 loading
// 104% (▲106%)     16:33" stood between lines ending "UNACK  16:26", and
// read as an alarm in another state. In English and zh-CN.
func TestAlarmBoxStatesAllOrNone(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		peak := alarm.Alarm{Kind: alarm.KindLoading, Source: "F11", Value: 104, Peak: alarm.SevHigh, PeakValue: 106, Active: true,
			Severity: alarm.SevHigh, State: alarm.StateUnack, First: fixedNow, Last: fixedNow}
		plain := alarm.Alarm{Kind: alarm.KindLoading, Source: "F10", Value: 121, Peak: alarm.SevHigh, PeakValue: 121, Active: true,
			Severity: alarm.SevHigh, State: alarm.StateUnack, First: fixedNow, Last: fixedNow}
		unack := ansi.Strip(m.stateWord(alarm.StateUnack))
		if !m.alarmStateDropped(peak, 44) || m.alarmStateDropped(plain, 44) {
			t.Fatalf("%s: the peak's line wants no room for its state, the plain one room for it", lang)
		}
		if got := ansi.Strip(m.alarmShortIn(plain, 44, false)); !strings.Contains(got, unack) {
			t.Errorf("%s: alone, %q has room for its state and drops it", lang, got)
		}
		if got := ansi.Strip(m.alarmShortIn(plain, 44, true)); strings.Contains(got, unack) {
			t.Errorf("%s: beside a line without its state, %q still says it", lang, got)
		}
		// The box itself, on the fixture's alarms: every line or none.
		box := m.alarmBox(48, 12)
		with, without := 0, 0
		for _, l := range box[1 : len(box)-1] {
			l = ansi.Strip(l)
			if strings.TrimSpace(strings.Trim(l, "│")) == "" {
				continue
			}
			if strings.Contains(l, unack) {
				with++
			} else {
				without++
			}
		}
		if with > 0 && without > 0 {
			t.Errorf("%s: %d lines say %q, %d do not:\n%s", lang, with, unack, without, ansi.Strip(strings.Join(box, "\n")))
		}
	}
}
