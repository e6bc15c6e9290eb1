package plan

import (
	"math"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// Forecaster predicts a feeder's base load: its load without the EV chargers
// the plan controls. BaseKW returns one mean kW per slot for n slots from
// start.
type Forecaster interface {
	BaseKW(feeder string, start time.Time, slot time.Duration, n int) []float64
}

// HistoryForecaster forecasts base load from a snapshot: the base load now
// (feeder load minus the power of its chargers) carried forward along the
// shape of the feeder's own load 24 hours earlier, when the history holds it.
// Without yesterday's history the forecast is flat at the base load now.
type HistoryForecaster struct {
	Snap *feeds.Snapshot
}

// BaseKW implements Forecaster.
func (h HistoryForecaster) BaseKW(feeder string, start time.Time, slot time.Duration, n int) []float64 {
	out := make([]float64, n)
	f, now, ref, ok := h.baseNow(feeder, start, slot)
	if !ok {
		return out
	}
	yesterday := start.Add(-24 * time.Hour)
	for t := range out {
		out[t] = now
		if ref > 0 {
			v := meanOver(f.History, yesterday.Add(time.Duration(t)*slot), slot)
			if !math.IsNaN(v) {
				out[t] = now * v / ref
			}
		}
	}
	return out
}

// baseNow is what BaseKW and Basis rest on: feeder's state, its base load
// now (its load less its chargers', not below zero) and the mean of its load
// over the slot 24 hours before start (yesterday's reference: NaN or 0 when
// the history does not hold it); false when the snapshot has no such
// feeder.
func (h HistoryForecaster) baseNow(feeder string, start time.Time, slot time.Duration) (f feeds.FeederState, now, ref float64, ok bool) {
	f, ok = h.Snap.Feeder(feeder)
	if !ok {
		return f, 0, 0, false
	}
	now = max(f.KW-chargerKW(h.Snap, feeder), 0)
	ref = meanOver(f.History, start.Add(-24*time.Hour), slot)
	return f, now, ref, true
}

// chargerKW sums the latest power of the chargers on a feeder.
func chargerKW(s *feeds.Snapshot, feeder string) float64 {
	var kw float64
	for i := 0; i < s.NumChargers(); i++ {
		c := s.ChargerAt(i)
		if c.Feeder == feeder && c.Seen {
			kw += c.Last.KW
		}
	}
	return kw
}

// meanOver is the mean of the history's minutes in [from, from+d), NaN when
// none of them holds data.
func meanOver(h feeds.History, from time.Time, d time.Duration) float64 {
	var sum float64
	var n int
	for _, v := range h.Range(from, from.Add(d)) {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// FuncForecaster adapts a function to Forecaster, for forecasts that come
// from a scenario.
type FuncForecaster func(feeder string, start time.Time, slot time.Duration, n int) []float64

// BaseKW implements Forecaster.
func (f FuncForecaster) BaseKW(feeder string, start time.Time, slot time.Duration, n int) []float64 {
	return f(feeder, start, slot, n)
}
