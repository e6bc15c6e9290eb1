package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

var (
	mdLink    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	mdHeading = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*$`)
)

// TestDocLinksResolve: a reader follows the README's and the guides' links
// on their first day; every relative link names a file that exists and,
// with #anchor, a heading of that page as GitHub spells its anchor. No test
// held the pages to it; links and headings are renamed as the pages grow.
func TestDocLinksResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	pages, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, filepath.Join(root, "README.md"))
	anchors := map[string]map[string]bool{}
	links := 0
	for _, page := range pages {
		err := eachProseLine(page, func(n int, line string) {
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				links++
				file, frag, _ := strings.Cut(target, "#")
				path := page
				if file != "" {
					path = filepath.Join(filepath.Dir(page), file)
				}
				if _, err := os.Stat(path); err != nil {
					t.Errorf("%s:%d: link %s: no such file", page, n, target)
					continue
				}
				if frag == "" || !strings.HasSuffix(path, ".md") {
					continue
				}
				if anchors[path] == nil {
					a, err := headingAnchors(path)
					if err != nil {
						t.Fatal(err)
					}
					anchors[path] = a
				}
				if !anchors[path][frag] {
					t.Errorf("%s:%d: link %s: %s has no heading with anchor #%s", page, n, target, path, frag)
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if links < 20 {
		t.Errorf("found %d relative links: the pages have more, the reading is wrong", links)
	}
}

// eachProseLine calls fn with each line of the page outside fenced code
// blocks, whose brackets are code, not links.
func eachProseLine(page string, fn func(n int, line string)) error {
	f, err := os.Open(page)
	if err != nil {
		return fmt.Errorf("reading links: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	fenced := false
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			fn(n, line)
		}
	}
	return sc.Err()
}

// headingAnchors returns the anchors GitHub gives the page's headings: lower
// case, spaces as hyphens, punctuation other than - and _ dropped, and a
// repeated heading numbered -1, -2, ...
func headingAnchors(page string) (map[string]bool, error) {
	anchors := map[string]bool{}
	seen := map[string]int{}
	err := eachProseLine(page, func(_ int, line string) {
		m := mdHeading.FindStringSubmatch(line)
		if m == nil {
			return
		}
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		a := b.String()
		if k := seen[a]; k > 0 {
			anchors[fmt.Sprintf("%s-%d", a, k)] = true
		} else {
			anchors[a] = true
		}
		seen[a]++
	})
	return anchors, err
}
