package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlagErrorsNameFlagValueAndWhat: an error about a flag's value names
// the flag, the value as typed and what is wrong. `record --out DIR` said
// "DIR already exists", `solve --out DIR` "DIR is a directory" (no flag),
// and durations were echoed as Go prints them ("-2m0s" for -2m, "-1m30s"
// for -90s), or not at all ("--duration must not be negative").
func TestFlagErrorsNameFlagValueAndWhat(t *testing.T) {
	dir := t.TempDir()
	prob := filepath.Join(dir, "p.json")
	if code, _, stderr := runCmd("solve", "--generate", "3", "--out", prob); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, stderr)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"record --out a directory", []string{"record", "--feed", "ws://127.0.0.1:1/v1", "--out", sub}, 1,
			"v2gdesk record: --out " + sub + ": a directory, want a file to write; e.g. --out " + filepath.Join(sub, "feed.v2grec") + "\n"},
		{"record --duration negative", []string{"record", "--feed", "ws://127.0.0.1:1/v1", "--out", filepath.Join(dir, "r.v2grec"), "--duration", "-90s"}, exitUsage,
			"v2gdesk record: --duration -90s: want a positive duration, or 0 to record until interrupted\n"},
		{"solve --mps a directory", []string{"solve", "--problem", prob, "--mps", sub}, 1,
			"v2gdesk solve: --mps " + sub + ": a directory, want a file to write; e.g. --mps " + filepath.Join(sub, "problem.mps") + "\n"},
		{"solve --generate --out a directory", []string{"solve", "--generate", "3", "--out", sub}, 1,
			"v2gdesk solve: --out " + sub + ": a directory, want a file to write; e.g. --out " + filepath.Join(sub, "problem.json") + "\n"},
		{"solve --time-limit negative", []string{"solve", "--problem", prob, "--time-limit", "-90s"}, exitUsage,
			"v2gdesk solve: --time-limit -90s: want a positive duration, or 0 for none\n"},
		{"dispatch --timeout negative", []string{"dispatch", "--event", "testdata/event-cap-f08.json", "--scenario", "demo", "--timeout", "-90s"}, exitUsage,
			"v2gdesk dispatch: --timeout -90s: want a positive duration\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(tt.args...)
			first, _, _ := strings.Cut(stderr, "Usage:")
			first, _, _ = strings.Cut(first, "Run `")
			if code != tt.code || first != tt.stderr {
				t.Errorf("exit %d, want %d\nstderr: %q\nwant:   %q", code, tt.code, stderr, tt.stderr)
			}
		})
	}
}

// TestPositionalArgumentNamesItsFlag: a URL or file given without its
// flag, as a tired engineer types it, is pointed at the flag; it was only
// "unexpected argument".
func TestPositionalArgumentNamesItsFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"status", "ws://127.0.0.1:8765/v1"}, `v2gdesk status: unexpected argument "ws://127.0.0.1:8765/v1"; did you mean --feed ws://127.0.0.1:8765/v1?`},
		{[]string{"record", "--feed", "ws://h/v1", "day.v2grec"}, `v2gdesk record: unexpected argument "day.v2grec"; did you mean --out day.v2grec?`},
		{[]string{"audit", "audit.jsonl"}, `v2gdesk audit: unexpected argument "audit.jsonl"; did you mean --journal audit.jsonl?`},
		{[]string{"solve", "p.json"}, `v2gdesk solve: unexpected argument "p.json"; did you mean --problem p.json?`},
		{[]string{"dispatch", "--scenario", "demo", "ev.json"}, `v2gdesk dispatch: unexpected argument "ev.json"; did you mean --event ev.json?`},
		// Nothing clear: as before.
		{[]string{"status", "now"}, `v2gdesk status: unexpected argument "now"`},
	} {
		code, _, stderr := runCmd(tt.args...)
		if first, _, _ := strings.Cut(stderr, "\n"); code != exitUsage || first != tt.want {
			t.Errorf("%q: exit %d, stderr %q, want %q", tt.args, code, first, tt.want)
		}
	}
}
