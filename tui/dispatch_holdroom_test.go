package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Holds refused: the page says what the plan assumed of those chargers,
// their full power from when their last acknowledged setpoint lapsed, in
// English and zh-CN; with none planned so, it says nothing of it.
func TestDispatchProgressSaysHeldFullPower(t *testing.T) {
	v := control.EventView{Event: feeds.EventFrame{ID: "OP-1", Scope: "F07"}, State: control.StateActive, Plans: 3, LastPlan: fixedNow,
		Progress: control.Progress{Sends: 3, Sent: 48, Done: 48, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 46, adapters.StatusRejected: 2},
			HeldAsked: 20, Held: 18, HeldSince: fixedNow.Add(-15 * time.Minute), HeldLastHeard: fixedNow.Add(-21 * time.Minute),
			HeldUntil: fixedNow.Add(20 * time.Minute), HeldFull: 2, HeldFullKW: 22, HeldFullFrom: fixedNow.Add(5 * time.Minute)}}
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		from := hhmm(v.Progress.HeldFullFrom, m.loc())
		want := "△ 2 chargers on stale data, latest setpoint not acknowledged: planned as if drawing 22 kW from " + from
		if lang == "zh-CN" {
			want = "△ 2 个数据过期的充电桩最近的设定值未获确认: 按自 " + from + " 起满功率 22 kW 计划"
		}
		got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
		if !strings.Contains(got, want) {
			t.Errorf("%q progress:\n%s\nwant %q", lang, got, want)
		}
	}
	v.Progress.HeldFull, v.Progress.HeldFullKW, v.Progress.HeldFullFrom = 0, 0, time.Time{}
	m, _, _ := newTestModel(t, "", 160, 45)
	if got := ansi.Strip(strings.Join(m.progressLines(&v), "\n")); strings.Contains(got, "planned as if") {
		t.Errorf("no hold planned at full power, the page says:\n%s", got)
	}
}
