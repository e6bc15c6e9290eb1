package main

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/mattn/go-runewidth"
)

// helpWidth is the width every --help fits in: an 80-column terminal, the
// narrowest an on-call engineer's laptop or an SSH session gives. The flag
// package prints each flag's description on one line, and the commands'
// texts had lines of up to 190 columns, which a terminal breaks mid-word.
const helpWidth = 80

// flagDescIndent starts a flag's description, as the flag package writes
// it: four spaces and a tab, which a terminal shows as 8 columns.
const flagDescIndent = "    \t"

// usageLine is a synopsis: "Usage: v2gdesk sim [--listen …]", a second
// form under it ("       v2gdesk solve --generate N …"), zh-CN "用法: …".
var usageLine = regexp.MustCompile(`^(Usage: |用法: |\s+)v2gdesk\b`)

// listLine is a line of a two-column list: a name, two or more spaces,
// its description ("  status     one-shot fleet summary …").
var listLine = regexp.MustCompile(`^(\s+\S+(?: \S+)*\s{2,})\S`)

// wrapHelp fits text in helpWidth columns, breaking lines between words
// (and between Chinese characters, which have no spaces) and indenting
// what follows as the line's kind asks: a flag's description under its
// description, a list entry's under its description column, a synopsis
// under its command's first argument, any other line under its own
// indent. A synopsis breaks only outside its brackets, so "[--speed 60]"
// stays whole.
func wrapHelp(text string) string {
	lines := reflow(strings.Split(text, "\n"))
	for i, line := range lines {
		if displayWidth(line) > helpWidth {
			lead, rest, indent, groups := splitIndent(line)
			lines[i] = strings.Join(wrapHelpLine(rest, lead, indent, groups), "\n")
		}
	}
	return strings.Join(lines, "\n")
}

// reflow joins each paragraph of prose (unindented lines, not a synopsis,
// up to a blank or indented line) that has a line too wide into one line,
// for wrapHelp to break again: the commands' texts were broken at about
// 100 columns, and breaking each of their lines alone left a word or two
// on a line of its own. A paragraph that fits is left as it was written.
func reflow(lines []string) []string {
	prose := func(l string) bool {
		return l != "" && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "\t") && !usageLine.MatchString(l)
	}
	var out []string
	for i := 0; i < len(lines); {
		if !prose(lines[i]) {
			out = append(out, lines[i])
			i++
			continue
		}
		j, wide := i, false
		for ; j < len(lines) && prose(lines[j]); j++ {
			wide = wide || displayWidth(lines[j]) > helpWidth
		}
		if wide {
			out = append(out, strings.Join(lines[i:j], " "))
		} else {
			out = append(out, lines[i:j]...)
		}
		i = j
	}
	return out
}

// splitIndent returns line's lead (kept on its first line), the text to
// wrap, the indent of the lines it continues on, and whether the text is
// a synopsis whose bracketed groups must stay whole.
func splitIndent(line string) (lead, rest, indent string, groups bool) {
	trimmed := strings.TrimLeft(line, " ")
	spaces := line[:len(line)-len(trimmed)]
	switch {
	case strings.HasPrefix(line, flagDescIndent):
		return flagDescIndent, line[len(flagDescIndent):], flagDescIndent, false
	case listLine.MatchString(line):
		// Before a synopsis: the command list's "  v2gdesk [flags]    the
		// dashboard (…)" is a list entry.
		m := listLine.FindStringSubmatch(line)
		return m[1], line[len(m[1]):], strings.Repeat(" ", displayWidth(m[1])), false
	case usageLine.MatchString(line):
		return spaces, trimmed, strings.Repeat(" ", synopsisIndent(line)), true
	}
	return spaces, trimmed, spaces, false
}

// wrapHelpLine breaks text into lines of at most helpWidth columns, the first
// after lead, the others after indent. A word wider than a line is left
// whole on a line of its own.
func wrapHelpLine(text, lead, indent string, groups bool) []string {
	depth := -1 // break at every space
	if groups {
		depth = 0 // outside brackets only
	}
	var words []word
	for _, w := range breakable(text, depth) {
		// A group too wide for a line of its own breaks inside, at its
		// outermost spaces.
		if groups && displayWidth(w.text) > helpWidth-displayWidth(indent) {
			inner := breakable(w.text, 1)
			inner[0].space = w.space
			words = append(words, inner...)
			continue
		}
		words = append(words, w)
	}
	var lines []string
	line, lineW, empty := lead, displayWidth(lead), true
	for _, w := range words {
		ww := displayWidth(w.text)
		sep := ""
		if w.space && !empty {
			sep = " "
		}
		if !empty && lineW+len(sep)+ww > helpWidth {
			lines = append(lines, line)
			line, lineW, sep = indent, displayWidth(indent), ""
		}
		line += sep + w.text
		lineW += len(sep) + ww
		empty = false
	}
	return append(lines, line)
}

// synopsisIndent is where a synopsis line's continuations start: under
// the first argument after "v2gdesk CMD", or four columns in when that is
// past half the width.
func synopsisIndent(line string) int {
	n := len(line) - len(strings.TrimLeft(line, " "))
	f := strings.Fields(line)
	for i, w := range f {
		n += displayWidth(w) + 1
		if w == "v2gdesk" {
			if i+1 < len(f) && !strings.HasPrefix(f[i+1], "-") && !strings.HasPrefix(f[i+1], "[") {
				n += displayWidth(f[i+1]) + 1
			}
			break
		}
	}
	if n > helpWidth/2 {
		return 4
	}
	return n
}

// word is a piece of text no line break goes inside; space says a space
// came before it.
type word struct {
	text  string
	space bool
}

// closingMarks are the Chinese punctuation marks a line must not start
// with: each stays with what it closes.
const closingMarks = "，。：；、）」』！？"

// breakable splits text into words: at spaces within maxDepth brackets
// (-1: every space), and around each Chinese character, which may start
// or end a line.
func breakable(text string, maxDepth int) []word {
	var words []word
	var cur strings.Builder
	space, depth := false, 0
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, word{cur.String(), space})
			cur.Reset()
			space = false
		}
	}
	for _, r := range text {
		switch {
		case r == ' ' && (maxDepth < 0 || depth <= maxDepth):
			flush()
			space = true
		case strings.ContainsRune(closingMarks, r):
			if cur.Len() == 0 && len(words) > 0 && !space {
				words[len(words)-1].text += string(r)
				continue
			}
			cur.WriteRune(r)
			flush()
		case unicode.Is(unicode.Han, r):
			flush()
			cur.WriteRune(r)
			flush()
		default:
			if r == '[' || r == '(' {
				depth++
			} else if (r == ']' || r == ')') && depth > 0 {
				depth--
			}
			cur.WriteRune(r)
		}
	}
	flush()
	return words
}

// displayWidth is the columns s takes on a terminal: a Chinese character
// two, the flag package's "    \t" eight.
func displayWidth(s string) int {
	if strings.HasPrefix(s, flagDescIndent) {
		return 8 + runewidth.StringWidth(s[len(flagDescIndent):])
	}
	return runewidth.StringWidth(s)
}
