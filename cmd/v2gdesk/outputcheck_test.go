package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// fullWriter fails every write as /dev/full does.
type fullWriter struct{}

func (fullWriter) Write(p []byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
}

// TestOutputLostIsNotSuccess: a command whose stdout or stderr could not
// be written does not exit 0. `setpoint > /dev/full` exited 0 with its
// result line lost; so did version, help, --help on a full stderr,
// `record` and `replay --headless`.
func TestOutputLostIsNotSuccess(t *testing.T) {
	cfg, journal := writeConfig(t, ackServer(t))
	const lost = "could not write its output to stdout: write /dev/stdout: no space left on device: what it printed there is lost"
	tests := []struct {
		name       string
		args       []string
		failStdout bool // else stderr fails
		code       int
		stderr     string // on the working stderr; "" when stderr is the broken one
	}{
		{"setpoint", []string{"setpoint", "--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "15m", "--id", "full1"}, true, 1, "v2gdesk setpoint: " + lost},
		{"version", []string{"version"}, true, 1, "v2gdesk version: " + lost},
		{"help", []string{"help"}, true, 1, "v2gdesk help: " + lost},
		{"the dashboard's --help", []string{"--help"}, true, 1, "v2gdesk: " + lost},
		// A command's --help is its output, on stdout, as the dashboard's is.
		{"status --help", []string{"status", "--help"}, true, 1, "v2gdesk status: " + lost},
		// A usage error keeps its code: the command line was still wrong.
		{"usage error on a full stderr", []string{"status", "--nope"}, false, exitUsage, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var good bytes.Buffer
			var code int
			if tt.failStdout {
				code = runChecked(context.Background(), tt.args, fullWriter{}, &good)
			} else {
				code = runChecked(context.Background(), tt.args, &good, fullWriter{})
			}
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nworking stream: %s", code, tt.code, good.String())
			}
			if tt.failStdout && !strings.Contains(good.String(), tt.stderr) {
				t.Errorf("stderr %q does not contain %q", good.String(), tt.stderr)
			}
		})
	}
	// The setpoint was carried out and journalled all the same: only its
	// report was lost, which the message and the exit code say.
	found := false
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error {
		found = found || r.Setpoint == "full1"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Errorf("the journal %s has no record of full1", journal)
	}
}

// TestOutputLostToldOnce: a command that stops at a failed stdout and says
// so (audit) is not told about twice.
func TestOutputLostToldOnce(t *testing.T) {
	cfg, journal := writeConfig(t, ackServer(t))
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "15m", "--id", "once1"}, &out, &errb); code != 0 {
		t.Fatalf("setpoint: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	code := runChecked(context.Background(), []string{"audit", "--journal", journal}, fullWriter{}, &errb)
	if code != 1 {
		t.Fatalf("audit to a full stdout: exit %d, want 1; stderr: %s", code, errb.String())
	}
	if n := strings.Count(errb.String(), "no space left on device"); n != 1 {
		t.Errorf("stderr names the failure %d times, want once:\n%s", n, errb.String())
	}
}

// TestOutputCheckedPassesThrough: with working streams runChecked is run.
func TestOutputCheckedPassesThrough(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runChecked(context.Background(), []string{"version"}, &out, &errb); code != 0 || out.String() != "v2gdesk dev\n" || errb.Len() != 0 {
		t.Fatalf("version: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	var w checkedWriter
	w.w = fullWriter{}
	if _, err := w.Write([]byte("x")); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Write = %v, want ENOSPC passed on", err)
	}
}

// TestFileOfSeesThroughTheCheck: the checked stdout and stderr are still
// the files under them to the code that asks whether they are a terminal.
// Wrapped, the audit table stopped fitting the terminal (its test runs
// through runChecked) and the dashboard would have logged onto the screen
// it draws.
func TestFileOfSeesThroughTheCheck(t *testing.T) {
	f, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, ok := fileOf(&checkedWriter{w: f}); !ok || got != f {
		t.Errorf("fileOf(checked file) = %v, %v; want the file", got, ok)
	}
	if _, ok := fileOf(&checkedWriter{w: &bytes.Buffer{}}); ok {
		t.Error("fileOf(checked buffer) found a file")
	}
}
