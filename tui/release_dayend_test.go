package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestHandBackReleaseAfterDayEnd: a hand-back whose limit falls after the
// scenario day (released at 06:58 on a day that ends at 00:00) says what
// does happen: its chargers are released as the day ends, when the desk
// ends the event. One before the day's end keeps its own time.
func TestHandBackReleaseAfterDayEnd(t *testing.T) {
	cases := []struct {
		lang, want, not string
	}{
		{"", "chargers will be released at 00:00 when the scenario day ends (the hand-back limit, 06:58, is after it)", "released at 06:58 at the latest"},
		{"zh-CN", "充电桩将于 00:00 仿真日结束时释放 (交还时限 06:58 在其之后)", "最迟于 06:58"},
	}
	for _, tc := range cases {
		for _, sz := range []struct{ w, h int }{{80, 24}, {160, 45}} {
			m, d, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, sz.w, sz.h, false)
			// The fixture's 18:42 plus 12 h 16 min: 06:58 the next day.
			d.set(func(v *control.EventView) { v.ReleaseAt = m.snap.At.Add(12*time.Hour + 16*time.Minute) })
			m.Update(drChangedMsg{})
			runKeys(m, "5E")
			s := ansi.Strip(m.View())
			flat := strings.Join(strings.Fields(strings.ReplaceAll(s, "│", " ")), " ")
			if sz.w == 160 && !strings.Contains(s, tc.want) || sz.w == 80 && !strings.Contains(flat, strings.Join(strings.Fields(tc.want), " ")) {
				t.Errorf("%s %dx%d: DR-17's page lacks %q:\n%s", tc.lang, sz.w, sz.h, tc.want, s)
			}
			if strings.Contains(s, tc.not) {
				t.Errorf("%s %dx%d: DR-17's page has %q, a time the scenario day never reaches:\n%s", tc.lang, sz.w, sz.h, tc.not, s)
			}
		}
	}
	// Before the day's end the hand-back keeps its own time.
	m, _, _ := newHandBackDesk(t, "", RoleDispatcher, 160, 45, false)
	runKeys(m, "5E")
	if s := ansi.Strip(m.View()); !strings.Contains(s, "chargers will be released at 19:00 at the latest, whatever their charging then does") {
		t.Errorf("a release before the day's end lost its time:\n%s", s)
	}
}
