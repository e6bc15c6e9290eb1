package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// The help overlay says "? or esc to close": both must close it, also at
// the top of a view where esc has nothing to go back to.
func TestHelpClosesWithEscAndQuestionMark(t *testing.T) {
	for _, tc := range []struct{ name, open, close string }{
		{"esc at the overview", "1?", "X"},
		{"? at the overview", "1?", "?"},
		{"esc in a feeder", "2E?", "X"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _, _ := newTestModel(t, "", 160, 45)
			pressViewing(m, tc.open)
			if got := ansi.Strip(m.View()); !strings.Contains(got, "Keys · ? or esc to close") {
				t.Fatalf("help did not open:\n%s", got)
			}
			pressViewing(m, tc.close)
			if got := ansi.Strip(m.View()); strings.Contains(got, "Keys · ? or esc to close") {
				t.Fatalf("help still open after %q:\n%s", tc.close, got)
			}
		})
	}
}

// TestHelpSpeedAndSeekNotReplayOnly: :speed and :seek work on a simulation
// as on a replay, and the help says so in both languages (it read "replay
// speed ×N" and "jump replay to").
func TestHelpSpeedAndSeekNotReplayOnly(t *testing.T) {
	for _, tc := range []struct{ lang, speed, seek string }{
		{"", ":speed N            clock speed ×N", ":seek HH:MM         go to that time"},
		{"zh-CN", ":speed N            时钟倍速 ×N", ":seek HH:MM         时钟跳转到该时刻"},
	} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			m, _, _ := newTestModel(t, tc.lang, sz[0], sz[1])
			pressViewing(m, "?")
			got := ansi.Strip(m.View())
			if !strings.Contains(got, tc.speed) || !strings.Contains(got, tc.seek) {
				t.Errorf("%s %dx%d: want %q and %q:\n%s", tc.lang, sz[0], sz[1], tc.speed, tc.seek, got)
			}
		}
	}
}

// TestHelpListsEachKeyOnce: x shelves an alarm and extends a hand-back;
// the help listed it twice ("x shelve", "x extend the hand-back"), which
// reads as a clash. One row says both, in both languages and sizes.
func TestHelpListsEachKeyOnce(t *testing.T) {
	for _, tc := range []struct{ lang, row string }{
		{"", "x shelve / extend hand-back"},
		{"zh-CN", "x 搁置 / 延长交还"},
	} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			fx := demo(t)
			opts, _ := testOptions(fx, tc.lang)
			opts.Dispatch = newDRController(t, fx, nil)
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			pressViewing(m, "?")
			// Scroll through a short help, collecting every row.
			var rows []string
			for range 4 {
				rows = append(rows, strings.Split(ansi.Strip(m.View()), "\n")...)
				pressViewing(m, "jjjjjjjjjj")
			}
			all := strings.Join(rows, "\n")
			if !strings.Contains(all, tc.row) {
				t.Errorf("%s %dx%d: want %q:\n%s", tc.lang, sz[0], sz[1], tc.row, all)
			}
			if strings.Contains(all, "x extend") {
				t.Errorf("%s %dx%d: x still has a row of its own:\n%s", tc.lang, sz[0], sz[1], all)
			}
			seen := map[string]bool{}
			for _, g := range m.helpGroups() {
				for _, b := range g {
					if k := b.Help().Key; seen[k] {
						t.Errorf("%s %dx%d: help lists %q twice", tc.lang, sz[0], sz[1], k)
					} else {
						seen[k] = true
					}
				}
			}
		}
	}
}

// TestHelpWholeUnderALongFlash: the footer narrows the key help to leave
// room for a flash, and the help screen drew its columns with the same
// width: after --start, with the catch-up's "skipped 00:00–19:00: …" in the
// footer, ? at 80x24 showed "↑/k move up  …  …  t triage  …", every column
// but two cut to "…". The help screen has the width of the screen.
func TestHelpWholeUnderALongFlash(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		fx := demo(t)
		opts, _ := testOptions(fx, "")
		opts.Dispatch = newDRController(t, fx, nil)
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		pressViewing(m, "?")
		m.setNotice("skipped 00:00–19:00: 2 loading warnings on F10 (press 4: Alarms)")
		m.View() // the footer sets the key help's width for the flash
		got := ansi.Strip(m.View())
		for _, want := range []string{"1         overview", "a ack", "n new DR event"} {
			if !strings.Contains(got, want) {
				t.Errorf("%dx%d: the help lacks %q:\n%s", sz[0], sz[1], want, got)
			}
		}
		if strings.Contains(got, "move up       …") {
			t.Errorf("%dx%d: the help's columns are cut to …:\n%s", sz[0], sz[1], got)
		}
	}
}

// TestHelpWholeBelow80Columns: under 80 columns the help kept its two
// rows of key columns and cut the third column of the second to the box's
// edge ("n new DR eve…", "p propose th…"), and the short screen's two
// columns of commands cut each command to half the width, running it into
// the next ("open a charger:freeze"). Every key and command is whole at
// the smallest size the desk draws, in both languages.
func TestHelpWholeBelow80Columns(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"", []string{"n new DR event", "p propose the suggestion", "e edit the pending event", ":feeder ID          open a feeder", ":charger ID         open a charger", ":quit               leave the desk"}},
		{"zh-CN", []string{":quit"}},
	} {
		for _, sz := range [][2]int{{64, 18}, {72, 24}} {
			fx := demo(t)
			opts, _ := testOptions(fx, tc.lang)
			opts.Dispatch = newDRController(t, fx, nil) // the DR keys too
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			m.Update(SnapshotMsg{Snapshot: fx.snap})
			pressViewing(m, "?")
			var seen strings.Builder
			for range 40 { // scroll to the end, collecting every line shown
				got := ansi.Strip(m.View())
				seen.WriteString(got)
				for _, line := range strings.Split(got, "\n") {
					if strings.HasPrefix(line, "│") && strings.Contains(strings.ReplaceAll(line, ":overview … events", ""), "…") {
						t.Errorf("%s %dx%d: a help line is cut: %q\n%s", tc.lang, sz[0], sz[1], line, got)
					}
				}
				pressViewing(m, "j")
			}
			for _, want := range tc.want {
				if !strings.Contains(seen.String(), want) {
					t.Errorf("%s %dx%d: the help never shows %q whole", tc.lang, sz[0], sz[1], want)
				}
			}
		}
	}
}
