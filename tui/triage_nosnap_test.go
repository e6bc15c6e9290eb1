package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestTriageBeforeTheFirstSnapshot: t, then p, pressed on a dispatcher's
// desk before its first snapshot (an SSH session typed into as it opened)
// panicked in triageRows, and the session was closed with "the desk hit an
// internal error". The keys wait for the data like the rest of the desk;
// triage lists the feeders once it comes.
func TestTriageBeforeTheFirstSnapshot(t *testing.T) {
	fx := demo(t)
	ctl := newDRController(t, fx, nil)
	opts, _ := testOptions(fx, "")
	opts.Dispatch = ctl
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	runKeys(m, "tp")
	_ = m.View()
	// Nor does any other key of the desk, on any view, before the data.
	for _, view := range []string{"1", "2", "3", "4", "5", "t"} {
		for _, k := range []string{"n", "d", "e", "c", "p", "a", "x", "u", "s", "r", "f", "g", "G", "j", "k", "E", "X", ">", "<", " "} {
			runKeys(m, view+k)
			_ = m.View()
			runKeys(m, "X")
		}
	}
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	runKeys(m, "t")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Triage") || !strings.Contains(v, "F07") {
		t.Errorf("triage after the first snapshot:\n%s", v)
	}
}
