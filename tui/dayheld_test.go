package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestNewEventRefusedOnADayHeldAtItsEnd: a simulator holds its day at
// midnight, paused, until a seek back; n opened the form on the next
// date's 00:00–02:00, a window the held day never reaches, and enter
// proposed and planned it. n says why it proposes nothing, and so does
// enter in a form opened before the day reached its end; paused at
// another time, or at the midnight a day starts from, the form opens.
func TestNewEventRefusedOnADayHeldAtItsEnd(t *testing.T) {
	for _, size := range [][2]int{{160, 45}, {80, 24}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		fx := demo(t)
		opts, _ := testOptions(fx, "")
		opts.Control = nil // a --feed desk: the simulator pauses
		opts.Dispatch = newDRController(t, fx, nil)
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		running := *fx.snap
		m.Update(SnapshotMsg{Snapshot: &running})
		screen := func() string { return strings.Join(strings.Fields(ansi.Strip(m.View())), " ") }

		runKeys(m, "n")
		if m.form == nil {
			t.Fatalf("%s: n opened no form on a running day", name)
		}
		held := running
		held.At = dayStart(running.At, running.Location).AddDate(0, 0, 1)
		held.Paused = true
		m.Update(SnapshotMsg{Snapshot: &held})
		m.Update(tea.KeyMsg{Type: tea.KeyEnter})
		want := "the simulated day is held at its end (00:00)"
		if m.form == nil || !strings.Contains(m.form.err, want) {
			t.Errorf("%s: enter in the form on the held day: form %v, want it open saying %q", name, m.form != nil, want)
		}
		for _, v := range m.dr {
			if v.Event.Start.After(held.At.Add(-time.Minute)) {
				t.Errorf("%s: %s proposed from %v, on a day the held day never reaches", name, v.Event.ID, v.Event.Start)
			}
		}
		m.Update(tea.KeyMsg{Type: tea.KeyEsc})
		runKeys(m, "n")
		if m.form != nil {
			t.Errorf("%s: n opened the form on the held day", name)
		}
		if s := screen(); !strings.Contains(s, "n: "+want) || !strings.Contains(s, "seek back on the simulator first") {
			t.Errorf("%s: n on the held day says nothing of it:\n%s", name, s)
		}

		paused := running
		paused.Paused = true
		m.Update(SnapshotMsg{Snapshot: &paused})
		runKeys(m, "n")
		if m.form == nil {
			t.Errorf("%s: n opened no form paused at %s", name, paused.At.Format("15:04"))
		}
	}
}
