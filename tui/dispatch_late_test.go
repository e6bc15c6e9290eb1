package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// A DR event whose setpoint timed out and was then accepted late reads
// "1 of 1 answered: 1 accepted (1 of them answered late)", in English and
// zh-CN, with no timeout and nothing "not applied" left on the page.
func TestDispatchProgressSaysLate(t *testing.T) {
	v := control.EventView{Event: feeds.EventFrame{ID: "OP-1", Scope: "F07"}, State: control.StateActive, Plans: 1, LastPlan: fixedNow,
		Progress: control.Progress{Sends: 1, Sent: 1, Done: 1, Late: 1, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 1}}}
	for _, tt := range []struct{ lang, want string }{
		{"", "1 of 1 answered: 1 accepted (1 of them answered late)"},
		{"zh-CN", "(其中 1 个为迟到应答)"},
	} {
		m, _, _ := newTestModel(t, tt.lang, 160, 45)
		got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s progress:\n%s\nwant %q", tt.lang, got, tt.want)
		}
		for _, bad := range []string{"timeout", "超时", "not applied", "未执行"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s progress:\n%s\nsays %q after a late acceptance", tt.lang, got, bad)
			}
		}
	}
}
