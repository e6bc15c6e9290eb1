package tui

import (
	"errors"
	"regexp"
	"strings"
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

// TestHeaderShowsWhoIsOnline checks the header of a shared desk lists the
// other operators, and that alarm actions go through Options.Act, which may
// refuse them.
func TestHeaderShowsWhoIsOnline(t *testing.T) {
	fx := demo(t)
	opts, _ := testOptions(fx, "")
	opts.Operator, opts.Role = "ana", RoleDispatcher
	opts.Online = func() []string { return []string{"bo (viewer)", "ana (dispatcher)", "cy (admin)"} }
	var acted []string
	refuse := false
	opts.Act = func(_ string, a Announcement, detail map[string]any) error {
		if refuse {
			return errRefused
		}
		acted = append(acted, a.Kind+" "+detail["alarm"].(string))
		return nil
	}
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 220, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	if got := m.View(); !strings.Contains(got, "ana (dispatcher) · with bo (viewer), cy (admin)") {
		t.Errorf("header does not list the others online:\n%s", strings.SplitN(got, "\n", 2)[0])
	}
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if got := m.View(); !strings.Contains(strings.SplitN(got, "\n", 2)[0], "+2") {
		t.Errorf("narrow header does not count the others online:\n%s", strings.SplitN(got, "\n", 2)[0])
	}
	// As in a running program, View follows every key: it sets which keys
	// the page enables.
	pressViewing(m, "4a")
	if len(acted) != 1 || !strings.HasPrefix(acted[0], "alarm_ack ") {
		t.Fatalf("Act calls = %q, want one alarm_ack; screen:\n%s", acted, m.View())
	}
	refuse = true
	pressViewing(m, "ga") // the top row: an unacknowledged alarm
	if got := m.View(); !strings.Contains(got, errRefused.Error()) {
		t.Errorf("a refused action does not say why")
	}
}

var errRefused = errors.New("refused: audit journal unavailable")

// pressViewing presses each key of script and renders after each, as a
// running program does.
func pressViewing(m *Model, script string) {
	for _, k := range keys(script) {
		m.Update(k)
		m.View()
	}
}

// TestCapLineOnlyInItsWindow checks a DR cap is drawn only over the minutes
// of its window, not across the whole chart.
func TestCapLineOnlyInItsWindow(t *testing.T) {
	st := newStyles(asciiRenderer())
	vals := make([]float64, 240)
	for i := range vals {
		vals[i] = 100
	}
	c := dayChart{st: &st, fromHour: 17, hours: 4, limit: 150, limitFrom: 60, limitTo: 120,
		series: []chartSeries{{vals: vals}}}
	lines := c.render(84, 12)
	var capRow string
	for _, l := range lines {
		if strings.Contains(l, "┄") {
			capRow = l
		}
	}
	if capRow == "" {
		t.Fatalf("no cap line drawn:\n%s", strings.Join(lines, "\n"))
	}
	r := []rune(capRow)
	first, last := -1, -1
	for i, ch := range r {
		if ch == '┄' {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	plot := len(r) - 4 // the y axis labels and the axis take the first columns
	if span := float64(last-first+1) / float64(plot); span < 0.2 || span > 0.3 {
		t.Errorf("cap line covers %.0f%% of the plot (columns %d..%d of %d), want the window's 25%%:\n%s",
			span*100, first, last, len(r), capRow)
	}
}
