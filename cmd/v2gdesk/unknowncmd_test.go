package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestUnknownCommandIsShort: a command that is not one gets three lines
// (the error, with the nearest command when it looks misspelt, the
// commands, and where the usage is), not the whole usage under the error,
// which scrolled it off an 80x24 terminal.
func TestUnknownCommandIsShort(t *testing.T) {
	setLocale(t, "C.UTF-8")
	for _, tc := range []struct {
		arg, first string
	}{
		{"stauts", `v2gdesk: unknown command "stauts"; did you mean "status"?`},
		{"Status", `v2gdesk: unknown command "Status"; did you mean "status"?`},
		{"disp", `v2gdesk: unknown command "disp"; did you mean "dispatch"?`},
		{"setpionts", `v2gdesk: unknown command "setpionts"; did you mean "setpoint"?`},
		{"ingest", `v2gdesk: unknown command "ingest"`},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{tc.arg}, &out, &errb); code != exitUsage {
			t.Errorf("%s: exit %d, want %d", tc.arg, code, exitUsage)
		}
		lines := strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n")
		if len(lines) != 3 || lines[0] != tc.first {
			t.Errorf("%s: stderr\n%s\nwant 3 lines, the first %q", tc.arg, errb.String(), tc.first)
			continue
		}
		if !strings.HasPrefix(lines[1], "Commands: status, replay, sim,") || !strings.HasSuffix(lines[1], "archive, help, version.") {
			t.Errorf("%s: second line %q, want the commands", tc.arg, lines[1])
		}
		if lines[2] != "Run `v2gdesk --help` for the whole usage." {
			t.Errorf("%s: third line %q", tc.arg, lines[2])
		}
		if out.Len() != 0 {
			t.Errorf("%s: stdout %q, want nothing", tc.arg, out.String())
		}
	}
}

// TestNearestCommand holds the misspelling guess to what it should not
// guess: a word far from every command gets none.
func TestNearestCommand(t *testing.T) {
	names := []string{"status", "replay", "sim", "record", "solve", "dispatch", "serve", "setpoint", "audit", "archive"}
	for in, want := range map[string]string{
		"statsu": "status", "SIM": "sim", "replya": "replay", "aud": "audit",
		"ingest": "", "nope": "", "x": "", "dashboard": "",
	} {
		if got := nearestCommand(in, names); got != want {
			t.Errorf("nearestCommand(%q) = %q, want %q", in, got, want)
		}
	}
}
