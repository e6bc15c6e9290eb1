package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestLegendDrawsNoLimitItCannotShow: at 64x18 the overview's chart has
// two rows, too few for the limit's row of its own, and its legend read
// "┄ import limit 42.0 MW" above a plot with no ┄ line. The legend names
// the limit without the glyph there; where the chart has room, the glyph
// and the line are both drawn.
func TestLegendDrawsNoLimitItCannotShow(t *testing.T) {
	for _, sz := range []struct {
		w, h int
		line bool
	}{{64, 18, false}, {80, 24, true}} {
		m, _, _ := newTestModel(t, "", sz.w, sz.h)
		lines := strings.Split(ansi.Strip(m.View()), "\n")
		var legend string
		drawn := false
		for i, l := range lines {
			if strings.Contains(l, "import limit") {
				legend = l
				for _, below := range lines[i+1:] {
					if strings.Contains(below, "┤┄┄") {
						drawn = true
					}
					if strings.Contains(below, "╰") {
						break
					}
				}
				break
			}
		}
		if legend == "" {
			t.Fatalf("%dx%d: no legend naming the import limit", sz.w, sz.h)
		}
		if drawn != sz.line {
			t.Fatalf("%dx%d: limit line drawn %v, want %v", sz.w, sz.h, drawn, sz.line)
		}
		if glyph := strings.Contains(legend, "┄ import limit"); glyph != drawn {
			t.Errorf("%dx%d: legend %q has the ┄ %v, the line is drawn %v", sz.w, sz.h, legend, glyph, drawn)
		}
	}
}
