package replay

import (
	"errors"
	"testing"
)

// A seek before the start of a recording still being read names the span
// without an end, which is not known yet: it named what was read so far as
// the recording ("outside the recording (2024-02-04 16:00..16:09)" for a
// file running to 16:29), so `replay --start` before a recording's start
// said the recording lasted minutes, or none at all.
func TestSeekBeforeTheStartWhileReadingNamesNoEnd(t *testing.T) {
	frames := testFrames(t, 30) // 16:00 to 16:29
	file, ends := memberFile(t, frames, 20)
	s := openStreamed(t, file, ends[1], 60) // minutes 0-9 read
	err := s.p.CheckSeek(t0.Add(-8 * 60 * 60e9))
	var re *SeekRangeError
	if !errors.As(err, &re) {
		t.Fatalf("CheckSeek before the start = %v, want a SeekRangeError", err)
	}
	if got, want := err.Error(), "seek target outside the recording (2024-02-04 16:00..)"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}
