package atomicfile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// overOld creates a File over out.json, which holds "old\n" with mode perm
// in a directory of its own.
func overOld(t *testing.T, perm os.FileMode) (string, *File) {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "out.json")
	if err := os.WriteFile(dst, []byte("old\n"), perm); err != nil {
		t.Fatal(err)
	}
	f, err := Create(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return dst, f
}

// A write that fails (a full disk, here a closed file) is reported against
// the file the user named, once, and nothing is left behind: neither the
// temporary file nor a clobbered destination.
func TestWriteErrorNamesTheDestination(t *testing.T) {
	dst, f := overOld(t, 0o644)
	dir := filepath.Dir(dst)
	defer f.Abort()
	f.tmp.Close() // every write now fails, as on a full disk
	werr := json.NewEncoder(f).Encode(map[string]int{"a": 1})
	if werr == nil {
		t.Fatal("write to a closed file succeeded")
	}
	msg := f.Explain(werr).Error()
	if want := "write " + dst + ": "; !strings.HasPrefix(msg, want) || strings.Count(msg, dst) != 1 || strings.Contains(msg, ".tmp") {
		t.Errorf("message %q: want it to start %q, name %s once and not the temporary file", msg, want, dst)
	}
	f.Abort()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left in the directory: %v", entries)
	}
	if b, _ := os.ReadFile(dst); string(b) != "old\n" {
		t.Errorf("destination now %q", b)
	}
}

// Commit replaces the old file with an ordinary (0644) one; Publish puts
// the file in place and leaves it open to grow. Neither leaves a temporary
// file, and a second Commit is an error, not a second rename.
func TestCommitAndPublish(t *testing.T) {
	dst, f := overOld(t, 0o600)
	dir := filepath.Dir(dst)
	if _, err := f.Write([]byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "old\n" {
		t.Errorf("before Commit the destination reads %q, want the old file", b)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
	f.Abort() // after Commit: nothing to remove
	if b, _ := os.ReadFile(dst); string(b) != "new\n" {
		t.Errorf("after Commit the destination reads %q", b)
	}
	if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("destination %v, %v: want mode 0644", fi, err)
	}

	grown := filepath.Join(dir, "grows.log")
	g, err := Create(grown, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Write([]byte("header\n")); err != nil {
		t.Fatal(err)
	}
	open, err := g.Publish()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := open.Write([]byte("more\n")); err != nil {
		t.Fatal(err)
	}
	if err := open.Close(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(grown); string(b) != "header\nmore\n" {
		t.Errorf("published file reads %q", b)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"grows.log", "out.json"}; !slices.Equal(names, want) {
		t.Errorf("the directory holds %q, want %q", names, want)
	}
}

// A path that is a directory, or in one that does not exist, fails at
// Create, before any work.
func TestCreateFindsABadPath(t *testing.T) {
	dir := t.TempDir()
	if _, err := Create(dir, Options{}); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Create(a directory): %v", err)
	}
	missing := filepath.Join(dir, "no", "out.json")
	if _, err := Create(missing, Options{}); err == nil || !strings.HasPrefix(err.Error(), "create "+missing+": ") {
		t.Errorf("Create(%s): %v", missing, err)
	}
}
