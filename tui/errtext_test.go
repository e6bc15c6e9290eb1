package tui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// claimedError is a claim another session holds, as the SSH desk's
// registry words it (sshd.ConflictError, which this package cannot import).
type claimedError struct{}

func (*claimedError) Error() string {
	return "scope:F07 is already being dispatched by ana for OP-1 cap F07 at 1500 kW 18:30–19:30 since 18:42:10"
}

func (e *claimedError) In(lang string) string {
	if lang == "zh-CN" {
		return "F07 正由 ana 调度, 自 18:42:10 起"
	}
	return e.Error()
}

// plannerErrCases are the planner's and the controller's errors a desk
// meets, wrapped as the controller returns them, with how a zh-CN desk
// words them; an English desk shows each as it is.
func plannerErrCases() []struct {
	name string
	err  error
	zh   string
} {
	at := day.Add(18*time.Hour + 31*time.Minute)
	h := func(hh, mm int) time.Time {
		return day.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	}
	invalid := func(e *control.InvalidEventError) error {
		e.Event, e.Site, e.At = "OP-2", "Demo City", at
		return fmt.Errorf("propose event %q: %w", e.Event, e)
	}
	planErr := func(e *plan.EventError) error {
		e.Event = "DR-9"
		return fmt.Errorf("preview %q: %w", e.Event, fmt.Errorf("plan %q: %w", e.Event, e))
	}
	return []struct {
		name string
		err  error
		zh   string
	}{
		// The event form's (a window in the past, a kW the kind refuses)
		// and a feed's events, declined on arrival (a shed of 0 kW).
		{"ended", invalid(&control.InvalidEventError{Problem: control.InvalidEnded, Start: h(10, 0), End: h(11, 0)}),
			"事件 OP-2 无效: 已于 11:00 结束 (车队时间 18:31)"},
		{"export kW", invalid(&control.InvalidEventError{Problem: control.InvalidKWNotAbove, Kind: feeds.EventExport, KW: -50}),
			"事件 OP-2 无效: 上网 需要 kW > 0 (实际为 -50)"},
		{"shed kW", invalid(&control.InvalidEventError{Problem: control.InvalidKWNotAbove, Kind: feeds.EventShed, KW: 0}),
			"事件 OP-2 无效: 削减 需要 kW > 0 (实际为 0)"},
		{"negative cap", invalid(&control.InvalidEventError{Problem: control.InvalidNegativeCap, Kind: feeds.EventImportCap, KW: -3}),
			"事件 OP-2 无效: 受电上限需要 kW ≥ 0 (实际为 -3): 要求上网请选上网类型"},
		{"unknown feeder", invalid(&control.InvalidEventError{Problem: control.InvalidScope, Scope: "F99"}),
			"事件 OP-2 无效: F99 既不是全系统也不是 Demo City 的馈线"},
		{"kind", invalid(&control.InvalidEventError{Problem: control.InvalidKind, Kind: "boost"}),
			`事件 OP-2 无效: 类型 "boost" 不是受电上限、削减、上网、电价之一`},
		{"no window", invalid(&control.InvalidEventError{Problem: control.InvalidNoWindow}),
			"事件 OP-2 无效: 需要开始和结束时间"},
		{"end not after", invalid(&control.InvalidEventError{Problem: control.InvalidEndNotAfter, Start: h(19, 0), End: h(18, 0)}),
			"事件 OP-2 无效: 结束时间 18:00 不晚于开始时间 19:00"},
		{"no price", invalid(&control.InvalidEventError{Problem: control.InvalidNoPrice, Kind: feeds.EventPrice}),
			"事件 OP-2 无效: 电价事件需要有限的电价"},
		// The planner's, at a preview (a feed's event ending beyond the
		// horizon, or ended while pending) and at a hand-back.
		{"beyond horizon", planErr(&plan.EventError{Problem: plan.EventBeyondHorizon, Start: h(18, 0), End: h(18, 0).Add(60 * time.Hour), Ahead: 59*time.Hour + 29*time.Minute}),
			"事件 DR-9: 于 06:00 (+3 天) 结束, 距现在 59.5 小时: 计划最多只能向前看 48 小时"},
		{"already ended", planErr(&plan.EventError{Problem: plan.EventAlreadyEnded, Start: h(17, 0), End: h(18, 0)}),
			"事件 DR-9: 已于 18:00 结束"},
		{"no slot", planErr(&plan.EventError{Problem: plan.EventNoSlot, Start: h(18, 30), End: h(18, 31)}),
			"事件 DR-9: 时段 18:30–18:31 未覆盖计划的任何时段"},
		{"plan scope", planErr(&plan.EventError{Problem: plan.EventUnknownScope, Scope: "F99"}),
			"事件 DR-9: F99 既不是全系统也不是已知馈线"},
		{"plan export", planErr(&plan.EventError{Problem: plan.EventNegativeKW, Kind: feeds.EventExport, KW: -5}),
			"事件 DR-9: 上网 需要 kW ≥ 0 (实际为 -5)"},
		{"plan price", planErr(&plan.EventError{Problem: plan.EventNoPrice, Kind: feeds.EventPrice}),
			"事件 DR-9: 电价事件缺少电价"},
		// The controller's refusals and partial failures, with figures.
		{"active conflict", fmt.Errorf("confirm %q: %w", "OP-1", &control.ActiveConflictError{
			Other: feeds.EventFrame{ID: "DR-17", Kind: feeds.EventImportCap, Scope: "F07", KW: 3600, Start: h(18, 0), End: h(21, 0)},
			By:    "omar", At: h(18, 31)}),
			"与生效中的 DR-17 (受电上限 F07) 冲突: 由 omar 于 18:31:00 确认"},
		{"second confirmation", fmt.Errorf("confirm %q: %w", "OP-1", &control.SecondConfirmError{MovedKW: 4200.4, LimitKW: 3000}),
			"大规模调度: 变动 4,200 kW, 超过 3,000 kW: 请二次确认"},
		{"unsent", fmt.Errorf("confirm %q: %w", "OP-1", &control.UnsentError{Plan: 2, Unsent: 1200, Total: 1400, Err: context.Canceled}),
			"计划 2: 1,200/1,400 个设定值未下发 (已取消)"},
		{"not applied", &control.NotAppliedError{Plan: 3, Failed: 2, Total: 143}, "计划 3: 2/143 个设定值未执行"},
		{"not released", fmt.Errorf("%s %q: %w", "cancelled", "OP-1", errors.Join(errors.New(`charge point "CP-0049": not connected`), &control.ReleaseError{Failed: 1, Total: 5})),
			`1/5 台充电桩未能释放: 其设定值到有效期后失效 · 英文原文: charge point "CP-0049": not connected`},
		{"state", fmt.Errorf("cancel %q: %w", "OP-1", &control.StateError{State: control.StateDeclined}), "事件状态为已拒绝, 不允许此操作"},
		// `:extend 30h` on a desk whose longest extension is 24 h: the
		// length is refused, not the event (it read "事件无效").
		{"extend too long", fmt.Errorf("extend %q by %s: %w", "OP-1", "30 h", &control.ExtendTooLongError{Max: 24 * time.Hour}),
			"延长时间过长: 每次最多 24 小时"},
		// `:extend` while the forced release lets the chargers go (it
		// read only the generic state sentence).
		{"extend while releasing", fmt.Errorf("extend %q: %w", "OP-1", &control.ReleasingError{At: h(0, 0), Hold: 4 * time.Hour}),
			"充电桩已于 00:00 开始释放 (回退已满 4 小时), 无法再延长"},
		// Another desk's claim on the scope (sshd.ConflictError words itself).
		{"claimed", fmt.Errorf("confirm %q: %w", "OP-1", fmt.Errorf("%w: %w", control.ErrConflict, &claimedError{})),
			"与另一调度冲突: F07 正由 ana 调度, 自 18:42:10 起"},
		// A plan that could not be made for no fault of the event (a bug or
		// a misconfiguration): a Chinese lead, the English detail.
		{"solver failure", fmt.Errorf("preview %q: %w", "OP-1", &control.PlanFailure{Stage: "solve", Event: "OP-1", Err: errors.New("dispatch: solve: iteration limit")}),
			"事件 OP-1: 无法制定计划 (内部错误, 以下为英文原文): dispatch: solve: iteration limit"},
		{"no topology at plan", fmt.Errorf("preview %q: %w", "OP-1", &control.PlanFailure{Stage: "plan", Event: "OP-1", Err: plan.ErrNoTopology}),
			"尚无拓扑: 未收到 hello"},
		{"forecast length", &control.PlanFailure{Stage: "plan", Event: "OP-1", Err: errors.New(`feeder "F07": forecast has 12 slots, want 16`)},
			`事件 OP-1: 无法制定计划 (内部错误, 以下为英文原文): feeder "F07": forecast has 12 slots, want 16`},
		// Triage's, for a feeder without a limit (an OCPP-named one).
		{"no import limit", fmt.Errorf("suggest for %q: %w", "F03", control.ErrNoImportLimit), "该馈线没有受电限额"},
		{"no such feeder", fmt.Errorf("suggest for %q: %w", "F99", control.ErrNoSuchFeeder), "无此馈线"},
		{"no topology", fmt.Errorf("suggest for %q: %w", "F03", plan.ErrNoTopology), "尚无拓扑: 未收到 hello"},
	}
}

// TestPlannerErrText: the planner's and the controller's errors about an
// event read in Chinese in a zh-CN session, from their figures, and
// exactly as the log has them in English.
func TestPlannerErrText(t *testing.T) {
	en, _, _ := newTestModel(t, "en", 160, 45)
	zh, _, _ := newTestModel(t, "zh-CN", 160, 45)
	for _, tc := range plannerErrCases() {
		if got := en.drErrText(tc.err); got != tc.err.Error() {
			t.Errorf("en %s: %q, want %q", tc.name, got, tc.err.Error())
		}
		if got := zh.drErrText(tc.err); got != tc.zh {
			t.Errorf("zh-CN %s:\n got %q\nwant %q", tc.name, got, tc.zh)
		}
	}
}

// TestPlannerErrWhereShown: where the desk shows such an error (a feed's
// event declined on arrival, triage's suggestion, the cause of no
// hand-back plan), a zh-CN session reads it in Chinese and an English one
// as before.
func TestPlannerErrWhereShown(t *testing.T) {
	cases := plannerErrCases()
	for _, lang := range []string{"en", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		m.suggest = map[string]suggestion{}
		for _, tc := range cases {
			want := tc.err.Error()
			if lang != "en" {
				want = tc.zh
			}
			if got := m.reasonText(&control.EventView{Reason: tc.err.Error(), DeclineErr: tc.err}); got != want {
				t.Errorf("%s %s declined: %q, want %q", lang, tc.name, got, want)
			}
			hb := m.whyText(control.Why{Kind: control.WhyNoHandBackPlan, Err: tc.err.Error(), Cause: tc.err})
			if !strings.HasSuffix(hb, "("+want+")") {
				t.Errorf("%s %s hand-back: %q, want it to end (%s)", lang, tc.name, hb, want)
			}
			m.suggest["F03"] = suggestion{err: tc.err}
			if got := strings.Join(m.suggestionLines("F03"), "\n"); !strings.Contains(got, ": "+want) {
				t.Errorf("%s %s suggestion: %q, want it to say %q", lang, tc.name, got, want)
			}
		}
	}
}

// TestPreviewErrorOnThePage: an event the planner cannot plan for (a
// feed's event that ends beyond the horizon) shows its preview's error on
// its page in the operator's language; in English as the log has it.
func TestPreviewErrorOnThePage(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"en", "✕ plan \"GRID-60\": event \"GRID-60\": ends "},
		{"zh-CN", "✕ 事件 GRID-60: 于 "},
	} {
		fx := demo(t)
		ctl, err := control.New(control.Options{Fleet: fixedFleet{fx.snap}, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		at := fx.snap.At
		ev := feeds.EventFrame{ID: "GRID-60", Kind: feeds.EventShed, Scope: "F07", Start: at, End: at.Add(60 * time.Hour), KW: 200}
		if _, err := ctl.Propose(ev, control.OriginOperator, control.Actor{Name: "ana", Dispatcher: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := ctl.Preview(context.Background(), "GRID-60"); err == nil {
			t.Fatal("a preview 60 h ahead: no error")
		}
		opts, _ := testOptions(fx, tc.lang)
		opts.Role, opts.Dispatch = RoleDispatcher, ctl
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		m.refreshDispatch()
		press(m, "5E")
		view := ansi.Strip(m.View())
		if !strings.Contains(view, tc.want) {
			t.Errorf("%s: the event's page lacks %q:\n%s", tc.lang, tc.want, view)
		}
		if tc.lang != "en" && strings.Contains(view, "from now") {
			t.Errorf("zh-CN: the preview's error is in English:\n%s", view)
		}
	}
}

// TestProgressErrorsInTheOperatorsLanguage: an event's setpoints not all
// applied reads in Chinese from its figures; the chargers' reasons are the
// adapters' English, and a zh-CN desk says so.
func TestProgressErrorsInTheOperatorsLanguage(t *testing.T) {
	na := &control.NotAppliedError{Plan: 3, Failed: 2, Total: 143}
	v := &control.EventView{Plans: 3, LastWhy: control.Why{Kind: control.WhyConfirmed}, Err: na.Error(), Error: na,
		Progress: control.Progress{Sent: 143, Done: 143,
			ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 141, adapters.StatusRejected: 2},
			Failed:   map[string]int{`charger "CP-0049" has no Modbus device`: 2}}}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{`not applied: 2× charger "CP-0049" has no Modbus device`, "△ plan 3: 2 of 143 setpoints not applied"}},
		{"zh-CN", []string{`未执行 (适配器英文原文): 2× charger "CP-0049" has no Modbus device`, "△ 计划 3: 2/143 个设定值未执行"}},
	} {
		m, _, _ := newTestModel(t, tc.lang, 160, 45)
		got := ansi.Strip(strings.Join(m.progressLines(v), "\n"))
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: progress lacks %q:\n%s", tc.lang, w, got)
			}
		}
	}
}

// TestProgressGroupsReasonsByCharger: a reason per charger (65 chargers
// routed to an adapter that is not running) filled the event's page with
// 65 "1× charger "CP-…" …" items; they are one, with the count and the first
// chargers named, the rest of the sentence in the operator's language.
func TestProgressGroupsReasonsByCharger(t *testing.T) {
	failed := map[string]int{}
	for i := range 65 {
		failed[fmt.Sprintf(`charger "CP-%04d" routes to adapter "sim", which is not running`, 124+i)] = 1
	}
	v := &control.EventView{Plans: 1, LastWhy: control.Why{Kind: control.WhyConfirmed},
		Progress: control.Progress{Sent: 65, Done: 65, ByStatus: map[adapters.Status]int{adapters.StatusRejected: 65}, Failed: failed}}
	for _, tc := range []struct{ lang, want string }{
		{"en", `not applied: 65× charger "CP-0124" routes to adapter "sim", which is not running (also CP-0125, CP-0126 and 62 more)`},
		{"zh-CN", `未执行 (适配器英文原文): 65× charger "CP-0124" routes to adapter "sim", which is not running (另有 CP-0125, CP-0126 及其他 62 个)`},
	} {
		m, _, _ := newTestModel(t, tc.lang, 160, 45)
		got := ansi.Strip(strings.Join(m.progressLines(v), "\n"))
		if !strings.Contains(got, tc.want) || strings.Contains(got, "CP-0127") {
			t.Errorf("%s: progress\n%s\nwant %q and no CP-0127", tc.lang, got, tc.want)
		}
	}
}

// TestAlarmRefusalsInTheOperatorsLanguage: the alarm engine's refusals
// the desk did not word read "ack \"F07\": no such alarm" on a zh-CN desk.
func TestAlarmRefusalsInTheOperatorsLanguage(t *testing.T) {
	for _, tc := range []struct {
		err    error
		en, zh string
	}{
		{fmt.Errorf("ack %q: %w", "F07", alarm.ErrUnknownAlarm), "the alarm is no longer in the list", "该告警已不在列表中"},
		{fmt.Errorf("unshelve %q: %w", "F07", alarm.ErrNotShelved), "the alarm is not shelved", "该告警未被搁置"},
		{fmt.Errorf("ack %q: %w", "F07", alarm.ErrNoOperator), `ack "F07": operator name is empty`, `英文原文: ack "F07": operator name is empty`},
	} {
		for lang, want := range map[string]string{"en": tc.en, "zh-CN": tc.zh} {
			m, _, _ := newTestModel(t, lang, 160, 45)
			m.alarmResult(tc.err, "")
			if m.flash != want {
				t.Errorf("%s %v: flash %q, want %q", lang, tc.err, m.flash, want)
			}
		}
	}
}
