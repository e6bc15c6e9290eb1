package replay

import (
	"fmt"
	"time"
)

// The clock's errors carry their figures so a screen can word them in its
// operator's language; Error is the English the log and the tests read.

// SpeedError is a speed outside MinSpeed..MaxSpeed; it is ErrSpeed.
type SpeedError struct {
	Speed float64 // the speed asked for
}

// Error is the English the log and the journal keep.
func (e *SpeedError) Error() string {
	return fmt.Sprintf("%v: %v (allowed %v..%v)", ErrSpeed, e.Speed, MinSpeed, MaxSpeed)
}

// Unwrap makes a SpeedError ErrSpeed.
func (e *SpeedError) Unwrap() error { return ErrSpeed }

// SeekRangeError is a seek outside the recording; it is ErrSeekRange.
// From and To are the recording's first and last frame, Loc its time zone;
// To is zero while the recording is still being read (its end is not known,
// and the span reads "2024-02-04 16:00..").
type SeekRangeError struct {
	From, To time.Time
	Loc      *time.Location
}

// Error is the English the log and the journal keep.
func (e *SeekRangeError) Error() string {
	// The caller names the target; the span is what the operator lacks,
	// and it must fit the dashboard's footer at 80 columns.
	return fmt.Sprintf("%v (%s)", ErrSeekRange, e.Span())
}

// Span is the recording's span as its time zone reads it, dates and times
// only (no words): "2024-02-04 16:02..16:04", or "2024-02-04 16:02.." while
// its end is not known.
func (e *SeekRangeError) Span() string { return span(e.From, e.To, e.Loc) }

// Unwrap makes a SeekRangeError ErrSeekRange.
func (e *SeekRangeError) Unwrap() error { return ErrSeekRange }

// EndedError is a seek after the player's Run returned at the end of the
// recording; it is ErrEnded. At is the recording's end in its time zone.
type EndedError struct {
	At time.Time
}

// Error is the English the log and the journal keep.
func (e *EndedError) Error() string {
	return fmt.Sprintf("%v at %s", ErrEnded, e.At.Format("2006-01-02 15:04:05"))
}

// Unwrap makes an EndedError ErrEnded.
func (e *EndedError) Unwrap() error { return ErrEnded }
