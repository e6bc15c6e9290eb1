package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
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

// TestTrailKeepsThePageWhole: at 64 columns a DR event's page had "…" for
// its whole trail, and the events list "E…": the tab line said nothing of
// the page. The page's id reads whole at the end of the tab line, in both
// languages at 64x18, 70x20 and 80x24, the other tabs giving up their names
// for it; a trail that is only the view's name, which its tab says, is left
// out rather than cut.
func TestTrailKeepsThePageWhole(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range [][2]int{{64, 18}, {70, 20}, {80, 24}} {
			for _, c := range []struct{ keys, id string }{{"5E", "DR-17"}, {"3E", "CP-0001"}, {"5", ""}, {"3", ""}} {
				fx := demo(t)
				opts, _ := testOptions(fx, lang)
				opts.Dispatch = newDRController(t, fx, nil)
				m := New(opts)
				m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				m.Update(SnapshotMsg{Snapshot: fx.snap})
				runKeys(m, c.keys)
				tabs := strings.TrimRight(ansi.Strip(strings.Split(m.View(), "\n")[1]), " ")
				if width(tabs) > sz[0] {
					t.Errorf("%q %dx%d keys %q: the tab line is %d cells: %q", lang, sz[0], sz[1], c.keys, width(tabs), tabs)
				}
				if strings.HasSuffix(tabs, "…") {
					t.Errorf("%q %dx%d keys %q: the trail is cut: %q", lang, sz[0], sz[1], c.keys, tabs)
				}
				if c.id != "" && !strings.HasSuffix(tabs, " "+c.id) {
					t.Errorf("%q %dx%d keys %q: the tab line does not end with %s: %q", lang, sz[0], sz[1], c.keys, c.id, tabs)
				}
				if !strings.Contains(tabs, "5 ") {
					t.Errorf("%q %dx%d keys %q: the tabs are gone: %q", lang, sz[0], sz[1], c.keys, tabs)
				}
			}
		}
	}
}
