package docstest

import "testing"

// Blocks returns the contents of p's fenced blocks whose info string is
// lang ("json"; "" for a fence with none), in order, each ending in a
// newline.
func (p Page) Blocks(lang string) []string {
	var out []string
	open := false
	from := -1 // where the open block's contents start; -1: not one in lang
	for _, l := range p.lines() {
		switch {
		case !l.isFence:
		case open:
			if from >= 0 {
				out = append(out, p.Text[from:l.start])
			}
			open, from = false, -1
		default:
			open = true
			if l.fence == lang {
				from = l.end
			}
		}
	}
	return out
}

// Block returns the first of p's fenced blocks in lang, failing the test
// when p has none.
func (p Page) Block(t testing.TB, lang string) string {
	t.Helper()
	b := p.Blocks(lang)
	if len(b) == 0 {
		t.Fatalf("%s has no %s block", p.Name, describe(lang))
	}
	return b[0]
}

// describe names a block's language in a failure.
func describe(lang string) string {
	if lang == "" {
		return "fenced (```, no language)"
	}
	return "```" + lang
}
