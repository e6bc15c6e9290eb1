package tui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestWhyText words the controller's reasons from their figures in each
// language; the English is the journal's sentence but for the figures'
// thousands separators.
func TestWhyText(t *testing.T) {
	slot := day.Add(18*time.Hour + 15*time.Minute)
	check := control.HandBack{Scope: "F07", PeakKW: 4100, PeakAt: slot, LimitKW: 4000}
	for _, tc := range []struct {
		why    control.Why
		en, zh string
	}{
		{control.Why{Kind: control.WhyConfirmed}, "confirmed", "已确认"},
		{control.Why{Kind: control.WhyNewSlot, At: slot}, "new slot 18:15", "新时段 18:15"},
		{control.Why{Kind: control.WhyOverCap, MeasuredKW: 3712, CapKW: 3600},
			"over cap: measured 3,712 kW, cap 3,600 kW", "超出上限: 实测 3,712 kW, 上限 3,600 kW"},
		// An export's cap is minus its target: the re-plan read "over cap:
		// measured -1,810 kW, cap -2,000 kW"; it is a shortfall in export.
		{control.Why{Kind: control.WhyOverCap, Event: feeds.EventExport, MeasuredKW: -1810, CapKW: -2000},
			"export short: measured 1,810 kW export, target 2,000 kW export", "放电不足: 实测放电 1,810 kW, 放电目标 2,000 kW"},
		{control.Why{Kind: control.WhyOverCap, Event: feeds.EventExport, MeasuredKW: 140, CapKW: -2000},
			"export short: measured 140 kW import, target 2,000 kW export", "放电不足: 实测受电 140 kW, 放电目标 2,000 kW"},
		{control.Why{Kind: control.WhyOverCap, Event: feeds.EventShed, MeasuredKW: 3300, CapKW: 3210},
			"over the shed target: measured 3,300 kW, target 3,210 kW", "超出削减目标: 实测 3,300 kW, 削减目标 3,210 kW"},
		{control.Why{Kind: control.WhyOverCap, Event: feeds.EventImportCap, MeasuredKW: 3712, CapKW: 3600},
			"over cap: measured 3,712 kW, cap 3,600 kW", "超出上限: 实测 3,712 kW, 上限 3,600 kW"},
		{control.Why{Kind: control.WhyDrift, MeasuredKW: 3900, PlannedKW: 3500},
			"drift: measured 3,900 kW, planned 3,500 kW", "偏离计划: 实测 3,900 kW, 计划 3,500 kW"},
		// An export's drift kept the load's sign, "drift: measured -1,358
		// kW, planned -1,300 kW", beside its shortfall's "measured 1,810 kW
		// export": its figures are export, or import while it draws.
		{control.Why{Kind: control.WhyDrift, Event: feeds.EventExport, MeasuredKW: -1358, PlannedKW: -1300},
			"drift: measured 1,358 kW export, planned 1,300 kW export", "偏离计划: 实测放电 1,358 kW, 计划放电 1,300 kW"},
		{control.Why{Kind: control.WhyDrift, Event: feeds.EventExport, MeasuredKW: 40, PlannedKW: -30},
			"drift: measured 40 kW import, planned 30 kW export", "偏离计划: 实测受电 40 kW, 计划放电 30 kW"},
		{control.Why{Kind: control.WhyDrift, Event: feeds.EventShed, MeasuredKW: 3900, PlannedKW: 3500},
			"drift: measured 3,900 kW, planned 3,500 kW", "偏离计划: 实测 3,900 kW, 计划 3,500 kW"},
		{control.Why{Kind: control.WhyWindowOver, HandBack: check},
			"window over; if released now, charging would take F07 to 4,100 kW (102%) at 18:15 (limit 4,000 kW)",
			"时段结束; 若立即释放, 充电将使 F07 升至 4,100 kW (102%), 于 18:15 (上限 4,000 kW)"},
		{control.Why{Kind: control.WhyHandBack, At: slot, HandBack: control.HandBack{Scope: feeds.ScopeSystem, PeakKW: 9000, PeakAt: slot, LimitKW: 8000}},
			"hand-back 18:15; if released now, charging would take the system to 9,000 kW (112%) at 18:15 (limit 8,000 kW)",
			"逐步交还 18:15; 若立即释放, 充电将使 全系统 升至 9,000 kW (112%), 于 18:15 (上限 8,000 kW)"},
		{control.Why{Kind: control.WhyReleased, LimitKW: 4000},
			"window over; released: unmanaged charging stays under the 4,000 kW limit", "时段结束; 已释放: 无序充电不超过 4,000 kW 上限"},
		{control.Why{Kind: control.WhyForcedRelease, Hold: 90 * time.Minute, HandBack: check},
			"window over; released at the 1.5 h hand-back limit, though charging would take F07 to 4,100 kW (102%) at 18:15 (limit 4,000 kW)",
			"时段结束; 已到 1.5 小时 交还时限而释放, 但充电将使 F07 升至 4,100 kW (102%), 于 18:15 (上限 4,000 kW)"},
		{control.Why{Kind: control.WhyUnconfirmed}, "its window ended before it was confirmed", "时段在确认前已结束"},
		// A seek's re-plan, forward and back (the journal's sentence).
		{control.Why{Kind: control.WhySeek, From: slot, At: slot.Add(95 * time.Minute)}, "seek from 18:15 to 19:50", "从 18:15 跳转到 19:50"},
		{control.Why{Kind: control.WhySeek, From: slot, At: slot.Add(-15 * time.Minute)}, "seek back from 18:15 to 18:00", "从 18:15 回跳到 18:00"},
		{control.Why{Kind: control.WhySeek, At: slot}, "seek to 18:15", "跳转到 18:15"},
	} {
		for _, l := range []struct{ lang, want string }{{"en", tc.en}, {"zh-CN", tc.zh}} {
			m, _, _ := newTestModel(t, l.lang, 160, 45)
			if got := m.whyText(tc.why); got != l.want {
				t.Errorf("%s %s:\n got %q\nwant %q", l.lang, tc.why.Kind, got, l.want)
			}
		}
	}
}

// TestReasonText: the desk's own reasons for declining and cancelling are
// worded again on screen; anyone else's are shown as given.
func TestReasonText(t *testing.T) {
	m, _, _ := newTestModel(t, "zh-CN", 160, 45)
	for _, tc := range []struct{ reason, want string }{
		{reasonDeclined, "在控制台拒绝"},
		{reasonCancelled, "在控制台取消"},
		{"replaced by OP-3 at the desk", "在控制台被 OP-3 取代"},
		{"replaced by OP-3 at the desk, twice", "replaced by OP-3 at the desk, twice"},
		{"scope F99 is unknown", "scope F99 is unknown"},
	} {
		if got := m.reasonText(&control.EventView{Reason: tc.reason}); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.reason, got, tc.want)
		}
	}
}

// TestDRErrText: the controller's refusals read in the operator's
// language; English keeps the details.
func TestDRErrText(t *testing.T) {
	err := fmt.Errorf("confirm %q: %w: event DR-17 (import cap F07) is active on the same scope", "OP-1", control.ErrConflict)
	for _, tc := range []struct{ lang, want string }{
		{"en", err.Error()},
		{"zh-CN", "与另一调度冲突"},
	} {
		m, _, _ := newTestModel(t, tc.lang, 160, 45)
		if got := m.drErrText(err); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.lang, got, tc.want)
		}
	}
	m, _, _ := newTestModel(t, "zh-CN", 160, 45)
	// An error the desk cannot word (an adapter's) says it is English.
	if got := m.drErrText(errors.New("modbus: i/o timeout")); got != "英文原文: modbus: i/o timeout" {
		t.Errorf("an unnamed error: %q, want it after a lead that says it is English", got)
	}
}

// TestWhyTextIsTheJournals: the desk's English reason is the journal's
// sentence (control.Why.String), the figures aside (grouped on screen,
// "3,712", and a minus sign "−"), for a reason of every kind: the desk
// words it from control.Why.Text, where it kept a copy of each sentence
// that could drift from the journal's. A source that ended is named as
// the desk's header names it (here a simulation).
func TestWhyTextIsTheJournals(t *testing.T) {
	slot := day.Add(18*time.Hour + 15*time.Minute)
	check := control.HandBack{Scope: "F07", PeakKW: 4100, PeakAt: slot, LimitKW: 4000}
	m, _, _ := newTestModel(t, "en", 160, 45)
	figures := strings.NewReplacer(",", "", "−", "-")
	for _, w := range []control.Why{
		{Kind: control.WhyConfirmed},
		{Kind: control.WhyNewSlot, At: slot},
		{Kind: control.WhyOverCap, MeasuredKW: 3712, CapKW: 3600},
		{Kind: control.WhyOverCap, Event: feeds.EventExport, MeasuredKW: -1810, CapKW: -2000},
		{Kind: control.WhyOverCap, Event: feeds.EventExport, MeasuredKW: 140, CapKW: -2000},
		{Kind: control.WhyOverCap, Event: feeds.EventShed, MeasuredKW: 3300, CapKW: 3210},
		{Kind: control.WhyDrift, MeasuredKW: 3900, PlannedKW: 3500},
		{Kind: control.WhyDrift, Event: feeds.EventExport, MeasuredKW: 40, PlannedKW: -30},
		{Kind: control.WhyWindowOver, HandBack: check},
		{Kind: control.WhyHandBack, At: slot, HandBack: check},
		{Kind: control.WhySeek, From: slot, At: slot.Add(time.Hour)},
		{Kind: control.WhySeek, From: slot, At: slot.Add(-time.Hour)},
		{Kind: control.WhyReleased, LimitKW: 4000},
		{Kind: control.WhyNoHandBackPlan, Err: "no topology"},
		{Kind: control.WhyForcedRelease, Hold: 90 * time.Minute, HandBack: check},
		{Kind: control.WhyUnconfirmed},
		{Kind: control.WhySourceEnded, At: slot, Mode: m.mode()},
	} {
		w.At, w.From = w.At.In(m.loc()), w.From.In(m.loc())
		if got, want := figures.Replace(m.whyText(w)), figures.Replace(w.String()); got != want {
			t.Errorf("%s:\n desk    %q\n journal %q", w.Kind, got, want)
		}
	}
}
