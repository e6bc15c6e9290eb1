package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestEarlyReplanForDriftIsNotSaidAsTheTarget: the controller re-plans
// early for the target only when the slot's plan meets it; otherwise an
// early re-plan is for drifting off the plan. A system export whose plan
// could not reach its target (its preview said "the export cannot be fully
// delivered") read "next re-plan 19:10 (short by more than the 346 kW
// tolerance: re-planned at once)", a promise about the target the re-plan
// does not keep. It reads "(off its plan: re-planned at once)", then the
// call back to the grid operator, in English and zh-CN; a plan that meets
// the target still reads as before.
func TestEarlyReplanForDriftIsNotSaidAsTheTarget(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		tr := m.tr.t
		start := fixedNow.Add(-time.Hour)
		ev := feeds.EventFrame{ID: "DR-E", Kind: feeds.EventExport, Scope: "F10", KW: 300, Start: start, End: start.Add(5 * time.Hour)}
		next := fixedNow.Add(2 * time.Minute)
		view := func(planned float64) control.EventView {
			return control.EventView{Event: ev, State: control.StateActive, Plans: 2, LastPlan: fixedNow, NextPlan: next, NextPlanEarly: true,
				ToleranceKW: 30, Preview: &plan.Preview{Event: &ev, Start: start, Slot: 15 * time.Minute},
				Track: []control.TrackPoint{{At: fixedNow, MeasuredKW: 400, PlannedKW: planned, CapKW: -300}}}
		}
		when := hhmm(next, m.loc())
		target := fmt.Sprintf(targetWords(tr, feeds.EventExport).next.atOnce, when, "30")
		drift := fmt.Sprintf(tr("next re-plan %s (off its plan: re-planned at once)"), when)
		callBack := targetWords(tr, feeds.EventExport).next.callBack

		short := view(-100) // the plan exports 100 kW of the 300
		got := ansi.Strip(strings.Join(m.nextPlanLines(&short), "\n"))
		if strings.Contains(got, target) || !strings.Contains(got, drift) || !strings.Contains(got, callBack) {
			t.Errorf("%s: a plan short of its target, re-planned early:\n%s\nwant %q and %q, not %q", lang, got, drift, callBack, target)
		}
		meets := view(-300)
		if got := ansi.Strip(strings.Join(m.nextPlanLines(&meets), "\n")); !strings.Contains(got, target) {
			t.Errorf("%s: a plan that meets its target, re-planned early:\n%s\nwant %q", lang, got, target)
		}
	}
}
