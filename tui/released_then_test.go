package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestOverEventsHandBackIsThen: a cancelled event's page read "plan 4 at
// 23:45, hand-back 23:45; if released now, charging would take F10 to
// 1,548 kW (102%)" with its chargers already let go. Once the event has
// ended or been cancelled its last hand-back plan says what releasing
// would have done then; a running event's still says "if released now"
// (on its △ line). In English and zh-CN.
func TestOverEventsHandBackIsThen(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		tr := m.tr.t
		planned := fixedNow.Add(-5 * time.Minute)
		hb := control.HandBack{Scope: "F10", PeakKW: 1548, PeakAt: planned, LimitKW: 1510}
		v := control.EventView{Event: feeds.EventFrame{ID: "T-F10", Kind: feeds.EventImportCap, Scope: "F10", KW: 1435},
			Plans: 4, LastPlan: planned, HandBack: hb, LastWhy: control.Why{Kind: control.WhyHandBack, At: planned, HandBack: hb},
			Progress: control.Progress{Sends: 4, Sent: 3, Done: 3}}
		now := strings.SplitN(tr(releasedNowFormat), "%s", 3)[1]
		then := strings.SplitN(tr(releasedThenFormat), "%s", 3)[1]
		for _, state := range []control.State{control.StateCancelled, control.StateEnded} {
			v.State = state
			got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
			if !strings.Contains(got, then) || strings.Contains(got, now) || !strings.Contains(got, "1,548") {
				t.Errorf("%q %s: progress reads\n%s\nwant %q with the figures, not %q", lang, state, got, then, now)
			}
		}
		// The control package's words are what the desk replaces.
		if !strings.Contains(m.whyText(v.LastWhy), now) {
			t.Errorf("%q: the hand-back reason %q no longer says %q: whyTextThen replaces nothing", lang, m.whyText(v.LastWhy), now)
		}
	}
}
