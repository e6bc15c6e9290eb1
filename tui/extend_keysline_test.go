package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// The event page's keys line offers x as the footer does: not for a
// hand-back whose release comes after the scenario day's end, where x only
// says it would change nothing. In a soak the page read "x extend the
// hand-back" above a footer that did not offer it, on the demo day's F10 at
// 21:18 with its release at 00:50.
func TestPageKeysLineOffersXAsTheFooterDoes(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{160, 45}, {80, 24}} {
		m, d, _ := newHandBackDesk(t, "", RoleDispatcher, sz.w, sz.h, false)
		runKeys(m, "5E")
		page := func() string {
			s := ansi.Strip(m.View())
			return s[:strings.LastIndex(s, "\n")] // without the footer
		}
		if !strings.Contains(page(), "x extend the hand-back") {
			t.Fatalf("%dx%d: a hand-back released at 19:00: the page does not offer x:\n%s", sz.w, sz.h, page())
		}
		// 00:30 the next day: after the scenario day's end.
		d.set(func(v *control.EventView) { v.ReleaseAt = m.snap.At.Add(5*time.Hour + 48*time.Minute) })
		m.Update(drChangedMsg{})
		if strings.Contains(page(), "x extend the hand-back") {
			t.Errorf("%dx%d: the page offers x for a release after the day:\n%s", sz.w, sz.h, page())
		}
	}
}
