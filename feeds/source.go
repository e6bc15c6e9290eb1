package feeds

import (
	"context"
	"time"
)

// Source is any origin of telemetry: the websocket Subscriber, a replay
// player, the in-process simulator. A dashboard is handed a Source and cannot
// tell a live feed from a replay except by the Mode it is told to show.
type Source interface {
	// Run delivers frames to sink until ctx is done or the source is
	// exhausted. It returns ctx.Err() when cancelled, nil at a clean end.
	Run(ctx context.Context, sink Sink) error
}

// Sink receives what a Source produces. Fleet implements it.
type Sink interface {
	// HandleFrame takes one raw protocol frame: one websocket message, or the
	// frame of one recorded line. It must not retain raw after returning.
	HandleFrame(raw []byte)
	// HandleLink reports a change in the source's connection.
	HandleLink(LinkEvent)
}

// LinkEvent is a change in a source's connection.
type LinkEvent struct {
	Up  bool      // true once connected (before the hello arrives)
	At  time.Time // when it happened, by the source's clock
	Err error     // why the link went down; nil when Up or at a clean end
	// Reset tells the sink to forget every value and its history before the
	// next frame: a replay that seeks backwards sends it, because its frames
	// would otherwise be ignored as older than what the sink holds.
	Reset bool
	// End, on a link going down, says the source has ended: a simulated day
	// or a recording has nothing more to send. It is not a failure, and a
	// desk says so rather than raising "feed link down".
	End bool
}

// Mode is what the dashboard shows in its mode badge.
type Mode string

// The modes a desk can run in. Only a websocket feed from real equipment is
// ModeLive; the demo day never is.
const (
	ModeLive       Mode = "LIVE"
	ModeReplay     Mode = "REPLAY"
	ModeSimulation Mode = "SIMULATION"
)

// ownClock reports whether a feed in mode m stamps its frames with a clock
// of its own, not the wall clock: a simulation or a replay.
func (m Mode) ownClock() bool { return m == ModeSimulation || m == ModeReplay }

// ModeOf is the Mode for a hello's "mode" field: "live", "replay" or
// "simulation"; "" for anything else (the field is optional).
func ModeOf(hello string) Mode {
	switch hello {
	case "live":
		return ModeLive
	case "replay":
		return ModeReplay
	case "simulation":
		return ModeSimulation
	}
	return ""
}
