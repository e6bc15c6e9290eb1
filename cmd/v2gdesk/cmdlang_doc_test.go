package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestCommandLineLanguageDocSession runs the shell session of
// docs/operations.md ("Command-line language") line by line, as a reader
// would type it, and compares what each command prints and its exit code
// with the page: the page showed the usage under a mistyped flag's error
// long after the command had stopped printing it there.
//
// The session knows three kinds of line: `$ cat FILE` followed by the
// file's contents (the test writes the file), `$ echo $?` followed by the
// exit code of the command before, and `$ [NAME=VALUE ...] v2gdesk ARGS`
// followed by what the command prints, stderr and stdout together.
func TestCommandLineLanguageDocSession(t *testing.T) {
	block := docstest.Read(t, "docs/operations.md").Section(t, "## Command-line language").Block(t, "")
	t.Chdir(t.TempDir()) // the session names its files relative to where it runs
	steps := sessionSteps(block)
	if len(steps) < 3 {
		t.Fatalf("the session has %d commands; the page's block is not read as a session:\n%s", len(steps), block)
	}
	commands, lastCode := 0, -1
	for _, s := range steps {
		fields := strings.Fields(s.command)
		switch {
		case len(fields) == 2 && fields[0] == "cat":
			if err := os.WriteFile(filepath.Join(".", fields[1]), []byte(s.output), 0o600); err != nil {
				t.Fatal(err)
			}
		case s.command == "echo $?":
			want, err := strconv.Atoi(strings.TrimSpace(s.output))
			if err != nil {
				t.Fatalf("after `$ echo $?` the page shows %q, not an exit code", s.output)
			}
			if lastCode != want {
				t.Errorf("the page says the command before `echo $?` exits %d; it exits %d", want, lastCode)
			}
		default:
			setLocale(t, "")
			for len(fields) > 0 && strings.Contains(fields[0], "=") {
				name, value, _ := strings.Cut(fields[0], "=")
				t.Setenv(name, value)
				fields = fields[1:]
			}
			if len(fields) == 0 || fields[0] != "v2gdesk" {
				t.Fatalf("the session's line %q is not a v2gdesk command, cat or echo $?", s.command)
			}
			var out bytes.Buffer
			lastCode = run(context.Background(), fields[1:], &out, &out)
			commands++
			if got := out.String(); got != s.output {
				t.Errorf("`%s` prints\n%s\nthe page shows\n%s", s.command, got, s.output)
			}
		}
	}
	if commands < 2 {
		t.Errorf("the session runs %d v2gdesk commands; the page shows two", commands)
	}
}

// sessionStep is one `$ ` line of a shell session and the lines under it.
type sessionStep struct {
	command string
	output  string // each line ending in a newline; "" when none
}

// sessionSteps splits a shell session (lines starting with "$ " and what
// follows each) into its steps; lines before the first command are not
// part of any.
func sessionSteps(block string) []sessionStep {
	var steps []sessionStep
	for _, line := range strings.SplitAfter(block, "\n") {
		if cmd, ok := strings.CutPrefix(line, "$ "); ok {
			steps = append(steps, sessionStep{command: strings.TrimSpace(cmd)})
			continue
		}
		if len(steps) > 0 && line != "" {
			steps[len(steps)-1].output += line
		}
	}
	return steps
}
