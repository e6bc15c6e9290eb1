package plan

import (
	"testing"
	"time"
)

// The basis says what BaseKW carried forward: the base load now (feeder
// load less its chargers), flat without yesterday's history.
func TestHistoryForecasterBasis(t *testing.T) {
	snap := site(t)
	got := BasisOf(HistoryForecaster{Snap: snap}, "F1", now, 15*time.Minute)
	if want := (ForecastBasis{Kind: ForecastFlat, NowKW: 80}); got != want {
		t.Errorf("F1 without yesterday's history: basis %+v, want %+v", got, want)
	}
	if got := BasisOf(HistoryForecaster{Snap: snap}, "F9", now, 15*time.Minute); got.Kind != ForecastUnknown {
		t.Errorf("a feeder not in the snapshot: basis %+v, want ForecastUnknown", got)
	}
}

// A feeder whose load 24 hours before the slot is in the history is
// forecast along it, and says so.
func TestHistoryForecasterBasisYesterday(t *testing.T) {
	ts := now.Format(time.RFC3339)
	snap := fleetOf(t,
		`{"v":1,"type":"hello","site":"Test","tz":"Asia/Shanghai","ts":"`+ts+`","feeders":[{"id":"F1","import_limit_kw":150}],"chargers":[]}`,
		`{"v":1,"type":"feeder","id":"F1","ts":"`+now.Add(-24*time.Hour).Format(time.RFC3339)+`","kw":120}`,
		`{"v":1,"type":"feeder","id":"F1","ts":"`+ts+`","kw":90}`,
	)
	got := BasisOf(HistoryForecaster{Snap: snap}, "F1", now, 15*time.Minute)
	if want := (ForecastBasis{Kind: ForecastYesterday, NowKW: 90}); got != want {
		t.Errorf("F1 with yesterday's history: basis %+v, want %+v", got, want)
	}
}

// A forecaster that does not say has an unknown basis.
func TestBasisOfFuncForecaster(t *testing.T) {
	f := FuncForecaster(func(string, time.Time, time.Duration, int) []float64 { return nil })
	if got := BasisOf(f, "F1", now, 15*time.Minute); got != (ForecastBasis{}) {
		t.Errorf("FuncForecaster basis %+v, want the zero ForecastBasis", got)
	}
}
