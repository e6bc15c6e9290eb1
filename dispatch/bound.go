package dispatch

import "slices"

// The chain bound is a Lagrangian bound that dualises only the rows that
// couple EVs (feeder and system loads) and each EV's wear row, and keeps
// every SoC chain and target row as constraints. For the same duals on
// the coupling rows it is never below the box bound of ipm.go, which
// dualises the chains and target rows too: that bound is the chain bound
// with some of their duals, and the chain bound takes the best ones.
// Minimising one EV's cost for given slot prices is a small storage
// problem, solved exactly below by dynamic programming over the state of
// charge.
//
// It closes the lower side of the gap iterations earlier than the box
// bound: the box bound pays, for every SoC variable, its reduced cost times
// its whole box whenever the chain duals are not yet exact, and the chain
// and target duals are the last to settle. Keeping the target rows too
// (instead of pricing the final SoC with the interior point's target dual)
// took 15 generated instances of 1,000 to 30,000 EVs from 278 to 262
// iterations.

// pwl is a convex piecewise-linear function on [x0, x0 + sum(w)]: f(x0) =
// f0, then segments of widths w and non-decreasing slopes s. width is
// sum(w), kept as segments come and go.
//
// With lab not nil, each segment carries a label (lab, parallel to w and
// s: which slot's charge or discharge it stands for), and cutLeft adds the
// width it forces to took[label]: evArgMin reads the EV's schedule back
// from them (dual.go). The bounds leave lab nil and need only the value.
type pwl struct {
	x0, f0, width float64
	w, s          []float64
	lab           []int32
	took          []float64
}

// insert adds a segment of width w and slope s, keeping slopes sorted:
// this is the infimal convolution with that segment. label names it when
// f is labelled.
func (f *pwl) insert(w, s float64, label int32) {
	if w <= 0 {
		return
	}
	f.width += w
	i := len(f.s)
	f.w, f.s = append(f.w, 0), append(f.s, 0)
	if f.lab != nil {
		f.lab = append(f.lab, 0)
		for i > 0 && f.s[i-1] > s {
			f.w[i], f.s[i], f.lab[i] = f.w[i-1], f.s[i-1], f.lab[i-1]
			i--
		}
		f.w[i], f.s[i], f.lab[i] = w, s, label
		return
	}
	for i > 0 && f.s[i-1] > s {
		f.w[i], f.s[i] = f.w[i-1], f.s[i-1]
		i--
	}
	f.w[i], f.s[i] = w, s
}

// cutLeft drops the first a of the domain.
func (f *pwl) cutLeft(a float64) {
	f.x0 += a
	f.width = max(0, f.width-a)
	i := 0
	for ; i < len(f.w) && a > 0; i++ {
		if f.w[i] > a {
			f.f0 += a * f.s[i]
			f.w[i] -= a
			if f.lab != nil {
				f.took[f.lab[i]] += a
			}
			a = 0
			break
		}
		f.f0 += f.w[i] * f.s[i]
		a -= f.w[i]
		if f.lab != nil {
			f.took[f.lab[i]] += f.w[i]
		}
	}
	if i > 0 {
		n := copy(f.w, f.w[i:])
		copy(f.s, f.s[i:])
		f.w, f.s = f.w[:n], f.s[:n]
		if f.lab != nil {
			copy(f.lab, f.lab[i:])
			f.lab = f.lab[:n]
		}
	}
}

// cutRight drops the last a of the domain.
func (f *pwl) cutRight(a float64) {
	f.width = max(0, f.width-a)
	for n := len(f.w); n > 0 && a > 0; n = len(f.w) {
		if f.w[n-1] > a {
			f.w[n-1] -= a
			return
		}
		a -= f.w[n-1]
		f.w, f.s = f.w[:n-1], f.s[:n-1]
		if f.lab != nil {
			f.lab = f.lab[:n-1]
		}
	}
}

// take adds the first d of f's domain (beyond x0) to took, by label: the
// segments an SoC of x0 + d uses, cheapest first.
func (f *pwl) take(d float64) {
	for i, w := range f.w {
		if d <= 0 {
			return
		}
		a := min(w, d)
		f.took[f.lab[i]] += a
		d -= a
	}
}

// at evaluates f at x, which must lie in its domain (up to rounding).
func (f *pwl) at(x float64) float64 {
	v, d := f.f0, x-f.x0
	for i, w := range f.w {
		if d <= w {
			return v + max(d, 0)*f.s[i]
		}
		v += w * f.s[i]
		d -= w
	}
	return v
}

// end is the right end of f's domain.
func (f *pwl) end() float64 { return f.x0 + f.width }

// evMin returns the least of sum_k rc[k] c_k + rg[k] g_k + cu u + cr r
// over one EV's chain and target row: e_k = e_{k-1} + c1 c_k - g1 g_k
// from e_{-1} = e0, c in [0, pc], g in [0, pd], e in [emin, emax], and
// e_{K-1} + u - r = target with u in [0, umax], r in [0, rmax] (cu + cr
// >= 0). rc or rg is nil when the EV cannot charge or discharge; f is
// scratch, reused across calls.
//
// Forwards over the slots, f holds the least cost of reaching each SoC at
// the end of slot k: charging widens it to the right, discharging to the
// left, each an infimal convolution with one segment, and the SoC box cuts
// it. The target row then prices the final SoC. Without discharge the SoC
// only rises, so capacity binds at the end if anywhere, and f is the
// charge segments in slope order, cut once: a sort instead of K
// insertions.
func evMin(f *pwl, rc, rg []float64, c1, g1, pc, pd, e0, emin, emax float64, K int,
	target, cu, umax, cr, rmax float64) float64 {
	v, _ := evMinAt(f, rc, rg, c1, g1, pc, pd, e0, emin, emax, K, target, cu, umax, cr, rmax)
	return v
}

// evMinAt is evMin that also returns the final SoC of a cheapest schedule.
// When f is labelled (f.lab not nil, f.took at least 2K long) and rg is
// not nil, the segments are labelled 2k for slot k's charge and 2k+1 for
// its discharge, and f.took ends holding what a cheapest schedule uses of
// each except the final choice (pwl.take adds it): see evArgMin. Without
// rg f.lab ends nil (the slopes tell the schedule) and the caller restores
// it.
func evMinAt(f *pwl, rc, rg []float64, c1, g1, pc, pd, e0, emin, emax float64, K int,
	target, cu, umax, cr, rmax float64) (best, at float64) {
	f.x0, f.f0, f.width = e0, 0, 0
	f.w, f.s = f.w[:0], f.s[:0]
	labelled := f.lab != nil
	if labelled {
		f.lab = f.lab[:0]
		clear(f.took[:2*K])
	}
	if rg == nil {
		if rc != nil && pc > 0 {
			w := c1 * pc
			for _, r := range rc[:K] {
				f.s = append(f.s, r/c1)
				f.w = append(f.w, w)
				f.width += w
			}
			slices.Sort(f.s)
			if labelled {
				// The labels are not needed: evArgMin reads a chainless
				// EV's schedule from the slopes (sorting them with
				// labels took a third of its time).
				f.lab = nil
			}
		}
		K = 0 // no slots left for the dynamic programme below
	}
	if a := f.end() - emax; a > 0 {
		f.cutRight(a)
	}
	for k := 0; k < K; k++ {
		if rc != nil {
			f.insert(c1*pc, rc[k]/c1, int32(2*k))
		}
		if rg != nil {
			w := g1 * pd
			f.x0 -= w
			f.f0 += rg[k] * pd
			f.insert(w, -rg[k]/g1, int32(2*k+1))
		}
		if a := emin - f.x0; a > 0 {
			f.cutLeft(a)
		}
		if a := f.end() - emax; a > 0 {
			f.cutRight(a)
		}
	}
	psi := func(e float64) float64 {
		if e < target {
			return cu * (target - e)
		}
		return cr * (e - target)
	}
	lo, hi := max(f.x0, target-umax), min(f.end(), target+rmax)
	if lo > hi {
		// Rounding only: the SoC box and the target row's boxes overlap.
		lo = hi
	}
	best, at = f.at(lo)+psi(lo), lo
	if v := f.at(hi) + psi(hi); v < best {
		best, at = v, hi
	}
	if target > lo && target < hi {
		if v := f.at(target) + psi(target); v < best {
			best, at = v, target
		}
	}
	x, v := f.x0, f.f0
	for i, w := range f.w {
		x += w
		v += w * f.s[i]
		if x > lo && x < hi && v+psi(x) < best {
			best, at = v+psi(x), x
		}
	}
	return best, at
}

// boxMin is the least of r*x over x in [lo, hi].
func boxMin(r, lo, hi float64) float64 {
	if r >= 0 {
		return r * lo
	}
	return r * hi
}

// chainScratch is a group's scratch for chainBound, sized for its
// longest stay: q the slot duals, rc and rg reduced costs, f the DP's
// function.
type chainScratch struct {
	q, rc, rg []float64
	f         pwl
}

// chainScratch returns chainBound's scratch, one per group, so that the
// certifications of a solve reuse it.
func (m *lpModel) chainScratch() []chainScratch {
	sc := make([]chainScratch, len(m.groups))
	for gi := range sc {
		k := m.longestStay(gi)
		sc[gi] = chainScratch{q: make([]float64, m.T), rc: make([]float64, k), rg: make([]float64, k),
			f: pwl{w: make([]float64, 0, 2*k+2), s: make([]float64, 0, 2*k+2)}}
	}
	return sc
}

// chainBound returns the chain bound at row duals yE, yC (only the wear
// entries of yE are read). part holds one partial sum per group and sc
// comes from chainScratch. With
// alongside, the same parallel region runs alongside() once, as its first
// item, while the workers free of it take the groups: the certification
// prices its schedule (serial work) on one core while the bound takes the
// other, instead of one after the other.
func (m *lpModel) chainBound(yE, yC []float64, part []float64, sc []chainScratch, t *team, alongside func()) float64 {
	dt := m.dt
	first := 0
	if alongside != nil {
		first = 1
	}
	parallel(len(m.groups)+first, t, func(item int) {
		if item < first {
			alongside()
			return
		}
		gi := item - first
		q, rc, rg, f := sc[gi].q, sc[gi].rc, sc[gi].rg, &sc[gi].f
		m.slotDuals(yC, m.groups[gi].f, q)
		sum := 0.0
		for _, i := range m.groups[gi].evs {
			b := &m.evs[i]
			K := b.K
			yw := 0.0
			if b.oq >= 0 {
				yw = yE[b.r0+K+1]
				sum += m.bE[b.r0+K+1]*yw + boxMin(m.cost[b.oq]-yw, 0, m.hi[b.oq])
			}
			qs := q[b.a : b.a+K]
			var c, g []float64
			var pc, pd float64
			if b.oc >= 0 {
				c, pc = rc[:K], m.hi[b.oc]
				for k, cost := range m.cost[b.oc : b.oc+K] {
					c[k] = cost - qs[k]
				}
			}
			if b.og >= 0 {
				g, pd = rg[:K], m.hi[b.og]
				w := dt * yw
				for k, cost := range m.cost[b.og : b.og+K] {
					g[k] = cost - w + qs[k]
				}
			}
			sum += evMin(f, c, g, dt*b.etaC, dt/b.etaD, pc, pd, b.e0, b.eMin, b.eMax, K,
				b.target, m.cost[b.ou], m.hi[b.ou], m.cost[b.or], m.hi[b.or])
		}
		part[gi] = sum
	})
	total := m.konst
	for _, v := range part[:len(m.groups)] {
		total += v
	}
	for r := 0; r < m.nC; r++ {
		total += m.bC[r] * yC[r]
		for j := m.seg0[r]; j < m.seg0[r+1]; j++ {
			total += boxMin(m.cost[j]+yC[r], 0, m.hi[j])
		}
	}
	return total
}
