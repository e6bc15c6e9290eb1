package replay

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters/atomicfile"
)

// TestRecorderDoesNotOverwriteAFileMadeWhileWaiting: `v2gdesk record`
// checks at start that --out does not exist, then waits for the feed's
// first frame, maybe for minutes. A file made at that path meanwhile (a
// second recorder given the same --out) was renamed over with the new
// header, losing that recording. Now the recorder refuses, keeps the file
// as it was, and says so.
func TestRecorderDoesNotOverwriteAFileMadeWhileWaiting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "day.v2grec")
	r := NewRecorder(path, RecorderOptions{Source: "test"})
	other := []byte("another recorder's recording\n")
	if err := os.WriteFile(path, other, 0o644); err != nil {
		t.Fatal(err)
	}
	r.HandleFrame([]byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T16:00:00Z","feeders":[],"chargers":[]}`))
	err := r.Close()
	if !errors.Is(err, atomicfile.ErrExists) {
		t.Errorf("Close: %v, want atomicfile.ErrExists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != string(other) {
		t.Errorf("the file made meanwhile became %d bytes: %q", len(b), b)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".day.v2grec.*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
