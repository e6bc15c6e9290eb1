package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestCancelledHandBackPlanLine: a hand-back cancelled by its dispatcher
// keeps its last plan's line, why that plan was made and how far over its
// limit charging would then have gone; it read "plan 3 (window over;
// released now, charging would take F07 to 4,218 kW (111%) at 19:00
// (limit 3,800 kW)) at 18:42", brackets inside brackets. Its why follows
// the plan's time, bracket-free at the top level, in both languages;
// what releasing would have done is said of then, not now (released_then_test.go).
func TestCancelledHandBackPlanLine(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"", "plan 3 at 18:42, window over; had it been released then, charging would take F07 to 4,218 kW (111%) at 19:00 (limit 3,800 kW):"},
		{"zh-CN", "第 3 次规划 18:42, 时段结束"},
	} {
		for _, w := range []int{80, 160} {
			m, d, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, w, 45, false)
			d.set(func(v *control.EventView) {
				v.State, v.Plans, v.LastPlan = control.StateCancelled, 3, m.snap.At
				v.LastWhy = control.Why{Kind: control.WhyWindowOver, HandBack: v.HandBack}
			})
			m.Update(drChangedMsg{})
			runKeys(m, "5E")
			s := ansi.Strip(m.View())
			flat := strings.Join(strings.Fields(strings.ReplaceAll(s, "│", " ")), " ")
			if !strings.Contains(flat, tc.want) {
				t.Errorf("%s at %d columns: the plan line lacks %q:\n%s", tc.lang, w, tc.want, s)
			}
			if strings.Contains(flat, "))") {
				t.Errorf("%s at %d columns: brackets inside brackets:\n%s", tc.lang, w, s)
			}
		}
	}
}
