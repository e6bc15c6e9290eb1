package dispatch

// The element-wise work of an interior point iteration, over one range
// [lo, hi) of the variables. ipmpass.go runs each over a batch of EVs'
// variables right after the batch's part of Aᵀ y, which is passed in at
// (at[j-lo] is entry j), and before the batch's part of A dx: the arrays
// are then read once per pass, from cache, rather than once per product
// and once per kernel. Every slice is cut to the range first, so the loops
// index them without bounds checks or reloads.
//
// The reduced right-hand side rhat of a direction is not kept: only
// D rhat is, in the direction's dx, where A dx reads it, and the kernel
// that finishes the direction takes dx = D (at - rhat) as D at - D rhat.
// That is an array fewer to write twice and read twice per iteration.
//
// Divisions bound these loops (a few cycles each, against a fraction of
// a cycle for a multiply), so the residual kernel's one division per
// variable also gives 1/(sl su), and the later kernels multiply by it.

// residualKernel computes, for the variables in [lo, hi), the dual
// residual rd, the scaling D, the reciprocal ip of the slack product
// sl su and, into d.dx, D rhat for the predictor's reduced right-hand side
// rhat (the input of A dx), and returns their sums for mu, cost·x and the
// Lagrangian bound (the minimum of the reduced cost over each box).
func (s *ipm) residualKernel(lo, hi int, at []float64, d dir) (comp, cx, lag float64) {
	m := s.m
	xs := s.x[lo:hi]
	n := len(xs)
	zls, zus, his, costs := s.zl[lo:hi][:n], s.zu[lo:hi][:n], m.hi[lo:hi][:n], m.cost[lo:hi][:n]
	ats, rds, Ds, dxs, ips := at[:n], s.rd[lo:hi][:n], s.D[lo:hi][:n], d.dx[lo:hi][:n], s.ip[lo:hi][:n]
	for j, x := range xs {
		zl, zu := zls[j], zus[j]
		sl, su := x, his[j]-x
		rc := costs[j] - ats[j]
		rd := rc - zl + zu
		// D = sl su / (zl su + zu sl) and 1/(sl su) from one division.
		p, q := sl*su, zl*su+zu*sl
		w := 1 / (p * q)
		D := p * p * w
		rds[j] = rd
		Ds[j] = D
		ips[j] = q * w
		dxs[j] = D * (rd + zl - zu)
		comp += sl*zl + su*zu
		cx += costs[j] * x
		// min, not a branch on the sign of rc: a coin flip per variable
		// near the centre, whose mispredictions cost more than the
		// multiply-add (four times as long on random signs).
		lag += min(rc, 0) * his[j]
	}
	return comp, cx, lag
}

// affineKernel finishes the predictor (affine scaling) direction over
// [lo, hi) from at = Aᵀ dy and D rhat in d.dx: dx = D at - D rhat, and
// dzl, dzu from the affine complementarity right-hand sides -sl zl and
// -su zu, computed here rather than read. It lowers aP, aD to the steps
// to the boundary and returns the sums that give the complementarity
// after steps (ap, ad): it is bilinear in them, sum (sl+ap dx)(zl+ad dzl)
// + (su-ap dx)(zu+ad dzu) = s0 + ap sp + ad sd + ap ad spd, so Mehrotra's
// sigma needs no other pass. s0 = sum(sl zl + su zu) is the residual
// pass's, and sl dzl + su dzu = -(sl zl + su zu) - dx (zl - zu) makes sd
// = -s0 - sp, so only sp = sum dx (zl - zu) and spd = sum dx (dzl - dzu)
// are summed here (the loop is short of registers).
//
// Nothing reads the predictor afterwards but Mehrotra's corrector, whose
// right-hand sides are affine in sigma mu (smu), which is known only
// once this pass is summed: rl = smu + rl0 with rl0 = -sl zl - dx dzl,
// ru = smu + ru0 with ru0 = -su zu + dx dzu, and D rhat = DA + smu DB with
// DA = D (rd + (ru0 sl - rl0 su)/(sl su)) and DB = D (sl - su)/(sl su). So
// the kernel leaves rl0, ru0 and DA in d in place of the predictor, and
// DB in s.dB: the pass that follows takes A DA and A DB, and the
// corrector's right-hand side is their combination, without a pass of
// its own over the variables.
func (s *ipm) affineKernel(lo, hi int, at []float64, d dir, aP, aD float64) (ap, ad, sp, spd float64) {
	m := s.m
	xs := s.x[lo:hi]
	n := len(xs)
	zls, zus, his, rds := s.zl[lo:hi][:n], s.zu[lo:hi][:n], m.hi[lo:hi][:n], s.rd[lo:hi][:n]
	Ds, ats, ips, dBs := s.D[lo:hi][:n], at[:n], s.ip[lo:hi][:n], s.dB[lo:hi][:n]
	dxs, dzls, dzus := d.dx[lo:hi][:n], d.dzl[lo:hi][:n], d.dzu[lo:hi][:n]
	for j, x := range xs {
		zl, zu := zls[j], zus[j]
		sl, su := x, his[j]-x
		D, ip := Ds[j], ips[j]
		dx := D*ats[j] - dxs[j]
		// dx/sl and dx/su without dividing: 1/sl = su/(sl su).
		u := dx * ip
		dzl := -zl * (1 + u*su)
		dzu := -zu * (1 - u*sl)
		aP = maxStep(sl, dx, aP)
		aP = maxStep(su, -dx, aP)
		aD = maxStep(zl, dzl, aD)
		aD = maxStep(zu, dzu, aD)
		sp += dx * (zl - zu)
		spd += dx * (dzl - dzu)
		rl0 := -sl*zl - dx*dzl
		ru0 := -su*zu + dx*dzu
		dzls[j], dzus[j] = rl0, ru0
		dxs[j] = D * (rds[j] + (ru0*sl-rl0*su)*ip)
		dBs[j] = D * ((sl - su) * ip)
	}
	return aP, aD, sp, spd
}

// mehrotraKernel finishes Mehrotra's corrector over [lo, hi) from at =
// Aᵀ dy, smu and what affineKernel left (see there): as directionKernel,
// with rl = smu + rl0, ru = smu + ru0 and D rhat = DA + smu DB. It lowers
// aP, aD to the steps to the boundary along the corrector, which d ends
// holding.
func (s *ipm) mehrotraKernel(lo, hi int, at []float64, d dir, smu, aP, aD float64) (ap, ad float64) {
	m := s.m
	xs := s.x[lo:hi]
	n := len(xs)
	zls, zus, his := s.zl[lo:hi][:n], s.zu[lo:hi][:n], m.hi[lo:hi][:n]
	Ds, ats, ips, dBs := s.D[lo:hi][:n], at[:n], s.ip[lo:hi][:n], s.dB[lo:hi][:n]
	dxs, dzls, dzus := d.dx[lo:hi][:n], d.dzl[lo:hi][:n], d.dzu[lo:hi][:n]
	for j, x := range xs {
		zl, zu := zls[j], zus[j]
		sl, su := x, his[j]-x
		ip := ips[j]
		dx := Ds[j]*ats[j] - (dxs[j] + smu*dBs[j])
		dzl := (smu + dzls[j] - zl*dx) * su * ip
		dzu := (smu + dzus[j] + zu*dx) * sl * ip
		dxs[j], dzls[j], dzus[j] = dx, dzl, dzu
		aP = maxStep(sl, dx, aP)
		aP = maxStep(su, -dx, aP)
		aD = maxStep(zl, dzl, aD)
		aD = maxStep(zu, dzu, aD)
	}
	return aP, aD
}

// directionKernel finishes a direction over [lo, hi) from at = Aᵀ dy and
// D rhat in d.dx: dx = D at - D rhat, dzl = (rl - zl dx)/sl and dzu = (ru
// + zu dx)/su with the complementarity right-hand sides rl, ru read from
// d.dzl, d.dzu. With
// base, d ends holding base plus the new direction (a corrector then costs
// no extra pass to measure and accumulate it). It lowers aP, aD to the
// steps to the boundary along what d ends holding.
func (s *ipm) directionKernel(lo, hi int, at []float64, d dir, base *dir, aP, aD float64) (ap, ad float64) {
	m := s.m
	xs := s.x[lo:hi]
	n := len(xs)
	zls, zus, his := s.zl[lo:hi][:n], s.zu[lo:hi][:n], m.hi[lo:hi][:n]
	Ds, ats, ips := s.D[lo:hi][:n], at[:n], s.ip[lo:hi][:n]
	dxs, dzls, dzus := d.dx[lo:hi][:n], d.dzl[lo:hi][:n], d.dzu[lo:hi][:n]
	if base != nil {
		bx, bl, bu := base.dx[lo:hi][:n], base.dzl[lo:hi][:n], base.dzu[lo:hi][:n]
		for j, x := range xs {
			zl, zu := zls[j], zus[j]
			sl, su := x, his[j]-x
			dx := Ds[j]*ats[j] - dxs[j]
			ip := ips[j]
			dzl := (dzls[j] - zl*dx) * su * ip
			dzu := (dzus[j] + zu*dx) * sl * ip
			dx, dzl, dzu = dx+bx[j], dzl+bl[j], dzu+bu[j]
			dxs[j], dzls[j], dzus[j] = dx, dzl, dzu
			aP = maxStep(sl, dx, aP)
			aP = maxStep(su, -dx, aP)
			aD = maxStep(zl, dzl, aD)
			aD = maxStep(zu, dzu, aD)
		}
		return aP, aD
	}
	for j, x := range xs {
		zl, zu := zls[j], zus[j]
		sl, su := x, his[j]-x
		dx := Ds[j]*ats[j] - dxs[j]
		// Divided by sl and su: multiplied by su and sl over sl su.
		ip := ips[j]
		dzl := (dzls[j] - zl*dx) * su * ip
		dzu := (dzus[j] + zu*dx) * sl * ip
		dxs[j], dzls[j], dzus[j] = dx, dzl, dzu
		aP = maxStep(sl, dx, aP)
		aP = maxStep(su, -dx, aP)
		aD = maxStep(zl, dzl, aD)
		aD = maxStep(zu, dzu, aD)
	}
	return aP, aD
}

// gondzioKernel sets, over [lo, hi), the right-hand sides of Gondzio's
// corrector c to the current direction d: how far clampGap moves the
// complementarity products after steps (tp, td) along d towards [gl, gh],
// into c.dzl, c.dzu, and for the reduced one rhat, D rhat into c.dx.
func (s *ipm) gondzioKernel(lo, hi int, d, c dir, tp, td, gl, gh float64) {
	m := s.m
	for j := lo; j < hi; j++ {
		sl, su := s.x[j], m.hi[j]-s.x[j]
		vl := (sl + tp*d.dx[j]) * (s.zl[j] + td*d.dzl[j])
		vu := (su - tp*d.dx[j]) * (s.zu[j] + td*d.dzu[j])
		rl, ru := clampGap(vl, gl, gh), clampGap(vu, gl, gh)
		c.dzl[j], c.dzu[j] = rl, ru
		c.dx[j] = s.D[j] * ((ru*sl - rl*su) * s.ip[j])
	}
}
