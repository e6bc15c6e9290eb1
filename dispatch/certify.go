package dispatch

import "math"

// Near the end, ipm.run certifies: it prices a schedule made from the
// iterate against a chain bound, and stops once they are within the gap.
// Two choices there make that happen iterations before a schedule
// repaired from the iterate itself and a bound at its own duals would
// (docs/dispatch.md, "Certificate"). Both figures below are from the
// seed-7 1,000 x 100 benchmark at iteration 14, where the optimum is
// 25,233.41 and those two certified at 16:
//
//   - The schedule is repaired from the iterate moved back onto its rows,
//     A x = b (projectOntoRows). The long steps leave the iterate off them
//     (by up to 5.7 kW there), and repair, which recomputes each SoC from
//     the powers, then loses energy that topping up buys back dearer or
//     not at all: the iterate's schedule was 3.84 above the optimum, the
//     projected one's 1.44.
//   - The bound is the chain bound at the row duals of the last Newton
//     step taken in full (fullStepDuals): the long dual steps move them
//     only 0.6 of the way, and the step's end estimates the optimal duals
//     better. It was 0.83 below the optimum, at the iterate's duals 1.62.
//
// Both reuse what the last iteration left: its factorisation, which the
// kkt keeps with the scaling it was made with until the next factor, and
// its direction. Neither changes the iterates, and the certificate stays
// one: any schedule repair makes is feasible and priced by the model, and
// the chain bound holds at any duals.

// certifyShare is the share of the interior point's own gap, its
// complementarity sum(sl zl + su zu) over |cost·x|, that a certification
// is predicted to leave (predictedGap). A certification costs about a
// third of an iteration (pricing, chain bound, projection), and one that
// fails is spent for nothing. Traced at every iteration within 10 times
// the gap of the box bound (docs/benchmarks.md, "Certifications
// predicted"), the certified gap was a median 0.13 times that gap on 300
// generated instances and 0.085 times on the seven bench instances, most within
// a factor 2.2 either way: it falls with mu, as the projected schedule's
// excess and the chain bound's shortfall both do, while the box bound
// the certification followed before says little about it. Before, after a
// miss, the iterations that a 40 % fall per iteration could not close were
// skipped: at 1e-4, 223 of 517 certifications failed on the generated
// instances and 11 of 18 on the bench ones. At 0.05, 201 of 501 and 6 of
// 13, and 65 and 1 fewer iterations (a miss no longer puts the next
// certification off); larger shares failed less but put more successful
// certifications off (at 0.075, 7 of the generated instances).
const certifyShare = 0.05

// predictedGap is the certified gap a certification is predicted to leave
// at an iterate of complementarity comp and objective pobj (certifyShare).
func predictedGap(comp, pobj float64) float64 {
	return certifyShare * comp / math.Max(1, math.Abs(pobj))
}

// projectOntoRows writes into xp the iterate moved onto A x = b by the
// least change in the norm of the last factorisation's scaling D:
// xp = x + D Aᵀ (A D Aᵀ)⁻¹ (b − A x), with b − A x the residual rpE, rpC
// of this iteration. dyE and dyC are scratch for the multipliers. xp may
// leave the boxes; repair clips the powers it reads to them. It needs a
// factorisation, so not before the first step.
func (s *ipm) projectOntoRows(xp, dyE, dyC []float64) {
	m := s.m
	copy(s.tE, s.rpE)
	copy(s.tC, s.rpC)
	s.k.solve(s.tE, s.tC, dyE, dyC)
	m.aty(dyE, dyC, s.at, s.atq, s.team)
	D := s.k.D
	chunks(s.nc, m.nx, s.team, func(_, lo, hi int) {
		xs := s.x[lo:hi]
		n := len(xs)
		ats, Ds, out := s.at[lo:hi][:n], D[lo:hi][:n], xp[lo:hi][:n]
		for j, x := range xs {
			out[j] = x + Ds[j]*ats[j]
		}
	})
}

// fullStepDuals writes into yE, yC the row duals y + (1−a) dy: where the
// last step, which moved them by a dy, would have taken them in full.
func (s *ipm) fullStepDuals(a float64, dyE, dyC, yE, yC []float64) {
	chunks(s.nc, len(yE), s.team, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			yE[i] = s.yE[i] + (1-a)*dyE[i]
		}
	})
	for i := range yC {
		yC[i] = s.yC[i] + (1-a)*dyC[i]
	}
}
