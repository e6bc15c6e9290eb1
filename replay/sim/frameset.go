package sim

import (
	"bytes"
	"fmt"
	"math/bits"
	"time"
)

// frameSet is what a client that fell behind is owed of the telemetry
// since: the latest frame of each charger (a newer one replaces the one
// held, which the client then never gets, counted), and every feeder
// frame in order, since a feeder's frames are its load curve, a minute
// each, and a few hundred bytes a step. It is bounded by the fleet: one
// frame per charger, and at most maxSetFeederFrames feeder frames
// (outbox.put seals the set into the queue at that bound).
type frameSet struct {
	chargers [][]byte // the latest frame of each charger held, by index (its storage reused)
	have     []uint64 // which chargers are held, a bit each
	n        int      // chargers held
	feeders  []byte   // the feeder frames held, one after the other
	ends     []int    // where each feeder frame in feeders ends
	newest   time.Time
	lastTS   []byte // the last ts parsed, to parse each step's once
	replaced uint64 // frames this set replaced
}

// maxSetFeederFrames bounds the feeder frames a set holds: a day of
// minutes for 180 feeders, about 16 MB.
const maxSetFeederFrames = 1 << 18

func newFrameSet(chargers int) *frameSet {
	return &frameSet{chargers: make([][]byte, chargers), have: make([]uint64, (chargers+63)/64)}
}

// empty reports whether the set holds nothing.
func (fs *frameSet) empty() bool { return fs.n == 0 && len(fs.ends) == 0 }

// full reports whether the set holds as many feeder frames as it may.
func (fs *frameSet) full() bool { return len(fs.ends) >= maxSetFeederFrames }

// add takes the frames of one telemetry batch, copied: the batch may be
// shared by every client. It returns how many frames held it replaced,
// or an error, having taken none, when a frame's ts is not a time.
func (fs *frameSet) add(frames []telemetryFrame) (replaced uint64, err error) {
	newest, last := fs.newest, fs.lastTS
	for _, f := range frames {
		if bytes.Equal(f.ts, last) {
			continue
		}
		ts, ok := parseTS(f.ts)
		if !ok {
			return 0, fmt.Errorf("sim: conflating: ts %q of a frame is not a time", f.ts)
		}
		if ts.After(newest) {
			newest = ts
		}
		last = f.ts
	}
	fs.newest, fs.lastTS = newest, append(fs.lastTS[:0], last...)
	for _, f := range frames {
		if f.charger < 0 {
			fs.feeders = append(fs.feeders, f.raw...)
			fs.ends = append(fs.ends, len(fs.feeders))
			continue
		}
		i := int(f.charger)
		word, bit := i/64, uint64(1)<<(i%64)
		if fs.have[word]&bit != 0 {
			replaced++
		} else {
			fs.have[word] |= bit
			fs.n++
		}
		fs.chargers[i] = append(fs.chargers[i][:0], f.raw...)
	}
	fs.replaced += replaced
	return replaced, nil
}

// encode returns the set as messages, number set on its connection: a
// begin signal, the feeder frames in order and then the chargers' by
// index, in batches, and an end signal (docs/protocol.md, Conflated). It
// then empties the set, keeping its storage.
func (fs *frameSet) encode(set uint64) [][]byte {
	begin, end := conflatedSignals(set, fs.newest, fs.replaced)
	var b batcher
	b.out = append(b.out, begin)
	start := 0
	for _, e := range fs.ends {
		b.add(fs.feeders[start:e])
		start = e
	}
	for w, word := range fs.have {
		for word != 0 {
			i := w*64 + bits.TrailingZeros64(word)
			word &= word - 1
			b.add(fs.chargers[i])
		}
	}
	b.close()
	out := append(b.out, end)
	clear(fs.have)
	fs.n, fs.feeders, fs.ends = 0, fs.feeders[:0], fs.ends[:0]
	fs.newest, fs.replaced = time.Time{}, 0
	return out
}

// conflatedSignals returns the two messages that bracket conflated set
// number set (docs/protocol.md, Conflated): its frames are stamped at or
// before to, and replaced frames were left out for newer ones.
func conflatedSignals(set uint64, to time.Time, replaced uint64) (begin, end []byte) {
	const head = conflatedHead + `{"set":%d,"to":"%s","replaced":%d`
	at := to.Format(time.RFC3339Nano)
	return fmt.Appendf(nil, head+`}}`, set, at, replaced), fmt.Appendf(nil, head+`,"done":true}}`, set, at, replaced)
}

// conflatedHead starts every conflated signal the Server sends.
const conflatedHead = `{"v":1,"type":"batch","frames":[],"conflated":`
