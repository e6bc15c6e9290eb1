package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// screenCells is a rendered screen as a grid of terminal cells, one rune
// a cell; the second cell of a character two cells wide is 0.
func screenCells(screen string) [][]rune {
	var grid [][]rune
	for _, l := range strings.Split(ansi.Strip(screen), "\n") {
		var row []rune
		for _, r := range l {
			w := ansi.StringWidth(string(r))
			if w == 0 {
				continue
			}
			row = append(row, r)
			for i := 1; i < w; i++ {
				row = append(row, 0)
			}
		}
		grid = append(grid, row)
	}
	return grid
}

// boxProblems lists the boxes of screen whose sides do not meet: from each
// ╭ and the first ╮ right of it, every line down to the ╰ below the ╭ must
// have │ in both columns, and the ╰'s line ╯ under the ╮. A line exactly as
// wide as the terminal can still set a box's right side a cell off (a
// Chinese title measured in runes, padding counted in bytes).
func boxProblems(screen string) []string {
	grid := screenCells(screen)
	at := func(r, c int) rune {
		if r < 0 || r >= len(grid) || c < 0 || c >= len(grid[r]) {
			return ' '
		}
		return grid[r][c]
	}
	var probs []string
	for r := range grid {
		for c := range grid[r] {
			if grid[r][c] != '╭' {
				continue
			}
			right := -1
			for k := c + 1; k < len(grid[r]); k++ {
				if grid[r][k] == '╮' {
					right = k
					break
				}
			}
			if right < 0 {
				probs = append(probs, fmt.Sprintf("line %d: a box's top at cell %d has no ╮", r+1, c))
				continue
			}
			rr := r + 1
			for ; rr < len(grid) && at(rr, c) != '╰'; rr++ {
				if at(rr, c) != '│' || at(rr, right) != '│' {
					probs = append(probs, fmt.Sprintf("line %d: the box at cells %d–%d has %q and %q for sides: %q",
						rr+1, c, right, at(rr, c), at(rr, right), strings.ReplaceAll(string(grid[rr]), "\x00", "")))
				}
			}
			if at(rr, right) != '╯' {
				probs = append(probs, fmt.Sprintf("line %d: the box at cells %d–%d ends with %q under its ╮", rr+1, c, right, at(rr, right)))
			}
		}
	}
	return probs
}

// TestDRScreensFit drives a dispatcher's evening through the DR workflow
// (triage's suggestion planned, previewed, confirmed, cancelled; an event
// of the feed's proposed, edited, declined; the event form; the shelve
// prompt; the command line) in both languages at the sizes the desk is
// used at, and checks each frame is the terminal's size with every box's
// sides meeting: what TestEveryScreenFits checks for the views, here for
// the pages that need a DR controller.
func TestDRScreensFit(t *testing.T) {
	scripts := []string{"5E", "5EE", "5Ec", "5Ecc", "5Ee", "5Ed", "5jE", "5jjE", "t", "tp", "tpE", "tpEc", "tpEcc", "tjpE",
		"n", "nE", "nEE", "4x", "4xabcE", ":seek 19:00E", ":seek 99:00E", "?G", "f", " "}
	sizes := []struct{ w, h int }{{64, 18}, {80, 24}, {100, 30}, {160, 45}}
	for _, lang := range []string{"zh-CN", "en"} {
		for _, sz := range sizes {
			for _, sc := range scripts {
				fx := demo(t)
				opts, _ := testOptions(fx, lang)
				opts.Dispatch = newDRController(t, fx, nil)
				m := New(opts)
				m.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				m.Update(SnapshotMsg{Snapshot: fx.snap})
				runKeys(m, sc)
				screen := m.View()
				name := fmt.Sprintf("%s %dx%d keys %q", lang, sz.w, sz.h, sc)
				lines := strings.Split(screen, "\n")
				if len(lines) != sz.h {
					t.Errorf("%s: %d lines", name, len(lines))
				}
				for i, l := range lines {
					if w := width(l); w != sz.w {
						t.Errorf("%s: line %d is %d cells: %q", name, i+1, w, ansi.Strip(l))
					}
				}
				for _, p := range boxProblems(screen) {
					t.Errorf("%s: %s", name, p)
				}
			}
		}
	}
}

// TestBoxProblemsFindsASideOutOfLine: the check sees a box whose right
// side stands a cell off on one line, the line itself as wide as the
// others (a Chinese title padded by its runes, the padding after it one
// cell short).
func TestBoxProblemsFindsASideOutOfLine(t *testing.T) {
	good := "╭─ 告警 ─╮\n│ 正常   │\n╰────────╯"
	if p := boxProblems(good); len(p) != 0 {
		t.Fatalf("a whole box reported: %q", p)
	}
	bad := "╭─ 告警 ─╮\n│ 正常  │ \n╰────────╯"
	if p := boxProblems(bad); len(p) != 1 || !strings.Contains(p[0], "line 2") {
		t.Errorf("a side a cell off on line 2: reported %q", p)
	}
}
