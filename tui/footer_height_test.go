package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestFooterHeightIsTheFooters: the SSH frame covers FooterHeight lines
// with its notices; it must be the footer's own count, two while a long
// message wraps, or the message's first half shows above the notice.
func TestFooterHeightIsTheFooters(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 80, 24)
		if got := m.FooterHeight(); got != 1 {
			t.Errorf("%s: FooterHeight %d with no message, want 1", lang, got)
		}
		m.setNotice(strings.Repeat("a long refusal with its remedy ", 4))
		lines := strings.Split(ansi.Strip(m.View()), "\n")
		if got := m.FooterHeight(); got != 2 || !strings.Contains(lines[len(lines)-2], "a long refusal") {
			t.Errorf("%s: FooterHeight %d with a message over two lines, want 2:\n%s", lang, got, strings.Join(lines[len(lines)-3:], "\n"))
		}
	}
}
