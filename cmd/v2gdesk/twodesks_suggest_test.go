package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// TestTwoDesksSuggestForTheirForecasts: the demo desk in process and a
// --feed desk on `v2gdesk sim` suggested 1,480 and 1,586 kW for F10 at 19:02
// of the demo day. Given the very same fleet (the demo day simulated from
// 00:00 to 19:02, no setpoints), the two controllers still suggest those
// two caps: the data and the clock are the same, the forecast is not. The
// in-process desk forecasts F10's base load from the scenario's curve
// (newDispatch with the scenario), the feed desk has no scenario and
// carries the base load now flat (no history of yesterday in a one-day
// run). Each suggestion says which, for the triage page to show.
func TestTwoDesksSuggestForTheirForecasts(t *testing.T) {
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := sim.New(sc, sim.Options{Start: sc.Start(), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	fl := feeds.NewFleet(feeds.FleetOptions{Clock: s.Now})
	fl.HandleFrame(s.Hello())
	for _, b := range s.StateFrames() {
		fl.HandleFrame(b)
	}
	at := sc.Start().Add(19*time.Hour + 2*time.Minute)
	for s.Now().Before(at) {
		for _, b := range s.Step(sim.DefaultStep) {
			fl.HandleFrame(b)
		}
	}
	cases := []struct {
		desk  string
		sc    bool
		capKW float64
		basis plan.ForecastKind
	}{
		{"in-process demo desk", true, 1480, plan.ForecastCurve},
		{"--feed desk", false, 1586, plan.ForecastFlat},
	}
	for _, tc := range cases {
		ctlSc := sc
		if !tc.sc {
			ctlSc = nil
		}
		ctl, err := newDispatch(fl, nil, nil, nil, ctlSc, quiet)
		if err != nil {
			t.Fatal(err)
		}
		sg, err := ctl.Suggest(context.Background(), "F10")
		if err != nil {
			t.Fatalf("%s: %v", tc.desk, err)
		}
		t.Logf("%s: %s (%.0f kW, floor %.1f kW, basis %+v)", tc.desk, sg, sg.Event.KW, sg.FloorKW, sg.Basis)
		if sg.Event.KW != tc.capKW {
			t.Errorf("%s: F10 at 19:02 suggested %.0f kW, want %.0f", tc.desk, sg.Event.KW, tc.capKW)
		}
		if sg.Basis.Kind != tc.basis {
			t.Errorf("%s: forecast basis %+v, want kind %d", tc.desk, sg.Basis, tc.basis)
		}
	}
}
