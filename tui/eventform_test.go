package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestFormScopeChangeSetsDefaultKW: → from the system to a feeder kept the
// system's default kW (16,435) under a scope line reading "F10 · 1,498 /
// 1,510 kW". Until the operator types a kW, it follows the scope: 95% of
// its import limit, as when the form opens on a feeder; typed, it stays.
func TestFormScopeChangeSetsDefaultKW(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	press(m, "2")
	m.openForm(m.page())
	kwText := func() string { return string(m.form.text[fieldKW]) }
	if got := kwText(); got != "39900" { // 95% of the system's 42,000 kW
		t.Fatalf("system default kW %q, want 39900", got)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRight}) // F01, limit 3,500 kW
	if got := m.form.scopes[m.form.scope]; got != "F01" {
		t.Fatalf("scope %s, want F01", got)
	}
	if got := kwText(); got != "3325" {
		t.Errorf("F01's kW %q, want 3325 (95%% of 3,500)", got)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyLeft}) // back to the system
	if got := kwText(); got != "39900" {
		t.Errorf("system kW after ← %q, want 39900", got)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRight})
	m.Update(tea.KeyMsg{Type: tea.KeyTab})
	m.Update(tea.KeyMsg{Type: tea.KeyTab})
	m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	press(m, "0")
	m.Update(tea.KeyMsg{Type: tea.KeyShiftTab})
	m.Update(tea.KeyMsg{Type: tea.KeyShiftTab})
	m.Update(tea.KeyMsg{Type: tea.KeyRight}) // F02: the typed kW stays
	if got := m.form.scopes[m.form.scope]; got != "F02" {
		t.Fatalf("scope %s, want F02", got)
	}
	if got := kwText(); got != "3320" {
		t.Errorf("typed kW %q changed with the scope, want 3320", got)
	}
}

// TestFormSystemScopeSaysItsLoad: a feeder's scope line gives its load and
// limit ("F10 · Depot · 1,315 / 1,510 kW"); the system's read "◀ system ▶"
// alone above a kW of 16435, so an operator starting an event at night
// could not tell what that caps. It gives the system's load and import
// limit the same way, in both languages.
func TestFormSystemScopeSaysItsLoad(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 80, 24)
		press(m, "2")
		m.openForm(m.page())
		want := m.tr.t("system") + " · " + kw(m.snap.System.KW) + " / " + kw(m.snap.System.ImportLimitKW) + " kW"
		if m.snap.System.KW <= 0 {
			t.Fatalf("the fixture's system load is %.0f kW", m.snap.System.KW)
		}
		if v := m.View(); !strings.Contains(v, want) {
			t.Errorf("%q: the form lacks %q:\n%s", lang, want, v)
		}
	}
}
