package plan

import "time"

// ForecastKind is what a base-load forecast rests on. Two desks that see the
// same feeder at the same minute can plan different caps when their
// forecasts rest on different things (a simulated day's own curve, or only
// the load measured now), so a suggestion says which it used.
type ForecastKind int

// The kinds of forecast basis.
const (
	// ForecastUnknown: the forecaster does not say.
	ForecastUnknown ForecastKind = iota
	// ForecastCurve: a known base-load curve of the day, as a simulated
	// scenario's (a utility's day-ahead forecast, in effect).
	ForecastCurve
	// ForecastYesterday: the base load now, shaped by the feeder's own
	// load 24 hours earlier.
	ForecastYesterday
	// ForecastFlat: the base load now, held flat, for want of the
	// feeder's load 24 hours earlier.
	ForecastFlat
)

// ForecastBasis is what a forecast of one feeder's base load rests on.
type ForecastBasis struct {
	Kind ForecastKind
	// NowKW is the base load now (feeder load less its chargers) that a
	// ForecastYesterday or ForecastFlat forecast carries forward.
	NowKW float64
}

// BasisForecaster is a Forecaster that says what its forecast rests on.
type BasisForecaster interface {
	Forecaster
	// Basis is what the forecast of feeder from start, in slots of slot,
	// rests on.
	Basis(feeder string, start time.Time, slot time.Duration) ForecastBasis
}

// BasisOf is the basis of f's forecast of feeder from start, or
// ForecastUnknown when f does not say.
func BasisOf(f Forecaster, feeder string, start time.Time, slot time.Duration) ForecastBasis {
	if b, ok := f.(BasisForecaster); ok {
		return b.Basis(feeder, start, slot)
	}
	return ForecastBasis{}
}

// Basis implements BasisForecaster: shaped by yesterday when the history
// holds the slot 24 hours before start, as BaseKW does, else flat.
func (h HistoryForecaster) Basis(feeder string, start time.Time, slot time.Duration) ForecastBasis {
	_, now, ref, ok := h.baseNow(feeder, start, slot)
	if !ok {
		return ForecastBasis{}
	}
	if ref > 0 {
		return ForecastBasis{Kind: ForecastYesterday, NowKW: now}
	}
	return ForecastBasis{Kind: ForecastFlat, NowKW: now}
}
