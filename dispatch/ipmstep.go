package dispatch

// step is the step an iteration ends with, along its direction d: x by
// ap (or longStep for each variable, when longP), zl and zu by ad (or
// longDualStep, when longD), the row duals by ady. It is taken by the
// next iteration's first pass (residuals), batch by batch, which reads
// the same arrays: a pass of its own read and wrote x, zl and zu once
// more per iteration. Whatever needs the iterate before that pass (a stop
// that prices it) takes the step first (flush).
type step struct {
	ap, ad, ady  float64
	longP, longD bool
	pending      bool
}

// newStep returns the step that ends an iteration whose steps to the
// boundary are ap and ad, already cut by stepFraction. A few blocking
// variables would hold every other one back: when a step is short they
// get a step of their own (see longStep), and the row duals then take
// the long dual step.
func newStep(ap, ad float64) step {
	st := step{ap: ap, ad: ad, ady: ad, longP: ap < longStepBelow, longD: ad < dualLongBelow, pending: true}
	if st.longD {
		st.ady = dualLongLength
	}
	return st
}

// stepKernel takes the pending step over the variables [lo, hi).
func (s *ipm) stepKernel(lo, hi int, d dir) {
	st := &s.st
	xs := s.x[lo:hi]
	k := len(xs)
	zls, zus, his := s.zl[lo:hi][:k], s.zu[lo:hi][:k], s.m.hi[lo:hi][:k]
	dxs, dzls, dzus := d.dx[lo:hi][:k], d.dzl[lo:hi][:k], d.dzu[lo:hi][:k]
	if st.longP {
		for j, x := range xs {
			xs[j] = longStep(x, dxs[j], his[j])
		}
	} else {
		axpy(st.ap, dxs, xs)
	}
	if st.longD {
		for j, zl := range zls {
			zls[j] = longDualStep(zl, dzls[j])
			zus[j] = longDualStep(zus[j], dzus[j])
		}
	} else {
		axpy(st.ad, dzls, zls)
		axpy(st.ad, dzus, zus)
	}
}

// stepRows takes the pending step over the EV rows [r0, r1) of yE.
func (s *ipm) stepRows(r0, r1 int, d dir) {
	axpy(s.st.ady, d.dyE[r0:r1], s.yE[r0:r1])
}

// stepCoupling takes the pending step over the coupling rows of yC.
func (s *ipm) stepCoupling(d dir) {
	for i := range s.yC {
		s.yC[i] += s.st.ady * d.dyC[i]
	}
}

// flush takes the pending step along d, if there is one, in a pass of
// its own.
func (s *ipm) flush(d dir) {
	if !s.st.pending {
		return
	}
	chunks(s.nc, s.m.nx, s.team, func(_, lo, hi int) { s.stepKernel(lo, hi, d) })
	chunks(s.nc, s.m.nEVR, s.team, func(_, lo, hi int) { s.stepRows(lo, hi, d) })
	s.stepCoupling(d)
	s.st.pending = false
}
