package tui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestV2GOutlookKeepsItsFigures: at 100 columns (the narrowest wide
// layout) the V2G box cut its outlook to "next 4 h  ▇▇▆▆▅▅▄▄ 1.3 → …":
// where the capacity goes, what the line is read for, was lost. The
// figures stay whole at every width of the wide layout, in either
// language; the bars and the label's column give way first.
func TestV2GOutlookKeepsItsFigures(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range []struct{ w, h int }{{100, 30}, {120, 40}, {160, 45}} {
			m, _, _ := newTestModel(t, lang, sz.w, sz.h)
			next := m.v2gOutlook()
			figures := strconv.FormatFloat(next[0]/1000, 'f', 1, 64) + " → " + mw(next[len(next)-1])
			v := ansi.Strip(m.View())
			if !strings.Contains(v, figures) {
				t.Errorf("%q at %dx%d: the V2G box lacks %q:\n%s", lang, sz.w, sz.h, figures, v)
			}
			if strings.Contains(v, "→ …") {
				t.Errorf("%q at %dx%d: the outlook is cut:\n%s", lang, sz.w, sz.h, v)
			}
		}
	}
}
