package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestChartTitleOnADayHeldAtItsEnd: a simulated day held at its end (the
// simulator paused at midnight until a seek back) is titled by the day the
// chart shows; it read the next date, which the held day never reaches.
func TestChartTitleOnADayHeldAtItsEnd(t *testing.T) {
	for _, size := range [][2]int{{160, 45}, {80, 24}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		fx := demo(t)
		opts, _ := testOptions(fx, "")
		opts.Control = nil // a --feed desk: the simulator pauses
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		running := *fx.snap
		day := dayStart(running.At, running.Location)
		held := running
		held.At = day.AddDate(0, 0, 1)
		held.Paused = true
		m.Update(SnapshotMsg{Snapshot: &held})
		screen := ansi.Strip(m.View())
		if want := "System load · " + day.Format("2006-01-02"); !strings.Contains(screen, want) {
			t.Errorf("%s: the held day's chart is not titled %q:\n%s", name, want, screen)
		}
		if next := "System load · " + held.At.Format("2006-01-02"); strings.Contains(screen, next) {
			t.Errorf("%s: the held day's chart is titled %q, a date it never reaches", name, next)
		}
	}
}
