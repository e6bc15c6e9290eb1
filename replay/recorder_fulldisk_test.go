package replay

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// diskFilling is the recording's file on a disk that fills once full is
// set: room more bytes are written, and then each write fails as
// write(2) on a full disk does through an *os.File, naming the file it
// was opened as.
type diskFilling struct {
	f    io.Writer
	full bool
	room int
}

func (d *diskFilling) Write(b []byte) (int, error) {
	if !d.full || len(b) <= d.room {
		if d.full {
			d.room -= len(b)
		}
		return d.f.Write(b)
	}
	n, _ := d.f.Write(b[:d.room])
	d.room -= n
	return n, &fs.PathError{Op: "write", Path: d.f.(*os.File).Name(), Err: syscall.ENOSPC}
}

// TestRecorderOnAFullDiskNamesItsFileAndKeepsWhatWasFlushed: the disk
// fills after a flush. The error named the hidden temporary file the
// recording was created as (".day.v2grec.123.tmp"), which does not exist
// under that name, so `v2gdesk record` sent the operator looking for it.
// It now names the recording; the file keeps the frames flushed before
// the disk filled, which a reader plays, saying where the file was cut.
func TestRecorderOnAFullDiskNamesItsFileAndKeepsWhatWasFlushed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "day.v2grec")
	frames := testFrames(t, 20)
	r := NewRecorder(path, RecorderOptions{Source: "test"})
	disk := &diskFilling{room: 20}
	r.wrap = func(f io.Writer) io.Writer { disk.f = f; return disk }
	const before = 11 // the hello and minutes 0 to 4
	for _, f := range frames[:before] {
		r.HandleFrame(f)
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	disk.full = true
	for _, f := range frames[before:] {
		r.HandleFrame(f)
	}
	err := r.Flush()
	if want := "write " + path + ": no space left on device"; err == nil || err.Error() != want || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("flush on a full disk: %v, want %q", err, want)
	}
	if cerr := r.Close(); cerr == nil || strings.Contains(cerr.Error(), ".tmp") {
		t.Errorf("close: %v, want the write error naming %s", cerr, path)
	}
	rec, err := ReadFile(path)
	if err != nil {
		t.Fatalf("the recording cut by a full disk is refused: %v", err)
	}
	if len(rec.Entries) != before || !rec.Report.Stopped {
		t.Errorf("read %d frames, stopped %v (%s); want the %d flushed and a cut", len(rec.Entries), rec.Report.Stopped, rec.Report, before)
	}
}

// TestRecorderStatsSayWhatTheFileKeeps: Kept and KeptUntil count the frames
// of completed members only, so after a failed write they say what the
// file holds (`v2gdesk record` prints them).
func TestRecorderStatsSayWhatTheFileKeeps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "day.v2grec")
	frames := testFrames(t, 20)
	r := NewRecorder(path, RecorderOptions{Source: "test"})
	disk := &diskFilling{room: 20}
	r.wrap = func(f io.Writer) io.Writer { disk.f = f; return disk }
	for _, f := range frames[:11] {
		r.HandleFrame(f)
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	disk.full = true
	for _, f := range frames[11:] {
		r.HandleFrame(f)
	}
	r.Close()
	st := r.Stats()
	if want := t0.Add(4 * time.Minute); st.Kept != 11 || !st.KeptUntil.Equal(want) {
		t.Errorf("kept %d frames up to %v, want 11 up to %v", st.Kept, st.KeptUntil, want)
	}
	if st.Frames <= st.Kept {
		t.Errorf("frames %d: the ones handed on after the flush are not counted", st.Frames)
	}
}
