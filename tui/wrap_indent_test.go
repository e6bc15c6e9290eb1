package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWrapKeepsIndent: at 80 columns an event's progress wrapped its
// indented lines to the box's edge: "  next re-plan 18:45, the next slot
// (15 kW over is within the 30 kW" above "tolerance)", and "  still over
// after it: read what was not applied, and the feeder's data" above "(2
// Feeders)", which read as lines of their own. An indented line wraps
// under itself, within the width; a line without an indent is unchanged.
func TestWrapKeepsIndent(t *testing.T) {
	for _, line := range []string{
		"  next re-plan 18:45, the next slot (15 kW over is within the 30 kW tolerance)",
		"  still over after it: read what was not applied, and the feeder's data (2 Feeders)",
		"\x1b[2m  still over after it: read what was not applied, and the feeder's data (2 Feeders)\x1b[0m",
	} {
		got := wrapLines([]string{line}, 76)
		if len(got) < 2 {
			t.Fatalf("%q did not wrap at 76: %q", line, got)
		}
		for _, l := range got {
			plain := ansi.Strip(l)
			if !strings.HasPrefix(plain, "  ") || strings.HasPrefix(plain, "   ") {
				t.Errorf("%q: line %q is not indented by the line's 2 spaces", line, plain)
			}
			if w := ansi.StringWidth(l); w > 76 {
				t.Errorf("%q: line %q is %d wide, over 76", line, plain, w)
			}
		}
		var words []string
		for _, l := range got {
			words = append(words, strings.Fields(ansi.Strip(l))...)
		}
		if strings.Join(words, " ") != strings.Join(strings.Fields(ansi.Strip(line)), " ") {
			t.Errorf("%q wrapped to %q: words lost or changed", line, got)
		}
	}
	flat := "unmet energy 0 kWh · 0 EVs short (0 avoidable)   cost ¥86 (−¥383 against unmanaged)   solved in 69ms · certified gap 1e-06"
	for _, l := range wrapLines([]string{flat}, 76)[1:] {
		if strings.HasPrefix(l, " ") {
			t.Errorf("a line without an indent wrapped to an indented %q", l)
		}
	}
}
