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

// TestMeasuredBeforeTheSetpointsIsNotJudged: confirmed on a paused desk,
// an event's page judged the load measured before its setpoints went out:
// "F06 measured 1,526 kW · cap 1,292 kW · △ over the cap by 234 kW", "next
// re-plan 19:06 (… re-planned at once)", "still over after it: read what
// was not applied", beside "73 of 73 answered: 73 accepted". It says when
// that load was measured, before the setpoints, and judges nothing; the
// first measurement after them is judged as before. In English and zh-CN.
func TestMeasuredBeforeTheSetpointsIsNotJudged(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		tr := m.tr.t
		start := fixedNow.Add(-time.Minute)
		ev := feeds.EventFrame{ID: "T-F06", Kind: feeds.EventImportCap, Scope: "F06", KW: 1292, Start: start, End: start.Add(3 * time.Hour)}
		view := func(measuredAt time.Time) control.EventView {
			return control.EventView{Event: ev, State: control.StateActive, Plans: 1, LastPlan: fixedNow,
				NextPlan: fixedNow.Add(2 * time.Minute), NextPlanEarly: true, ToleranceKW: 27,
				Preview: &plan.Preview{Event: &ev, Start: start, Slot: 15 * time.Minute},
				Track:   []control.TrackPoint{{At: fixedNow, MeasuredKW: 1526, PlannedKW: 1290, CapKW: 1292, MeasuredAt: measuredAt}}}
		}
		over := strings.Fields(tr("over the cap by %s kW"))[0]
		before := view(fixedNow.Add(-20 * time.Second))
		got := ansi.Strip(strings.Join(m.progressLines(&before), "\n"))
		want := fmt.Sprintf(tr("%s measured %s kW at %s, before its setpoints took effect"), "F06", "1,526", hhmm(before.Track[0].MeasuredAt, m.loc()))
		if !strings.Contains(got, want) || strings.Contains(got, "△") || strings.Contains(got, "1,526 kW · "+tr("cap")+" 1,292 kW · ") {
			t.Errorf("%s: measured before the setpoints went out:\n%s\nwant %q and no judgement against the cap", lang, got, want)
		}
		if strings.Contains(got, hhmm(fixedNow.Add(2*time.Minute), m.loc())) {
			t.Errorf("%s: measured before the setpoints went out, a re-plan for it is promised:\n%s", lang, got)
		}
		after := view(fixedNow.Add(time.Second))
		if got := ansi.Strip(strings.Join(m.progressLines(&after), "\n")); !strings.Contains(got, over) || !strings.Contains(got, "△") {
			t.Errorf("%s: measured after the setpoints, 234 kW over the cap, not judged:\n%s", lang, got)
		}
	}
}
