package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestShortDispatchPageUsesItsRoomForAChart: at 80x24 a hand-back's page
// released at the day's end has room for its lines and five more; it drew
// no chart there (six lines at least) and left the five blank. It draws the smallest chart (legend,
// two rows, the time axis and its hours) and leaves no run of blank lines
// in its box; at 160x45 the chart is the full one.
func TestShortDispatchPageUsesItsRoomForAChart(t *testing.T) {
	for _, tc := range []struct {
		lang string
		w, h int
	}{{"", 80, 24}, {"zh-CN", 80, 24}, {"", 160, 45}} {
		m, d, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, tc.w, tc.h, false)
		// Released as the scenario day ends: the release takes two lines
		// at 80 columns, which leaves five for the chart.
		d.set(func(v *control.EventView) { v.ReleaseAt = m.snap.At.Add(12*time.Hour + 16*time.Minute) })
		m.Update(drChangedMsg{})
		runKeys(m, "5E")
		s := ansi.Strip(m.View())
		if !strings.Contains(s, "└┬") {
			t.Errorf("%s %dx%d: the dispatch page has no chart:\n%s", tc.lang, tc.w, tc.h, s)
		}
		blank := 0
		for _, l := range strings.Split(s, "\n") {
			r := []rune(l)
			if len(r) > 2 && r[0] == '│' && strings.TrimSpace(string(r[1:len(r)-1])) == "" {
				blank++
				if blank >= 2 {
					t.Errorf("%s %dx%d: the dispatch page leaves blank lines:\n%s", tc.lang, tc.w, tc.h, s)
					break
				}
				continue
			}
			blank = 0
		}
	}
}
