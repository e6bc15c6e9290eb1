package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestEventsFilterMatchesWhatTheRowsSay: the events list's filter matched
// the kind only as the protocol spells it ("import_cap") and not the state
// at all, so "import cap" and "scheduled", typed from what the rows show,
// found nothing ("no DR event matches the filter"). They match the rows as
// shown, in either language.
func TestEventsFilterMatchesWhatTheRowsSay(t *testing.T) {
	for _, tc := range []struct {
		lang, filter string
		want         []string // event ids, in order
	}{
		{"", "import cap", []string{"DR-17"}},
		{"", "scheduled", []string{"OP-1", "DR-18", "DR-19"}},
		{"", "active", []string{"DR-17"}},
		{"", "import_cap", []string{"DR-17"}},
		{"zh-CN", "削减", []string{"OP-1"}},
	} {
		m, _, _ := newTestModel(t, tc.lang, 160, 45)
		press(m, "5/")
		for _, r := range tc.filter {
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
		press(m, "E")
		p := m.page()
		if p.filter != tc.filter {
			t.Fatalf("filter %q, want %q", p.filter, tc.filter)
		}
		evs := m.events()
		var got []string
		for _, i := range m.eventRows(p, evs) {
			got = append(got, evs[i].ID)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s filter %q: %q, want %q", tc.lang, tc.filter, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s filter %q: %q, want %q", tc.lang, tc.filter, got, tc.want)
				break
			}
		}
	}
}
