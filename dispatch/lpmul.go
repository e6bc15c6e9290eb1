package dispatch

// chunkCount is how many contiguous ranges element-wise loops over n
// entries are split into: enough to balance the workers, one when small.
func chunkCount(n int, t *team) int {
	if n < 1<<14 || t.size() == 1 {
		return 1
	}
	return 4 * t.size()
}

// chunks runs fn over [0,n) split into nc contiguous ranges, passing the
// range index so callers can keep per-range partial sums.
func chunks(nc, n int, t *team, fn func(c, lo, hi int)) {
	parallel(nc, t, func(c int) {
		fn(c, c*n/nc, (c+1)*n/nc)
	})
}

// slotDuals sets q[t] to the sum of y over the coupling rows that slot t
// of feeder f touches (its own row and the system row, where they exist).
func (m *lpModel) slotDuals(yC []float64, f int, q []float64) {
	clear(q)
	if r := m.fRow[f]; r >= 0 {
		for k, t := range m.fSlots[f] {
			q[t] = yC[r+k]
		}
	}
	if s := m.sRow; s >= 0 {
		for k, t := range m.sSlots {
			q[t] += yC[s+k]
		}
	}
}

// mulScratch returns the scratch mul needs: per group, then per feeder,
// one slot vector.
func (m *lpModel) mulScratch() []float64 { return make([]float64, m.mulScratchLen()) }

// mulScratchLen is the length of mulScratch's slice.
func (m *lpModel) mulScratchLen() int { return (len(m.groups) + m.nF) * m.T }

// mul sets rE, rC to A x. scratch comes from mulScratch; its per-feeder
// part ends holding the load sum of (c - g) per feeder and slot.
func (m *lpModel) mul(x, rE, rC, scratch []float64, t *team) {
	T, dt := m.T, m.dt
	parallel(len(m.groups), t, func(gi int) {
		P := scratch[gi*T : (gi+1)*T]
		clear(P)
		for _, bi := range m.groups[gi].evs {
			b := &m.evs[bi]
			// Coefficients and slices are hoisted and cut to length K so
			// the loops run without reloads or bounds checks.
			K := b.K
			pk := P[b.a : b.a+K]
			if !b.chained() {
				// The energy row: sum dt etaC c + u - r.
				v := x[b.ou] - x[b.or]
				if b.oc >= 0 {
					c1, sc := dt*b.etaC, 0.0
					for k, ck := range x[b.oc : b.oc+K] {
						sc += ck
						pk[k] += ck
					}
					v += c1 * sc
				}
				rE[b.r0] = v
				continue
			}
			e := x[b.oe : b.oe+K]
			r := rE[b.r0 : b.r0+b.rows()]
			rk := r[:K]
			rk[0] = e[0]
			for k := 1; k < K; k++ {
				rk[k] = e[k] - e[k-1]
			}
			if b.oc >= 0 {
				c := x[b.oc : b.oc+K]
				c1 := dt * b.etaC
				for k, ck := range c {
					rk[k] -= c1 * ck
					pk[k] += ck
				}
			}
			ws := 0.0
			if b.og >= 0 {
				g := x[b.og : b.og+K]
				g1 := dt / b.etaD
				for k, gk := range g {
					rk[k] += g1 * gk
					pk[k] -= gk
					ws += gk
				}
			}
			r[b.K] = e[b.K-1] + x[b.ou] - x[b.or]
			if b.oq >= 0 {
				r[b.K+1] = dt*ws + x[b.oq]
			}
		}
	})
	load := scratch[len(m.groups)*T:]
	clear(load)
	for gi, g := range m.groups {
		axpy(1, scratch[gi*T:(gi+1)*T], load[g.f*T:(g.f+1)*T])
	}
	segSum := func(row int) float64 {
		s := 0.0
		for j := m.seg0[row]; j < m.seg0[row+1]; j++ {
			s += x[j]
		}
		return s
	}
	for f := 0; f < m.nF; f++ {
		if r0 := m.fRow[f]; r0 >= 0 {
			for k, t := range m.fSlots[f] {
				rC[r0+k] = load[f*T+t] - segSum(r0+k)
			}
		}
	}
	if r0 := m.sRow; r0 >= 0 {
		for k, t := range m.sSlots {
			s := 0.0
			for f := 0; f < m.nF; f++ {
				s += load[f*T+t]
			}
			rC[r0+k] = s - segSum(r0+k)
		}
	}
}

// atyScratch returns the scratch aty needs: per group, one slot vector.
func (m *lpModel) atyScratch() []float64 { return make([]float64, m.atyScratchLen()) }

// atyScratchLen is the length of atyScratch's slice.
func (m *lpModel) atyScratchLen() int { return len(m.groups) * m.T }

// aty sets out = A^T y. scratch comes from atyScratch.
func (m *lpModel) aty(yE, yC, out, scratch []float64, t *team) {
	dt := m.dt
	parallel(len(m.groups), t, func(gi int) {
		q := scratch[gi*m.T : (gi+1)*m.T]
		m.slotDuals(yC, m.groups[gi].f, q)
		for _, bi := range m.groups[gi].evs {
			b := &m.evs[bi]
			y := yE[b.r0 : b.r0+b.rows()]
			qs := q[b.a : b.a+b.K]
			if !b.chained() {
				if b.oc >= 0 {
					c := out[b.oc : b.oc+b.K]
					c1 := dt * b.etaC * y[0]
					for k := range c {
						c[k] = c1 + qs[k]
					}
				}
				out[b.ou] = y[0]
				out[b.or] = -y[0]
				continue
			}
			yw := 0.0
			if b.oq >= 0 {
				yw = y[b.K+1]
				out[b.oq] = yw
			}
			yk := y[:b.K]
			if b.oc >= 0 {
				c := out[b.oc : b.oc+b.K]
				c1 := -dt * b.etaC
				for k := range c {
					c[k] = c1*yk[k] + qs[k]
				}
			}
			if b.og >= 0 {
				g := out[b.og : b.og+b.K]
				g1, w := dt/b.etaD, dt*yw
				for k := range g {
					g[k] = g1*yk[k] + w - qs[k]
				}
			}
			e := out[b.oe : b.oe+b.K]
			for k := 0; k < b.K-1; k++ {
				e[k] = y[k] - y[k+1]
			}
			e[b.K-1] = y[b.K-1] + y[b.K] // the final SoC also sits in the target row
			out[b.ou] = y[b.K]
			out[b.or] = -y[b.K]
		}
	})
	for r := 0; r < m.nC; r++ {
		for j := m.seg0[r]; j < m.seg0[r+1]; j++ {
			out[j] = -yC[r]
		}
	}
}
