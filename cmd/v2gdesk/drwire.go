package main

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
	"github.com/v2gdesk/v2gdesk/tui/sshd"
)

// scenarioForecaster forecasts base load from a scenario's own curves: in a
// simulation the planner may know the day it re-enacts, as a utility's load
// forecast would. Feeders the scenario does not know forecast zero.
func scenarioForecaster(sc *scenario.Scenario) plan.Forecaster {
	idx := make(map[string]int, len(sc.Feeders))
	for i, f := range sc.Feeders {
		idx[f.ID] = i
	}
	return scenarioCurves{sc: sc, idx: idx}
}

// scenarioCurves is the forecaster of scenarioForecaster.
type scenarioCurves struct {
	sc  *scenario.Scenario
	idx map[string]int
}

// BaseKW implements plan.Forecaster: the mean of each slot's minutes.
func (c scenarioCurves) BaseKW(feeder string, start time.Time, slot time.Duration, n int) []float64 {
	out := make([]float64, n)
	f, ok := c.idx[feeder]
	if !ok {
		return out
	}
	for t := range out {
		from := start.Add(time.Duration(t) * slot)
		var sum float64
		m := int(slot / time.Minute)
		for k := 0; k < m; k++ {
			sum += c.sc.BaseAt(f, from.Add(time.Duration(k)*time.Minute+30*time.Second))
		}
		out[t] = sum / float64(max(m, 1))
	}
	return out
}

// Basis implements plan.BasisForecaster: the day's own curve, which a desk
// on a feed of the same simulation does not have (it forecasts from the
// load now), so the screen can say why the two plan differently.
func (c scenarioCurves) Basis(feeder string, _ time.Time, _ time.Duration) plan.ForecastBasis {
	if _, ok := c.idx[feeder]; !ok {
		return plan.ForecastBasis{}
	}
	return plan.ForecastBasis{Kind: plan.ForecastCurve}
}

// scenarioTariff is the scenario's time-of-use prices as a planner tariff;
// nil when the scenario has none (the planner's default applies).
func scenarioTariff(sc *scenario.Scenario) *plan.Tariff {
	if len(sc.Prices) == 0 {
		return nil
	}
	t := plan.Tariff{Default: sc.Prices[0].Price}
	for _, p := range sc.Prices {
		from, err1 := scenario.ParseClock(p.From)
		to, err2 := scenario.ParseClock(p.To)
		if err1 != nil || err2 != nil {
			continue
		}
		if to == 0 {
			to = 24 * 60
		}
		if from < to {
			t.Bands = append(t.Bands, plan.Band{Name: p.Name, From: from, To: to, Price: p.Price})
			continue
		}
		// A band over midnight is two bands of the day.
		t.Bands = append(t.Bands, plan.Band{Name: p.Name, From: from, To: 24 * 60, Price: p.Price})
		if to > 0 {
			t.Bands = append(t.Bands, plan.Band{Name: p.Name, From: 0, To: to, Price: p.Price})
		}
	}
	return &t
}

// chargerInfos lists the topology's chargers, for the Guard's bounds.
func chargerInfos(s *feeds.Snapshot) []feeds.ChargerInfo {
	out := make([]feeds.ChargerInfo, s.NumChargers())
	for i := range out {
		out[i] = s.ChargerAt(i).ChargerInfo
	}
	return out
}

// newDispatch makes a desk's DR controller on fleet. Setpoints go through
// guard and records to journal; with a nil guard the desk can plan and
// preview but nothing can be confirmed. claims is the SSH desk's registry
// (nil on a local desk). sc, when the desk simulates a scenario, gives the
// base-load forecast and the tariff; nil forecasts from the fleet's history
// with the default tariff.
func newDispatch(fleet control.SnapshotSource, guard *adapters.Guard, journal *adapters.Journal, claims control.Claimer,
	sc *scenario.Scenario, log *slog.Logger) (*control.Controller, error) {
	o := control.Options{Fleet: fleet, Claims: claims, Logger: log, IDTag: runTag(time.Now())}
	// Typed nils must not become non-nil interfaces.
	if guard != nil {
		o.Sender = guard
	}
	if journal != nil {
		o.Journal = journal
	}
	if sc != nil {
		o.Forecast = func(*feeds.Snapshot) plan.Forecaster { return scenarioForecaster(sc) }
		o.Plan.Tariff = scenarioTariff(sc)
	}
	return control.New(o)
}

// dispatchEvery is how often a desk steps its DR controller. Re-plans are
// due on the quarter hour of fleet time, and a step that finds nothing due
// costs a lock and a cached snapshot; 2 s of wall time was 10 minutes of a
// day sped up to 300×, so plans landed at 19:20, 19:50 and setpoints lapsed
// in between. A quarter second keeps them within about a minute up to 300×.
const dispatchEvery = 250 * time.Millisecond

// runDispatchLoop steps ctl every dispatchEvery until ctx is done.
func runDispatchLoop(ctx context.Context, ctl *control.Controller) {
	t := time.NewTicker(dispatchEvery)
	defer t.Stop()
	_ = ctl.Run(ctx, t.C)
}

// sshClaims adapts the SSH desk's claim registry to the controller: a
// dispatch claims its event and scope for the session that confirmed it,
// so a dispatcher at another session cannot confirm a conflicting one. The
// server releases a session's claims when it ends; the controller still
// refuses an event overlapping one it runs.
func sshClaims(claims func() *sshd.Claims) control.Claimer {
	return control.ClaimFunc(func(by control.Actor, what string, keys ...string) (func(), error) {
		cl, err := claims().Acquire(sshd.Present{ID: by.Session, Operator: sshd.Operator{Name: by.Name}}, what, keys...)
		if err != nil {
			return nil, err
		}
		return cl.Release, nil
	})
}

// runTag is the tag a desk's controller puts in its setpoint ids
// (control.Options.IDTag): the run's start in milliseconds, base 36. A
// simulated or replayed day run again with the same --journal plans at the
// same fleet times, and without it the guard took the new run's setpoints
// for the last run's: it answered them with the old results and never
// sent them.
func runTag(start time.Time) string { return strconv.FormatInt(start.UnixMilli(), 36) }
