package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestTriageHeldHighRowSaysItIsUnderItsLimit: a feeder back under its
// limit whose ▲ HIGH alarm its deadband still holds (F10 capped to 99%)
// read "▲ HIGH F10 99% … for 73 min" under "Triage · 0 over limit · 1 near
// it": the time at its level counted the minutes under the limit, and the
// row read as 73 minutes over it. It says it is under its limit, and at
// 160 columns where the alarm clears; a feeder over its limit keeps its
// time.
func TestTriageHeldHighRowSaysItIsUnderItsLimit(t *testing.T) {
	for _, size := range [][2]int{{160, 45}, {80, 24}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		fx := demo(t)
		opts, _ := testOptions(fx, "")
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		snap := *fx.snap
		snap.Feeders = append(snap.Feeders[:0:0], snap.Feeders...)
		f07 := -1
		for i := range snap.Feeders {
			if snap.Feeders[i].ID == "F07" {
				f07 = i
			}
		}
		if f07 < 0 || snap.Feeders[f07].LoadingPct < 100 {
			t.Fatal("the fixture wants F07 over its limit")
		}
		m.Update(SnapshotMsg{Snapshot: &snap})
		press(m, "t")
		over := rowOf(ansi.Strip(m.View()), "F07")
		if !strings.Contains(over, "for ") || strings.Contains(over, "under its limit") {
			t.Errorf("%s: F07 over its limit: its row %q wants its time over it", name, over)
		}

		fs := &snap.Feeders[f07]
		fs.KW, fs.LoadingPct = fs.LimitKW*0.99, 99
		m.Update(SnapshotMsg{Snapshot: &snap})
		screen := ansi.Strip(m.View())
		row := rowOf(screen, "F07")
		if !strings.Contains(row, "▲ HIGH") {
			t.Fatalf("%s: F07 at 99%%, its alarm held: row %q wants ▲ HIGH\n%s", name, row, screen)
		}
		if strings.Contains(row, "for ") || !strings.Contains(row, "under its limit") {
			t.Errorf("%s: F07 back under its limit, its ▲ HIGH held: row %q wants \"under its limit\", not a time over it", name, row)
		}
		if size[0] == 160 && !strings.Contains(row, "▲ HIGH clears under 97%") {
			t.Errorf("%s: row %q does not say where the ▲ HIGH clears", name, row)
		}
	}
}

// rowOf is the first line of screen naming feeder.
func rowOf(screen, feeder string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, " "+feeder+" ") {
			return l
		}
	}
	return ""
}
