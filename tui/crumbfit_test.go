package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestFitCrumbs(t *testing.T) {
	parts := []string{"Feeders", "F05", "CP-0412"}
	for _, tc := range []struct {
		room int
		want string
	}{
		{40, "Feeders › F05 › CP-0412"},
		{23, "Feeders › F05 › CP-0412"},
		{22, "… › F05 › CP-0412"},
		{17, "… › F05 › CP-0412"},
		{16, "… › CP-0412"},
		{11, "… › CP-0412"},
		{10, "CP-0412"},
		{7, "CP-0412"},
		{5, "…"}, // "CP-0…" cut an id: it goes whole (truncateWhole)
		{0, ""},
	} {
		if got := fitCrumbs(parts, tc.room); got != tc.want {
			t.Errorf("room %d: %q, want %q", tc.room, got, tc.want)
		}
		if got := fitCrumbs(parts, tc.room); width(got) > max(tc.room, 0) {
			t.Errorf("room %d: %q is %d cells wide", tc.room, got, width(got))
		}
	}
}

// TestChargerTrailAt80: at 80 columns the tab line keeps the end of the
// trail after :c from the Feeders view; the whole trail did not fit
// beside the tabs and was dropped, leaving no word of where the page sat.
func TestChargerTrailAt80(t *testing.T) {
	m, _, _ := newTestModel(t, "", 80, 24)
	var id, feeder string
	for i := 0; i < m.snap.NumChargers(); i++ {
		if c := m.snap.ChargerAt(i); c.Feeder != "" {
			id, feeder = c.ID, c.Feeder
			break
		}
	}
	press(m, "2")
	press(m, ":c "+id)
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if got, want := m.crumbs(), "Feeders › "+feeder+" › "+id; got != want {
		t.Fatalf("trail %q, want %q", got, want)
	}
	lines := strings.Split(m.View(), "\n")
	tabs := lines[1]
	if !strings.Contains(tabs, "› "+feeder+" › "+id) && !strings.Contains(tabs, "… › "+id) {
		t.Errorf("tab line at 80 columns has no trail to %s:\n%q", id, tabs)
	}
	if w := width(tabs); w > 80 {
		t.Errorf("tab line is %d cells wide", w)
	}
}
