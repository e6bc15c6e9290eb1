package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The help overlay says "? or esc to close": both must close it, also at
// the top of a view where esc has nothing to go back to.
func TestHelpClosesWithEscAndQuestionMark(t *testing.T) {
	for _, tc := range []struct{ name, open, close string }{
		{"esc at the overview", "1?", "X"},
		{"? at the overview", "1?", "?"},
		{"esc in a feeder", "2E?", "X"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _, _ := newTestModel(t, "", 160, 45)
			pressViewing(m, tc.open)
			if got := ansi.Strip(m.View()); !strings.Contains(got, "Keys · ? or esc to close") {
				t.Fatalf("help did not open:\n%s", got)
			}
			pressViewing(m, tc.close)
			if got := ansi.Strip(m.View()); strings.Contains(got, "Keys · ? or esc to close") {
				t.Fatalf("help still open after %q:\n%s", tc.close, got)
			}
		})
	}
}
