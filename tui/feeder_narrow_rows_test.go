package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestFeederPageKeepsChargerRowsAt64: at 64x18 a feeder's page gave its
// chart every line but the chargers' heading, "Chargers on F07 · 1–0 of
// 8", and enter on it said the list was empty. The chart gives way: three
// charger rows, counted "1–3 of", in both languages; at 80x24 the chart
// keeps its height.
func TestFeederPageKeepsChargerRowsAt64(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 64, 18)
		runKeys(m, "2jjjjjjE")
		screen := ansi.Strip(m.View())
		if n := strings.Count(screen, "CP-"); n < 3 || !strings.Contains(screen, "1–3 ") || strings.Contains(screen, "1–0 ") {
			t.Errorf("%q 64x18: the feeder page shows %d chargers, want 3 counted 1–3:\n%s", lang, n, screen)
		}
	}
	m, _, _ := newTestModel(t, "", 80, 24)
	runKeys(m, "2jjjjjjE")
	if lines := strings.Split(ansi.Strip(m.View()), "\n"); !strings.HasPrefix(lines[2+11-1], "╰") {
		t.Errorf("80x24: the chart's box is not 11 lines:\n%s", strings.Join(lines, "\n"))
	}
}
