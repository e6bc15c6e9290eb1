package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestRestartNoticeWordedForTheWidthNow: the simulator's restart notice
// appears at 160 columns and the terminal is then resized to 80: the
// footer words it for 80 columns; worded once for 160, it lost its tail.
// Back at 160 it reads whole again.
func TestRestartNoticeWordedForTheWidthNow(t *testing.T) {
	const (
		long  = "the simulator started its day over at 16:00: 12 setpoints in force dropped (still counted here until their validity)"
		short = "sim restarted 16:00: 12 setpoints dropped"
	)
	fx := demo(t)
	opts, _ := testOptions(fx, "")
	opts.Control = nil // a --feed desk
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
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
	if f := foot(); !strings.Contains(f, long) {
		t.Fatalf("160 columns: footer %q, want %q", f, long)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if f := foot(); !strings.Contains(f, short) {
		t.Errorf("resized to 80 columns: footer %q, want %q whole", f, short)
	}
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	if f := foot(); !strings.Contains(f, long) {
		t.Errorf("back at 160 columns: footer %q, want %q", f, long)
	}
}
