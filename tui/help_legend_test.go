package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestHelpLegendNamesEveryStatus: the help's legend named ▲ HIGH, △ WARN,
// ✕ FAULT, ○ STALE and ✓ OK, and left out ○ NO DATA and SHELVED, which
// the feeders, triage and alarms show. It names all seven, each whole and
// within the box, in English and zh-CN, at 80x24 (scrolled to its end)
// and 160x45; and :seek's line says what it does, not "jump clock to".
func TestHelpLegendNamesEveryStatus(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			m, _, _ := newTestModel(t, lang, sz[0], sz[1])
			pressViewing(m, "?")
			pressViewing(m, "G")
			screen := ansi.Strip(m.View())
			tr := m.tr.t
			for _, want := range []string{
				tr("Status is glyph and word:"),
				"▲ " + tr("HIGH"), "△ " + tr("WARN"), "✕ " + tr("FAULT"), "○ " + tr("STALE"),
				"○ " + tr("NO DATA"), "✓ " + tr("OK"), "▲/△ " + tr("SHELVED"),
				":seek HH:MM         " + tr("go to that time"),
			} {
				if !strings.Contains(screen, want) {
					t.Errorf("%s %dx%d: the help does not say %q whole:\n%s", lang, sz[0], sz[1], want, screen)
				}
			}
			for i, l := range strings.Split(screen, "\n") {
				if w := ansi.StringWidth(l); w != sz[0] {
					t.Errorf("%s %dx%d: line %d is %d cells wide: %q", lang, sz[0], sz[1], i, w, l)
				}
			}
		}
	}
}
