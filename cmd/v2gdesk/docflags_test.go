package main

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// flagDocs says where each command's flags are documented: a page and the
// sections (each from its heading to the next heading) whose tables list
// them, one row per flag.
var flagDocs = []struct {
	command  string // "" is the dashboard
	page     string
	sections []string
}{
	{"", "dashboard.md", []string{"## Command line"}},
	{"status", "operations.md", []string{"## Checking a feed"}},
	{"replay", "replay.md", []string{"### `v2gdesk replay"}},
	{"sim", "replay.md", []string{"### `v2gdesk sim"}},
	{"record", "replay.md", []string{"### `v2gdesk record"}},
	{"solve", "dispatch.md", []string{"## `v2gdesk solve`", "## Generating instances"}},
	{"dispatch", "operations.md", []string{"### Headless"}},
	{"serve", "operations.md", []string{"## SSH desk"}},
	{"setpoint", "adapters.md", []string{"## `v2gdesk setpoint`"}},
	{"audit", "adapters.md", []string{"## The audit journal"}},
	{"archive", "operations.md", []string{"## Archiving the audit journal"}},
}

var (
	helpFlag = regexp.MustCompile(`(?m)^  --?([a-z][a-z0-9-]*)`)
	docFlag  = regexp.MustCompile("`--([a-z][a-z0-9-]*)")
)

// TestEveryFlagIsDocumented compares, in both directions, each command's
// flags as its help lists them with the flag table of the page that
// documents the command: a flag nowhere in a table left a reader to find it
// in --help (serve's --max-sessions was in neither the README nor a
// synopsis), and a row for a flag that does not exist sends them astray.
func TestEveryFlagIsDocumented(t *testing.T) {
	if got, want := len(flagDocs)-1, len(commands()); got != want {
		t.Errorf("flagDocs covers %d commands, there are %d: say where the new one's flags are documented", got, want)
	}
	for _, d := range flagDocs {
		name := d.command
		if name == "" {
			name = "the dashboard"
		}
		args := []string{"help", d.command}
		if d.command == "" {
			args = []string{"--help"}
		}
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("%s: help exit %d: %s", name, code, errb.String())
		}
		var have []string
		for _, m := range helpFlag.FindAllStringSubmatch(out.String()+errb.String(), -1) {
			have = append(have, m[1])
		}
		if len(have) == 0 {
			t.Fatalf("%s: its help lists no flag", name)
		}
		page := docstest.Read(t, "docs/"+d.page)
		var rows []string // the first cell of each table row
		for _, heading := range d.sections {
			for _, r := range page.Section(t, heading).Rows() {
				rows = append(rows, r[0])
			}
		}
		var documented []string
		for _, r := range rows {
			for _, m := range docFlag.FindAllStringSubmatch(r, -1) {
				documented = append(documented, m[1])
			}
		}
		for _, f := range have {
			if !slices.Contains(documented, f) {
				t.Errorf("%s: --%s is in its help but in no table row of docs/%s %q", name, f, d.page, d.sections)
			}
		}
		for _, f := range documented {
			if !slices.Contains(have, f) {
				t.Errorf("%s: docs/%s %q has a row for --%s, which it does not take", name, d.page, d.sections, f)
			}
		}
	}
}
