package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestInForceOverCapSaysNextPlan: with T-F10 in force, F10 sat at 1,527 kW
// against a cap of 1,510 for a while. Triage said only "none: T-F10 in
// force" and the event's page "△ over the cap by 17 kW", neither when the
// desk would act on it nor what the dispatcher could do. Both now say when
// the next re-plan is due (site time) and the next step, in English and
// zh-CN, at 160 and 80 columns; within the cap neither line is there.
func TestInForceOverCapSaysNextPlan(t *testing.T) {
	for _, c := range []struct {
		lang                     string
		w, h                     int
		measured                 float64
		early                    bool
		page, triage, notEnglish []string
	}{
		{"", 160, 45, 1527, false, []string{"△ over the cap by 17 kW", "next re-plan 18:45, the next slot (17 kW over is within the 30 kW tolerance)",
			"still over after it: read what was not applied, and the feeder's data (2 Feeders)"},
			[]string{"none: T-F10-1731 in force", "△ F10 is over T-F10-1731's cap by 17 kW: next re-plan 18:45 · 5 Events, enter: its page"}, nil},
		{"", 80, 24, 1600, true, []string{"next re-plan 18:44 (over the 30 kW tolerance: re-planned at once)"},
			[]string{"△ F10 is over T-F10-1731's cap by 90 kW: next re-plan 18:44"}, nil},
		// Over beyond the tolerance, and the plan says the cap cannot be
		// met: the controller waits for the slot, and says so.
		{"", 160, 45, 1541, false, []string{"next re-plan 18:45, the next slot (the plan cannot hold the cap; re-planning sooner would not either)",
			"still over after it: call the grid operator back with the figure"},
			[]string{"△ F10 is over T-F10-1731's cap by 31 kW: next re-plan 18:45"}, nil},
		{"zh-CN", 160, 45, 1527, false, []string{"下次重新规划 18:45, 即下一时段 (超出 17 kW, 在 30 kW 容差之内)", "届时仍超出: 查看未执行的设定值, 以及馈线数据 (2 馈线)"},
			[]string{"△ F10 超出 T-F10-1731 的上限 17 kW: 下次重新规划 18:45 · 5 事件, enter: 查看其页面"},
			[]string{"next re-plan", "still over", "is over"}},
	} {
		m, _, _ := newTestModel(t, c.lang, c.w, c.h)
		start := fixedNow.Add(-time.Hour)
		ev := feeds.EventFrame{ID: "T-F10-1731", Kind: feeds.EventImportCap, Scope: "F10", KW: 1510, Start: start, End: start.Add(5 * time.Hour)}
		next := fixedNow.Truncate(15 * time.Minute).Add(15 * time.Minute) // 18:45
		if c.early {
			next = fixedNow.Add(2 * time.Minute) // 18:44: MinReplan after the last plan
		}
		v := control.EventView{Event: ev, State: control.StateActive, Plans: 3, LastPlan: fixedNow, NextPlan: next, NextPlanEarly: c.early, ToleranceKW: 30,
			Preview: &plan.Preview{Event: &ev, Start: start, Slot: 15 * time.Minute},
			Track:   []control.TrackPoint{{At: fixedNow, MeasuredKW: c.measured, PlannedKW: 1500, CapKW: 1510}}}
		m.dr = []control.EventView{v}
		pg := &page{view: viewEvents, kind: pageDispatch, id: ev.ID}
		text := ansi.Strip(strings.Join(wrapLines(m.dispatchView(pg, c.w, 200), c.w), "\n"))
		triage := ansi.Strip(strings.Join(m.suggestionLines("F10"), "\n"))
		for _, want := range c.page {
			if !strings.Contains(text, want) {
				t.Errorf("%q %dx%d: the event's page lacks %q:\n%s", c.lang, c.w, c.h, want, text)
			}
		}
		for _, want := range c.triage {
			if !strings.Contains(triage, want) {
				t.Errorf("%q %dx%d: triage lacks %q:\n%s", c.lang, c.w, c.h, want, triage)
			}
		}
		for _, no := range c.notEnglish {
			if strings.Contains(text+triage, no) {
				t.Errorf("%q: English %q on the page or in triage:\n%s\n%s", c.lang, no, text, triage)
			}
		}
		// Back within the cap: no re-plan line, as nothing is wrong.
		m.dr[0].Track = []control.TrackPoint{{At: fixedNow, MeasuredKW: 1490, PlannedKW: 1500, CapKW: 1510}}
		text = ansi.Strip(strings.Join(m.dispatchView(pg, c.w, 200), "\n"))
		triage = ansi.Strip(strings.Join(m.suggestionLines("F10"), "\n"))
		if strings.Contains(text, "re-plan") || strings.Contains(text, "重新规划 18") || strings.Count(triage, "\n") > 0 {
			t.Errorf("%q: within the cap, still a re-plan line:\n%s\n%s", c.lang, text, triage)
		}
	}
}

// TestOverWithinToleranceReadsApart: 30 kW over a 30.2 kW tolerance read
// "30 kW over is within the 30 kW tolerance", which looks like a
// contradiction; a tolerance that rounds to the figure gets its decimal.
func TestOverWithinToleranceReadsApart(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	start := fixedNow.Add(-time.Hour)
	ev := feeds.EventFrame{ID: "T-F10-1731", Kind: feeds.EventImportCap, Scope: "F10", KW: 1510, Start: start, End: start.Add(5 * time.Hour)}
	v := control.EventView{Event: ev, State: control.StateActive, Plans: 3, LastPlan: fixedNow,
		NextPlan: fixedNow.Truncate(15 * time.Minute).Add(15 * time.Minute), ToleranceKW: 30.2,
		Preview: &plan.Preview{Event: &ev, Start: start, Slot: 15 * time.Minute},
		Track:   []control.TrackPoint{{At: fixedNow, MeasuredKW: 1540, PlannedKW: 1500, CapKW: 1510}}}
	m.dr = []control.EventView{v}
	text := ansi.Strip(strings.Join(m.nextPlanLines(&m.dr[0]), "\n"))
	if want := "(30 kW over is within the 30.2 kW tolerance)"; !strings.Contains(text, want) {
		t.Errorf("the re-plan line lacks %q:\n%s", want, text)
	}
}
