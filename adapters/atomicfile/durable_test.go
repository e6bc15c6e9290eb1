package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEveryWayInPlaceSyncsTheDirectory: Commit, CommitNew, Publish and
// PublishNew each fsync the destination's directory once the file is at
// its path (a rename or link not yet on disk can be lost with power, and
// with it a file already reported written), and a failed directory sync is
// an error naming the destination and the cause.
func TestEveryWayInPlaceSyncsTheDirectory(t *testing.T) {
	ways := []struct {
		name string
		put  func(f *File) error
	}{
		{"Commit", (*File).Commit},
		{"CommitNew", (*File).CommitNew},
		{"Publish", func(f *File) error { return closeOpen(f.Publish()) }},
		{"PublishNew", func(f *File) error { return closeOpen(f.PublishNew()) }},
	}
	for _, w := range ways {
		t.Run(w.name, func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "out.json")
			f, err := Create(dst, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var synced []string
			f.syncDir = func(dir string) error {
				// By now the file must be at its path: a sync before the
				// rename would leave the rename itself not durable.
				if _, err := os.Stat(dst); err != nil {
					t.Errorf("directory synced before the file was in place: %v", err)
				}
				synced = append(synced, dir)
				return nil
			}
			if err := w.put(f); err != nil {
				t.Fatal(err)
			}
			if want := []string{filepath.Dir(dst)}; !slices.Equal(synced, want) {
				t.Errorf("synced %q, want %q", synced, want)
			}

			failing := filepath.Join(t.TempDir(), "out.json")
			g, err := Create(failing, Options{})
			if err != nil {
				t.Fatal(err)
			}
			g.syncDir = func(string) error { return errors.New("input/output error") }
			err = w.put(g)
			if want := "write " + failing + ": input/output error"; err == nil || err.Error() != want {
				t.Errorf("with the directory sync failing: %v, want %q", err, want)
			}
		})
	}
}

// closeOpen closes the file Publish or PublishNew returned.
func closeOpen(f *os.File, err error) error {
	if err != nil {
		return err
	}
	return f.Close()
}

// TestSyncDirNamesTheDirectory: the real directory sync works on a
// directory and names one it cannot open.
func TestSyncDirNamesTheDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := syncDir(dir); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "gone")
	err := syncDir(missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "sync directory "+missing+": ") {
		t.Errorf("syncDir(%s) = %v, want it named and ErrNotExist", missing, err)
	}
}

// TestPermOption: the finished file takes Options.Perm (the journal's
// archive keeps the journal's 0640), 0644 when it is zero.
func TestPermOption(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		perm, want fs.FileMode
	}{{0, 0o644}, {0o640, 0o640}, {0o600, 0o600}} {
		dst := filepath.Join(dir, c.want.String())
		f, err := Create(dst, Options{Perm: c.perm})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Commit(); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm() != c.want {
			t.Errorf("Perm %v: the file is %v (%v), want %v", c.perm, fi.Mode(), err, c.want)
		}
	}
}

// TestCommitNewDoesNotReplace: CommitNew puts a new file in place, and
// refuses one made at its path after Create with ErrExists, leaving that
// file as it was and no temporary file.
func TestCommitNewDoesNotReplace(t *testing.T) {
	dir := t.TempDir()
	dst := filepath.Join(dir, "archive.jsonl")
	f, err := Create(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("new\n")); err != nil {
		t.Fatal(err)
	}
	if err := f.CommitNew(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "new\n" {
		t.Errorf("after CommitNew the file reads %q", b)
	}

	g, err := Create(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Abort()
	if _, err := g.Write([]byte("second\n")); err != nil {
		t.Fatal(err)
	}
	err = g.CommitNew()
	if !errors.Is(err, ErrExists) || !strings.HasPrefix(err.Error(), "write "+dst+": ") {
		t.Errorf("CommitNew over an existing file: %v, want ErrExists naming %s", err, dst)
	}
	if b, _ := os.ReadFile(dst); string(b) != "new\n" {
		t.Errorf("the existing file became %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the directory holds %d entries, want only %s", len(ents), dst)
	}
}
