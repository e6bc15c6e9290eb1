package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestMissedTargetSaysTarget: an export missing its target for long enough
// to alarm read "▲ CAP MISSED" at the head of its page and in the events
// list, and "OP-1 over cap 129 kW" in the alarm list, beside its progress
// line's "▲ export target missed since 19:37". Its state and its alarm say
// its target, a shed's too, in English and zh-CN; an import cap's, and an
// alarm of an event the desk no longer knows, as before.
func TestMissedTargetSaysTarget(t *testing.T) {
	for _, tc := range []struct {
		lang        string
		kind        feeds.EventKind
		state, line string
	}{
		{"", feeds.EventExport, "▲ TARGET MISSED", "OP-1 export short 129 kW"},
		{"", feeds.EventShed, "▲ TARGET MISSED", "OP-1 over shed target 129 kW"},
		{"", feeds.EventImportCap, "▲ CAP MISSED", "OP-1 over cap 129 kW"},
		{"", "", "", "OP-1 over cap 129 kW"}, // not among the desk's events
		{"zh-CN", feeds.EventExport, "▲ 未达目标", "OP-1 放电不足 129 kW"},
		{"zh-CN", feeds.EventShed, "▲ 未达目标", "OP-1 超出削减目标 129 kW"},
		{"zh-CN", feeds.EventImportCap, "▲ 未达上限", "OP-1 超限额 129 kW"},
	} {
		m, _, _ := newTestModel(t, tc.lang, 160, 45)
		v := control.EventView{Event: feeds.EventFrame{ID: "OP-1", Kind: tc.kind, Scope: "F01", KW: 150}, State: control.StateActive,
			Alarm: &control.CapAlarm{Event: "OP-1", Scope: "F01", Since: fixedNow}}
		if tc.kind != "" {
			m.dr = []control.EventView{v}
			if got := ansi.Strip(m.drStateText(&v)); got != tc.state {
				t.Errorf("%q %s: state %q, want %q", tc.lang, tc.kind, got, tc.state)
			}
		}
		a := alarm.Alarm{ID: "cap_missed/OP-1", Kind: alarm.KindCapMissed, Source: "OP-1", Feeder: "F01", Severity: alarm.SevHigh,
			Active: true, Value: 129}
		if got := ansi.Strip(m.alarmWhat(a)); !strings.Contains(got, tc.line) {
			t.Errorf("%q %s: alarm %q, want %q", tc.lang, tc.kind, got, tc.line)
		}
	}
}
