package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// pausedCases are the widths and languages the paused-header tests read,
// with the word for paused.
var pausedCases = []struct {
	lang string
	w    int
	want string
}{
	{"", 160, "paused"},
	{"", 80, "paused"},
	{"zh-CN", 160, "已暂停"},
	{"zh-CN", 80, "已暂停"},
}

// pausedHeaders returns the header's first line of a desk at w columns in
// lang, its feed delivering 25 frames a second, while paused and once
// resumed: by the desk's own control, or (feed) by the feed saying so
// (Snapshot.Paused) on a desk without controls.
func pausedHeaders(t *testing.T, lang string, w int, feed bool) (paused, resumed string) {
	t.Helper()
	fx := demo(t)
	opts, ctl := testOptions(fx, lang)
	opts.Operator = ""
	if feed {
		opts.Control = nil // a --feed desk: the feed's server has the controls
	}
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
	snap := *fx.snap
	snap.Stats.FramesPerSec = 25
	snap.Stats.LastFrame = m.now()
	head := func() string { return strings.Split(ansi.Strip(m.View()), "\n")[0] }
	if feed {
		snap.Paused = true
		m.Update(SnapshotMsg{Snapshot: &snap})
		paused = head()
		again := snap
		again.Paused = false
		m.Update(SnapshotMsg{Snapshot: &again})
		return paused, head()
	}
	m.Update(SnapshotMsg{Snapshot: &snap})
	ctl.Pause()
	paused = head()
	ctl.Resume()
	return paused, head()
}

// TestHeaderPausedShowsNoRate: paused, the header kept the last frames'
// rate ("25 fr/s") for up to the rate's 5 s window, a rate the paused
// source was not delivering. The rate goes, and paused is said once, by
// the badge beside the stopped clock: the feed's health said it again
// ("❚❚ 已暂停 ● 已连接 已暂停" at 80 columns). At both widths, in both
// languages.
func TestHeaderPausedShowsNoRate(t *testing.T) {
	for _, tc := range pausedCases {
		head, resumed := pausedHeaders(t, tc.lang, tc.w, false)
		if strings.Contains(head, "25 ") || strings.Contains(head, "25/s") || strings.Count(strings.ToLower(head), tc.want) != 1 {
			t.Errorf("%q %d columns, paused: header %q, want %q once and no rate", tc.lang, tc.w, head, tc.want)
		}
		if !strings.Contains(resumed, "25") {
			t.Errorf("%q %d columns, resumed: header %q lacks the rate", tc.lang, tc.w, resumed)
		}
	}
}

// TestHeaderFeedPaused: a --feed desk has no control of its own; the
// simulator serving it says it is paused (Snapshot.Paused), and the header
// says so as for the desk's own paused replay: the badge's ❚❚ PAUSED beside
// the stopped clock, once, and no rate, at both widths and in both
// languages. Resumed, the rate is back and PAUSED gone.
func TestHeaderFeedPaused(t *testing.T) {
	for _, tc := range pausedCases {
		head, resumed := pausedHeaders(t, tc.lang, tc.w, true)
		if strings.Contains(head, "25") || strings.Count(strings.ToLower(head), tc.want) != 1 || !strings.Contains(head, "❚❚ ") {
			t.Errorf("%q %d columns, feed paused: header %q, want ❚❚ %q once and no rate", tc.lang, tc.w, head, tc.want)
		}
		if !strings.Contains(resumed, "25") || strings.Contains(resumed, "❚❚") {
			t.Errorf("%q %d columns, feed resumed: header %q, want the rate and no ❚❚", tc.lang, tc.w, resumed)
		}
	}
}
