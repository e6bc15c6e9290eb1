//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestCreateRefusesSpecialFiles: an output path that is a pipe (or a device
// such as /dev/null) is refused before anything is written, and left as it
// was; renaming the finished output over it replaced /dev/null with a
// regular file when `v2gdesk solve --out /dev/null` ran as root.
func TestCreateRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(fifo, Options{})
	if err == nil {
		f.Abort()
		t.Fatal("a pipe was accepted as an output")
	}
	if want := fifo + " is not a regular file but a pipe"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want it to contain %q", err, want)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe became %v (%v)", fi.Mode(), err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the directory holds %d entries, want only the pipe", len(ents))
	}
	if _, err := Create("/dev/null", Options{}); err == nil || !strings.Contains(err.Error(), "/dev/null is not a regular file but a device") {
		t.Errorf("/dev/null: %v", err)
	}
}
