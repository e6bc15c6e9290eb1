package dispatch

import "math"

// The pieces of an interior point iteration's first region and of its row
// updates (ipm.run, ipm.direction). Each was a region of its own or a
// loop over the coupling rows that the team's owner ran alone between
// regions; now they share regions (chunksAnd), each item doing what it
// did, in the same order, so the sums and iterates are those of the
// separate passes to the bit (docs/benchmarks.md, "Serial stretches of
// an interior point iteration").

// scalingPass is the pass over variables lo..hi-1 of an iteration: dual
// residual, scaling D, the predictor's reduced right-hand side rhat and D
// rhat in dx, and into p the sums for mu (complementarity), cost·x and
// the Lagrangian bound (the minimum of the reduced cost over each box).
func (s *ipm) scalingPass(lo, hi int, dx []float64, p *[6]float64) {
	m := s.m
	// Local sums: through p every += is a store (the compiler cannot tell
	// p from the slices written here), and the partials of neighbouring
	// ranges share a cache line, which the other worker is writing at the
	// same time.
	var comp, cx, lag float64
	xs := s.x[lo:hi]
	n := len(xs)
	zls, zus, his, costs := s.zl[lo:hi][:n], s.zu[lo:hi][:n], m.hi[lo:hi][:n], m.cost[lo:hi][:n]
	ats, rds, Ds, rhs, dxs := s.at[lo:hi][:n], s.rd[lo:hi][:n], s.D[lo:hi][:n], s.rhat[lo:hi][:n], dx[lo:hi][:n]
	for j, x := range xs {
		zl, zu := zls[j], zus[j]
		sl, su := x, his[j]-x
		rc := costs[j] - ats[j]
		rd := rc - zl + zu
		D := sl * su / (zl*su + zu*sl)
		rds[j] = rd
		Ds[j] = D
		rh := rd + zl - zu
		rhs[j] = rh
		dxs[j] = D * rh
		comp += sl*zl + su*zu
		cx += costs[j] * x
		if rc < 0 {
			lag += rc * his[j]
		}
	}
	p[0], p[1], p[2] = comp, cx, lag
}

// evResidual sets EV rows lo..hi-1 of rpE, which hold A x, to the residual
// b - A x, and returns its largest magnitude there and those rows' part
// of b·y.
func (s *ipm) evResidual(lo, hi int) (inf, by float64) {
	m := s.m
	for i := lo; i < hi; i++ {
		r := m.bE[i] - s.rpE[i]
		s.rpE[i] = r
		if a := math.Abs(r); a > inf {
			inf = a // a branch, not max: see clip
		}
		by += m.bE[i] * s.yE[i]
	}
	return inf, by
}

// couplingResidual sets rpC, which holds the coupling rows' A x, to the
// residual b - A x and returns its largest magnitude. Their part of b·y is
// left to the caller, which adds it after the EV rows' in row order.
func (s *ipm) couplingResidual() float64 {
	m := s.m
	inf := 0.0
	for i, v := range s.rpC {
		s.rpC[i] = m.bC[i] - v
		inf = math.Max(inf, math.Abs(s.rpC[i]))
	}
	return inf
}

// rowsAxpy sets yE += a xE over the EV rows, in parallel ranges, and yC +=
// a xC over the coupling rows as one more item of the same region.
func (s *ipm) rowsAxpy(a float64, xE, yE, xC, yC []float64) {
	chunksAnd(s.nc, len(yE), s.team, func(_, lo, hi int) {
		axpy(a, xE[lo:hi], yE[lo:hi])
	}, func() {
		for i, v := range xC {
			yC[i] += a * v
		}
	})
}
