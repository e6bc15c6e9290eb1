package main

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestStatusFitsEightyColumns: on an 80-column terminal six lines of the
// report ran past the edge (the V2G line 123 columns, a feeder's deadband
// note 172), which the terminal broke mid-word. On a terminal each line is
// now broken between words, its further lines indented to the values'
// column; a feeder row's columns stay aligned; piped (width 0) every line
// stays whole.
func TestStatusFitsEightyColumns(t *testing.T) {
	report := strings.Join([]string{
		"site      Demo City (Asia/Shanghai), 2024-01-17 17:47:00 CST by the simulation clock",
		"mode      SIMULATION at 120×: the feed re-enacts a day; times are its clock, not the wall clock",
		"  F01      1,050 kW  limit      1,770 kW    59.3%  267 chargers  ✓ OK",
		"  F10      1,467 kW  limit      1,510 kW    97.1%  267 chargers  △ WARN (a desk that saw it at 100% or over still shows ▲ HIGH: it clears below 97%, a 3-point deadband)",
		"V2G       discharge 1,161 kW, import reducible 3,517 kW, 4,508 kWh above departure needs (1,052 plugged, 326 bidirectional)",
		"rejects   none",
	}, "\n") + "\n"

	if got := fitStatusText(report, 0); got != report {
		t.Errorf("width 0 changed the report:\n%s", got)
	}
	got := fitStatusText(report, 80)
	for i, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if n := ansi.StringWidth(l); n > 80 {
			t.Errorf("line %d is %d columns: %q", i+1, n, l)
		}
	}
	if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(report), " ") {
		t.Errorf("words changed:\n%s", got)
	}
	for _, want := range []string{
		"  F01      1,050 kW  limit      1,770 kW    59.3%  267 chargers  ✓ OK\n",
		"  F10      1,467 kW  limit      1,510 kW    97.1%  267 chargers  △ WARN (a desk\n          that saw it",
		"V2G       discharge 1,161 kW, import reducible 3,517 kW, 4,508 kWh above\n          departure needs (1,052 plugged, 326 bidirectional)\n",
		"\nrejects   none\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// TestStatusMeasuresChineseInCells: a Chinese site's name (the feed's
// hello, as a Chinese site names itself) is two columns a character. The
// site line was measured in runes: at 62 runes but 80-odd columns it was
// left whole, and the terminal broke it mid-word at its edge.
func TestStatusMeasuresChineseInCells(t *testing.T) {
	line := "site      深圳市南山区示范片区 (Asia/Shanghai), 2024-01-17 17:47:00 CST by the simulation clock\n"
	got := fitStatusText(line, 80)
	for i, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if n := ansi.StringWidth(l); n > 80 {
			t.Errorf("line %d is %d columns: %q", i+1, n, l)
		}
	}
	if !strings.Contains(got, "\n          ") || strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(line), " ") {
		t.Errorf("not broken between words, its further line at the values' column:\n%s", got)
	}
}
