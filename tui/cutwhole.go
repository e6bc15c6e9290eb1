package tui

import (
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// truncateWhole cuts s (styled or not) to at most w cells ending in "…",
// between fields rather than inside a figure. A cut figure is worse than
// none: at 64 columns triage read "CP-0056 1…", which a dispatcher reads
// as 1 kW. So the cut never falls inside a word that holds a digit (a
// figure, an id, a time: it goes whole), and a number whose unit word
// would be cut off goes with it ("22.0 k…", "−0.9%/10 …" read as other
// figures). The layouts drop or shorten whole fields first; this is what
// a line still too long gets.
func truncateWhole(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	plain := []rune(ansi.Strip(s))
	// n runes of plain fit in w-1 cells, leaving one for "…".
	n, cells := 0, 0
	at := make([]int, 0, len(plain)+1) // at[i]: the cells of plain[:i]
	at = append(at, 0)
	for _, r := range plain {
		rw := ansi.StringWidth(string(r))
		if cells+rw > w-1 {
			break
		}
		cells += rw
		n++
		at = append(at, cells)
	}
	if n >= len(plain) {
		return ansi.Truncate(s, w, "…")
	}
	k := n
	// Inside a word: a word with a digit goes whole.
	if k > 0 && !unicode.IsSpace(plain[k-1]) && !unicode.IsSpace(plain[k]) {
		start := wordStart(plain, k)
		if hasDigit(plain[start:wordEnd(plain, k)]) {
			k = start
		}
	}
	// A number followed by a unit word that is cut or dropped: the number
	// goes too, it would read as another figure without its unit
	// ("22.0 k…", "−0.9%/10 …", "(+1 …" of "(+1 d)").
	space := func(i int) bool { return i < 0 || i >= len(plain) || unicode.IsSpace(plain[i]) }
	for k > 0 {
		var numEnd, unit int // the number's end and its unit's start
		switch {
		case !space(k-1) && !space(k): // inside the unit
			unit = wordStart(plain, k)
			numEnd = unit - 1
		case space(k - 1): // after the number's space
			unit, numEnd = k, k-1
		default: // just after the number
			numEnd, unit = k, k+1
		}
		// unit is numEnd+1 in each case.
		if numEnd < 1 || plain[numEnd] != ' ' || space(numEnd-1) || unit >= len(plain) || !unicode.IsLetter(plain[unit]) {
			break // not a word, one space, then a word of letters
		}
		start := wordStart(plain, numEnd)
		if !isNumber(plain[start:numEnd]) {
			break
		}
		k = start
	}
	if k == n {
		return ansi.Truncate(s, w, "…")
	}
	return ansi.Truncate(s, at[k]+1, "…")
}

// wordStart is the index where the space-separated word holding plain[i-1]
// begins.
func wordStart(plain []rune, i int) int {
	for i > 0 && !unicode.IsSpace(plain[i-1]) {
		i--
	}
	return i
}

// wordEnd is the index just past the word holding plain[i].
func wordEnd(plain []rune, i int) int {
	for i < len(plain) && !unicode.IsSpace(plain[i]) {
		i++
	}
	return i
}

func hasDigit(rs []rune) bool {
	for _, r := range rs {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// isNumber reports whether a word is a figure: a digit first, after at
// most two signs, a currency or a comparison ("−297", "¥32", "≤1,435",
// "(▲120%)", "−0.9%/10"), not an id that holds digits ("F10", "CP-0056").
func isNumber(rs []rune) bool {
	for i, r := range rs {
		if unicode.IsDigit(r) {
			return true
		}
		if i > 1 || !isSignRune(r) {
			return false
		}
	}
	return false
}

func isSignRune(r rune) bool {
	switch r {
	case '-', '−', '+', '±', '¥', '$', '€', '≤', '≥', '≈', '~', '(', '×', '<', '>', 'Δ', '▲', '△':
		return true
	}
	return false
}
