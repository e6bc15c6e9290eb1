package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestShortPreviewKeepsTheCapLine: at 64x18 the dispatch preview drew its
// chart in two plot rows, too few for the cap's line, and its legend lost
// the cap, its last item, to the curves' names: the chart showed the loads
// and not what the event asks. The cap's line and its legend item stay,
// before the names of the curves. English and zh-CN, 64x18, 80x24 and
// 160x45.
func TestShortPreviewKeepsTheCapLine(t *testing.T) {
	for _, c := range []struct {
		lang, legend string
	}{
		{"", "┄ cap 1,435 kW"},
		{"zh-CN", "┄ 上限 1,435 kW"},
	} {
		for _, sz := range []struct{ w, h int }{{64, 18}, {80, 24}, {160, 45}} {
			m, _, _ := newTestModel(t, c.lang, sz.w, sz.h)
			ev := feeds.EventFrame{ID: "OP-1", Kind: feeds.EventImportCap, Scope: "F10", KW: 1435, Start: fixedNow, End: fixedNow.Add(3 * time.Hour)}
			before, after := make([]float64, 12), make([]float64, 12)
			for i := range before {
				before[i], after[i] = 1800+float64(10*i), 1420
			}
			m.dr = []control.EventView{{Event: ev, State: control.StatePending, Origin: control.OriginTriage, ProposedBy: "ana",
				Preview: &plan.Preview{Event: &ev, Start: fixedNow, Slot: 15 * time.Minute, EVs: 160, Affected: 80,
					FeederDeltaKW: map[string]float64{"F10": -380}, SystemDeltaKW: -380,
					Before: plan.Loads{System: before, Feeders: map[string][]float64{"F10": before}},
					After:  plan.Loads{System: after, Feeders: map[string][]float64{"F10": after}}}}}
			m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			m.openDispatch("OP-1")
			screen := ansi.Strip(m.View())
			if !strings.Contains(screen, c.legend) {
				t.Errorf("%q %dx%d: the preview's legend lacks %q:\n%s", c.lang, sz.w, sz.h, c.legend, screen)
			}
			if !strings.Contains(screen, "1,435┤") || !strings.Contains(screen, "┄┄┄┄┄┄┄┄") {
				t.Errorf("%q %dx%d: the preview draws no cap line:\n%s", c.lang, sz.w, sz.h, screen)
			}
		}
	}
}
