package main

import (
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay"
)

// TestRecordSaysWhatACutRecordingHolds: a recording stopped by a full disk
// ended with the write error alone, leaving the operator to guess whether
// the night's file was lost. The line now says what the file holds and
// that replay plays it.
func TestRecordSaysWhatACutRecordingHolds(t *testing.T) {
	until := time.Date(2024, 1, 17, 18, 9, 0, 0, time.FixedZone("", 8*3600))
	for _, c := range []struct {
		st   replay.RecorderStats
		want string
	}{
		{replay.RecorderStats{}, ""}, // no file made: the error says it all
		{replay.RecorderStats{Flushes: 1, Frames: 3}, "; the recording stopped: the file holds its header and no frame, nothing to replay"},
		{replay.RecorderStats{Flushes: 4, Frames: 9, Kept: 5, KeptUntil: until},
			"; the recording stopped: the file holds 5 frames, up to 2024-01-17T18:09:00+08:00 (its last flush), which `v2gdesk replay` plays, saying where the file was cut"},
	} {
		if got := recordingCut(c.st); got != c.want {
			t.Errorf("recordingCut(%+v) = %q, want %q", c.st, got, c.want)
		}
	}
}
