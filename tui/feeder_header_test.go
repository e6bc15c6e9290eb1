package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestFeederLimitHeaderKeepsUnit: the compact feeder table (80 columns)
// headed the limit column "limit", without kW, while the load column said
// "kW". Every width, both languages, the overview's table and the
// feeders view.
func TestFeederLimitHeaderKeepsUnit(t *testing.T) {
	for _, tc := range []struct{ lang, head, limit string }{
		{"", "feeder", "limit kW"},
		{"zh-CN", "馈线", "上限 kW"},
	} {
		for _, w := range []int{64, 72, 80, 100, 120, 160} {
			for _, view := range []string{"1", "2"} {
				m, _, _ := newTestModel(t, tc.lang, w, 45)
				pressViewing(m, view)
				screen := ansi.Strip(m.View())
				header := ""
				for _, l := range strings.Split(screen, "\n") {
					if strings.HasPrefix(l, "│") && strings.HasPrefix(strings.TrimLeft(l, "│ "), tc.head) {
						header = l
						break
					}
				}
				if !strings.Contains(header, tc.limit) {
					t.Errorf("%s %d columns, view %s: header %q lacks %q", tc.lang, w, view, header, tc.limit)
				}
			}
		}
	}
}
