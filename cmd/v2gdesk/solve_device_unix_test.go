//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSolveRefusesADeviceAsTheProblem: --problem /dev/zero is refused as a
// device before it is read; it was read until memory ran out. A pipe with
// a Problem in it (generate | solve --problem /dev/stdin) is still solved.
func TestSolveRefusesADeviceAsTheProblem(t *testing.T) {
	code, _, stderr := solveCmd("--problem", "/dev/zero")
	if code != 1 || !strings.Contains(stderr, "--problem /dev/zero: a device, not a Problem JSON file") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}

	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	problem := docProblem(t)
	wrote := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			wrote <- err
			return
		}
		_, err = f.WriteString(problem)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		wrote <- err
	}()
	code, stdout, stderr := solveCmd("--problem", fifo)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if code != 0 || !strings.Contains(stdout, "1 EV, 1 feeder, 4 slots of 60 min") {
		t.Errorf("a pipe: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
