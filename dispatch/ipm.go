package dispatch

import (
	"context"
	"math"
	"time"
)

// ipm is Mehrotra's predictor-corrector primal-dual interior point method
// for min cost·x, A x = b, lo <= x <= hi. It converges to the analytic
// centre of the optimal face, so EVs in the same situation end up with the
// same power: nothing in the iteration tells two such EVs apart.
type ipm struct {
	m                                        *lpModel
	k                                        *kkt
	workers                                  int
	nc                                       int
	x, zl, zu, D, rd, at, rhat, dx, dzl, dzu []float64
	yE, yC, dyE, dyC, rpE, rpC, tE, tC       []float64
	load                                     []float64
	part                                     [][6]float64
}

func newIPM(m *lpModel, workers int) *ipm {
	n := m.nx
	s := &ipm{m: m, k: newKKT(m, workers), workers: workers, nc: chunkCount(n, workers)}
	for _, v := range []*[]float64{&s.x, &s.zl, &s.zu, &s.D, &s.rd, &s.at, &s.rhat, &s.dx, &s.dzl, &s.dzu} {
		*v = make([]float64, n)
	}
	for _, v := range []*[]float64{&s.yE, &s.dyE, &s.rpE, &s.tE} {
		*v = make([]float64, m.nEVR)
	}
	for _, v := range []*[]float64{&s.yC, &s.dyC, &s.rpC, &s.tC} {
		*v = make([]float64, m.nC)
	}
	s.load = make([]float64, m.nF*m.T)
	s.part = make([][6]float64, s.nc)
	return s
}

// reduce runs fn over ranges and sums the per-range partials.
func (s *ipm) reduce(fn func(lo, hi int, p *[6]float64)) [6]float64 {
	for c := range s.part {
		s.part[c] = [6]float64{}
	}
	chunks(s.nc, s.m.nx, s.workers, func(c, lo, hi int) { fn(lo, hi, &s.part[c]) })
	var r [6]float64
	for _, p := range s.part {
		for i := range r {
			r[i] += p[i]
		}
	}
	return r
}

// maxStep returns the largest step in (0,1] that keeps v + a*dv >= 0.
func maxStep(v, dv float64, a float64) float64 {
	if dv < 0 {
		if r := -v / dv; r < a {
			return r
		}
	}
	return a
}

// stepLengths returns the primal and dual step lengths to the boundary.
func (s *ipm) stepLengths() (ap, ad float64) {
	m := s.m
	for c := range s.part {
		s.part[c] = [6]float64{1, 1}
	}
	chunks(s.nc, m.nx, s.workers, func(c, lo, hi int) {
		p := &s.part[c]
		for j := lo; j < hi; j++ {
			sl, su := s.x[j]-m.lo[j], m.hi[j]-s.x[j]
			p[0] = maxStep(sl, s.dx[j], p[0])
			p[0] = maxStep(su, -s.dx[j], p[0])
			p[1] = maxStep(s.zl[j], s.dzl[j], p[1])
			p[1] = maxStep(s.zu[j], s.dzu[j], p[1])
		}
	})
	ap, ad = 1, 1
	for _, p := range s.part {
		ap, ad = min(ap, p[0]), min(ad, p[1])
	}
	return ap, ad
}

// direction solves the Newton system for right-hand side rhat (in s.rhat)
// and primal residual rp: dy from (A D A^T) dy = rp + A D rhat, then
// dx = D (A^T dy - rhat).
func (s *ipm) direction() {
	m := s.m
	chunks(s.nc, m.nx, s.workers, func(_, lo, hi int) {
		for j := lo; j < hi; j++ {
			s.dx[j] = s.D[j] * s.rhat[j]
		}
	})
	m.mul(s.dx, s.tE, s.tC, s.load, s.workers)
	for i := range s.tE {
		s.tE[i] += s.rpE[i]
	}
	for i := range s.tC {
		s.tC[i] += s.rpC[i]
	}
	s.k.solve(s.tE, s.tC, s.dyE, s.dyC)
	m.aty(s.dyE, s.dyC, s.at, s.workers)
	chunks(s.nc, m.nx, s.workers, func(_, lo, hi int) {
		for j := lo; j < hi; j++ {
			s.dx[j] = s.D[j] * (s.at[j] - s.rhat[j])
		}
	})
}

// run iterates until the certified gap reaches gapTol, the iteration or
// time limit, or ctx ends.
func (s *ipm) run(ctx context.Context, p *Problem, gapTol float64, maxIt int, deadline time.Time) (*Result, error) {
	m := s.m
	n := m.nx
	for j := 0; j < n; j++ {
		s.x[j] = m.lo[j] + 0.5*(m.hi[j]-m.lo[j])
		s.zl[j] = 1 + math.Max(m.cost[j], 0)
		s.zu[j] = 1 + math.Max(-m.cost[j], 0)
	}
	bScale := 1.0
	for _, v := range m.bE {
		bScale = math.Max(bScale, math.Abs(v))
	}
	for _, v := range m.bC {
		bScale = math.Max(bScale, math.Abs(v))
	}
	var best *Result
	bestBound := math.Inf(-1)
	finish := func(st Status, it int) *Result {
		best.Status = st
		best.Iterations = it
		return best
	}
	consider := func() {
		r := evaluate(p, repair(p, m, s.x))
		if best == nil || r.Objective < best.Objective {
			best = r
		}
		best.LowerBound = math.Min(bestBound, best.Objective)
		best.Gap = (best.Objective - best.LowerBound) / math.Max(1, math.Abs(best.Objective))
	}
	for it := 0; ; it++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m.mul(s.x, s.rpE, s.rpC, s.load, s.workers)
		pinf := 0.0
		for i, v := range s.rpE {
			s.rpE[i] = m.bE[i] - v
			pinf = math.Max(pinf, math.Abs(s.rpE[i]))
		}
		by := 0.0
		for i, v := range s.rpC {
			s.rpC[i] = m.bC[i] - v
			pinf = math.Max(pinf, math.Abs(s.rpC[i]))
			by += m.bC[i] * s.yC[i]
		}
		for i, b := range m.bE {
			by += b * s.yE[i]
		}
		m.aty(s.yE, s.yC, s.at, s.workers)
		// 0: mu sum, 1: cost·x, 2: Lagrangian minimum over the box.
		r := s.reduce(func(lo, hi int, p *[6]float64) {
			for j := lo; j < hi; j++ {
				x, zl, zu := s.x[j], s.zl[j], s.zu[j]
				sl, su := x-m.lo[j], m.hi[j]-x
				rc := m.cost[j] - s.at[j]
				s.rd[j] = rc - zl + zu
				s.D[j] = 1 / (zl/sl + zu/su)
				p[0] += sl*zl + su*zu
				p[1] += m.cost[j] * x
				if rc >= 0 {
					p[2] += rc * m.lo[j]
				} else {
					p[2] += rc * m.hi[j]
				}
			}
		})
		mu := r[0] / float64(2*n)
		pobj := r[1] + m.konst
		bound := by + r[2] + m.konst
		bestBound = math.Max(bestBound, bound)
		relgap := (pobj - bestBound) / math.Max(1, math.Abs(pobj))
		if relgap <= gapTol && pinf <= 1e-6*bScale {
			consider()
			if best.Gap <= gapTol {
				if best.Gap <= OptimalGap {
					return finish(StatusOptimal, it), nil
				}
				return finish(StatusWithinGap, it), nil
			}
		}
		if !deadline.IsZero() && time.Now().After(deadline) {
			consider()
			return finish(StatusTimeLimit, it), nil
		}
		if it >= maxIt {
			consider()
			return finish(StatusIterationLimit, it), nil
		}

		s.k.factor(s.D)
		// Predictor (affine scaling) direction.
		chunks(s.nc, n, s.workers, func(_, lo, hi int) {
			for j := lo; j < hi; j++ {
				s.rhat[j] = s.rd[j] + s.zl[j] - s.zu[j]
			}
		})
		s.direction()
		chunks(s.nc, n, s.workers, func(_, lo, hi int) {
			for j := lo; j < hi; j++ {
				sl, su := s.x[j]-m.lo[j], m.hi[j]-s.x[j]
				s.dzl[j] = -s.zl[j] - s.zl[j]*s.dx[j]/sl
				s.dzu[j] = -s.zu[j] + s.zu[j]*s.dx[j]/su
			}
		})
		ap, ad := s.stepLengths()
		ra := s.reduce(func(lo, hi int, p *[6]float64) {
			for j := lo; j < hi; j++ {
				sl, su := s.x[j]-m.lo[j], m.hi[j]-s.x[j]
				p[0] += (sl+ap*s.dx[j])*(s.zl[j]+ad*s.dzl[j]) + (su-ap*s.dx[j])*(s.zu[j]+ad*s.dzu[j])
			}
		})
		muAff := ra[0] / float64(2*n)
		sigma := math.Pow(muAff/mu, 3)
		smu := sigma * mu
		// Corrector: complementarity targets sigma*mu with the second-order
		// term of the predictor; rl, ru are kept in dzl, dzu.
		chunks(s.nc, n, s.workers, func(_, lo, hi int) {
			for j := lo; j < hi; j++ {
				sl, su := s.x[j]-m.lo[j], m.hi[j]-s.x[j]
				rl := smu - sl*s.zl[j] - s.dx[j]*s.dzl[j]
				ru := smu - su*s.zu[j] + s.dx[j]*s.dzu[j]
				s.dzl[j], s.dzu[j] = rl, ru
				s.rhat[j] = s.rd[j] - rl/sl + ru/su
			}
		})
		s.direction()
		chunks(s.nc, n, s.workers, func(_, lo, hi int) {
			for j := lo; j < hi; j++ {
				sl, su := s.x[j]-m.lo[j], m.hi[j]-s.x[j]
				s.dzl[j] = (s.dzl[j] - s.zl[j]*s.dx[j]) / sl
				s.dzu[j] = (s.dzu[j] + s.zu[j]*s.dx[j]) / su
			}
		})
		ap, ad = s.stepLengths()
		const eta = 0.9995
		ap, ad = min(1, eta*ap), min(1, eta*ad)
		chunks(s.nc, n, s.workers, func(_, lo, hi int) {
			for j := lo; j < hi; j++ {
				s.x[j] += ap * s.dx[j]
				s.zl[j] += ad * s.dzl[j]
				s.zu[j] += ad * s.dzu[j]
			}
		})
		for i := range s.yE {
			s.yE[i] += ad * s.dyE[i]
		}
		for i := range s.yC {
			s.yC[i] += ad * s.dyC[i]
		}
	}
}
