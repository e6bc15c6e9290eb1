package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A write that fails (a full disk, here a closed file) is reported against
// the file the user named, once, and nothing is left behind: neither the
// temporary file nor a clobbered destination.
func TestPendingFileWriteErrorNamesTheDestination(t *testing.T) {
	dir := t.TempDir()
	dst := filepath.Join(dir, "out.json")
	if err := os.WriteFile(dst, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := createPending(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer p.abort()
	p.tmp.Close() // every write now fails, as on a full disk
	werr := writeJSON(p, map[string]int{"a": 1})
	if werr == nil {
		t.Fatal("write to a closed file succeeded")
	}
	msg := p.explain(werr).Error()
	if want := "write " + dst + ": "; !strings.HasPrefix(msg, want) || strings.Count(msg, dst) != 1 || strings.Contains(msg, ".tmp") {
		t.Errorf("message %q: want it to start %q, name %s once and not the temporary file", msg, want, dst)
	}
	p.abort()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left in the directory: %v", entries)
	}
	if b, _ := os.ReadFile(dst); string(b) != "old\n" {
		t.Errorf("destination now %q", b)
	}
}
