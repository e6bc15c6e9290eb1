package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestExtendNotOfferedPastTheDay: a hand-back whose release falls at or
// after the scenario day's end is released by the day's end, when the desk
// ends the event: x extended it all the same, on the record, to a time that
// never comes. x is not offered there, and x or :extend says why and
// extends nothing; the release notice names only the call to make. One
// released before the day's end is still offered x. English and zh-CN,
// 160x45 and 80x24.
func TestExtendNotOfferedPastTheDay(t *testing.T) {
	cases := []struct{ lang, why, call, callX, offer string }{
		{"", "x: the scenario day ends at 00:00, before the hand-back's release at 00:30: extending it would change nothing",
			"call the network control room", "or x to extend the hand-back", "x extend the hand-back"},
		{"zh-CN", "x：仿真日于 00:00 结束, 早于交还释放时间 00:30: 延长不会改变任何事",
			"请联系电网调度", "或按 x 延长交还", "x 延长交还"},
	}
	for _, tc := range cases {
		for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}} {
			m, d, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, sz.w, sz.h, false)
			flat := func() string {
				return strings.Join(strings.Fields(strings.ReplaceAll(ansi.Strip(m.View()), "│", " ")), " ")
			}
			runKeys(m, "5E")
			if foot := lastLine(ansi.Strip(m.View())); !strings.Contains(foot, tc.offer) {
				t.Fatalf("%s %dx%d: a hand-back released at 19:00 is not offered x: %q", tc.lang, sz.w, sz.h, foot)
			}
			// The fixture's 18:42 plus 5 h 48 min: 00:30 the next day,
			// with notice of it given.
			d.set(func(v *control.EventView) {
				v.ReleaseAt = m.snap.At.Add(5*time.Hour + 48*time.Minute)
				v.ReleaseNoticeSince = m.snap.At
			})
			m.Update(drChangedMsg{})
			m.flash = "" // the notice's flash, as when a key has been pressed
			if foot := lastLine(ansi.Strip(m.View())); strings.Contains(foot, tc.offer) {
				t.Errorf("%s %dx%d: the footer offers x for a release after the day: %q", tc.lang, sz.w, sz.h, foot)
			}
			if s := flat(); !strings.Contains(s, tc.call) || strings.Contains(s, tc.callX) {
				t.Errorf("%s %dx%d: the notice should name the call alone, no x:\n%s", tc.lang, sz.w, sz.h, ansi.Strip(m.View()))
			}
			for _, keys := range []string{"x", ":extend 2hE"} {
				runKeys(m, keys)
				why := tc.why
				if keys != "x" {
					// The palette's refusal is not a key's.
					why = strings.TrimPrefix(strings.TrimPrefix(why, "x: "), "x：")
				}
				if s := flat(); !strings.Contains(s, strings.Join(strings.Fields(why), " ")) {
					t.Errorf("%s %dx%d: %q does not say why it does nothing, want %q:\n%s", tc.lang, sz.w, sz.h, keys, tc.why, ansi.Strip(m.View()))
				}
				m.flash = ""
			}
			if len(d.extends) != 0 {
				t.Errorf("%s %dx%d: extended a release after the day's end: %v", tc.lang, sz.w, sz.h, d.extends)
			}
		}
	}
}

// TestExtendPastTheDaySaysTheDayEnds: x on a hand-back released at 22:30
// extends it 4 h, to 02:30, after the scenario day: the flash read
// "chargers will be released at 02:30 at the latest", a time that never comes. It
// says the day's end releases them. English and zh-CN.
func TestExtendPastTheDaySaysTheDayEnds(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"", "extended DR-17's hand-back to 02:30, after the scenario day: its chargers are released when the day ends at 00:00"},
		{"zh-CN", "已将 DR-17 的逐步交还延长至 02:30, 在仿真日之后: 充电桩于仿真日结束时 00:00 释放"},
	} {
		m, d, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, 160, 45, false)
		d.set(func(v *control.EventView) { v.ReleaseAt = m.snap.At.Add(3*time.Hour + 48*time.Minute) })
		m.Update(drChangedMsg{})
		runKeys(m, "5Ex")
		if len(d.extends) != 1 {
			t.Fatalf("%s: x extended %v, want DR-17 once", tc.lang, d.extends)
		}
		if s := ansi.Strip(m.View()); !strings.Contains(s, tc.want) {
			t.Errorf("%s: the flash lacks %q:\n%s", tc.lang, tc.want, lastLine(s))
		}
	}
}

// TestExtendPastTheDayToldAsTheDayEnds: the other sessions are told an
// extension past the scenario day as the one who made it is: the day's
// end releases the chargers, not the time the extension set.
func TestExtendPastTheDayToldAsTheDayEnds(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"", "extended DR-17's hand-back to 02:30, after the scenario day: its chargers are released when the day ends at 00:00"},
		{"zh-CN", "已将 DR-17 的逐步交还延长至 02:30, 在仿真日之后: 充电桩于仿真日结束时 00:00 释放"},
	} {
		m, _, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, 160, 45, false)
		v, _ := m.drEvent("DR-17")
		a := Announcement{Kind: TellExtended, Event: v.Event, Release: m.snap.At.Add(7*time.Hour + 48*time.Minute)}
		if got, ok := m.Tell("omar", a); !ok || !strings.Contains(got, tc.want) {
			t.Errorf("%s: told %q, want %q", tc.lang, got, tc.want)
		}
	}
}
