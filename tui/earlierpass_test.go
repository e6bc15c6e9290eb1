package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestEarlierPassEventsListedApartAndDated: after a simulated day started
// over (`seek 00:00` at its end) the events confirmed in the pass before
// read as today's: "T-F10-1819  18:19–22:19 … ✓ ENDED" under a clock at
// 01:25, an ended event whose window had not even opened. An event the
// controller marks as of an earlier pass is listed under a line naming the
// seek back, its window dated and its state EARLIER PASS; its page says
// so under the state it reached, at 160x45 and 80x24, in both languages.
func TestEarlierPassEventsListedApartAndDated(t *testing.T) {
	for _, tc := range []struct {
		lang, state, heading, page string
	}{
		{"", "↶ EARLIER PASS", "↶ earlier pass, before the seek back from 11-27 00:00 to 11-26 00:00", "↶ these are that pass's figures"},
		{"zh-CN", "↶ 上一轮", "↶ 上一轮, 11-27 00:00 回跳到 11-26 00:00 之前", "↶ 以下为那一轮的数据"},
	} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			name := fmt.Sprintf("%s %dx%d", tc.lang, size[0], size[1])
			m, d, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, size[0], size[1], false)
			d.set(func(v *control.EventView) {
				day := dayStart(v.Event.Start, v.Event.Start.Location())
				v.State, v.HandBackSince, v.ReleaseAt = control.StateEnded, time.Time{}, time.Time{}
				v.Ended = v.Event.End
				v.EndWhy = control.Why{Kind: control.WhyEarlierPass, From: day.Add(24 * time.Hour), At: day}
				v.Reason = v.EndWhy.String()
				v.EarlierPass = &control.EarlierPass{From: day.Add(24 * time.Hour), To: day}
			})
			m.Update(drChangedMsg{})
			runKeys(m, "5")
			list := ansi.Strip(m.View())
			var row string
			for _, l := range strings.Split(list, "\n") {
				if strings.Contains(l, "DR-17") {
					row = l
				}
			}
			if !strings.Contains(row, "11-26 18:00–21:00") || !strings.Contains(row, tc.state) {
				t.Errorf("%s: DR-17's row %q; want its window dated, 11-26 18:00–21:00, and %q", name, row, tc.state)
			}
			if strings.Contains(row, "ENDED") || strings.Contains(row, "已结束") {
				t.Errorf("%s: DR-17's row reads as today's ended event: %q", name, row)
			}
			if !strings.Contains(list, tc.heading) {
				t.Errorf("%s: no line %q over the earlier pass's events:\n%s", name, tc.heading, list)
			}
			if tab := strings.Split(list, "\n")[1]; strings.Contains(tab, "●") {
				t.Errorf("%s: the tab line counts it in force: %q", name, tab)
			}
			runKeys(m, "E")
			page := ansi.Strip(m.View())
			if !strings.Contains(page, "DR-17") || !strings.Contains(page, "11-26 18:00–21:00") {
				t.Errorf("%s: DR-17's page title is not dated:\n%s", name, page)
			}
			if !strings.Contains(page, tc.page) {
				t.Errorf("%s: DR-17's page does not say %q:\n%s", name, tc.page, page)
			}
		}
	}
}

// TestEarlierPassPageOfAnEventOverBefore: an event that ended in its own
// pass (released after its window) and was left behind by a later seek
// back says on its page which seek left it there, since its reason does
// not.
func TestEarlierPassPageOfAnEventOverBefore(t *testing.T) {
	m, d, _ := newHandBackDesk(t, "", RoleDispatcher, 80, 24, false)
	d.set(func(v *control.EventView) {
		day := dayStart(v.Event.Start, v.Event.Start.Location())
		v.State, v.HandBackSince, v.ReleaseAt = control.StateEnded, time.Time{}, time.Time{}
		v.EndWhy = control.Why{Kind: control.WhyReleased, LimitKW: 3800}
		v.Reason = v.EndWhy.String()
		v.EarlierPass = &control.EarlierPass{From: day.Add(24 * time.Hour), To: day}
	})
	m.Update(drChangedMsg{})
	runKeys(m, "5E")
	page := ansi.Strip(m.View())
	for _, want := range []string{"✓ ENDED · from feed", "↶ of an earlier pass of the day: the clock went back from 11-27 00:00 to"} {
		if !strings.Contains(page, want) {
			t.Errorf("DR-17's page lacks %q:\n%s", want, page)
		}
	}
}
