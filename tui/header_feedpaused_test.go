package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestHeaderFeedPaused: a --feed desk has no control of its own; the
// simulator serving it says it is paused (Snapshot.Paused), and the header
// says so as for the desk's own paused replay: the badge's ❚❚ PAUSED beside
// the stopped clock, once, and no rate, at both widths and in both
// languages. Resumed, the rate is back and PAUSED gone.
func TestHeaderFeedPaused(t *testing.T) {
	for _, tc := range []struct {
		lang string
		w    int
		want string
	}{
		{"", 160, "paused"},
		{"", 80, "paused"},
		{"zh-CN", 160, "已暂停"},
		{"zh-CN", 80, "已暂停"},
	} {
		fx := demo(t)
		opts, _ := testOptions(fx, tc.lang)
		opts.Control, opts.Operator = nil, "" // a --feed desk: the feed's server has the controls
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: tc.w, Height: 24})
		snap := *fx.snap
		snap.Stats.FramesPerSec = 25
		snap.Stats.LastFrame = m.now()
		snap.Paused = true
		m.Update(SnapshotMsg{Snapshot: &snap})
		head := strings.Split(ansi.Strip(m.View()), "\n")[0]
		if strings.Contains(head, "25") || strings.Count(strings.ToLower(head), tc.want) != 1 || !strings.Contains(head, "❚❚ ") {
			t.Errorf("%q %d columns, feed paused: header %q, want ❚❚ %q once and no rate", tc.lang, tc.w, head, tc.want)
		}
		resumed := snap
		resumed.Paused = false
		m.Update(SnapshotMsg{Snapshot: &resumed})
		head = strings.Split(ansi.Strip(m.View()), "\n")[0]
		if !strings.Contains(head, "25") || strings.Contains(head, "❚❚") {
			t.Errorf("%q %d columns, feed resumed: header %q, want the rate and no ❚❚", tc.lang, tc.w, head)
		}
	}
}

// TestHeaderShowsBadPauses: the pause signals a fleet ignored
// (FeedStats.BadPauses) stand beside the rejects in the header's feed
// detail, in the session's language; none, nothing is added.
func TestHeaderShowsBadPauses(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"", "rejects 0 · bad pauses 2"},
		{"zh-CN", "拒收 0 · 无效暂停信号 2"},
	} {
		m, fx, _ := newTestModel(t, tc.lang, 220, 45)
		if head := strings.Split(m.View(), "\n")[0]; strings.Contains(head, "pauses") || strings.Contains(head, "暂停信号") {
			t.Errorf("%q: header %q names pauses with none ignored", tc.lang, head)
		}
		snap := *fx.snap
		snap.Stats.BadPauses = 2
		m.Update(SnapshotMsg{Snapshot: &snap})
		if head := strings.Split(m.View(), "\n")[0]; !strings.Contains(head, tc.want) {
			t.Errorf("%q: header %q, want %q in it", tc.lang, head, tc.want)
		}
	}
}
