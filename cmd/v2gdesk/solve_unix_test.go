//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSolveLeavesDevicesAlone: an output that is not a regular file (a
// pipe here; /dev/null in the audit, run as root) is refused, not replaced
// by a regular file when the finished output is renamed over it.
func TestSolveLeavesDevicesAlone(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--generate", "5", "--out", fifo},
		{"--generate", "5", "--mps", fifo},
	} {
		code, _, stderr := solveCmd(args...)
		if code != 1 || !strings.Contains(stderr, fifo+" is not a regular file but a pipe") {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
		fi, err := os.Lstat(fifo)
		if err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("%q: the pipe became %v (%v)", args, fi.Mode(), err)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the directory holds %d entries, want only the pipe", len(ents))
	}
}
