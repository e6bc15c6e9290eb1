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

// TestNextPlanLinesSayTheTarget: a one-feeder export of 300 kW measured at
// 273 kW of export read "△ short of the export target by 27 kW", then
// "next re-plan …, the next slot (the plan cannot hold the cap; …)" and
// "still over after it: … (the EVs cannot shed more)", and within the
// tolerance "27 kW over is within the 30 kW tolerance": a cap the
// dispatcher never set, and shedding where the EVs export. They are worded
// as a shortfall against the export target, a shed's against its shed
// target, in English and zh-CN, on the event's page at 160 and 80 columns
// and in triage; an import cap's read as before.
func TestNextPlanLinesSayTheTarget(t *testing.T) {
	type want struct{ page, triage, not []string }
	for _, c := range []struct {
		lang               string
		kind               feeds.EventKind
		measured, cap      float64
		early              bool
		tolerance          float64
		cannotHold, within want
	}{
		{"", feeds.EventExport, -273, -300, false, 20,
			want{[]string{"next re-plan 18:45, the next slot (the plan cannot reach the export target; re-planning sooner would not either)",
				"still short after it: call the grid operator back with the figure (the EVs cannot export more)"},
				[]string{"△ F10 is short of DR-E's export target by 27 kW: next re-plan 18:45"},
				[]string{"cap", "still over", "shed more"}},
			want{[]string{"next re-plan 18:45, the next slot (27 kW short is within the 100 kW tolerance)",
				"still short after it: read what was not applied, and the feeder's data (2 Feeders)"},
				nil, []string{"cap", "still over", "kW over"}}},
		{"zh-CN", feeds.EventExport, -273, -300, false, 20,
			want{[]string{"下次重新规划 18:45, 即下一时段 (计划本身无法达到放电目标, 提前重新规划也无济于事)",
				"届时仍不足: 请回电电网调度并告知该数值 (车辆已无法再放电)"},
				[]string{"△ F10 距 DR-E 的放电目标差 27 kW: 下次重新规划 18:45"},
				[]string{"上限", "超出", "削减", "next re-plan"}},
			want{[]string{"下次重新规划 18:45, 即下一时段 (差 27 kW, 在 100 kW 容差之内)", "届时仍不足: 查看未执行的设定值, 以及馈线数据 (2 馈线)"},
				nil, []string{"上限", "超出 27", "next re-plan"}}},
		{"", feeds.EventShed, 3300, 3210, false, 30,
			want{[]string{"next re-plan 18:45, the next slot (the plan cannot hold the shed target; re-planning sooner would not either)",
				"still over after it: call the grid operator back with the figure (the EVs cannot shed more)"},
				[]string{"△ F10 is over DR-E's shed target by 90 kW: next re-plan 18:45"},
				[]string{"cap"}},
			want{[]string{"next re-plan 18:45, the next slot (90 kW over is within the 100 kW tolerance)"}, nil, []string{"cap"}}},
		{"zh-CN", feeds.EventShed, 3300, 3210, false, 30,
			want{[]string{"下次重新规划 18:45, 即下一时段 (计划本身无法守住削减目标, 提前重新规划也无济于事)"},
				[]string{"△ F10 超出 DR-E 的削减目标 90 kW: 下次重新规划 18:45"},
				[]string{"上限", "next re-plan"}},
			want{nil, nil, []string{"上限"}}},
		// Re-planned at once: the tolerance it is past, as a shortfall.
		{"", feeds.EventExport, -200, -300, true, 30,
			want{[]string{"next re-plan 18:44 (short by more than the 30 kW tolerance: re-planned at once)",
				"still short after it: read what was not applied"}, nil, []string{"cap", "over the 30"}},
			want{nil, nil, nil}},
		{"zh-CN", feeds.EventExport, -200, -300, true, 30,
			want{[]string{"下次重新规划 18:44 (差额超出 30 kW 容差: 立即重新规划)"}, nil, []string{"(超出 30"}},
			want{nil, nil, nil}},
		// An import cap's, unchanged.
		{"", feeds.EventImportCap, 1541, 1510, false, 30,
			want{[]string{"the plan cannot hold the cap", "(the EVs cannot shed more)"},
				[]string{"△ F10 is over DR-E's cap by 31 kW: next re-plan 18:45"}, nil},
			want{[]string{"(31 kW over is within the 40 kW tolerance)"}, nil, nil}},
	} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			m, _, _ := newTestModel(t, c.lang, size[0], size[1])
			start := fixedNow.Add(-time.Hour)
			evKW := c.cap // an import cap's
			switch c.kind {
			case feeds.EventExport:
				evKW = -c.cap
			case feeds.EventShed:
				evKW = 500
			}
			ev := feeds.EventFrame{ID: "DR-E", Kind: c.kind, Scope: "F10", KW: evKW, Start: start, End: start.Add(5 * time.Hour)}
			next := fixedNow.Truncate(15 * time.Minute).Add(15 * time.Minute) // 18:45
			if c.early {
				next = fixedNow.Add(2 * time.Minute) // 18:44
			}
			v := control.EventView{Event: ev, State: control.StateActive, Plans: 3, LastPlan: fixedNow, NextPlan: next, NextPlanEarly: c.early,
				ToleranceKW: c.tolerance, Preview: &plan.Preview{Event: &ev, Start: start, Slot: 15 * time.Minute},
				Track: []control.TrackPoint{{At: fixedNow, MeasuredKW: c.measured, PlannedKW: c.cap, CapKW: c.cap}}}
			m.dr = []control.EventView{v}
			check := func(what string, w want) {
				t.Helper()
				pg := &page{view: viewEvents, kind: pageDispatch, id: ev.ID}
				// The page as one run of words: at 80 columns it wraps them.
				text := strings.Join(strings.Fields(strings.ReplaceAll(ansi.Strip(strings.Join(m.dispatchView(pg, size[0], 200), "\n")), "│", "")), " ")
				lines := ansi.Strip(strings.Join(m.nextPlanLines(&m.dr[0]), "\n"))
				triage := ansi.Strip(strings.Join(m.suggestionLines("F10"), "\n"))
				if lines == "" {
					t.Fatalf("%q %s %dx%d %s: no re-plan lines", c.lang, c.kind, size[0], size[1], what)
				}
				for _, s := range w.page {
					if !strings.Contains(lines, s) || !strings.Contains(text, s) {
						t.Errorf("%q %s %dx%d %s: the re-plan lines or the page lack %q:\n%s", c.lang, c.kind, size[0], size[1], what, s, lines)
					}
				}
				for _, s := range w.triage {
					if !strings.Contains(triage, s) {
						t.Errorf("%q %s %s: triage lacks %q:\n%s", c.lang, c.kind, what, s, triage)
					}
				}
				for _, s := range w.not {
					if strings.Contains(lines, s) || strings.Contains(triage, s) {
						t.Errorf("%q %s %s: %q in the re-plan lines or triage:\n%s\n%s", c.lang, c.kind, what, s, lines, triage)
					}
				}
			}
			check("past the tolerance", c.cannotHold)
			if c.early {
				continue
			}
			m.dr[0].ToleranceKW = 100
			if c.kind == feeds.EventImportCap {
				m.dr[0].ToleranceKW = 40
			}
			check("within the tolerance", c.within)
		}
	}
}
