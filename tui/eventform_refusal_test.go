package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestFormRefusesInPlace: an import cap of -5 kW (or a shed of 0 kW) was
// proposed as it was typed; the controller refused it, the form closed,
// and the footer gave the controller's English sentence cut at 80 columns
// ("… ask for e…"), so the operator retyped the whole event without
// knowing the remedy. The form now says what is wrong inside itself,
// worded and whole, stays open with what was typed, and proposes nothing
// (no event id is spent on it).
func TestFormRefusesInPlace(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kind  int // presses of → on the kind field
		kw    string
		lang  string
		words string
	}{
		{"negative cap", 0, "-5", "", "an import cap needs kW ≥ 0 (got -5): ask for export with kind export"},
		{"zero shed", 1, "0", "", "shed needs kW > 0 (got 0)"},
		{"negative cap zh-CN", 0, "-5", "zh-CN", "受电上限需要 kW ≥ 0 (实际为 -5): 要求上网请选上网类型"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := demo(t)
			ctl := newDRController(t, fx, nil)
			opts, _ := testOptions(fx, tc.lang)
			opts.Dispatch = ctl
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			before := len(ctl.Events())
			runKeys(m, "n")
			if m.form == nil {
				t.Fatal("n opened no form")
			}
			m.Update(tea.KeyMsg{Type: tea.KeyTab}) // kind
			for range tc.kind {
				m.Update(tea.KeyMsg{Type: tea.KeyRight})
			}
			m.Update(tea.KeyMsg{Type: tea.KeyTab}) // kW
			for range len(m.form.text[fieldKW]) {
				m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
			}
			press(m, tc.kw)
			runKeys(m, "E")
			if m.form == nil || m.page().kind != pageEventForm {
				t.Fatalf("enter closed the form on a kW of %s", tc.kw)
			}
			if got := string(m.form.text[fieldKW]); got != tc.kw {
				t.Errorf("the typed kW is now %q, want %q kept", got, tc.kw)
			}
			// Whole, in the form, though the box is 80 columns: it wraps.
			v := ansi.Strip(m.View())
			flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(v)), " ")
			if !strings.Contains(flat, tc.words) {
				t.Errorf("the form does not say %q:\n%s", tc.words, v)
			}
			if n := len(ctl.Events()); n != before {
				t.Errorf("%d events after enter, want %d: an invalid event was proposed", n, before)
			}
		})
	}
}
