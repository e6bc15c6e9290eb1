package feeds

import (
	"math"
	"time"
)

// History is an immutable view of a load series at one-minute resolution:
// point i is the mean kW over the minute starting Start()+i minutes. Minutes
// without data are NaN.
type History struct {
	start time.Time
	kw    []float64
}

// Start returns the start of the first minute held.
func (h History) Start() time.Time { return h.start }

// Len returns the number of minutes held.
func (h History) Len() int { return len(h.kw) }

// At returns the mean kW of minute i, or NaN when there was no data.
func (h History) At(i int) float64 {
	if i < 0 || i >= len(h.kw) {
		return math.NaN()
	}
	return h.kw[i]
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
