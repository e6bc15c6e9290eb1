package main

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// cellWidth is the columns s takes on a terminal, as the dashboard
// measures them: a Chinese character two, whatever the locale (an
// operator on a zh-CN desk types shelve reasons in Chinese, and the
// journal keeps them). Counted in runes, `v2gdesk audit` padded and cut
// such a reason to half its width: the lines ran past an 80-column
// terminal and the columns after it stood out of line.
func cellWidth(s string) int { return ansi.StringWidth(s) }

// cutEnd cuts s to at most n cells, the last an ellipsis; a character of
// two cells is not split.
func cutEnd(s string, n int) string { return ansi.Truncate(s, n, "…") }

// cutMiddle cuts s to at most n cells with an ellipsis in the middle: a
// setpoint id begins with its event and plan and ends with its charger,
// the two halves a reader matches.
func cutMiddle(s string, n int) string {
	head := (n - 1) / 2
	return ansi.Truncate(s, head, "") + "…" + lastCells(s, n-1-head)
}

// lastCells is the end of s that fits n cells.
func lastCells(s string, n int) string {
	r := []rune(s)
	i, w := len(r), 0
	for i > 0 {
		rw := cellWidth(string(r[i-1]))
		if w+rw > n {
			break
		}
		w += rw
		i--
	}
	return string(r[i:])
}

// padCells is s followed by spaces to n cells (s as it is when wider).
func padCells(s string, n int) string {
	if w := cellWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
