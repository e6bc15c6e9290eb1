package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestHandBackChartDrawsTheLimitAfterTheWindow: a hand-back's chart draws
// the scope's own limit after the window, where the event now holds its
// chargers (dashed, in the limit's style, named in the legend); it drew
// the window's cap and then nothing, the plan's curve read against no
// line at all.
func TestHandBackChartDrawsTheLimitAfterTheWindow(t *testing.T) {
	for _, tc := range []struct{ lang, legend string }{{"", "⠒ ⠒ limit 3,800 kW"}, {"zh-CN", "⠒ ⠒ 限值 3,800 kW"}} {
		m, _, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, 160, 45, false)
		runKeys(m, "5E")
		s := ansi.Strip(m.View())
		if !strings.Contains(s, tc.legend) {
			t.Errorf("%s: the hand-back's chart legend lacks %q:\n%s", tc.lang, tc.legend, s)
		}
		v, ok := m.drEvent("DR-17")
		if !ok {
			t.Fatal("no DR-17")
		}
		// The chart runs 17:00 to 22:00 and the window ends at 21:00: the
		// limit's dashes (two dots on, two off: a cell and a gap) run on
		// after it, in the last fifth of the plot.
		lines := m.dispatchChart(&v, false, 150, 14)
		found := false
		for _, l := range lines {
			r := []rune(ansi.Strip(l))
			if hasDashes(r[len(r)*4/5:], 6) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no limit line after the window:\n%s", tc.lang, ansi.Strip(strings.Join(lines, "\n")))
		}
	}
}

// hasDashes reports whether r holds n of one braille cell in a row, each
// followed by a gap: a dashed line, as dayChart draws a target.
func hasDashes(r []rune, n int) bool {
	for i := 0; i+2*n <= len(r); i++ {
		c, run := r[i], 0
		for k := i; k+1 < len(r) && r[k] == c && r[k+1] == ' ' && c > 0x2800 && c <= 0x28FF; k += 2 {
			run++
		}
		if run >= n {
			return true
		}
	}
	return false
}
