package dispatch

import (
	"context"
	"testing"
)

// The long steps of ipm.go give up the textbook method's guarantees, so
// every one of 100 generated instances across the families (5 to 400 EVs,
// 1 to 7 feeders, 24 to 96 slots, with and without V2G, wear caps, DR caps,
// export caps and a system limit) must still reach its certified gap, at
// 1e-4 and at 1e-8, with every hard bound held.
func TestSolveConvergesOnGeneratedFamilies(t *testing.T) {
	for seed := uint64(1); seed <= 100; seed++ {
		g := GenOptions{EVs: 5 + int(seed*37%400), Feeders: 1 + int(seed%7), Slots: []int{24, 48, 96}[seed%3], Seed: seed,
			V2GShare: float64(seed%5) / 4, MinEfficiency: 0.85 + 0.15*float64(seed%3)/2, Tightness: 0.5 + 0.5*float64(seed%4)/3,
			Caps: int(seed % 5), NegativeCaps: int(seed % 2), WearShare: float64(seed%3) / 2, SystemLimit: seed%2 == 0}
		if g.NegativeCaps > g.Caps {
			g.NegativeCaps = g.Caps
		}
		p := Generate(g)
		for _, gap := range []float64{1e-4, 1e-8} {
			r, err := Solve(context.Background(), p, Options{Gap: gap})
			if err != nil {
				t.Fatal(err)
			}
			if r.Gap > gap || (r.Status != StatusOptimal && r.Status != StatusWithinGap) || r.MaxViolation > 1e-9 {
				t.Errorf("seed %d gap %g: status %s gap %g viol %g it %d", seed, gap, r.Status, r.Gap, r.MaxViolation, r.Iterations)
			}
		}
	}
}
