package adapters_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// fullDisk is a writer on a disk with room bytes left: it writes what fits
// and then fails as write(2) does on a full disk.
type fullDisk struct {
	w    io.Writer
	room int
}

func (d *fullDisk) Write(b []byte) (int, error) {
	if len(b) <= d.room {
		d.room -= len(b)
		return d.w.Write(b)
	}
	n, _ := d.w.Write(b[:d.room])
	d.room -= n
	return n, syscall.ENOSPC
}

// TestArchiveJournalFullDiskRemovesTheArchive: when the archive fits but
// the journal's rewrite does not (a full disk), the archive was left beside
// the whole journal, every moved record in both files, for the operator to
// find and remove by hand before trying again. Now the journal is as it
// was, the archive is removed, and the error says so and names the disk
// full.
func TestArchiveJournalFullDiskRemovesTheArchive(t *testing.T) {
	dir := t.TempDir()
	path, arch := filepath.Join(dir, "audit.jsonl"), filepath.Join(dir, "audit-old.jsonl")
	orig := day3(t, path)
	wrap := func(p string, w io.Writer) io.Writer {
		if p == path {
			return &fullDisk{w: w, room: 40}
		}
		return w
	}
	_, err := adapters.ArchiveJournalThrough(path, arch, t0.Add(48*time.Hour), t0.Add(5*24*time.Hour), wrap)
	if !errors.Is(err, syscall.ENOSPC) || !errors.Is(err, adapters.ErrArchive) {
		t.Fatalf("err %v, want an ErrArchive of ENOSPC", err)
	}
	if want := "archive journal: write " + path + ": no space left on device (the journal is as it was and the archive " + arch + " was removed: nothing moved"; !strings.Contains(err.Error(), want) {
		t.Errorf("err %q, want it to say %q", err, want)
	}
	if _, serr := os.Lstat(arch); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("the archive %s is still there (%v)", arch, serr)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, orig) {
		t.Errorf("the journal changed: %d bytes, was %d", len(b), len(orig))
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	// And it can be run again once there is room.
	if _, err := adapters.ArchiveJournal(path, arch, t0.Add(48*time.Hour), t0.Add(5*24*time.Hour)); err != nil {
		t.Errorf("archive again with room: %v", err)
	}
}
