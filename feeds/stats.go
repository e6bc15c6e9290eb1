package feeds

import (
	"maps"
	"time"
)

// RateWindow is how far back FeedStats.FramesPerSec and BytesPerSec look:
// a snapshot older than that, of a feed that has gone quiet (a paused
// replay publishes no new one), overstates the rate now.
const RateWindow = 5 * time.Second

// feedCounters is the live form of FeedStats, guarded by the Fleet's lock.
type feedCounters struct {
	frames, bytes, ignored, reconnects uint64
	resets                             uint64        // times every value was forgotten (Fleet.resetLocked)
	resetTo                            time.Time     // data time of the first message after the latest reset
	helloRepeats                       uint64        // hellos taken as the one held (Fleet.repeatHello)
	restarts                           uint64        // restart signals of a simulated feed (Batch.Restart)
	lastRestart                        RestartSignal // the latest of them
	rejects                            map[RejectReason]uint64
	connected, everUp                  bool
	ended                              bool      // LinkEvent.End: the source has nothing more to send
	endedAt                            time.Time // the source's clock when it ended
	lastErr, lastReject                string
	lastFrame                          time.Time
	first                              time.Time // wall time of the first message
	buckets                            [rateBuckets]rateBucket
}

const rateBuckets = int(RateWindow / time.Second)

// rateBucket counts one wall-clock second.
type rateBucket struct {
	sec           int64
	frames, bytes uint64
}

func (c *feedCounters) bucket(wall time.Time) *rateBucket {
	sec := wall.Unix()
	b := &c.buckets[int(sec%int64(rateBuckets))]
	if b.sec != sec {
		*b = rateBucket{sec: sec}
	}
	return b
}

// received counts a message of n bytes.
func (c *feedCounters) received(wall time.Time, n int) {
	c.bytes += uint64(n)
	c.lastFrame = wall
	if c.first.IsZero() {
		c.first = wall
	}
	c.bucket(wall).bytes += uint64(n)
}

// accepted counts an accepted frame.
func (c *feedCounters) accepted(wall time.Time) {
	c.frames++
	c.bucket(wall).frames++
}

func (c *feedCounters) rejected(r RejectReason, detail string) {
	if c.rejects == nil {
		c.rejects = make(map[RejectReason]uint64)
	}
	c.rejects[r]++
	c.lastReject = detail
}

// snapshot returns the counters as FeedStats at wall time now. Rates cover
// the last RateWindow (the current second included), or the time since the
// first message when that is shorter.
func (c *feedCounters) snapshot(now time.Time) FeedStats {
	s := FeedStats{
		Connected: c.connected, Frames: c.frames, Bytes: c.bytes,
		LastFrame: c.lastFrame, Rejects: maps.Clone(c.rejects), Ignored: c.ignored,
		Reconnects: c.reconnects, LastError: c.lastErr, LastReject: c.lastReject,
		Ended: c.ended, EndedAt: c.endedAt, Resets: c.resets, ResetTo: c.resetTo, HelloRepeats: c.helloRepeats,
		Restarts: c.restarts, LastRestart: c.lastRestart,
	}
	if s.Rejects == nil {
		s.Rejects = map[RejectReason]uint64{}
	}
	sec := now.Unix()
	var frames, bytes uint64
	for _, b := range c.buckets {
		if b.sec > sec-int64(rateBuckets) && b.sec <= sec {
			frames += b.frames
			bytes += b.bytes
		}
	}
	windowStart := time.Unix(sec-int64(rateBuckets)+1, 0)
	if c.first.After(windowStart) {
		windowStart = c.first
	}
	if span := now.Sub(windowStart).Seconds(); span > 0.05 {
		s.FramesPerSec = float64(frames) / span
		s.BytesPerSec = float64(bytes) / span
	}
	return s
}
