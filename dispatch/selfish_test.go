package dispatch

import "math"

// selfishBound is the sum over EVs lo..hi-1 of the least each can cost on
// its own, written out on its own as the tests' oracle: a time-limited
// solve gets it as the EVs' part of the dual bound at zero duals (dual.go).
func selfishBound(p *Problem, lo, hi int) float64 {
	dt := p.Hours()
	rc, rg := make([]float64, p.Slots), make([]float64, p.Slots)
	f := pwl{w: make([]float64, 0, 2*p.Slots+2), s: make([]float64, 0, 2*p.Slots+2)}
	sum := 0.0
	for i := lo; i < hi; i++ {
		ev := &p.EVs[i]
		K := ev.Depart - ev.Arrive
		var c, g []float64
		pc, pd := ev.MaxChargeKW, dischargeKW(ev)
		if pc > 0 {
			c = rc[:K]
			for k := range c {
				c[k] = dt * p.Price[ev.Arrive+k]
			}
		}
		if pd > 0 {
			g = rg[:K]
			for k := range g {
				g[k] = dt * (p.DegradationCost - p.Price[ev.Arrive+k])
			}
		}
		// The unmet and surplus boxes are the LP's (lp.go): wide enough
		// for any SoC in [min, capacity].
		sum += evMin(&f, c, g, dt*ev.ChargeEfficiency, dt/ev.DischargeEfficiency, pc, pd,
			ev.EnergyKWh, ev.MinKWh, ev.CapacityKWh, K, ev.TargetKWh,
			p.UnmetPenalty, math.Max(0, ev.TargetKWh-ev.MinKWh)+1, 0, math.Max(0, ev.CapacityKWh-ev.TargetKWh)+1)
	}
	return sum
}
