package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestShelvedUntilWhole: at 80x24 a shelved alarm's "by · reason" cell is
// 16 wide, and "local · works on feeder · until 11-28 00:03 wall clock"
// was cut to "local · works ·…": when the shelving ends could not be read.
// The list says it whole, on a line under the alarm's row when the cell
// cannot hold it, in English and zh-CN, at 80x24 and 160x45, and the
// alarm under the cursor keeps its line on screen.
func TestShelvedUntilWhole(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			fx := demo(t)
			opts, _ := testOptions(fx, lang)
			eng := opts.Alarms
			eng.Observe(fx.snap)
			if err := eng.Shelve("loading/F03", "bo", "works on feeder", 8*time.Hour); err != nil {
				t.Fatal(err)
			}
			a, _ := eng.Board().Find("loading/F03")
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			runKeys(m, "4")
			until := m.tr.t("until") + " " + dayTime(a.ShelvedUntil, m.now(), m.loc()) + " " + m.tr.t("wall clock")
			screen := ansi.Strip(m.View())
			if !strings.Contains(screen, until) {
				t.Errorf("%s %v: the shelved alarm does not say %q whole:\n%s", lang, size, until, screen)
			}
			if !strings.Contains(screen, "works on feeder") {
				t.Errorf("%s %v: the shelving's reason is not shown whole:\n%s", lang, size, screen)
			}
			// The cursor on the last alarm, the shelved one (listed last):
			// its row and its line stay in the box.
			runKeys(m, "G")
			screen = ansi.Strip(m.View())
			if !strings.Contains(screen, until) || lineWith(screen, "▸") == "" {
				t.Errorf("%s %v: with the cursor at the end the shelved alarm's end or the cursor is off screen:\n%s", lang, size, screen)
			}
		}
	}
}

// TestShelvedNoteNotSaidTwice: at 80 columns a shelved alarm's note under
// its row says until when, who and why whole; the row's "by · reason" cell
// then names only who shelved it, where it read the same words cut
// ("local · works o…").
func TestShelvedNoteNotSaidTwice(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		fx := demo(t)
		opts, _ := testOptions(fx, lang)
		eng := opts.Alarms
		eng.Observe(fx.snap)
		if err := eng.Shelve("loading/F03", "bo", "works on feeder", 8*time.Hour); err != nil {
			t.Fatal(err)
		}
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		runKeys(m, "4")
		screen := ansi.Strip(m.View())
		if n := strings.Count(screen, "works"); n != 1 {
			t.Errorf("%s: the shelving's reason appears %d times, want once (in the note):\n%s", lang, n, screen)
		}
		row := lineWith(screen, "F03")
		if !strings.Contains(row, m.who("bo")) || strings.Contains(row, "…") {
			t.Errorf("%s: the shelved row %q does not name who shelved it uncut", lang, row)
		}
	}
}

// TestShelvedNoteNamesWhoOnce: the row's "by · reason" cell names who
// shelved the alarm, and the note under it named them again ("local" in
// the cell, "until 11-28 05:06 wall clock · local · works crew…" under it),
// taking the reason's room. The note names them only where the list has no
// "by" column (64 columns). English and zh-CN.
func TestShelvedNoteNamesWhoOnce(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, size := range [][2]int{{80, 24}, {64, 18}} {
			fx := demo(t)
			opts, _ := testOptions(fx, lang)
			eng := opts.Alarms
			eng.Observe(fx.snap)
			if err := eng.Shelve("loading/F03", "zed", "works on feeder", 8*time.Hour); err != nil {
				t.Fatal(err)
			}
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			runKeys(m, "4G")
			screen := ansi.Strip(m.View())
			if n := strings.Count(screen, "zed"); n != 1 {
				t.Errorf("%s %v: who shelved the alarm is named %d times, want once:\n%s", lang, size, n, screen)
			}
			if size[0] == 80 && !strings.Contains(screen, "works on feeder") {
				t.Errorf("%s %v: the shelving's reason is not shown whole:\n%s", lang, size, screen)
			}
		}
	}
}
