package adapters

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReplaced: a journal opened just before `v2gdesk archive` renamed a
// new file over its path is found replaced, so openLocked locks the new one.
func TestReplaced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	if err := os.WriteFile(path, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if replaced(f, path) {
		t.Fatal("the file path names is taken for replaced")
	}
	next := filepath.Join(dir, "next")
	if err := os.WriteFile(next, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, path); err != nil {
		t.Fatal(err)
	}
	if !replaced(f, path) {
		t.Fatal("a file renamed over path is not seen")
	}
	g, err := openLocked(path)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if replaced(g, path) {
		t.Error("openLocked returned a file path no longer names")
	}
}
