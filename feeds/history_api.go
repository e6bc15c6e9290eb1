package feeds

import (
	"math"
	"time"
)

// History is an immutable view of a load series at one-minute resolution:
// point i is the mean kW over the minute starting Start()+i minutes. Minutes
// without data are NaN.
//
// A History shares its memory with other snapshots' histories: it is a list
// of immutable 64-minute blocks, so taking one costs a few pointers and
// only the blocks that changed are rebuilt (history.go).
type History struct {
	start  time.Time
	first  int64        // minute number (Unix minutes) of point 0
	n      int          // points held
	blocks []*histBlock // blocks[k] holds block floorDiv(first, histBlockLen)+k; nil: no data
}

// Start returns the start of the first minute held.
func (h History) Start() time.Time { return h.start }

// Len returns the number of minutes held.
func (h History) Len() int { return h.n }

// At returns the mean kW of minute i, or NaN when there was no data.
func (h History) At(i int) float64 {
	if i < 0 || i >= h.n {
		return math.NaN()
	}
	m := h.first + int64(i)
	b := h.blocks[floorDiv(m, histBlockLen)-floorDiv(h.first, histBlockLen)]
	if b == nil {
		return math.NaN()
	}
	return b[floorMod(m, histBlockLen)]
}

// Range returns one value per minute from from (inclusive) to to (exclusive),
// NaN where there is no data.
func (h History) Range(from, to time.Time) []float64 {
	n := int(to.Sub(from) / time.Minute)
	if n <= 0 {
		return nil
	}
	out := make([]float64, n)
	off := int(from.Sub(h.start) / time.Minute)
	for i := range out {
		out[i] = h.At(off + i)
	}
	return out
}
