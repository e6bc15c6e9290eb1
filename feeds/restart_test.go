package feeds

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestDecodeRestartSignal: a batch's restart signal (docs/protocol.md,
// Restart) decodes to its time and count; a malformed one rejects its
// batch, naming batch restart and the field.
func TestDecodeRestartSignal(t *testing.T) {
	fr, err := Decode([]byte(`{"v":1,"type":"batch","frames":[],"restart":{"at":"2024-01-17T16:00:00+08:00","dropped":12}}`))
	if err != nil {
		t.Fatal(err)
	}
	r := fr.(*Batch).Restart
	if want := time.Date(2024, 1, 17, 8, 0, 0, 0, time.UTC); r == nil || r.Dropped != 12 || !r.At.Equal(want) {
		t.Fatalf("restart %+v, want 12 dropped at %s", r, want)
	}
	for _, tc := range []struct{ body, reason, part string }{
		{`{"at":"16:00","dropped":1}`, string(RejectBadTime), "at"},
		{`{"dropped":1}`, string(RejectBadTime), "at"},
		{`{"at":"2024-01-17T16:00:00+08:00"}`, "", "dropped"},
		{`{"at":"2024-01-17T16:00:00+08:00","dropped":-1}`, string(RejectOutOfRange), "dropped"},
		{`{"at":"2024-01-17T16:00:00+08:00","dropped":1.5}`, string(RejectOutOfRange), "dropped"},
	} {
		_, err := Decode([]byte(`{"v":1,"type":"batch","frames":[],"restart":` + tc.body + `}`))
		re, ok := errors.AsType[*RejectError](err)
		if !ok || (tc.reason != "" && string(re.Reason) != tc.reason) || !strings.Contains(err.Error(), "batch") || !strings.Contains(err.Error(), tc.part) {
			t.Errorf("restart %s: %v, want a %s reject naming batch and %s", tc.body, err, tc.reason, tc.part)
		}
	}
}
