package docstest

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const sample = "# Title\n" +
	"intro\n" +
	"## Problem JSON\n" +
	"The problem:\n" +
	"```json\n{\"slots\": 4}\n```\n" +
	"```sh\n# not a heading\nv2gdesk solve\n```\n" +
	"### Fields\n" +
	"| field | what |\n|---|:--:|\n| `slots` | how many |\n| `a \\| b` | a pipe |\n" +
	"\n" +
	"| second | table |\n|---|---|\n| x | y |\n" +
	"- a list item:\n  ```\n  plain\n  ```\n" +
	"## Result JSON\n" +
	"```json\n{\"status\": \"optimal\"}\n```\n" +
	"#hashtag, not a heading\n"

// TestSection: a section runs to the next heading of its level or higher,
// its subsections included; a line in a fenced block is no heading; the
// heading is found by its start.
func TestSection(t *testing.T) {
	p := Page{Name: "docs/x.md", Text: sample}
	s := p.Section(t, "## Problem JSON")
	if !strings.HasPrefix(s.Text, "The problem:\n") || !strings.Contains(s.Text, "### Fields") || strings.Contains(s.Text, "Result") {
		t.Errorf("section %q", s.Text)
	}
	if want := `docs/x.md "## Problem JSON"`; s.Name != want {
		t.Errorf("name %q, want %q", s.Name, want)
	}
	if got := p.Section(t, "### Fie").Text; !strings.HasPrefix(got, "| field |") || strings.Contains(got, "## Result") {
		t.Errorf("subsection %q", got)
	}
	if got := p.Section(t, "## Result").Text; got != "```json\n{\"status\": \"optimal\"}\n```\n#hashtag, not a heading\n" {
		t.Errorf("last section %q", got)
	}
	if got := p.Before(t, "## Result").Text; !strings.HasSuffix(got, "  ```\n") || strings.Contains(got, "optimal") {
		t.Errorf("before %q", got)
	}
}

// TestBlocks: fenced blocks by their language, in order, indented ones
// too; Block is the first.
func TestBlocks(t *testing.T) {
	p := Page{Name: "docs/x.md", Text: sample}
	if got, want := p.Blocks("json"), []string{"{\"slots\": 4}\n", "{\"status\": \"optimal\"}\n"}; !slices.Equal(got, want) {
		t.Errorf("json blocks %q, want %q", got, want)
	}
	if got, want := p.Blocks(""), []string{"  plain\n"}; !slices.Equal(got, want) {
		t.Errorf("blocks without a language %q, want %q", got, want)
	}
	if got := p.Section(t, "## Result").Block(t, "json"); got != "{\"status\": \"optimal\"}\n" {
		t.Errorf("the Result section's block %q", got)
	}
}

// TestTables: each table's header and rows, the |---| line left out, an
// escaped pipe kept in its cell.
func TestTables(t *testing.T) {
	p := Page{Name: "docs/x.md", Text: sample}.Section(t, "### Fields")
	tables := p.Tables()
	if len(tables) != 2 {
		t.Fatalf("%d tables, want 2: %q", len(tables), tables)
	}
	if got := fmt.Sprint(tables[0]); got != "{[field what] [[`slots` how many] [`a | b` a pipe]]}" {
		t.Errorf("the first table %s", got)
	}
	if got := fmt.Sprint(p.Rows()); got != "[[`slots` how many] [`a | b` a pipe] [x y]]" {
		t.Errorf("rows %s", got)
	}
	if got := fmt.Sprint(p.Table(t, "second").Rows); got != "[[x y]]" {
		t.Errorf("the table headed second: %s", got)
	}
}

// TestReadFromTheModuleRoot: a page is named from the module's root,
// wherever the test runs.
func TestReadFromTheModuleRoot(t *testing.T) {
	p := Read(t, "docs/dispatch.md")
	if p.Name != "docs/dispatch.md" || !strings.Contains(p.Text, "\n## Problem JSON\n") {
		t.Errorf("read %s: %d bytes without its Problem JSON heading", p.Name, len(p.Text))
	}
}

// TestAMissingPartFailsNamingIt: a section, a block or a page that is not
// there fails the test, saying which and where; a test cannot go on to
// check nothing.
func TestAMissingPartFailsNamingIt(t *testing.T) {
	p := Page{Name: "docs/x.md", Text: sample}
	for _, c := range []struct {
		name string
		do   func(tb testing.TB)
		want string
	}{
		{"section", func(tb testing.TB) { p.Section(tb, "## Nope") }, `docs/x.md has no "## Nope" section`},
		{"a heading only inside a block", func(tb testing.TB) { p.Section(tb, "# not a heading") }, `docs/x.md has no "# not a heading" section`},
		{"before", func(tb testing.TB) { p.Before(tb, "## Nope") }, `docs/x.md has no "## Nope" section`},
		{"block", func(tb testing.TB) { p.Section(tb, "### Fields").Block(tb, "json") }, "docs/x.md \"### Fields\" has no ```json block"},
		{"table", func(tb testing.TB) { p.Table(tb, "field", "type") }, `docs/x.md has no table headed "field | type"`},
		{"page", func(tb testing.TB) { Read(tb, "docs/nope.md") }, "read the document docs/nope.md: "},
	} {
		if got := fatal(t, c.do); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: failed with %q, want %q", c.name, got, c.want)
		}
	}
}

// fatal runs do with a testing.TB whose Fatalf ends do as it would end a
// test, and returns what it said ("" when it did not fail).
func fatal(t *testing.T, do func(tb testing.TB)) string {
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		do(rec)
	}()
	<-done
	return rec.msg
}

// fatalRecorder is a testing.TB that records Fatal instead of failing.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *fatalRecorder) Fatal(args ...any) {
	r.msg = fmt.Sprint(args...)
	runtime.Goexit()
}
