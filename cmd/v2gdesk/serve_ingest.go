package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
	"github.com/v2gdesk/v2gdesk/replay/sim"
	"github.com/v2gdesk/v2gdesk/tui"
)

// ingest is where the shared desk's telemetry comes from: a live feed or a
// simulated scenario day, and what the dashboards need to know about it.
type ingest struct {
	src        feeds.Source
	what       string           // for the start-up line: "feed ws://..." or "scenario demo at 60x"
	mode       feeds.Mode       // the dashboards' mode badge
	control    any              // the simulator (pause, speed, seek), or nil
	clock      func() time.Time // the fleet clock; nil: wall time
	staleAfter time.Duration    // alarm on a silent live feed; 0 for a simulation
	tou        []tui.TOUBand    // the scenario's time-of-use bands
}

// openIngest builds the source the command line asks for.
func openIngest(o serveOptions, log *slog.Logger) (ingest, error) {
	if o.feed != "" {
		return ingest{
			src:        feeds.NewSubscriber(o.feed, feeds.SubscriberOptions{Logger: log}),
			what:       "feed " + o.feed,
			mode:       feeds.ModeLive,
			staleAfter: time.Minute,
		}, nil
	}
	sc, err := loadScenario(o.scenario)
	if err != nil {
		return ingest{}, fmt.Errorf("--scenario %s: %w", o.scenario, err)
	}
	at := sc.Start()
	if o.start != "" {
		if at, err = clockOn(sc.Start(), o.start); err != nil {
			return ingest{}, fmt.Errorf("--start: %w", err)
		}
	}
	s, err := sim.New(sc, sim.Options{Start: at, Speed: o.speed, Logger: log})
	if err != nil {
		return ingest{}, fmt.Errorf("--scenario %s: %w", o.scenario, err)
	}
	// The simulator is the shared world: a dispatcher who pauses or speeds
	// it up does so for every operator (viewers cannot).
	return ingest{
		src:     s,
		what:    fmt.Sprintf("scenario %s at %g×", o.scenario, o.speed),
		mode:    feeds.ModeSimulation,
		control: s,
		clock:   s.Now,
		tou:     touBands(sc.Prices),
	}, nil
}

// touBands turns a scenario's HH:MM price bands into the dashboard's bands
// from midnight, splitting a band that wraps midnight in two. Bands with a
// time that does not parse or a name that is not a period are left out:
// Validate has already reported them when the scenario was read.
func touBands(prices []scenario.PriceBand) []tui.TOUBand {
	var out []tui.TOUBand
	for _, p := range prices {
		from, err1 := scenario.ParseClock(p.From)
		to, err2 := scenario.ParseClock(p.To)
		kind := tui.TOUKind(p.Name)
		if err1 != nil || err2 != nil || (kind != tui.TOUValley && kind != tui.TOUFlat && kind != tui.TOUPeak) {
			continue
		}
		f, t := time.Duration(from)*time.Minute, time.Duration(to)*time.Minute
		if from < to {
			out = append(out, tui.TOUBand{From: f, To: t, Kind: kind})
			continue
		}
		out = append(out, tui.TOUBand{From: f, To: 24 * time.Hour, Kind: kind})
		if to > 0 {
			out = append(out, tui.TOUBand{From: 0, To: t, Kind: kind})
		}
	}
	return out
}
