package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

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

// TestChartOnADayHeldAtItsEnd: the load charts of a simulated day held at
// its end draw the day their title names, the day that was played. The
// title said 2024-01-17 while the charts drew the next, empty, date: at
// 00:00 a --feed desk on `v2gdesk sim` lost the evening's curve from the
// overview and from every feeder's page.
func TestChartOnADayHeldAtItsEnd(t *testing.T) {
	for _, size := range [][2]int{{160, 45}, {80, 24}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		fx := demo(t)
		opts, _ := testOptions(fx, "")
		opts.Control = nil // a --feed desk: the simulator pauses
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		running := *fx.snap
		m.Update(SnapshotMsg{Snapshot: &running})
		dotsRunning := brailleCells([]string{m.View()})
		if dotsRunning == 0 {
			t.Fatalf("%s: the running day's overview draws no load curve", name)
		}
		day := dayStart(running.At, running.Location)
		held := running
		held.At = day.AddDate(0, 0, 1)
		held.Paused = true
		m.Update(SnapshotMsg{Snapshot: &held})
		if got := m.chartSpan().start; !got.Equal(day) {
			t.Errorf("%s: the held day's charts span from %s, want %s", name, got.Format(time.RFC3339), day.Format(time.RFC3339))
		}
		measured := 0
		for _, v := range m.systemChart().series[0].vals {
			if !math.IsNaN(v) {
				measured++
			}
		}
		// The plan's dots go with the running clock; the measured curve
		// stays (it drew the next day's plan over no measurement).
		if got := brailleCells([]string{m.View()}); measured == 0 || got == 0 {
			t.Errorf("%s: held at its end the overview's chart has %d minutes measured, draws %d cells (%d running): the day's curve is gone:\n%s",
				name, measured, got, dotsRunning, ansi.Strip(m.View()))
		}
		// Its link dropped there: the clock's estimate stands at the
		// pause, and the charts stay on the day played.
		down := held
		down.Paused, down.ClockEstimated, down.ClockStands = false, true, true
		m.Update(SnapshotMsg{Snapshot: &down})
		if got := m.chartSpan().start; !got.Equal(day) || !strings.Contains(ansi.Strip(m.View()), "System load · "+day.Format("2006-01-02")) {
			t.Errorf("%s: held at its end, its link down: the charts span from %s, want %s:\n%s", name, got.Format(time.RFC3339), day.Format(time.RFC3339), ansi.Strip(m.View()))
		}
		runKeys(m, "2E")
		if screen := ansi.Strip(m.View()); !strings.Contains(screen, "· "+day.Format("2006-01-02")) || brailleCells([]string{screen}) == 0 {
			t.Errorf("%s: held at its end a feeder's page draws no curve of %s:\n%s", name, day.Format("2006-01-02"), screen)
		}
	}
}
