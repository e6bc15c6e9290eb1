package tui

import (
	"strings"
	"testing"
)

// TestTopAndBottomOnAnEventsPage: g and G (home, end) go to the first and
// last row elsewhere; on a DR event's page, which has no rows, they did
// nothing and said nothing. They say so, in both languages, and the page
// stays open.
func TestTopAndBottomOnAnEventsPage(t *testing.T) {
	for _, tc := range []struct{ lang, key, want string }{
		{"", "g", "g: an event's page has no rows to go to"},
		{"", "G", "G: an event's page has no rows to go to"},
		{"zh-CN", "g", "g：事件页面没有可跳转的行"},
	} {
		m, _, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, 80, 24, false)
		runKeys(m, "5E")
		runKeys(m, tc.key)
		if m.flash != tc.want {
			t.Errorf("%s %s on DR-17's page: footer says %q, want %q", tc.lang, tc.key, m.flash, tc.want)
		}
		if p := m.page(); p.kind != pageDispatch || !strings.Contains(m.View(), "DR-17") {
			t.Errorf("%s %s left DR-17's page", tc.lang, tc.key)
		}
	}
}
