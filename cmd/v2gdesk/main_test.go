package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestRunExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring expected on stdout
		stderr string // substring expected on stderr
	}{
		{"version flag", []string{"--version"}, 0, "v2gdesk dev", ""},
		{"version command", []string{"version"}, 0, "v2gdesk dev", ""},
		{"help", []string{"help"}, 0, "Commands:", ""},
		{"help flag", []string{"--help"}, 0, "Commands:", ""},
		// The dashboard's own flags: they were shown only after a bad flag.
		{"help lists the dashboard's flags", []string{"--help"}, 0, "-journal FILE", ""},
		// A malformed time is a command-line error, found before any work.
		{"start out of range", []string{"--start", "25:00"}, exitUsage, "", `--start: time of day "25:00"`},
		{"start malformed", []string{"--scenario", "demo", "--start", "7"}, exitUsage, "", "--start: "},
		{"unknown command", []string{"bogus"}, exitUsage, "", `unknown command "bogus"`},
		{"help for unknown command", []string{"help", "bogus"}, exitUsage, "", `unknown command "bogus"`},
		// help and version take --help too, as the command list promises;
		// they answered "unknown command" or ignored it.
		{"help --help", []string{"help", "--help"}, 0, "Commands:", ""},
		{"help -h", []string{"help", "-h"}, 0, "Commands:", ""},
		{"help help", []string{"help", "help"}, 0, "Commands:", ""},
		{"help version", []string{"help", "version"}, 0, "Usage: v2gdesk version", ""},
		{"version --help", []string{"version", "--help"}, 0, "Usage: v2gdesk version", ""},
		{"version with an argument", []string{"version", "x"}, exitUsage, "", `unexpected argument "x"`},
		{"unknown desk flag", []string{"--bogus"}, exitUsage, "", "flag provided but not defined: -bogus"},
		// A recording handed to the dashboard the way a player takes one is
		// pointed at `v2gdesk replay`; it was an unknown command or flag and
		// the whole usage, or the scenario reader's "unknown field".
		{"a recording as the command", []string{"day.v2grec"}, exitUsage, "", "to play a recording: v2gdesk replay day.v2grec"},
		{"--replay FILE", []string{"--replay", "day.v2grec"}, exitUsage, "", "to play a recording: v2gdesk replay day.v2grec"},
		{"-replay=FILE", []string{"--speed", "60", "-replay=day.v2grec"}, exitUsage, "", "to play a recording: v2gdesk replay day.v2grec"},
		{"--replay alone", []string{"--replay"}, exitUsage, "", "to play a recording: v2gdesk replay FILE"},
		{"a recording as the scenario", []string{"--scenario", "day.v2grec"}, 1, "", "--scenario: day.v2grec is a recording; to play a recording: v2gdesk replay day.v2grec"},
		{"a recording as the simulator's scenario", []string{"sim", "--scenario", "x/day.v2grec"}, 1, "", "to play a recording: v2gdesk replay x/day.v2grec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tt.args, &out, &errb)
			if code != tt.code {
				t.Fatalf("run(%q) = %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tt.stdout) {
				t.Errorf("stdout %q does not contain %q", out.String(), tt.stdout)
			}
			if !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("stderr %q does not contain %q", errb.String(), tt.stderr)
			}
		})
	}
}

// TestEverySubcommandHasHelp checks that each registered subcommand answers
// --help with exit code 0 and its usage on stdout, as `v2gdesk --help`
// does (on stderr, `v2gdesk help sim | less` showed nothing), and an
// unknown flag with exitUsage.
func TestEverySubcommandHasHelp(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			for _, args := range [][]string{{c.name, "--help"}, {"help", c.name}} {
				var out, errb bytes.Buffer
				if code := run(context.Background(), args, &out, &errb); code != 0 {
					t.Errorf("%q = %d, want 0; stderr: %s", args, code, errb.String())
				}
				if !strings.Contains(out.String(), "Usage: v2gdesk "+c.name) {
					t.Errorf("%q: stdout has no usage:\n%s", args, out.String())
				}
				if errb.Len() > 0 {
					t.Errorf("%q: stderr is not empty: %s", args, errb.String())
				}
			}
			var out, errb bytes.Buffer
			if code := run(context.Background(), []string{c.name, "--no-such-flag"}, &out, &errb); code != exitUsage {
				t.Errorf("%s --no-such-flag = %d, want %d", c.name, code, exitUsage)
			}
			if !strings.Contains(errb.String(), "no-such-flag") {
				t.Errorf("%s: usage error does not name the flag: %q", c.name, errb.String())
			}
		})
	}
}

// TestHelpExitCodesComplete checks that a subcommand whose --help lists its
// exit codes lists exitUsage among them: a script writer reading "exit 0
// ..., 1 ..." takes the list as complete, and a bad command line (2) is
// one of the outcomes every subcommand has.
func TestHelpExitCodesComplete(t *testing.T) {
	want := fmt.Sprintf("%d for a bad command line", exitUsage)
	for _, c := range commands() {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{c.name, "--help"}, &out, &errb); code != 0 {
			t.Fatalf("%s --help = %d", c.name, code)
		}
		// Flag descriptions follow the usage text; only the text speaks
		// of exit codes.
		text, _, _ := strings.Cut(out.String()+errb.String(), "\n  -")
		if !regexp.MustCompile(`(?i)\bexits?\b`).MatchString(text) {
			continue
		}
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("%s --help lists exit codes without %q:\n%s", c.name, want, text)
		}
	}
}

// The demo day starts at 16:00 whether it is asked for by name or is the
// default; a scenario file starts where it starts, and --start wins. The
// dashboard's simulated day can be sought back (restartingSim).
func TestDeskDefaults(t *testing.T) {
	for _, tc := range []struct {
		in          ingestOptions
		scen, start string
	}{
		{ingestOptions{}, "demo", demoStart},
		{ingestOptions{scenario: "demo"}, "demo", demoStart},
		{ingestOptions{scenario: "demo", start: "07:30"}, "demo", "07:30"},
		{ingestOptions{scenario: "day.json"}, "day.json", ""},
		{ingestOptions{feed: "ws://127.0.0.1:1/v1"}, "", ""},
	} {
		o := tc.in
		o.deskDefaults()
		if o.scenario != tc.scen || o.start != tc.start {
			t.Errorf("%+v: scenario %q start %q, want %q and %q", tc.in, o.scenario, o.start, tc.scen, tc.start)
		}
		if !o.seekBack {
			t.Errorf("%+v: no seek back on the dashboard's simulated day", tc.in)
		}
	}
}
