package main

import "strings"

// statusIndent is where the values of the status report start ("chargers  "),
// and so where a value broken onto further lines goes on.
const statusIndent = 10

// fitStatusText breaks each line of the status report that is wider than
// width between words, its further lines indented to the values' column,
// so that an 80-column terminal does not break "V2G … (1,052 plugged, 326
// bidirectional)" mid-word at its edge. Widths are terminal columns (a
// Chinese site name two a character). Width 0 (piped, as scripts and grep
// read it) leaves every line whole.
func fitStatusText(text string, width int) string {
	if width <= statusIndent {
		return text
	}
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		body := strings.TrimSuffix(l, "\n")
		if cellWidth(body) <= width {
			b.WriteString(l)
			continue
		}
		b.WriteString(breakStatusLine(body, width))
		if strings.HasSuffix(l, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// breakStatusLine breaks one line between words, keeping the spaces
// between the words that stay on a line as written (a feeder row's columns
// stay aligned); the later lines are indented by statusIndent. A word
// longer than a line keeps a line of its own.
func breakStatusLine(line string, width int) string {
	var b strings.Builder
	n := 0
	rest := line
	first := true
	for rest != "" {
		word := strings.TrimLeft(rest, " ")
		gap := rest[:len(rest)-len(word)]
		end := strings.IndexByte(word, ' ')
		if end < 0 {
			end = len(word)
		}
		word, rest = word[:end], word[end:]
		if word == "" {
			break
		}
		wl, gl := cellWidth(word), cellWidth(gap)
		if !first && n+gl+wl > width {
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(" ", statusIndent))
			n, gap, gl = statusIndent, "", 0
		}
		b.WriteString(gap)
		b.WriteString(word)
		n += gl + wl
		first = false
	}
	return b.String()
}
