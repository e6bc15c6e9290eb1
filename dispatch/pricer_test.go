package dispatch

import (
	"math"
	"testing"
)

// TestPricerObjective prices a run of different schedules with one pricer,
// on problems with and without caps, export limits and a system limit:
// each objective must be price's to the bit, whatever the pricer priced
// before, as the solver's certifications rely on (their gaps must not move
// for reusing the series).
func TestPricerObjective(t *testing.T) {
	for _, g := range []GenOptions{
		{EVs: 60, Feeders: 3, Slots: 48, Seed: 3, V2GShare: 0.5, Tightness: 0.8, Caps: 2},
		{EVs: 40, Feeders: 5, Slots: 24, Seed: 4, V2GShare: 0.9, MinEfficiency: 0.85, Tightness: 0.95, Caps: 4, NegativeCaps: 2,
			WearShare: 1, SystemLimit: true},
		{EVs: 30, Feeders: 1, Slots: 96, Seed: 5, Tightness: 0.5},
	} {
		p := Generate(g)
		pr := newPricer(p)
		schedules := []schedule{greedy(p, nil, nil).schedule(p)}
		for seed := uint64(1); seed <= 4; seed++ {
			schedules = append(schedules, randomSchedule(p, seed))
		}
		// Twice round, so that each is priced after a different one.
		for round := range 2 {
			for i, s := range schedules {
				got, want := pr.objective(p, s), price(p, s, false).Objective
				if math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("seed %d, round %d, schedule %d: the pricer gives %.17g, price %.17g", g.Seed, round, i, got, want)
				}
			}
		}
	}
}
