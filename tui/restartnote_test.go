package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestFooterTellsOfASimulatorRestart: a --feed desk whose simulator
// started its day over (a restart signal: Stats.Restarts, LastRestart) is
// told once in the footer how many setpoints in force were dropped, until
// the next key; the same restart in later snapshots is not told again, and
// a session that starts after it does not tell it. At 80 and 160 columns,
// in English and zh-CN. Before, the desk reset and said nothing.
func TestFooterTellsOfASimulatorRestart(t *testing.T) {
	for _, tc := range []struct {
		lang string
		w    int
		want string
	}{
		{"", 160, "the simulator started its day over at 16:00: 12 setpoints in force dropped (still counted here until their validity)"},
		{"", 80, "sim restarted 16:00: 12 setpoints dropped"},
		{"zh-CN", 160, "仿真器已从 16:00 重新开始当天：丢弃了 12 个生效中的设定值"},
		{"zh-CN", 80, "仿真 16:00 重启：丢弃 12 个设定值"},
	} {
		fx := demo(t)
		opts, _ := testOptions(fx, tc.lang)
		opts.Control = nil // a --feed desk
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: tc.w, Height: 24})
		foot := func() string {
			lines := strings.Split(ansi.Strip(m.View()), "\n")
			return lines[len(lines)-1]
		}
		snap := *fx.snap
		m.Update(SnapshotMsg{Snapshot: &snap})
		restarted := snap
		restarted.Stats.Restarts = 1
		restarted.Stats.LastRestart = feeds.RestartSignal{At: time.Date(2024, 1, 17, 16, 0, 0, 0, fx.snap.Location), Dropped: 12}
		m.Update(SnapshotMsg{Snapshot: &restarted})
		if f := foot(); !strings.Contains(f, tc.want) {
			t.Errorf("%q %d columns: footer %q, want %q", tc.lang, tc.w, f, tc.want)
		}
		again := restarted
		m.Update(SnapshotMsg{Snapshot: &again})
		if f := foot(); !strings.Contains(f, tc.want) {
			t.Errorf("%q %d columns: footer %q a snapshot later, want the notice until a key", tc.lang, tc.w, f)
		}
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'1'}})
		m.Update(SnapshotMsg{Snapshot: &again})
		if f := foot(); strings.Contains(f, "16:00") {
			t.Errorf("%q %d columns: footer %q after a key, want the notice gone and not told again", tc.lang, tc.w, f)
		}

		late := New(opts)
		late.Update(tea.WindowSizeMsg{Width: tc.w, Height: 24})
		late.Update(SnapshotMsg{Snapshot: &again})
		lines := strings.Split(ansi.Strip(late.View()), "\n")
		if f := lines[len(lines)-1]; strings.Contains(f, "16:00") {
			t.Errorf("%q %d columns: a session started after the restart shows %q, want it not told", tc.lang, tc.w, f)
		}
	}
}
