//go:build unix

package adapters_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestJournalRefusesSpecialFiles: a journal path that is not a regular file
// is refused at once. /dev/null swallowed every record, /dev/full and
// /dev/zero made the scan spin for ever (deaf to SIGINT), and a FIFO
// blocked for ever. /dev/null comes first: it fails fast without the fix.
func TestJournalRefusesSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{os.DevNull, "/dev/full", "/dev/zero", fifo, t.TempDir()} {
		if _, err := os.Stat(path); err != nil {
			t.Logf("%s: %v; skipped", path, err)
			continue
		}
		j, _, err := adapters.OpenJournal(path)
		if err == nil {
			j.Close()
			t.Fatalf("OpenJournal(%s) succeeded", path)
		}
		if !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("OpenJournal(%s): %v, want it to say not a regular file", path, err)
		}
		if _, err := adapters.ReadJournal(path, func(adapters.Record) error { return nil }); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("ReadJournal(%s): %v, want not a regular file", path, err)
		}
	}
}
