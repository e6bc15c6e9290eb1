package main

import (
	"strings"
	"testing"
)

// TestBadFlagValueSaysWhatTheFlagWants: a value the flag package cannot
// read ended in "invalid value "15" for flag -for: parse error" above 30
// lines of usage: "parse error" says neither that a duration needs its unit
// nor what a number flag wants. The line after the error now says it, in
// every command, and the usage is no longer printed above them.
func TestBadFlagValueSaysWhatTheFlagWants(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"setpoint", "--for", "15"}, `v2gdesk setpoint: --for "15": want a duration with its unit, e.g. 15m, 90s or 2h`},
		{[]string{"status", "--timeout", "ten"}, `v2gdesk status: --timeout "ten": want a duration with its unit, e.g. 15m, 90s or 2h`},
		{[]string{"dispatch", "--timeout", "30"}, `v2gdesk dispatch: --timeout "30": want a duration with its unit`},
		{[]string{"record", "--duration", "5"}, `v2gdesk record: --duration "5": want a duration with its unit`},
		{[]string{"sim", "--speed", "fast"}, `v2gdesk sim: --speed "fast": want a number`},
		{[]string{"replay", "x.v2grec", "--speed", "fast"}, `v2gdesk replay: --speed "fast": want a number`},
		{[]string{"solve", "--generate", "ten"}, `v2gdesk solve: --generate "ten": want a whole number`},
		{[]string{"solve", "--problem", "p.json", "--time-limit", "5"}, `v2gdesk solve: --time-limit "5": want a duration with its unit`},
		{[]string{"--speed", "fast"}, `v2gdesk: --speed "fast": want a number`},
	} {
		code, _, stderr := runCmd(c.args...)
		lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
		if len(lines) != 3 || code != exitUsage || !strings.HasPrefix(lines[1], c.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and a second line %q of 3", c.args, code, stderr, exitUsage, c.want)
		}
	}
}
