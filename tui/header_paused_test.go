package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestHeaderPausedShowsNoRate: paused, the header kept the last frames'
// rate ("25 fr/s") for up to the rate's 5 s window, a rate the paused
// source was not delivering. The rate goes, and paused is said once, by
// the badge beside the stopped clock: the feed's health said it again
// ("❚❚ 已暂停 ● 已连接 已暂停" at 80 columns). At both widths, in both
// languages.
func TestHeaderPausedShowsNoRate(t *testing.T) {
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
		opts, ctl := testOptions(fx, tc.lang)
		opts.Operator = ""
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: tc.w, Height: 24})
		snap := *fx.snap
		snap.Stats.FramesPerSec = 25
		snap.Stats.LastFrame = m.now()
		m.Update(SnapshotMsg{Snapshot: &snap})
		ctl.Pause()
		head := strings.Split(ansi.Strip(m.View()), "\n")[0]
		if strings.Contains(head, "25 ") || strings.Contains(head, "25/s") || strings.Count(strings.ToLower(head), tc.want) != 1 {
			t.Errorf("%q %d columns, paused: header %q, want %q once and no rate", tc.lang, tc.w, head, tc.want)
		}
		ctl.Resume()
		head = strings.Split(ansi.Strip(m.View()), "\n")[0]
		if !strings.Contains(head, "25") {
			t.Errorf("%q %d columns, resumed: header %q lacks the rate", tc.lang, tc.w, head)
		}
	}
}
