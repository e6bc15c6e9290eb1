package tui

import (
	"strings"
	"testing"
)

// TestHeaderShowsBadCatchUps: the catch_up signals a fleet ignored
// (FeedStats.BadCatchUps) stand beside the rejects in the header's feed
// detail, in the session's language; none, nothing is added.
func TestHeaderShowsBadCatchUps(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"", "rejects 0 · bad catch-ups 3"},
		{"zh-CN", "拒收 0 · 无效追赶信号 3"},
	} {
		m, fx, _ := newTestModel(t, tc.lang, 220, 45)
		if head := strings.Split(m.View(), "\n")[0]; strings.Contains(head, "catch-ups") || strings.Contains(head, "追赶") {
			t.Errorf("%q: header %q names catch-ups with none ignored", tc.lang, head)
		}
		snap := *fx.snap
		snap.Stats.BadCatchUps = 3
		m.Update(SnapshotMsg{Snapshot: &snap})
		if head := strings.Split(m.View(), "\n")[0]; !strings.Contains(head, tc.want) {
			t.Errorf("%q: header %q, want %q in it", tc.lang, head, tc.want)
		}
	}
}
