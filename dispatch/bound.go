package dispatch

// The chain bound is a Lagrangian bound that dualises only the rows that
// couple EVs (feeder and system loads) and each EV's target and wear rows,
// and keeps every SoC chain as a constraint. For the same duals on those
// rows it is never below the box bound of ipm.go, which dualises the chains
// too: that bound is the chain bound with some chain duals, and the chain
// bound takes the best ones. Minimising one EV's chain for given slot prices
// is a small storage problem, solved exactly below by dynamic programming
// over the state of charge.
//
// It closes the lower side of the gap iterations earlier than the box
// bound: the box bound pays, for every SoC variable, its reduced cost times
// its whole box whenever the chain duals are not yet exact, and the chain
// duals are the last to settle.

// pwl is a convex piecewise-linear function on [x0, x0 + sum(w)]: f(x0) =
// f0, then segments of widths w and non-decreasing slopes s.
type pwl struct {
	x0, f0 float64
	w, s   []float64
}

// insert adds a segment of width w and slope s, keeping slopes sorted:
// this is the infimal convolution with that segment.
func (f *pwl) insert(w, s float64) {
	if w <= 0 {
		return
	}
	i := len(f.s)
	f.w, f.s = append(f.w, 0), append(f.s, 0)
	for i > 0 && f.s[i-1] > s {
		f.w[i], f.s[i] = f.w[i-1], f.s[i-1]
		i--
	}
	f.w[i], f.s[i] = w, s
}

// cutLeft drops the first a of the domain.
func (f *pwl) cutLeft(a float64) {
	f.x0 += a
	i := 0
	for ; i < len(f.w) && a > 0; i++ {
		if f.w[i] > a {
			f.f0 += a * f.s[i]
			f.w[i] -= a
			a = 0
			break
		}
		f.f0 += f.w[i] * f.s[i]
		a -= f.w[i]
	}
	if i > 0 {
		n := copy(f.w, f.w[i:])
		copy(f.s, f.s[i:])
		f.w, f.s = f.w[:n], f.s[:n]
	}
}

// cutRight drops the last a of the domain.
func (f *pwl) cutRight(a float64) {
	for n := len(f.w); n > 0 && a > 0; n = len(f.w) {
		if f.w[n-1] > a {
			f.w[n-1] -= a
			return
		}
		a -= f.w[n-1]
		f.w, f.s = f.w[:n-1], f.s[:n-1]
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

// chainMin returns the least of sum_k rc[k] c_k + rg[k] g_k + re*e_{K-1}
// over one EV's chain: e_k = e_{k-1} + c1 c_k - g1 g_k from e_{-1} = e0,
// c in [0, pc], g in [0, pd], e in [emin, emax]. rc or rg is nil when the
// EV cannot charge or discharge; f is scratch, reused across calls.
//
// Backwards over the slots, f holds the cost to go as a function of the
// SoC at the end of slot k. Choosing c and g in slot k is an infimal
// convolution of f with two segments (charging lowers the SoC the slot
// starts from, discharging raises it), followed by the restriction to the
// box of the SoC before the slot.
func chainMin(f *pwl, rc, rg []float64, re, c1, g1, pc, pd, e0, emin, emax float64, K int) float64 {
	f.x0, f.f0 = emin, re*emin
	f.w, f.s = append(f.w[:0], emax-emin), append(f.s[:0], re)
	for k := K - 1; k >= 0; k-- {
		// With v the SoC at the start of the slot, the SoC at its end is
		// v + c1 c - g1 g; as a function of v the charging segment starts
		// at v = end - c1 pc, costing rc pc there and falling by rc/c1
		// per kWh of v; the discharging one rises by rg/g1 per kWh.
		left := 0.0
		if rc != nil {
			left = c1 * pc
			f.x0 -= left
			f.f0 += rc[k] * pc
			f.insert(left, -rc[k]/c1)
		}
		right := 0.0
		if rg != nil {
			right = g1 * pd
			f.insert(right, rg[k]/g1)
		}
		if k == 0 {
			return f.at(e0)
		}
		f.cutLeft(emin - f.x0)
		f.cutRight(right)
	}
	return f.at(e0)
}

// boxMin is the least of r*x over x in [lo, hi].
func boxMin(r, lo, hi float64) float64 {
	if r >= 0 {
		return r * lo
	}
	return r * hi
}

// chainBound returns the chain bound at row duals yE, yC (only the target
// and wear entries of yE are read). part holds one partial sum per group.
func (m *lpModel) chainBound(yE, yC []float64, part []float64, t *team) float64 {
	dt := m.dt
	parallel(len(m.groups), t, func(gi int) {
		T := m.T
		q := make([]float64, T)
		m.slotDuals(yC, m.groups[gi].f, q)
		maxK := m.longestStay(gi)
		rc, rg := make([]float64, maxK), make([]float64, maxK)
		f := &pwl{w: make([]float64, 0, 2*maxK+2), s: make([]float64, 0, 2*maxK+2)}
		sum := 0.0
		for _, i := range m.groups[gi].evs {
			b := &m.evs[i]
			K := b.K
			// The target row (or, without a chain, the energy row, whose
			// right-hand side is the target less the initial SoC and whose
			// charge terms chainMin accounts for) and its dual.
			yt, yw := 0.0, 0.0
			if b.chained() {
				yt = yE[b.r0+K]
				sum += m.bE[b.r0+K] * yt
			} else {
				yt = yE[b.r0]
				sum += (m.bE[b.r0] + b.e0) * yt
			}
			if b.oq >= 0 {
				yw = yE[b.r0+K+1]
				sum += m.bE[b.r0+K+1]*yw + boxMin(m.cost[b.oq]-yw, m.lo[b.oq], m.hi[b.oq])
			}
			sum += boxMin(m.cost[b.ou]-yt, m.lo[b.ou], m.hi[b.ou])
			sum += boxMin(m.cost[b.or]+yt, m.lo[b.or], m.hi[b.or])
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
			sum += chainMin(f, c, g, -yt, dt*b.etaC, dt/b.etaD, pc, pd, b.e0, b.eMin, b.eMax, K)
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
			total += boxMin(m.cost[j]+yC[r], m.lo[j], m.hi[j])
		}
	}
	return total
}
