package dispatch

import "math"

// The greedy schedule and the selfish bound are what a time-limited solve
// holds from its start (limit.go), before the interior point has taken a
// step: a feasible schedule made without the LP, priced exactly, and a
// valid lower bound. They cost one greedy pass and one pass of small
// dynamic programmes, run side by side on the team.
//
// The schedule is the top-up (topup.go) of the all-idle schedule: every
// EV charges in the cheapest slots of its stay, each feeder's requests
// scaled to its headroom. Idle keeps every SoC at its initial value, which
// validation puts within [min, capacity], and the top-up only adds charge
// within each EV's power and capacity, so every hard bound holds.
//
// The bound relaxes the coupling rows with zero duals: every EV minimises
// its own energy, degradation and unmet cost over its SoC chain (evMin, as
// in the chain bound), with no feeder, system or cap penalty (each is at
// least zero) and without its wear budget (dropping a constraint can only
// lower a minimum). No schedule costs less than the sum.

// greedy tops up the all-idle schedule and prices it in full.
func greedy(p *Problem, u *toppingUp, s *schedule) *Result {
	return evaluate(p, idleTopUp(p, u, s))
}

// idleTopUp returns the top-up of the all-idle schedule, in s when it is
// not nil (cleared first), with u's scratch when u is not nil.
func idleTopUp(p *Problem, u *toppingUp, s *schedule) schedule {
	if u == nil {
		u = newToppingUp(p)
	}
	var sc schedule
	if s != nil {
		sc = *s
		for i := range sc.charge {
			clear(sc.charge[i])
			clear(sc.discharge[i])
		}
	} else {
		sc = newSchedule(p)
	}
	u.apply(sc)
	return sc
}

// selfishBoundBeside is selfishBound over every EV, in items of EVs on
// t, with alongside run as one more item beside them.
func selfishBoundBeside(p *Problem, t *team, alongside func()) float64 {
	const perItem = 256 // EVs per item of the bound
	items := (len(p.EVs) + perItem - 1) / perItem
	part := make([]float64, items)
	parallel(items+1, t, func(item int) {
		if item == 0 {
			alongside()
			return
		}
		lo := (item - 1) * perItem
		part[item-1] = selfishBound(p, lo, min(len(p.EVs), lo+perItem))
	})
	lb := 0.0
	for _, v := range part {
		lb += v
	}
	return lb
}

// selfishBound is the sum over EVs lo..hi-1 of the least each can cost on
// its own: the greedy schedule's lower bound.
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
