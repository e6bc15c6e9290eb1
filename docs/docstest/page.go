package docstest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Page is a Markdown document, or a part of one (a Section).
type Page struct {
	// Name says where the text is from in a failure: the path from the
	// module's root ("docs/dispatch.md"), and the heading of a section.
	Name string
	// Text is the Markdown.
	Text string
}

// Read reads the page at path, relative to the module's root (the nearest
// directory above the test's own with a go.mod): "docs/dispatch.md",
// "README.md". Tests run in their package's directory, and a test no
// longer has to count its way up with "../../".
func Read(t testing.TB, path string) Page {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
	if err != nil {
		t.Fatalf("read the document %s: %v", path, err)
	}
	return Page{Name: path, Text: string(b)}
}

// moduleRoot is the nearest directory at or above the working directory
// that holds a go.mod.
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find the module's root: %w", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("find the module's root: %w", err)
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("find the module's root: no go.mod at or above %s", wd)
		}
	}
}

// Section returns the section of p under the first heading line that
// begins with heading ("## Problem JSON", "### `v2gdesk replay"): the
// lines after it up to the next heading of the same level or higher, its
// subsections included. Lines in fenced blocks are never headings (a
// shell comment is not). A page without the heading fails the test,
// naming both.
func (p Page) Section(t testing.TB, heading string) Page {
	t.Helper()
	s, ok := p.section(heading)
	if !ok {
		t.Fatalf("%s has no %q section", p.Name, heading)
	}
	return s
}

// Before returns p up to the first heading line that begins with heading
// (protocol.md up to its "## Recording format", whose lines are not
// frames). A page without the heading fails the test.
func (p Page) Before(t testing.TB, heading string) Page {
	t.Helper()
	for _, l := range p.lines() {
		if l.level > 0 && strings.HasPrefix(l.text, heading) {
			return Page{Name: fmt.Sprintf("%s before %q", p.Name, heading), Text: p.Text[:l.start]}
		}
	}
	t.Fatalf("%s has no %q section", p.Name, heading)
	return Page{}
}

func (p Page) section(heading string) (Page, bool) {
	lines := p.lines()
	for i, h := range lines {
		if h.level == 0 || !strings.HasPrefix(h.text, heading) {
			continue
		}
		start, end := h.end, len(p.Text)
		for _, l := range lines[i+1:] {
			if l.level > 0 && l.level <= h.level {
				end = l.start
				break
			}
		}
		if start > end {
			start = end // a heading on the last line, without a newline
		}
		return Page{Name: fmt.Sprintf("%s %q", p.Name, heading), Text: p.Text[start:end]}, true
	}
	return Page{}, false
}

// line is a line of a page: its text, where it starts and ends (after its
// newline), and its heading level (0: not a heading).
type line struct {
	text       string
	start, end int
	level      int
	isFence    bool
	fence      string // a fence's info string ("json", "")
}

// lines splits p into lines, marking headings and fences.
func (p Page) lines() []line {
	var out []line
	inFence := false
	for start := 0; start < len(p.Text); {
		end := len(p.Text)
		if i := strings.IndexByte(p.Text[start:], '\n'); i >= 0 {
			end = start + i + 1
		}
		l := line{text: strings.TrimSuffix(p.Text[start:end], "\n"), start: start, end: end}
		switch {
		case strings.HasPrefix(strings.TrimLeft(l.text, " "), "```"):
			// Indented too: a block in a list item.
			l.isFence = true
			l.fence = strings.TrimSpace(strings.TrimPrefix(strings.TrimLeft(l.text, " "), "```"))
			inFence = !inFence
		case inFence:
		default:
			l.level = headingLevel(l.text)
		}
		out = append(out, l)
		start = end
	}
	return out
}

// headingLevel is the level of an ATX heading ("## x" is 2), 0 for a line
// that is not one.
func headingLevel(s string) int {
	n := len(s) - len(strings.TrimLeft(s, "#"))
	if n == 0 || n > 6 || (len(s) > n && s[n] != ' ') {
		return 0
	}
	return n
}
