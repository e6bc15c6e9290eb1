package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestHandBackLimitRowLabelled: a hand-back's chart draws the scope's own
// limit after the window, dashed. At 160x45 the row it fell in happened to
// carry the limit's value; at 80x24, with three rows, it read "4,000" beside
// F07's 3,800 kW limit, and the label a dispatcher reads the plan's curve
// against was the round value of the row, not the limit. The limit's row
// is labelled with the limit at every size, in both languages.
func TestHandBackLimitRowLabelled(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			name := fmt.Sprintf("%s %dx%d", lang, size[0], size[1])
			m, _, _ := newHandBackDesk(t, lang, RoleDispatcher, size[0], size[1], false)
			runKeys(m, "5E")
			var row string
			for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
				// The limit's dashes: two dots on, two off, after the window.
				if r := []rune(l); len(r) > 20 && hasDashes(r[len(r)*3/4:], 4) {
					row = l
					break
				}
			}
			if row == "" {
				t.Fatalf("%s: no row holds the hand-back limit's dashes:\n%s", name, ansi.Strip(m.View()))
			}
			label := strings.TrimSpace(strings.TrimLeft(strings.SplitN(row, "┤", 2)[0], "│ "))
			if label != "3,800" {
				t.Errorf("%s: the hand-back limit's row is labelled %q, want 3,800:\n%s", name, label, row)
			}
		}
	}
}
