package dispatch

import (
	"math"
	"slices"
	"time"
)

// The dual bound is the chain bound (bound.go) at coupling-row duals
// chosen by a few projected subgradient steps, evaluated on the Problem
// without the LP: a time-limited solve that has no time for the interior
// point (limit.go) improves the selfish bound with it, which is that bound
// at zero duals, and one whose interior point stopped spends the time left
// on it, from the iterate's duals after minSteps steps (restart).
//
// For every coupling load ℓ (a feeder or the system in a slot) with
// convex penalty φ_ℓ (its import and export limits and caps) and any
// price λ_ℓ, φ_ℓ(L) ≥ λ_ℓ L + min over L' of (φ_ℓ(L') − λ_ℓ L'), the
// minimum taken over the load's hard range (every EV idle to every EV at
// full power, widened by 1 kW as in buildLP). Summing over loads with L the
// base load plus the EVs' net load, every schedule costs at least
//
//	Σ_EV min [own cost + Σ_t (λ_f,t + λ_S,t)(c_t − g_t)] + Σ_ℓ [λ_ℓ base_ℓ + min (φ_ℓ − λ_ℓ L)],
//
// each EV minimised over its SoC chain and target row alone (evMin, with
// its wear budget dropped, as in the selfish bound). That is chainBound at
// yC = −λ and zero wear duals, for any λ: the choice of λ changes how good
// the bound is, never whether it holds.
//
// It is concave in λ, and base_ℓ + E_ℓ − L*_ℓ is a supergradient, with E_ℓ
// the EVs' net load at their cheapest schedules (evArgMin) and L*_ℓ the
// load that attains the minimum. The steps are Polyak's towards the
// greedy schedule's cost, projected on each load's range of penalty
// slopes (beyond it the bound only falls); the start is zero, the selfish
// bound (each load's marginal penalty at the greedy schedule's load, tried
// as a start, was far below it: a penalty paid over a cap pays every V2G
// EV present to discharge in full).

// dualLoad is one coupling load of the dual bound.
type dualLoad struct {
	// base is the load without EVs and lo, hi its hard range (kW).
	base, lo, hi float64
	// hs are the penalty's hinges, slopes in cost per kW over the slot.
	hs []hinge
	// smin and smax are the penalty's slopes at lo and hi: the duals
	// worth trying.
	smin, smax float64
}

// penalty is φ(L).
func (d *dualLoad) penalty(L float64) float64 {
	v := 0.0
	for _, h := range d.hs {
		if h.slope > 0 {
			v += h.slope * math.Max(0, L-h.at)
		} else {
			v += -h.slope * math.Max(0, h.at-L)
		}
	}
	return v
}

// slope is φ's slope just left of L (left) or just right of it.
func (d *dualLoad) slope(L float64, left bool) float64 {
	s := 0.0
	for _, h := range d.hs {
		above := L > h.at || (!left && L == h.at)
		if h.slope > 0 && above {
			s += h.slope
		}
		if h.slope < 0 && !above {
			s += h.slope
		}
	}
	return s
}

// term returns λ base + min over [lo, hi] of φ(L) − λ L and the L that
// attains it.
func (d *dualLoad) term(lam float64) (v, at float64) {
	v, at = d.penalty(d.lo)-lam*d.lo, d.lo
	if w := d.penalty(d.hi) - lam*d.hi; w < v {
		v, at = w, d.hi
	}
	for _, h := range d.hs {
		if h.at > d.lo && h.at < d.hi {
			if w := d.penalty(h.at) - lam*h.at; w < v {
				v, at = w, h.at
			}
		}
	}
	return v + lam*d.base, at
}

// dualItem is a run of one feeder's EVs, the unit of parallel work, with
// its part of the last evaluation: the EVs' least costs and net load.
type dualItem struct {
	f    int
	evs  []int32
	val  float64
	load []float64
	// took is how long the item's last evaluation took.
	took time.Duration
}

// dualBound holds the loads, the current and the best duals.
type dualBound struct {
	p     *Problem
	T, F  int
	loads []dualLoad // feeder f's slot t at f*T+t, the system's at F*T+t
	items []dualItem
	// lam are the duals of the next evaluation, grad the supergradient
	// of the last, best the best value so far (−Inf before any).
	lam, grad []float64
	best      float64
	// last is the bound at the duals last evaluated, prev the direction
	// of the step before (nil before the first).
	last float64
	prev []float64
	// theta scales the Polyak step; it halves after an evaluation that
	// did not improve the bound.
	theta float64
	// work is the time the items of the last evaluation took, summed:
	// what a step costs on one worker, measured on this machine and load.
	work time.Duration
}

// dualPerItem is the EVs per item of an evaluation.
const dualPerItem = 256

// dualDeflect weighs the step before in the next one's direction. On the
// generated instances (seed 2024, 10 feeders) 0.3 took the gap after five
// steps from 0.065 to 0.048 at 10,000 EVs and from 0.099 to 0.062 at
// 100,000; 0.6 did less well, and so did a step scaled per load by its
// range.
const dualDeflect = 0.3

// newDualBound sets up the dual bound of p at zero duals.
func newDualBound(p *Problem) *dualBound {
	T, F, dt := p.Slots, len(p.Feeders), p.Hours()
	d := &dualBound{p: p, T: T, F: F, loads: make([]dualLoad, (F+1)*T), best: math.Inf(-1), theta: 1}
	fIndex := make(map[string]int, F)
	for f, fd := range p.Feeders {
		fIndex[fd.ID] = f
		for t := 0; t < T; t++ {
			l := &d.loads[f*T+t]
			l.base, l.lo, l.hi = fd.BaseKW[t], fd.BaseKW[t]-1, fd.BaseKW[t]+1
			s := dt * fd.OverloadPenalty
			l.hs = append(l.hs, hinge{fd.ImportLimitKW.At(t), s})
			if fd.ExportLimitKW != nil {
				l.hs = append(l.hs, hinge{-fd.ExportLimitKW.At(t), -s})
			}
		}
	}
	for t := 0; t < T; t++ {
		l := &d.loads[F*T+t]
		l.lo, l.hi = -1, 1
		for f := range p.Feeders {
			l.base += p.Feeders[f].BaseKW[t]
		}
		l.lo += l.base
		l.hi += l.base
		if p.System != nil && p.System.ImportLimitKW != nil {
			l.hs = append(l.hs, hinge{p.System.ImportLimitKW.At(t), dt * p.System.OverloadPenalty})
		}
	}
	for _, c := range p.Caps {
		for t := c.Start; t < c.End; t++ {
			h := hinge{c.MaxKW, dt * c.Penalty}
			if c.Scope == ScopeSystem {
				d.loads[F*T+t].hs = append(d.loads[F*T+t].hs, h)
			} else {
				f := fIndex[c.Scope]
				d.loads[f*T+t].hs = append(d.loads[f*T+t].hs, h)
			}
		}
	}
	byF := make([][]int32, F)
	for i := range p.EVs {
		ev := &p.EVs[i]
		f := fIndex[ev.Feeder]
		byF[f] = append(byF[f], int32(i))
		pd := dischargeKW(ev)
		for t := ev.Arrive; t < ev.Depart; t++ {
			d.loads[f*T+t].lo -= pd
			d.loads[f*T+t].hi += ev.MaxChargeKW
			d.loads[F*T+t].lo -= pd
			d.loads[F*T+t].hi += ev.MaxChargeKW
		}
	}
	for f, evs := range byF {
		for len(evs) > 0 {
			n := min(len(evs), dualPerItem)
			d.items = append(d.items, dualItem{f: f, evs: evs[:n], load: make([]float64, T)})
			evs = evs[n:]
		}
	}
	d.lam, d.grad = make([]float64, len(d.loads)), make([]float64, len(d.loads))
	for j := range d.loads {
		l := &d.loads[j]
		l.smin, l.smax = l.slope(l.lo, false), l.slope(l.hi, true)
	}
	return d
}

// eval returns the bound at d.lam, keeps it if it is the best so far,
// and leaves its supergradient in d.grad. With alongside, the same
// parallel region runs alongside() once, as its first item, beside the
// EVs (as chainBound does). evs is the EVs' part of the bound: at zero
// duals, the selfish bound.
func (d *dualBound) eval(t *team, alongside func()) (v, evs float64) {
	T, F := d.T, d.F
	first := 0
	if alongside != nil {
		first = 1
	}
	parallel(len(d.items)+first, t, func(item int) {
		if item < first {
			alongside()
			return
		}
		it := &d.items[item-first]
		t0 := time.Now()
		d.evalItem(it)
		it.took = time.Since(t0)
	})
	for j := range d.grad {
		d.grad[j] = 0
	}
	total := 0.0
	d.work = 0
	for i := range d.items {
		it := &d.items[i]
		total += it.val
		d.work += it.took
		for t := 0; t < T; t++ {
			d.grad[it.f*T+t] += it.load[t]
			d.grad[F*T+t] += it.load[t]
		}
	}
	evs = total
	for j := range d.loads {
		v, at := d.loads[j].term(d.lam[j])
		total += v
		d.grad[j] += d.loads[j].base - at
	}
	if total > d.best {
		d.best = total
	} else {
		d.theta /= 2
	}
	d.last = total
	return total, evs
}

// restart evaluates the bound at the duals that the LP m's coupling row
// duals yC stand for (λ = −yC, projected on each load's range of slopes;
// a load without a row has a flat penalty and keeps λ = 0) and goes on
// from there if the bound there is above the one at the current duals
// (d.last); otherwise it goes back to the current duals, with their
// supergradient, step before and step scale. The bound holds at any
// duals, so either way it is kept if it is the best. It returns whether
// the interior point's duals were kept.
func (d *dualBound) restart(t *team, m *lpModel, yC []float64) bool {
	lam, grad, prev, last, theta := slices.Clone(d.lam), slices.Clone(d.grad), slices.Clone(d.prev), d.last, d.theta
	clear(d.lam)
	for f := range m.fSlots {
		for r, t := range m.fSlots[f] {
			d.lam[f*d.T+t] = -yC[m.fRow[f]+r]
		}
	}
	for r, t := range m.sSlots {
		d.lam[d.F*d.T+t] = -yC[m.sRow+r]
	}
	for j := range d.lam {
		d.lam[j] = math.Min(math.Max(d.lam[j], d.loads[j].smin), d.loads[j].smax)
	}
	if v, _ := d.eval(t, nil); v > last {
		// A fresh start: the step before pointed elsewhere.
		d.prev, d.theta = nil, 1
		return true
	}
	copy(d.lam, lam)
	copy(d.grad, grad)
	d.last, d.theta, d.prev = last, theta, prev
	return false
}

// evalItem prices the item's EVs at d.lam: each one's least cost on its
// own, and their net load at cheapest schedules.
func (d *dualBound) evalItem(it *dualItem) {
	p, T, F := d.p, d.T, d.F
	dt := p.Hours()
	rc, rg, cs, gs := make([]float64, T), make([]float64, T), make([]float64, T), make([]float64, T)
	f := pwl{w: make([]float64, 0, 2*T+2), s: make([]float64, 0, 2*T+2),
		lab: make([]int32, 0, 2*T+2), took: make([]float64, 2*T)}
	clear(it.load)
	lamF, lamS := d.lam[it.f*T:(it.f+1)*T], d.lam[F*T:]
	sum := 0.0
	for _, i32 := range it.evs {
		ev := &p.EVs[i32]
		a, K := ev.Arrive, ev.Depart-ev.Arrive
		var c, g []float64
		pc, pd := ev.MaxChargeKW, dischargeKW(ev)
		if pc > 0 {
			c = rc[:K]
			for k := range c {
				c[k] = dt*p.Price[a+k] + lamF[a+k] + lamS[a+k]
			}
		}
		if pd > 0 {
			g = rg[:K]
			for k := range g {
				g[k] = dt*(p.DegradationCost-p.Price[a+k]) - lamF[a+k] - lamS[a+k]
			}
		}
		// The unmet and surplus boxes are the LP's (lp.go): wide enough
		// for any SoC in [min, capacity].
		sum += evArgMin(&f, c, g, dt*ev.ChargeEfficiency, dt/ev.DischargeEfficiency, pc, pd,
			ev.EnergyKWh, ev.MinKWh, ev.CapacityKWh, K, ev.TargetKWh,
			p.UnmetPenalty, math.Max(0, ev.TargetKWh-ev.MinKWh)+1, 0, math.Max(0, ev.CapacityKWh-ev.TargetKWh)+1,
			cs[:K], gs[:K])
		load := it.load[a : a+K]
		for k := range load {
			load[k] += cs[k] - gs[k]
		}
	}
	it.val = sum
}

// move takes a projected Polyak step from the duals last evaluated
// towards target (an upper bound on the optimum: the greedy schedule's
// cost).
func (d *dualBound) move(target float64) {
	v := d.last
	norm := 0.0
	for j, g := range d.grad {
		l := &d.loads[j]
		// A component that would leave the range at its end moves
		// nothing: the projection undoes it.
		if (g > 0 && d.lam[j] >= l.smax) || (g < 0 && d.lam[j] <= l.smin) {
			d.grad[j] = 0
			continue
		}
		norm += g * g
	}
	if norm == 0 || target <= v {
		return
	}
	// Deflected: the step follows the supergradient plus dualDeflect
	// times the step before, which damps the zigzag between loads that
	// trade the same EVs.
	if d.prev == nil {
		d.prev = make([]float64, len(d.grad))
	}
	norm = 0
	for j, g := range d.grad {
		d.grad[j] = g + dualDeflect*d.prev[j]
		norm += d.grad[j] * d.grad[j]
	}
	copy(d.prev, d.grad)
	a := d.theta * (target - v) / norm
	for j, g := range d.grad {
		l := &d.loads[j]
		d.lam[j] = math.Min(math.Max(d.lam[j]+a*g, l.smin), l.smax)
	}
}

// evArgMin is evMin that also writes a cheapest schedule's charge and
// discharge power to c and g (K entries each; g all zero without rg). f
// must be labelled: f.lab not nil and f.took at least 2K long.
//
// Without discharge the SoC only rises and the schedule is the cheapest
// slots (chargeCheapest).
//
// The segments a cheapest schedule uses are those cutLeft forced and the
// cheapest of the final function up to the final SoC: labels say whose
// they are. They form a schedule that keeps the SoC in its box at every
// slot: a segment is only ever cut with all those on its side of it, so
// the segments used out of those present after slot k are the cheapest of
// them, and the SoC they make lies in that function's domain, inside the
// box. Charge segment widths are c1 per kW; discharge segments undo a
// full-power discharge at g1 per kW.
func evArgMin(f *pwl, rc, rg []float64, c1, g1, pc, pd, e0, emin, emax float64, K int,
	target, cu, umax, cr, rmax float64, c, g []float64) float64 {
	lab := f.lab
	v, at := evMinAt(f, rc, rg, c1, g1, pc, pd, e0, emin, emax, K, target, cu, umax, cr, rmax)
	if rg == nil {
		f.lab = lab
		chargeCheapest(f, rc, c1, pc, at-f.x0, c[:K])
		clear(g[:K])
		return v
	}
	f.take(at - f.x0)
	for k := 0; k < K; k++ {
		c[k], g[k] = 0, 0
		if rc != nil {
			c[k] = f.took[2*k] / c1
		}
		g[k] = pd - f.took[2*k+1]/g1
	}
	return v
}

// chargeCheapest writes to c the schedule of an EV that cannot discharge
// and charges d kWh (stored) in the cheapest slots of rc at c1 kWh per kW,
// as evMinAt's sorted slopes in f say: every slot whose slope is below
// that of the segment where d ends at full power pc, the slots at that
// slope sharing what is left, the others idle. rc nil charges nothing.
func chargeCheapest(f *pwl, rc []float64, c1, pc, d float64, c []float64) {
	clear(c)
	if rc == nil || d <= 0 || len(f.s) == 0 {
		return
	}
	// The slope at d, and the width the segments below it take.
	i, below := 0, 0.0
	for i < len(f.s)-1 && below+f.w[i] < d {
		below += f.w[i]
		i++
	}
	thr := f.s[i]
	for j := i - 1; j >= 0 && f.s[j] == thr; j-- {
		below -= f.w[j] // segments at thr before i share the rest
	}
	rest := d - below
	for k, r := range rc {
		switch s := r / c1; {
		case s < thr:
			c[k] = pc
		case s == thr && rest > 0:
			e := min(rest, c1*pc)
			c[k] = e / c1
			rest -= e
		}
	}
}
