package tui

import (
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestHeaderShowsIgnoredSignals: the catch_up and pause signals a fleet
// ignored (FeedStats.BadCatchUps, FeedStats.BadPauses) stand beside the
// rejects in the header's feed detail, in the session's language; none,
// nothing is added.
func TestHeaderShowsIgnoredSignals(t *testing.T) {
	for _, tc := range []struct {
		lang, want string
		absent     []string
		set        func(*feeds.FeedStats)
	}{
		{"", "rejects 0 · bad catch-ups 3", []string{"catch-ups", "追赶"}, func(s *feeds.FeedStats) { s.BadCatchUps = 3 }},
		{"zh-CN", "拒收 0 · 无效追赶信号 3", []string{"catch-ups", "追赶"}, func(s *feeds.FeedStats) { s.BadCatchUps = 3 }},
		{"", "rejects 0 · bad pauses 2", []string{"pauses", "暂停信号"}, func(s *feeds.FeedStats) { s.BadPauses = 2 }},
		{"zh-CN", "拒收 0 · 无效暂停信号 2", []string{"pauses", "暂停信号"}, func(s *feeds.FeedStats) { s.BadPauses = 2 }},
		// The server conflated for a desk that fell behind (docs/protocol.md, Conflated).
		{"", "rejects 0 · behind: conflated 12× (41,250 frames left out)", []string{"conflat", "合并"},
			func(s *feeds.FeedStats) { s.Conflations, s.ConflatedFrames = 12, 41250 }},
		{"zh-CN", "拒收 0 · 跟不上：合并发送 12 次（略去 41,250 帧）", []string{"conflat", "合并"},
			func(s *feeds.FeedStats) { s.Conflations, s.ConflatedFrames = 12, 41250 }},
		{"", "rejects 0 · bad conflations 1", []string{"conflat", "合并"}, func(s *feeds.FeedStats) { s.BadConflations = 1 }},
	} {
		m, fx, _ := newTestModel(t, tc.lang, 220, 45)
		head := strings.Split(m.View(), "\n")[0]
		for _, a := range tc.absent {
			if strings.Contains(head, a) {
				t.Errorf("%q: header %q names %q with none ignored", tc.lang, head, a)
			}
		}
		snap := *fx.snap
		tc.set(&snap.Stats)
		m.Update(SnapshotMsg{Snapshot: &snap})
		if head := strings.Split(m.View(), "\n")[0]; !strings.Contains(head, tc.want) {
			t.Errorf("%q: header %q, want %q in it", tc.lang, head, tc.want)
		}
	}
}
