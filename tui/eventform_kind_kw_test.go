package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestFormKindDropsTheCapsDefault: the form opens on a feeder with a cap
// at 95% of its limit; → on the kind kept that figure, so "shed" or
// "export" read "kW 3325" and proposed taking 3,325 kW off the feeder,
// or exporting it. Only a cap has a default: under another kind an
// untyped kW is empty and enter says it is to be typed (the window line
// stays meanwhile); back on the cap the default returns; a typed kW stays
// whatever the kind.
func TestFormKindDropsTheCapsDefault(t *testing.T) {
	m, _, _ := newTestModel(t, "", 80, 24)
	press(m, "2") // the feeders view, F01 (limit 3,500 kW) under the cursor
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	m.openForm(m.page())
	kwText := func() string { return string(m.form.text[fieldKW]) }
	if got := kwText(); got != "3325" {
		t.Fatalf("the cap's default kW %q, want 3325", got)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyTab}) // kind
	for _, kind := range []string{"shed", "export"} {
		m.Update(tea.KeyMsg{Type: tea.KeyRight})
		if got := m.kindText(eventKinds[m.form.kind]); got != kind {
			t.Fatalf("kind %q, want %q", got, kind)
		}
		if got := kwText(); got != "" {
			t.Errorf("%s: kW %q, want it empty (a cap's default is no %s)", kind, got, kind)
		}
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if m.form == nil {
		t.Fatal("enter with no kW closed the form")
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "✕ kW: to be typed") {
		t.Errorf("enter with no kW does not say it is to be typed:\n%s", v)
	}
	// The window reads as it will be proposed while the kW is typed: it
	// went with the kW.
	if !strings.Contains(v, "window 18:42 – 20:42 · 2 h 00 min") {
		t.Errorf("with no kW the form lost its window line:\n%s", v)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyLeft})
	m.Update(tea.KeyMsg{Type: tea.KeyLeft}) // back to the cap
	if got := kwText(); got != "3325" {
		t.Errorf("back on the cap: kW %q, want its default 3325", got)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyTab}) // kW
	m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	press(m, "0")
	m.Update(tea.KeyMsg{Type: tea.KeyShiftTab})
	m.Update(tea.KeyMsg{Type: tea.KeyRight}) // shed: the typed kW stays
	if got := kwText(); got != "3320" {
		t.Errorf("a typed kW under another kind: %q, want 3320 kept", got)
	}
}
