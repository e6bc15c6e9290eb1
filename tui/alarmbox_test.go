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
		if !strings.HasSuffix(strings.TrimSpace(got), ansi.Strip(m.stateWord(c.a.State))) {
			t.Errorf("box line %q does not end in its state", got)
		}
	}
}
