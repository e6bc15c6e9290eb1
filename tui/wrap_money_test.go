package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWrapKeepsMoneyWithItsWord: at 100 columns the preview ended a line
// with "the event itself: −30 kW, cost" and began the next with "+¥1",
// a figure on its own that reads as a line of its own. A sum of money
// stays on the line of the word before it, in either language; the words
// are otherwise unchanged.
func TestWrapKeepsMoneyWithItsWord(t *testing.T) {
	for _, c := range []struct {
		line  string
		w     int
		whole string
	}{
		{"of which a plan without the event (prices, limits): F10 −296 kW · the event itself: −30 kW, cost +¥1", 96, "cost +¥1"},
		{"of which a plan without the event (prices, limits): F10 −296 kW · the event itself: −30 kW, cost −¥12", 96, "cost −¥12"},
		{"unmet energy 0 kWh · 0 EVs short (0 avoidable)   cost ¥32 (−¥334 against unmanaged)", 50, "cost ¥32"},
	} {
		got := wrapLines([]string{c.line}, c.w)
		found := false
		for _, l := range got {
			plain := ansi.Strip(l)
			if ansi.StringWidth(plain) > c.w {
				t.Errorf("%q: line %q is wider than %d", c.line, plain, c.w)
			}
			if strings.HasPrefix(strings.TrimSpace(plain), "+¥") || strings.HasPrefix(strings.TrimSpace(plain), "−¥") || strings.HasPrefix(strings.TrimSpace(plain), "¥") {
				t.Errorf("%q: a line begins with its sum of money: %q", c.line, got)
			}
			found = found || strings.Contains(plain, c.whole)
		}
		if !found {
			t.Errorf("%q wrapped at %d to %q: %q is not on one line", c.line, c.w, got, c.whole)
		}
		var words []string
		for _, l := range got {
			words = append(words, strings.Fields(ansi.Strip(l))...)
		}
		if strings.Join(words, " ") != strings.Join(strings.Fields(c.line), " ") {
			t.Errorf("%q wrapped to %q: words lost or changed", c.line, got)
		}
	}
}
