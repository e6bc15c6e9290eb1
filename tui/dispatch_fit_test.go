package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestShortDispatchPageKeepsWhatTheEventDoesNow: an active event's page
// that does not fit its box gives up the plan's figures, not the lines
// under them. The box cut from the bottom: at 64x18 a feeder event, and at
// 80x24 a system event with chargers not applied, lost "▲ cap missed
// since" and the cancel key to the preview's cost and solve time.
func TestShortDispatchPageKeepsWhatTheEventDoesNow(t *testing.T) {
	for _, c := range []struct {
		lang  string
		w, h  int
		scope string
		want  []string
	}{
		{"", 64, 18, "F10", []string{"▲ cap missed since", "more lines: a taller terminal shows them"}},
		{"", 80, 24, feeds.ScopeSystem, []string{"▲ cap missed since 18:20", "still over after it", "c cancel the event", "not applied", "more lines: a taller terminal shows them"}},
		{"zh-CN", 80, 24, feeds.ScopeSystem, []string{"▲ 自 18:20 起超出上限", "取消事件"}},
		// Room for everything: nothing is left out, nothing said.
		{"", 160, 45, feeds.ScopeSystem, []string{"▲ cap missed since 18:20", "c cancel the event", "EVs affected", "of which a plan without the event"}},
	} {
		m, _, _ := newTestModel(t, c.lang, c.w, c.h)
		start := fixedNow.Add(-time.Hour)
		ev := feeds.EventFrame{ID: "OP-1", Kind: feeds.EventImportCap, Scope: c.scope, KW: 1435, Start: start, End: start.Add(3 * time.Hour)}
		failed := map[string]int{}
		for i, r := range []string{`charge point "CP-0049": not connected`, "rate limit", `modbus: exception 4 (slave device failure)`,
			"batch timeout", `charger "CP-0124" routes to adapter "sim", which is not running`} {
			failed[r] = 12 - i
		}
		deltas := map[string]float64{}
		for i, f := range []string{"F01", "F02", "F03", "F04", "F05", "F06", "F07", "F08", "F09", "F10", "F11", "F12"} {
			deltas[f] = -float64(20 + 10*i)
		}
		m.dr = []control.EventView{{Event: ev, State: control.StateActive, Origin: control.OriginTriage, ProposedBy: "ana", DecidedBy: "ana", Decided: start,
			Plans: 3, LastPlan: fixedNow, LastWhy: control.Why{Kind: control.WhyOverCap, MeasuredKW: 1560, CapKW: 1435},
			NextPlan: fixedNow.Add(2 * time.Minute), NextPlanEarly: true, ToleranceKW: 30,
			Progress: control.Progress{Sends: 3, Unreleasable: 160, Holding: 160, ValidUntil: fixedNow.Add(20 * time.Minute), Sent: 160, Done: 160, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 100, adapters.StatusRejected: 30, adapters.StatusTimeout: 30}, Failed: failed},
			Preview: &plan.Preview{Event: &ev, Start: start, Slot: 15 * time.Minute, EVs: 160, Affected: 80, FeederDeltaKW: deltas, SystemDeltaKW: -1500,
				// The split line (the event itself against a plan without
				// it) and the cap the plan cannot meet, as a real re-plan
				// of a system cap has them.
				Before:          plan.Loads{System: []float64{3000, 3000}, Feeders: map[string][]float64{"F10": {1800, 1800}}},
				After:           plan.Loads{System: []float64{1500, 1500}, Feeders: map[string][]float64{"F10": {1420, 1420}}},
				Reference:       &plan.Reference{After: plan.Loads{System: []float64{1700, 1700}, Feeders: map[string][]float64{"F10": {1500, 1500}}}},
				CapShortfallKWh: 40},
			Track: []control.TrackPoint{{At: fixedNow, MeasuredKW: 1560, PlannedKW: 1420, CapKW: 1435}},
			Alarm: &control.CapAlarm{Event: "OP-1", Scope: c.scope, Since: fixedNow.Add(-22 * time.Minute), Raised: fixedNow.Add(-12 * time.Minute), MeasuredKW: 1560, CapKW: 1435, ToleranceKW: 30}}}
		m.Update(tea.WindowSizeMsg{Width: c.w, Height: c.h})
		m.openDispatch("OP-1")
		screen := ansi.Strip(m.View())
		if got := strings.Count(screen, "\n") + 1; got != c.h {
			t.Errorf("%q %dx%d: %d lines drawn", c.lang, c.w, c.h, got)
		}
		for _, want := range c.want {
			if !strings.Contains(screen, want) {
				t.Errorf("%q %dx%d: the page lacks %q:\n%s", c.lang, c.w, c.h, want, screen)
			}
		}
		if c.w == 160 && strings.Contains(screen, "a taller terminal") {
			t.Errorf("160x45 says lines were left out:\n%s", screen)
		}
	}
}

// TestStaleMeasurementIsNotJudged: while the scope is not heard from (a
// lost feed), the page gave its last figure as the load now and judged it:
// "F10 measured 1,810 kW · △ over the cap by 285 kW · next re-plan 22:54
// (re-planned at once)" for as long as the feed was down, and triage said
// the feeder was over the event's cap. It says when that figure was
// measured and that the cap is not judged on it, in both languages.
func TestStaleMeasurementIsNotJudged(t *testing.T) {
	for _, c := range []struct{ lang, want, notWant string }{
		{"", "F10 last measured 1,810 kW at 18:31 · cap 1,525 kW · ○ STALE: no data since, the cap is not judged", "over the cap"},
		{"zh-CN", "F10 最近实测 1,810 kW (18:31) · 上限 1,525 kW · ○ 失联: 此后无数据, 不判定是否超出上限", "超出上限 285"},
	} {
		m, _, _ := newTestModel(t, c.lang, 160, 45)
		start := fixedNow.Add(-time.Hour)
		ev := feeds.EventFrame{ID: "T-F10-1742", Kind: feeds.EventImportCap, Scope: "F10", KW: 1525, Start: start, End: start.Add(5 * time.Hour)}
		m.dr = []control.EventView{{Event: ev, State: control.StateActive, Plans: 4, LastPlan: fixedNow, NextPlan: fixedNow.Add(3 * time.Minute), ToleranceKW: 30,
			Preview: &plan.Preview{Event: &ev, Start: start, Slot: 15 * time.Minute},
			Track: []control.TrackPoint{{At: fixedNow, MeasuredKW: 1810, PlannedKW: 1500, CapKW: 1525,
				Stale: true, MeasuredAt: fixedNow.Add(-11 * time.Minute)}}}}
		pg := &page{view: viewEvents, kind: pageDispatch, id: ev.ID}
		text := ansi.Strip(strings.Join(m.dispatchView(pg, 160, 45), "\n"))
		triage := ansi.Strip(strings.Join(m.suggestionLines("F10"), "\n"))
		if !strings.Contains(text, c.want) {
			t.Errorf("%q: the page lacks %q:\n%s", c.lang, c.want, text)
		}
		if strings.Contains(text+triage, c.notWant) || strings.Contains(text, "re-plan") || strings.Contains(text, "重新规划 18") {
			t.Errorf("%q: a stale figure judged against the cap:\n%s\n%s", c.lang, text, triage)
		}
	}
}

// TestShortfallNamesWhatTheEventAsks: an export or a shed the plan cannot
// fully make was said as "the cap cannot be fully met: 17.4 MWh over it in
// the plan", though the dispatcher asked for an export or a shed and typed
// no cap; each says what falls short now. An import cap is unchanged.
func TestShortfallNamesWhatTheEventAsks(t *testing.T) {
	for _, c := range []struct {
		lang string
		kind feeds.EventKind
		want string
	}{
		{"", feeds.EventExport, "△ the export cannot be fully delivered: 17.4 MWh short of it in the plan"},
		{"", feeds.EventShed, "△ the shed cannot be fully met: 17.4 MWh short of it in the plan"},
		{"", feeds.EventImportCap, "△ the cap cannot be fully met: 17.4 MWh over it in the plan"},
		{"zh-CN", feeds.EventExport, "△ 无法完全达到放电量: 计划中缺少 17.4 MWh"},
		{"zh-CN", feeds.EventShed, "△ 无法完全达到削减量: 计划中缺少 17.4 MWh"},
	} {
		m, _, _ := newTestModel(t, c.lang, 160, 45)
		start := fixedNow.Truncate(time.Hour)
		ev := feeds.EventFrame{ID: "OP-1", Kind: c.kind, Scope: feeds.ScopeSystem, KW: 2000, Start: start, End: start.Add(2 * time.Hour)}
		m.dr = []control.EventView{{Event: ev, State: control.StatePending, Preview: &plan.Preview{
			Event: &ev, Start: start, Slot: 15 * time.Minute, CapShortfallKWh: 17400}}}
		page := ansi.Strip(strings.Join(m.dispatchView(&page{view: viewEvents, kind: pageDispatch, id: "OP-1"}, 160, 45), "\n"))
		if !strings.Contains(page, c.want) {
			t.Errorf("%q %s: the page lacks %q:\n%s", c.lang, c.kind, c.want, page)
		}
		if c.kind != feeds.EventImportCap && strings.Contains(page, "the cap cannot") {
			t.Errorf("%q %s: the shortfall is called a cap's:\n%s", c.lang, c.kind, page)
		}
	}
}
