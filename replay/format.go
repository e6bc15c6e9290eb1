package replay

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// FormatName is the "format" of every .v2grec header.
const FormatName = "v2grec"

// FormatVersion is the recording format version this package writes and reads.
const FormatVersion = 1

// MaxLineBytes bounds one recorded line: a frame of up to
// feeds.MaxHelloBytes (a hello, the largest frame there is, which the
// header's topology also holds) plus the line's envelope. Longer lines are
// skipped and counted; a line within it whose frame is over
// feeds.MaxFrameBytes and not a hello is played and rejected as too_large.
const MaxLineBytes = feeds.MaxHelloBytes + 4096

// Errors a caller may branch on. Errors returned by this package wrap them.
var (
	// ErrBadHeader: the first line is missing, not JSON, or not a v2grec header.
	ErrBadHeader = errors.New("not a v2grec recording header")
	// ErrVersion: the header names a format version this package cannot read.
	ErrVersion = errors.New("unsupported v2grec version")
	// ErrNotFile: the path names a directory, not a recording.
	ErrNotFile = errors.New("not a recording file")
	// ErrEmpty: the recording holds no frames.
	ErrEmpty = errors.New("recording holds no frames")
	// ErrSeekRange: a seek outside the recording (or, for the simulator, past the end of its day).
	ErrSeekRange = errors.New("seek target outside the recording")
	// ErrSpeed: a speed outside MinSpeed..MaxSpeed.
	ErrSpeed = errors.New("speed out of range")
	// ErrEnded: a seek after the player's Run has returned at the end of the
	// recording, when nothing would deliver the frames any more.
	ErrEnded = errors.New("the replay has ended")
)

// Header is line 1 of a recording.
type Header struct {
	Format   string    `json:"format"`  // FormatName
	Version  int       `json:"version"` // FormatVersion
	Site     string    `json:"site,omitempty"`
	TimeZone string    `json:"tz,omitempty"` // IANA name, from the feed's hello when known
	Created  time.Time `json:"created"`
	Source   string    `json:"source,omitempty"` // where the frames came from, e.g. the feed URL
	// Topology is the hello the feed sent first, when the recording began
	// with one. The hello is also recorded as a frame (line 2); a Reader
	// plays this copy in that frame's place when the frame went with a gzip
	// member that failed its check (Report.HelloFromHeader).
	Topology *feeds.Hello `json:"topology,omitempty"`
}

// Entry is one recorded frame: line 2 onwards of a recording.
type Entry struct {
	T     time.Time       `json:"t"`     // recording clock (see Recorder)
	Frame json.RawMessage `json:"frame"` // a protocol v1 frame, compact JSON
}

// Location returns the header's time zone, or UTC when it names none or an
// unknown one.
func (h Header) Location() *time.Location {
	if h.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(h.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}
