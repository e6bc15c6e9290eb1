package main

import (
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

// scenarioForecaster forecasts base load from a scenario's own curves: in a
// simulation the planner may know the day it re-enacts, as a utility's load
// forecast would. Feeders the scenario does not know forecast zero.
func scenarioForecaster(sc *scenario.Scenario) plan.Forecaster {
	idx := make(map[string]int, len(sc.Feeders))
	for i, f := range sc.Feeders {
		idx[f.ID] = i
	}
	return plan.FuncForecaster(func(feeder string, start time.Time, slot time.Duration, n int) []float64 {
		out := make([]float64, n)
		f, ok := idx[feeder]
		if !ok {
			return out
		}
		for t := range out {
			// The mean of the slot's minutes.
			from := start.Add(time.Duration(t) * slot)
			var sum float64
			m := int(slot / time.Minute)
			for k := 0; k < m; k++ {
				sum += sc.BaseAt(f, from.Add(time.Duration(k)*time.Minute+30*time.Second))
			}
			out[t] = sum / float64(max(m, 1))
		}
		return out
	})
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
