package control

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// A suggestion says what its forecast rested on: a desk on a feed, with
// no history of yesterday, carries the base load now flat (feeder 122 kW
// less its two chargers' 22 kW), and a forecaster that does not say leaves
// the basis unknown. The same minute on two desks gave two caps, 1,480 and
// 1,586 kW for F10 at 19:02, for that reason alone.
func TestSuggestionSaysItsForecastBasis(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	c, err := New(Options{Fleet: suggestSite(t, "A", "B"), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Suggest(context.Background(), "F")
	if err != nil {
		t.Fatal(err)
	}
	if want := (plan.ForecastBasis{Kind: plan.ForecastFlat, NowKW: 100}); s.Basis != want {
		t.Errorf("history forecast without yesterday: basis %+v, want %+v", s.Basis, want)
	}
	flat := plan.FuncForecaster(func(_ string, _ time.Time, _ time.Duration, n int) []float64 { return make([]float64, n) })
	c, err = New(Options{Fleet: suggestSite(t, "A", "B"), Logger: quiet,
		Forecast: func(*feeds.Snapshot) plan.Forecaster { return flat }})
	if err != nil {
		t.Fatal(err)
	}
	if s, err = c.Suggest(context.Background(), "F"); err != nil {
		t.Fatal(err)
	}
	if s.Basis.Kind != plan.ForecastUnknown {
		t.Errorf("a forecaster that does not say: basis %+v, want ForecastUnknown", s.Basis)
	}
}
