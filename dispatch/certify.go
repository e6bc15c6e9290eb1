package dispatch

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
