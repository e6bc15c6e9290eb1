package tui

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// targetView is a pending event of kind k (KW kw) on the system from 19:00
// to 20:00, whose plan moves nothing (900 kW before and after).
func targetView(m *Model, k feeds.EventKind, kw float64) control.EventView {
	start := time.Date(2024, 2, 4, 19, 0, 0, 0, m.loc())
	before, after := make([]float64, 4), make([]float64, 4)
	for i := range before {
		before[i], after[i] = 900, 900
	}
	ev := feeds.EventFrame{ID: "DR-T", Kind: k, Scope: feeds.ScopeSystem, KW: kw, Start: start, End: start.Add(time.Hour)}
	return control.EventView{Event: ev, State: control.StatePending, Preview: &plan.Preview{
		Event: &ev, Start: start, Slot: 15 * time.Minute,
		Before: plan.Loads{System: before}, After: plan.Loads{System: after},
	}}
}

// brailleCells counts the chart's braille cells.
func brailleCells(lines []string) int {
	n := 0
	for _, l := range lines {
		for _, r := range ansi.Strip(l) {
			if r >= 0x2801 && r <= 0x28FF {
				n++
			}
		}
	}
	return n
}

// TestExportAndShedPagesDrawTheirTarget: an import cap's page draws its cap;
// an export's and a shed's drew nothing to hold the plan against. An
// export's target is a line at minus the export (net export of 1,500 kW is
// a load of −1,500 kW), labelled on the axis; a shed's, the unmanaged load
// less the shed, a dashed curve over the window; the legend names each as
// a target, in English and zh-CN.
func TestExportAndShedPagesDrawTheirTarget(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		price := targetView(m, feeds.EventPrice, 0)
		plain := brailleCells(m.dispatchChart(&price, true, 120, 16))

		exp := targetView(m, feeds.EventExport, 1500)
		lines := m.dispatchChart(&exp, true, 120, 16)
		text := ansi.Strip(strings.Join(lines, "\n"))
		legend := strings.Replace(m.tr.t("export target %s kW"), "%s", "1,500", 1)
		if !strings.Contains(text, "┄ "+legend) || !strings.Contains(text, "-1,500┤") || strings.Count(text, "┄") < 10 {
			t.Errorf("%s: the export page has no target line at -1,500 with %q:\n%s", lang, legend, text)
		}

		shed := targetView(m, feeds.EventShed, 300)
		lines = m.dispatchChart(&shed, true, 120, 16)
		text = ansi.Strip(strings.Join(lines, "\n"))
		legend = strings.Replace(m.tr.t("shed target: unmanaged − %s kW"), "%s", "300", 1)
		if !strings.Contains(text, legend) {
			t.Errorf("%s: the shed page's legend lacks %q:\n%s", lang, legend, text)
		}
		// The target (600 kW) is drawn where nothing else is: cells over
		// the plain chart's, a quarter hour's worth at least.
		if got := brailleCells(lines); got < plain+10 {
			t.Errorf("%s: the shed page draws %d braille cells, the same chart without a target %d: no target drawn:\n%s", lang, got, plain, text)
		}
	}
}

// TestExportAndShedProgressSayTarget: an export's progress read
// "cap −2,000 kW" against a measured −1,800 kW. It reads as a target:
// "export target 2,000 kW · △ short of the export target by 200 kW"; a
// shed's "shed target 3,210 kW"; an import cap's as before.
func TestExportAndShedProgressSayTarget(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		t1 := m.tr.t
		for _, c := range []struct {
			kind          feeds.EventKind
			measured, cap float64
			want          []string
		}{
			{feeds.EventExport, -1800, -2000, []string{
				strings.Replace(t1("export target %s kW"), "%s", "2,000", 1),
				strings.Replace(t1("short of the export target by %s kW"), "%s", "200", 1)}},
			{feeds.EventExport, -2100, -2000, []string{strings.Replace(t1("export target %s kW"), "%s", "2,000", 1), "✓ " + t1("OK")}},
			{feeds.EventShed, 3300, 3210, []string{
				strings.Replace(t1("shed target %s kW"), "%s", "3,210", 1),
				strings.Replace(t1("over the shed target by %s kW"), "%s", "90", 1)}},
			{feeds.EventImportCap, 1739, 1435, []string{
				t1("cap") + " 1,435 kW",
				strings.Replace(t1("over the cap by %s kW"), "%s", "304", 1)}},
		} {
			v := control.EventView{Event: feeds.EventFrame{ID: "DR-1", Kind: c.kind, Scope: "F10"},
				Track: []control.TrackPoint{{At: time.Now(), MeasuredKW: c.measured, CapKW: c.cap}}}
			got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
			for _, want := range c.want {
				if !strings.Contains(got, want) {
					t.Errorf("%s %s measured %v against %v: %q lacks %q", lang, c.kind, c.measured, c.cap, got, want)
				}
			}
			if c.kind != feeds.EventImportCap && strings.Contains(got, t1("cap")+" ") {
				t.Errorf("%s %s: %q still words it as a cap", lang, c.kind, got)
			}
			if math.Signbit(c.cap) && strings.Contains(got, "-2,000") {
				t.Errorf("%s %s: %q gives the export as a negative cap", lang, c.kind, got)
			}
		}
	}
}
