package tui

import (
	"regexp"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// brokenSGR matches the remains of an escape sequence whose ESC byte was
// separated from the rest: what a terminal would print as "[1;38;5;166m".
var brokenSGR = regexp.MustCompile(`\[[0-9;]*m`)

// TestColourViewsKeepEscapesWhole renders every view in 256 colours and
// checks that no escape sequence is cut in pieces (lipgloss underlines rune by
// rune, so a styled glyph inside an underlined label used to show as
// "[1;38;5;166m▲[0m" on the Alarms tab).
func TestColourViewsKeepEscapesWhole(t *testing.T) {
	for _, script := range []string{"", "2", "2jE", "3", "4", "5", "t", "?"} {
		fx := demo(t)
		opts, _ := testOptions(fx, "")
		r := lipgloss.NewRenderer(nil)
		r.SetColorProfile(termenv.ANSI256)
		opts.Renderer = r
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		press(m, script)
		if got := ansi.Strip(m.View()); brokenSGR.MatchString(got) {
			t.Errorf("keys %q: broken escape sequence %q on screen", script, brokenSGR.FindString(got))
		}
	}
}
