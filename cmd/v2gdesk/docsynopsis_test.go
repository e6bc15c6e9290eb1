package main

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestSynopsesListEveryFlag: the command lines a reader copies from, the
// README's Usage table, a page's synopsis block (```` ``` ```` beginning
// `v2gdesk CMD`) and a section heading that spells the command's flags,
// list every flag the command's --help lists. The flag tables were held to
// --help (TestEverySubcommandHasHelp, TestEveryFlagIsDocumented), the
// synopses were not: serve's in docs/operations.md stopped at --journal,
// without --lang, --max-sessions, --idle-timeout and --shutdown-grace.
func TestSynopsesListEveryFlag(t *testing.T) {
	readme := docstest.Read(t, "README.md").Section(t, "## Usage")
	for _, d := range flagDocs {
		name := d.command
		if name == "" {
			name = "the dashboard"
		}
		have := helpFlags(t, d.command)

		// The README: one row per command, three for the dashboard
		// (a simulated day, a feed, OCPP central systems alone), which
		// between them list its flags, in the synopsis or, for a flag of
		// another form of the command (solve's --generate N, the
		// dashboard's --lang), in what the row says it does.
		var rows []string
		for _, r := range readme.Rows() {
			first := r[0]
			if d.command == "" && (strings.HasPrefix(first, "`v2gdesk [") || strings.HasPrefix(first, "`v2gdesk --")) ||
				d.command != "" && (strings.HasPrefix(first, "`v2gdesk "+d.command+" ") || strings.HasPrefix(first, "`v2gdesk "+d.command+"`")) {
				rows = append(rows, strings.Join(r, " "))
			}
		}
		if len(rows) == 0 {
			t.Errorf("README.md's Usage table has no row for %s", name)
		}
		missing(t, "README.md's Usage row of "+name, strings.Join(rows, " "), have)

		if d.command == "" {
			continue // the dashboard's page has its table, no synopsis
		}
		page := docstest.Read(t, "docs/"+d.page)
		for _, heading := range d.sections {
			for _, b := range page.Section(t, heading).Blocks("") {
				if strings.HasPrefix(b, "v2gdesk "+d.command+" ") {
					missing(t, "the synopsis block of docs/"+d.page+" "+heading, b, have)
				}
			}
		}
		for _, line := range strings.Split(page.Text, "\n") {
			if strings.HasPrefix(line, "#") && strings.Contains(line, "`v2gdesk "+d.command+" ") && strings.Contains(line, "--") {
				missing(t, "the heading "+line+" of docs/"+d.page, line, have)
			}
		}
	}
}

// helpFlags returns the flags command's --help lists ("" is the
// dashboard), without their dashes.
func helpFlags(t *testing.T, command string) []string {
	t.Helper()
	args := []string{"help", command}
	if command == "" {
		args = []string{"--help"}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("%q: exit %d: %s", args, code, errb.String())
	}
	var have []string
	for _, m := range helpFlag.FindAllStringSubmatch(out.String(), -1) {
		have = append(have, m[1])
	}
	if len(have) == 0 {
		t.Fatalf("%q lists no flag on stdout", args)
	}
	return have
}

// synopsisFlag is a flag in a synopsis, where flags are not each in
// backquotes as in a table's rows: `v2gdesk sim [--listen ADDR]`.
var synopsisFlag = regexp.MustCompile(`--([a-z][a-z0-9-]*)`)

// missing fails the test for each flag of have that synopsis does not
// spell (--name), saying where the synopsis is.
func missing(t *testing.T, where, synopsis string, have []string) {
	t.Helper()
	var spelled []string
	for _, m := range synopsisFlag.FindAllStringSubmatch(synopsis, -1) {
		spelled = append(spelled, m[1])
	}
	for _, f := range have {
		if !slices.Contains(spelled, f) {
			t.Errorf("%s lacks --%s, which --help lists", where, f)
		}
	}
}

// TestHelpUsageListsEveryFlag: the usage line at the top of a command's
// --help lists every flag the help lists under it, unless it says
// `[flags]` (setpoint's); serve's stopped at --lang, without
// --max-sessions, --idle-timeout and --shutdown-grace. audit's --file is
// --journal's older name, kept for old scripts and left out of its
// usage on purpose.
func TestHelpUsageListsEveryFlag(t *testing.T) {
	leftOut := map[string][]string{"audit": {"file"}}
	for _, c := range commands() {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"help", c.name}, &out, &errb); code != 0 {
			t.Fatalf("help %s: exit %d: %s", c.name, code, errb.String())
		}
		usage, _, _ := strings.Cut(out.String(), "\n\n") // the usage lines, up to the first blank line
		if strings.Contains(usage, "[flags]") {
			continue
		}
		for _, f := range helpFlags(t, c.name) {
			if !slices.Contains(leftOut[c.name], f) && !strings.Contains(usage, "--"+f) {
				t.Errorf("%s --help: its usage lines lack --%s, which it lists below them:\n%s", c.name, f, usage)
			}
		}
	}
}
