package main

import (
	"fmt"
	"io"
	"strings"
)

// unknownCommand tells stderr that name is no command, in lang: the
// nearest command when name looks like a misspelling of one, the list of
// commands, and where the whole usage is. It printed the whole usage,
// about 55 lines, under the error, which scrolled the error itself off an
// 80x24 terminal.
func unknownCommand(stderr io.Writer, lang, name string) {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if near := nearestCommand(name, names); near != "" {
		fmt.Fprintln(stderr, say(lang, "v2gdesk: unknown command %q; did you mean %q?", name, near))
	} else {
		fmt.Fprintln(stderr, say(lang, "v2gdesk: unknown command %q", name))
	}
	fmt.Fprintln(stderr, say(lang, "Commands: %s, help, version.", strings.Join(names, ", ")))
	fmt.Fprintln(stderr, say(lang, "Run `v2gdesk --help` for the whole usage."))
}

// nearestCommand is the command in names that name is most likely a
// misspelling of (case aside, at most two edits, or a prefix of it), ""
// when none is.
func nearestCommand(name string, names []string) string {
	low := strings.ToLower(name)
	best, bestD := "", 3
	for _, n := range names {
		if low == n || (len(low) >= 3 && strings.HasPrefix(n, low)) {
			return n
		}
		if d := editDistance(low, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b,
// in bytes (command names are ASCII): Levenshtein's, with two neighbours
// swapped one edit, the commonest slip of a typist ("setpiont").
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
