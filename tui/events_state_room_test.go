package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestEventsStateReadsWhole: at 64 columns the events list read "● ACT…"
// and "◌ S…", at 70 its state column's padding ended in "…", and a state
// carrying a time ("▲ RELEASE 19:00") lost it whole. At 64x18 and 70x20,
// in both languages, every row's state reads whole, with its time; the
// kind gives way first.
func TestEventsStateReadsWhole(t *testing.T) {
	eventRows := func(s string) []string {
		var rows []string
		for _, l := range strings.Split(s, "\n") {
			if (strings.Contains(l, "DR-1") || strings.Contains(l, "OP-1")) && !strings.Contains(l, ": ") {
				rows = append(rows, l)
			}
		}
		return rows
	}
	for _, c := range []struct {
		lang    string
		release string
		states  []string // the feed's events' states, in the list's order
	}{
		{"", "▲ RELEASE 19:00", []string{"● ACTIVE", "◌ SCHEDULED", "◌ SCHEDULED", "◌ SCHEDULED"}},
		{"zh-CN", "▲ 19:00 释放", []string{"● 进行中", "◌ 已计划", "◌ 已计划", "◌ 已计划"}},
	} {
		for _, sz := range [][2]int{{64, 18}, {70, 20}} {
			m, _, _ := newHandBackDesk(t, c.lang, RoleDispatcher, sz[0], sz[1], true)
			runKeys(m, "XX5")
			s := ansi.Strip(m.View())
			rows := eventRows(s)
			if len(rows) != 1 || !strings.Contains(rows[0], c.release+" │") {
				t.Errorf("%q %dx%d: DR-17's row does not end %q whole: %q", c.lang, sz[0], sz[1], c.release, rows)
			}

			fx := demo(t)
			opts, _ := testOptions(fx, c.lang)
			m = New(opts)
			m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			runKeys(m, "5")
			s = ansi.Strip(m.View())
			rows = eventRows(s)
			if len(rows) != len(c.states) {
				t.Fatalf("%q %dx%d: %d event rows, want %d:\n%s", c.lang, sz[0], sz[1], len(rows), len(c.states), s)
			}
			for i, l := range rows {
				if strings.Contains(l, "…") || !strings.Contains(l, c.states[i]+" ") {
					t.Errorf("%q %dx%d: row %d does not read %q whole: %q", c.lang, sz[0], sz[1], i+1, c.states[i], l)
				}
			}
		}
	}
}
