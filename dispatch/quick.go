package dispatch

import (
	"cmp"
	"math"
	"slices"
)

// The greedy schedule and the selfish bound are what a time-limited solve
// holds from its start (limit.go), before the interior point has taken a
// step: a feasible schedule made without the LP, priced exactly, and a
// valid lower bound. They cost one greedy pass and one pass of small
// dynamic programmes, run side by side on the team.
//
// The schedule (fillIdle) starts from all idle. Bidirectional EVs first
// discharge where the base load is over a limit and that pays even if
// the energy is never recharged (relieve); then every EV that is short,
// least laxity first, charges in the cheapest slots of its stay, as far
// as the room left under its feeder's and the system's lowest limit
// allows. Idle keeps every SoC at its initial value, which validation
// puts within [min, capacity]; the discharge takes at most the energy
// above the minimum and the wear budget, the charge at most what is
// missing to the target (or, after a discharge, to capacity from the
// initial SoC), so every hard bound holds.
//
// The bound relaxes the coupling rows with zero duals: every EV minimises
// its own energy, degradation and unmet cost over its SoC chain (evMin, as
// in the chain bound), with no feeder, system or cap penalty (each is at
// least zero) and without its wear budget (dropping a constraint can only
// lower a minimum). No schedule costs less than the sum. A time-limited
// solve computes it as the start of the dual bound (dual.go), which adds
// each load's least penalty and then prices the loads.

// greedy makes the greedy schedule and prices it in full.
func greedy(p *Problem, u *toppingUp, s *schedule) *Result {
	return evaluate(p, idleTopUp(p, u, s))
}

// idleTopUp returns the greedy schedule (fillIdle), in s when it is not
// nil (cleared first), with u's scratch when u is not nil. It was the
// top-up (apply) of the all-idle schedule, hence the name.
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
	u.fillIdle(sc)
	return sc
}

// fillIdle makes the greedy schedule in s (all zero: idle). First relieve
// discharges bidirectional EVs where the base load is over a limit and
// that pays; then every EV short of its target charges, EV by EV, least
// laxity first, in the cheapest slots of its stay where the price is below
// what the energy would cost as unmet, as far as its power and the room
// left below its feeder's and the system's lowest limit in that slot
// allow, and never in a slot where it discharges.
//
// The proportional top-up (apply) shared each cheap slot's room among all
// EVs present, so EVs with many cheap slots took room that EVs with few
// had no other place for, and left them short. Serving the tightest EVs
// first, each in its own cheapest slots, leaves the flexible ones room
// they can still use. An EV that did not discharge charges at most its
// shortfall from its initial SoC, which validation puts within [min,
// capacity], so its SoC stays within [initial, max(initial, target)]; one
// that did charges at most what fits above its initial SoC, so its peak
// stays below capacity, and relieve kept its lowest SoC above its minimum.
// The charge never takes the load over a limit the base load left room
// under.
func (u *toppingUp) fillIdle(s schedule) {
	p, dt, T := u.p, u.dt, u.p.Slots
	copy(u.head, u.limF)
	copy(u.sysHead, u.limS)
	for f, fd := range p.Feeders {
		for t := 0; t < T; t++ {
			u.head[f*T+t] -= fd.BaseKW[t]
			u.sysHead[t] -= fd.BaseKW[t]
		}
	}
	if cap(u.out) < len(p.EVs) {
		u.out = make([]float64, len(p.EVs))
	}
	out := u.out[:len(p.EVs)]
	clear(out)
	u.relieve(s, out)
	// Laxity: slots of the stay less the slots at full power the
	// shortfall takes. An EV with none left must charge in every slot.
	u.byLaxity = u.byLaxity[:0]
	if cap(u.laxity) < len(p.EVs) {
		u.laxity = make([]float64, len(p.EVs))
	}
	lax := u.laxity[:len(p.EVs)]
	for i := range p.EVs {
		ev := &p.EVs[i]
		need := ev.TargetKWh - ev.EnergyKWh + out[i]
		if need <= 1e-9 || ev.MaxChargeKW <= 0 {
			continue
		}
		lax[i] = float64(ev.Depart-ev.Arrive) - need/(dt*ev.ChargeEfficiency*ev.MaxChargeKW)
		u.byLaxity = append(u.byLaxity, int32(i))
	}
	slices.SortStableFunc(u.byLaxity, func(a, b int32) int { return cmp.Compare(lax[a], lax[b]) })
	for _, i32 := range u.byLaxity {
		i := int(i32)
		ev, x := &p.EVs[i], &u.ev[i]
		perKW := dt * x.etaC
		// An EV that discharged recharges what it gave, but never more
		// than fits above its initial SoC, which is at least its SoC
		// before any slot: the peak then stays below capacity.
		need := ev.TargetKWh - ev.EnergyKWh
		if out[i] > 0 {
			// A margin of 1e-9 kWh keeps rounding in the SoC chain
			// from rising above capacity.
			need = min(need+out[i], ev.CapacityKWh-ev.EnergyKWh-1e-9)
		}
		g := s.discharge[i]
		h := u.head[int(x.f)*T : (int(x.f)+1)*T]
		c := s.charge[i]
		dearest := p.UnmetPenalty * x.etaC
		for _, t := range u.order {
			if p.Price[t] >= dearest {
				break // slots are cheapest first: no later one pays
			}
			if t < ev.Arrive || t >= ev.Depart || g[t-ev.Arrive] > 0 {
				continue
			}
			a := min(x.maxC, need/perKW, h[t], u.sysHead[t])
			if a <= 1e-9 {
				continue
			}
			c[t-ev.Arrive] = a
			h[t] -= a
			u.sysHead[t] -= a
			need -= perKW * a
			if need <= 1e-9 {
				break
			}
		}
	}
}

// relieve discharges bidirectional EVs in s where their feeder's or the
// system's load is over its lowest limit and that pays even if the energy
// is never recharged: the price and the penalties of the limits over
// (their lowest, those of limF and limS) exceed the wear cost and the
// unmet penalty of the energy taken from the battery. Each EV gives at
// most its energy above its minimum and its wear budget, both held in
// out (the energy taken, per EV), and no feeder is pushed past its export
// limit or below the limits that are over.
func (u *toppingUp) relieve(s schedule, out []float64) {
	p, dt, T := u.p, u.dt, u.p.Slots
	for t := 0; t < T; t++ {
		over := u.sysHead[t] < 0
		for f := range p.Feeders {
			over = over || u.head[f*T+t] < 0
		}
		if !over {
			continue
		}
		for _, i32 := range u.at[t] {
			i := int(i32)
			ev, x := &p.EVs[i], &u.ev[i]
			f := int(x.f)
			pd := dischargeKW(ev)
			if pd <= 0 {
				continue
			}
			perKW := dt / ev.DischargeEfficiency
			// A margin of 1e-9 kWh keeps rounding in the SoC chain
			// from dipping below the minimum.
			avail := min(pd, (ev.EnergyKWh-ev.MinKWh-1e-9-out[i])/perKW)
			if ev.MaxDischargeKWh != nil {
				avail = min(avail, (*ev.MaxDischargeKWh-1e-9-out[i]*ev.DischargeEfficiency)/dt)
			}
			if x := p.Feeders[f].ExportLimitKW; x != nil {
				// The load is the limit less the headroom.
				avail = min(avail, u.limF[f*T+t]-u.head[f*T+t]+x.At(t))
			}
			worth := p.DegradationCost + p.UnmetPenalty/ev.DischargeEfficiency - p.Price[t]
			k := t - ev.Arrive
			for avail > 1e-9 {
				hf, hs := u.head[f*T+t], u.sysHead[t]
				pen, step := 0.0, math.Inf(1)
				if hf < 0 {
					pen, step = pen+u.penF[f*T+t], min(step, -hf)
				}
				if hs < 0 {
					pen, step = pen+u.penS[t], min(step, -hs)
				}
				if pen <= worth {
					break
				}
				a := min(avail, step)
				s.discharge[i][k] += a
				u.head[f*T+t] += a
				u.sysHead[t] += a
				out[i] += perKW * a
				avail -= a
			}
		}
	}
}
