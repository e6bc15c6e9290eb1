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
	m                          *lpModel
	k                          *kkt
	team                       *team
	nc                         int
	x, zl, zu, D, rd, at, rhat []float64
	yE, yC, rpE, rpC, tE, tC   []float64
	load, atq                  []float64 // scratch of mul and aty
	part                       [][6]float64
	// rowPart holds per range of the EV rows its largest residual and
	// its part of b·y, then the coupling rows' largest residual.
	rowPart [][2]float64
	// dSpare is the other of two buffers for D: each iteration writes
	// its scaling into the one the last factorisation was not made with,
	// so that the kkt keeps a consistent factorisation and scaling until
	// the next factor (projectOntoRows solves with them).
	dSpare []float64
	// yEb, yCb hold the duals of the chain bound (fullStepDuals), made
	// when the first certification needs them.
	yEb, yCb []float64
	// mem is where the solve's vectors come from (nil: make).
	mem *memory
	// certifications counts the certifications run has made, failed or
	// not: what predictedGap saves is in this count, not in the result.
	certifications int
}

func newIPM(m *lpModel, t *team) *ipm { return newIPMIn(m, t, nil) }

// newIPMIn is newIPM taking its vectors, and its kkt's, from mem.
func newIPMIn(m *lpModel, t *team, mem *memory) *ipm {
	n := m.nx
	s := &ipm{m: m, k: newKKTIn(m, t, true, mem), team: t, nc: chunkCount(n, t), mem: mem}
	for _, v := range []*[]float64{&s.x, &s.zl, &s.zu, &s.D, &s.dSpare, &s.rd, &s.at, &s.rhat} {
		*v = mem.floats(n)
	}
	for _, v := range []*[]float64{&s.yE, &s.rpE, &s.tE} {
		*v = mem.floats(m.nEVR)
	}
	for _, v := range []*[]float64{&s.yC, &s.rpC, &s.tC} {
		*v = mem.floats(m.nC)
	}
	s.load, s.atq = mem.floats(m.mulScratchLen()), mem.floats(m.atyScratchLen())
	s.part = make([][6]float64, s.nc)
	s.rowPart = make([][2]float64, s.nc+1)
	return s
}

// maxStep returns the largest step in (0,1] that keeps v + a*dv >= 0.
func maxStep(v, dv float64, a float64) float64 {
	// -v/dv < a  <=>  -v > a*dv for dv < 0: divide only when it binds.
	// For v > 0 the first test implies dv < 0 and is rarely true, so the
	// branch predicts well; testing the sign of dv first (a coin flip
	// per entry) cost a misprediction every other call.
	if -v > a*dv && dv < 0 {
		return -v / dv
	}
	return a
}

// maxDualStep is maxStep for a dual that also keeps rest, the step to the
// boundary over the duals whose own step is at least dualBlockBelow: the
// step the others can take when the blocking duals step alone
// (blockedDualStep). a <= rest throughout.
func maxDualStep(z, dz, a, rest float64) (float64, float64) {
	if -z > rest*dz && dz < 0 {
		r := -z / dz
		if r >= dualBlockBelow {
			rest = r
		}
		a = min(a, r)
	}
	return a, rest
}

// dir is a search direction.
type dir struct {
	dx, dzl, dzu []float64
	dyE, dyC     []float64
}

func newDir(m *lpModel, mem *memory) dir {
	return dir{mem.floats(m.nx), mem.floats(m.nx), mem.floats(m.nx), mem.floats(m.nEVR), mem.floats(m.nC)}
}

// direction solves the Newton system whose complementarity right-hand
// sides rl, ru sit in d.dzl, d.dzu and whose reduced right-hand side rhat
// and D*rhat sit in s.rhat and d.dx: dy from (A D A^T) dy = [rp] + A D rhat,
// then dx = D (A^T dy - rhat), dzl = (rl - zl dx)/sl, dzu = (ru + zu dx)/su.
// It returns the primal and dual step lengths to the boundary, and the
// dual step over the duals whose own step is at least dualBlockBelow
// (maxDualStep; 1 with aff, which does not need it). Each pass
// over the variables does as much as it can: at 10,000 EVs and more the
// iteration is bound by memory traffic, not arithmetic.
//
// With base, d ends holding base plus the new direction and the step
// lengths are those along the sum: a corrector then costs no extra passes
// to measure and accumulate it.
//
// With aff (the predictor), the complementarity right-hand sides are the
// affine ones, -sl zl and -su zu, computed here rather than read from d
// (two fewer passes over memory), and it also returns the complementarity
// sum(sl zl + su zu) after the steps to the boundary.
func (s *ipm) direction(d dir, withRP bool, base *dir, aff bool) (ap, ad, adRest, comp float64) {
	m := s.m
	m.mul(d.dx, s.tE, s.tC, s.load, s.team)
	if withRP {
		s.rowsAxpy(1, s.rpE, s.tE, s.rpC, s.tC)
	}
	s.k.solve(s.tE, s.tC, d.dyE, d.dyC)
	m.aty(d.dyE, d.dyC, s.at, s.atq, s.team)
	for c := range s.part {
		s.part[c] = [6]float64{1, 1, 1}
	}
	chunks(s.nc, m.nx, s.team, func(c, lo, hi int) {
		p := &s.part[c]
		aP, aD, aR := p[0], p[1], p[2]
		// Every slice cut to the range: the loops then index them without
		// bounds checks or reloads, a quarter of the time of the pass.
		xs, zls, zus, his := s.x[lo:hi], s.zl[lo:hi], s.zu[lo:hi], m.hi[lo:hi]
		n := len(xs)
		zls, zus, his = zls[:n], zus[:n], his[:n]
		Ds, ats, rhs := s.D[lo:hi][:n], s.at[lo:hi][:n], s.rhat[lo:hi][:n]
		dxs, dzls, dzus := d.dx[lo:hi][:n], d.dzl[lo:hi][:n], d.dzu[lo:hi][:n]
		if base != nil {
			bx, bl, bu := base.dx[lo:hi][:n], base.dzl[lo:hi][:n], base.dzu[lo:hi][:n]
			for j, x := range xs {
				zl, zu := zls[j], zus[j]
				sl, su := x, his[j]-x
				dx := Ds[j] * (ats[j] - rhs[j])
				dzl := (dzls[j] - zl*dx) / sl
				dzu := (dzus[j] + zu*dx) / su
				dx, dzl, dzu = dx+bx[j], dzl+bl[j], dzu+bu[j]
				dxs[j], dzls[j], dzus[j] = dx, dzl, dzu
				aP = maxStep(sl, dx, aP)
				aP = maxStep(su, -dx, aP)
				aD, aR = maxDualStep(zl, dzl, aD, aR)
				aD, aR = maxDualStep(zu, dzu, aD, aR)
			}
			p[0], p[1], p[2] = aP, aD, aR
			return
		}
		if aff {
			// The complementarity after steps (ap, ad) is bilinear in
			// them: sum (sl+ap dx)(zl+ad dzl) + (su-ap dx)(zu+ad dzu) =
			// S0 + ap Sp + ad Sd + ap ad Spd, so the predictor's sums
			// come out of this pass and Mehrotra's sigma needs no other.
			var s0, sp, sd, spd float64
			for j, x := range xs {
				zl, zu := zls[j], zus[j]
				sl, su := x, his[j]-x
				dx := Ds[j] * (ats[j] - rhs[j])
				// The affine right-hand sides are -sl zl and -su zu.
				dzl := -zl * (1 + dx/sl)
				dzu := -zu * (1 - dx/su)
				dxs[j], dzls[j], dzus[j] = dx, dzl, dzu
				aP = maxStep(sl, dx, aP)
				aP = maxStep(su, -dx, aP)
				aD = maxStep(zl, dzl, aD)
				aD = maxStep(zu, dzu, aD)
				s0 += sl*zl + su*zu
				sp += dx * (zl - zu)
				sd += sl*dzl + su*dzu
				spd += dx * (dzl - dzu)
			}
			p[0], p[1], p[2], p[3], p[4], p[5] = aP, aD, s0, sp, sd, spd
			return
		}
		for j, x := range xs {
			zl, zu := zls[j], zus[j]
			sl, su := x, his[j]-x
			dx := Ds[j] * (ats[j] - rhs[j])
			dzl := (dzls[j] - zl*dx) / sl
			dzu := (dzus[j] + zu*dx) / su
			dxs[j], dzls[j], dzus[j] = dx, dzl, dzu
			aP = maxStep(sl, dx, aP)
			aP = maxStep(su, -dx, aP)
			aD, aR = maxDualStep(zl, dzl, aD, aR)
			aD, aR = maxDualStep(zu, dzu, aD, aR)
		}
		p[0], p[1], p[2] = aP, aD, aR
	})
	ap, ad, adRest = 1, 1, 1
	var sums [4]float64
	for _, p := range s.part {
		ap, ad = min(ap, p[0]), min(ad, p[1])
		if aff {
			for i := range sums {
				sums[i] += p[2+i]
			}
		} else {
			adRest = min(adRest, p[2])
		}
	}
	if aff {
		comp = max(0, sums[0]+ap*sums[1]+ad*sums[2]+ap*ad*sums[3])
	}
	return ap, ad, adRest, comp
}

// Gondzio's centrality correctors: at most maxCorrectors per iteration,
// each kept only if it lengthens the step by a useful amount. Each costs a
// solve, and since blocked variables take their own step (longStep) they
// save fewer iterations than they cost, unless the factorisation is the
// dearer part of an iteration: with few EVs per feeder, whose dense blocks
// (lpModel.denseWork, the sum of their sizes cubed) cost more than
// correctorWork passes over the variables. Measured (go run
// ./dispatch/bench): with two correctors on every instance, 10,000 x 10
// took 1.26 s and 100,000 x 10 18.6 s; with this rule, 1.08 s and 14.7 s.
// 1,000 x 100 kept them then: 0.40 s, 0.44 s without. Since the dense
// blocks are cut to the slots that have rows and run in block kernels,
// they pay nowhere measured (seed 7, best of five): 1,000 x 100 148 ms
// with them (13 iterations), 135 ms without (16); 3,000 x 100 223 and
// 190 ms; 100 x 50 32 and 28 ms; 1,000 x 10 65 and 55 ms. So the rule
// keeps them only for blocks ten times denser than that.
const (
	maxCorrectors = 2
	correctorWork = 2000
	betaMin       = 0.1
	betaMax       = 10
	stepFraction  = 0.9995
	// maxSigma caps Mehrotra's centring parameter. One blocking variable
	// among hundreds of thousands (typically the discharge of an EV in a
	// near-tie between slots) shortens the predictor step and drives
	// sigma towards 1, so mu would barely fall; capped, mu keeps falling
	// while the long steps (longStep) look after the blocking variables.
	// On 15 generated instances of 1,000 to 30,000 EVs: 460 iterations
	// at 0.3, 430 at 0.15, 425 at 0.1; 0.15 is the more cautious of the
	// two that still converge to 1e-9 on every CLP cross-check.
	maxSigma = 0.15
)

// Individual steps. In most iterations one variable out of hundreds of
// thousands (typically an EV's discharge in a near-tie between slots,
// docs/dispatch.md) limits the primal step of all the others to 0.1 or
// 0.3, and near the end one dual does the same to the dual step. When the
// common primal step is below longStepBelow, every variable instead steps
// by longStepLength, except that none moves more than longStepClip of the
// way to its bound: the blocking ones stop there. When the common dual
// step is below dualLongBelow, the duals do the same with dualLongLength
// (the row duals move by dualLongLength).
//
// That breaks A x = b in the rows of the stopped variables (their SoC
// chain and their slot's load rows), and the dual rows of the stopped
// duals; the next Newton step, which carries both residuals, mends them.
// Nothing certified depends on it: the bound holds for any duals and the
// schedule is repaired from any iterate. Near the end the common steps
// are long and the method is the textbook one, so it still converges to
// 1e-9 (the CLP cross-checks). On 15 generated instances of 1,000 to
// 30,000 EVs: 563 iterations with neither, 382 with the primal long steps
// (and the chain bound), 273 with both; 100,000 x 10 takes 22 instead of
// 74 (docs/dispatch.md, "Why iterations grew"). Long dual steps in every
// iteration, or as long as the primal ones, failed: mu fell far ahead of
// the infeasibility and the iterates broke down.
const (
	longStepBelow  = 0.8
	longStepLength = 0.85
	longStepClip   = 0.65
	dualLongBelow  = 0.25
	dualLongLength = 0.6
	// dualBlockBelow: when the common dual step lies between
	// dualLongBelow and it, the duals whose own step is below it (tens
	// among tens of thousands) stop longStepClip of the way to 0 and the
	// others, and the row duals, take the step over the rest
	// (blockedDualStep). That breaks the dual rows of the blocking duals
	// only, which the next step mends. Traced on the 1,000 x 100
	// benchmarks (docs/benchmarks.md, "Fewer interior point iterations"),
	// the common dual step was 0.25 to 0.75, held there by tens of duals
	// (of a charge, a SoC or a penalty segment leaving its bound), and it
	// set how fast mu fell (about 0.55x an iteration). On 300 generated instances 3,720 -> 3,302 iterations at
	// 1e-4, 5,200 -> 4,716 at 1e-8 (with dualBlockRise). Applied below
	// dualLongBelow too, it broke down on 10,000 EVs (mu fell ahead of the
	// primal residual).
	dualBlockBelow = 0.8
	// dualBlockRise: the blocking duals step alone only while the largest
	// primal residual has not grown by more than this over the last
	// iteration. Where the primal steps are short, unguarded, mu fell
	// ahead of a primal residual that stayed at 100 to 400 kW (the bench
	// tool's 1,000 x 10: 19 iterations instead of 16); guarded it is 16,
	// and the sweep 3,302 iterations at 1e-4 and 4,716 at 1e-8. At 1.5 one
	// instance of the sweep broke down at 1e-8.
	dualBlockRise = 1.25
)

// longStep returns x + longStepLength*dx, or, when that would leave less
// than 1-longStepClip of the slack to 0 or hi, the point longStepClip of
// the way there.
func longStep(x, dx, hi float64) float64 {
	if dx < 0 {
		if -longStepLength*dx > longStepClip*x {
			return x - longStepClip*x
		}
	} else if s := hi - x; longStepLength*dx > longStepClip*s {
		return x + longStepClip*s
	}
	return x + longStepLength*dx
}

// blockingDualsAlone reports whether the blocking duals step alone
// (blockedDualStep) after a common dual step to the boundary of ad, with
// pinf the largest primal residual of this iteration and pinfPrev that of
// the one before: between the long dual steps (below dualLongBelow) and
// the common step (from dualBlockBelow), and only while the primal
// residual does not grow by more than dualBlockRise.
func blockingDualsAlone(ad, pinf, pinfPrev float64) bool {
	return ad >= dualLongBelow && ad < dualBlockBelow && pinf <= dualBlockRise*pinfPrev
}

// blockedDualStep steps a variable's two duals zl, zu by a along dzl, dzu,
// or, when the own step to 0 of either is below dualBlockBelow (a blocking
// dual), both by the step that takes the blocking one longStepClip of the
// way to 0. a is the step over the others (maxDualStep), so no dual
// reaches 0. Both move together, as the variable's own long step moves
// both its slacks: stepping the other dual by a instead took 10,000 x 100
// (seed 7) to 1e-8 in 40 iterations instead of 23.
func blockedDualStep(zl, zu, dzl, dzu, a float64) (float64, float64) {
	st := a
	if dzl < 0 && -dualBlockBelow*dzl > zl {
		st = min(st, longStepClip*zl/-dzl)
	}
	if dzu < 0 && -dualBlockBelow*dzu > zu {
		st = min(st, longStepClip*zu/-dzu)
	}
	return zl + st*dzl, zu + st*dzu
}

// longDualStep returns z + dualLongLength*dz, or, when that would leave
// less than 1-longStepClip of z, the point longStepClip of the way to 0.
func longDualStep(z, dz float64) float64 {
	if dz < 0 && -dualLongLength*dz > longStepClip*z {
		return z - longStepClip*z
	}
	return z + dualLongLength*dz
}

// startInside is how far inside its box (a share of the box) the start
// point puts an EV's variable that its start schedule leaves at or near a
// bound (startFromSchedule). The counts are rough in it: of 0.1, 0.12,
// 0.15, 0.17 and 0.2, only 0.12 and 0.17 took no more iterations than the
// midpoint start on any of the bench tool's six instances (0.15: 100,000
// x 100 17 instead of 16; 0.1 and 0.2: 1,000 x 10 17 and 24 instead of
// 16), and 0.17 also took BenchmarkSolve1000F100's instance from 11 to 10
// (docs/benchmarks.md, "A start from a schedule").
const startInside = 0.17

// startFromSchedule sets the EVs' variables of the start point from
// schedule sc (run's: the proportional top-up of the idle schedule):
// charge and discharge kept startInside of their boxes inside, the SoC
// chain walked from those powers, the unused wear budget, and unmet energy
// u or surplus r taking up what the chain ends short of or over its
// target. Every value is kept startInside inside its box. The segment
// variables and every dual are left to run.
//
// From the box midpoints every EV charges half its power through its whole
// stay, so its chain ends tens of kWh over capacity, and the first Newton
// steps, mending that, were cut to 0.13 to 0.25 by hundreds of EVs' surplus
// r running into its bounds. From a schedule the chain rows hold but where
// the push inside or the SoC box breaks them. On the 300 generated
// instances of docs/benchmarks.md 3,302 -> 3,084 iterations at 1e-4 and
// 4,716 -> 4,475 at 1e-8; 100,000 EVs on 10 and 100 feeders 20 -> 18 and
// 16 -> 15. The top-up and not the greedy schedule (fillIdle), which
// serves EVs one by one: EVs in the same situation must start alike, or
// they end apart (20 identical EVs got 1.7 to 6.2 kW from the greedy
// start, TestFairnessUnderBindingFeeder). The midpoint's duals, kept, did
// better than duals centred at the start's x (mu/slack, with or without
// meeting the dual rows; measured from the greedy schedule).
//
// Each EV's variables are its own, so the EVs are set in chunks on the
// team: serial, this was 3.5 ms of a 10,000-EV solve's start on one core
// (0.3 ms at 1,000 EVs) while the other core idled.
func (s *ipm) startFromSchedule(sc schedule) {
	n := len(s.m.evs)
	nc := min(n, 4*s.team.size())
	chunks(nc, n, s.team, func(_, lo, hi int) { s.startEVs(sc, lo, hi) })
}

// startEVs is startFromSchedule for EV blocks lo..hi-1.
func (s *ipm) startEVs(sc schedule, lo, hi int) {
	m := s.m
	in := func(v, hi float64) float64 {
		return math.Min(math.Max(v, startInside*hi), (1-startInside)*hi)
	}
	for i := lo; i < hi; i++ {
		b := &m.evs[i]
		c, g := sc.charge[b.ev], sc.discharge[b.ev]
		e := b.e0 - b.eMin // the chain's SoC is above the minimum
		if !b.chained() {
			e = -m.bE[b.r0] // its row: sum dt etaC c + u - r = bE
		}
		worn := 0.0
		for k := 0; k < b.K; k++ {
			if b.oc >= 0 {
				ck := in(c[k], m.hi[b.oc+k])
				s.x[b.oc+k] = ck
				e += m.dt * b.etaC * ck
			}
			if b.og >= 0 {
				gk := in(g[k], m.hi[b.og+k])
				s.x[b.og+k] = gk
				e -= m.dt / b.etaD * gk
				worn += m.dt * gk
			}
			if b.chained() {
				// The walk goes on from e, not from the SoC kept
				// inside: a chain that leaves its box then breaks its
				// rows where it leaves and where it comes back only.
				// Walking on from the SoC kept inside was no clear
				// winner (the sweep at 1e-4: 3,018 against 3,013 from
				// the greedy schedule, 3,060 against 3,082 from this
				// one with 0.15; 100,000 x 100 17 either way).
				s.x[b.oe+k] = in(e, m.hi[b.oe+k])
			}
		}
		if b.chained() {
			// The target row: e_K + u - r = bE, from the SoC kept inside.
			e = s.x[b.oe+b.K-1] - m.bE[b.r0+b.K]
		}
		if b.oq >= 0 {
			s.x[b.oq] = in(m.hi[b.oq]-worn, m.hi[b.oq]) // dt sum g + q = budget
		}
		s.x[b.ou] = in(-e, m.hi[b.ou])
		s.x[b.or] = in(e, m.hi[b.or])
	}
}

// run iterates until the certified gap reaches gapTol, the iteration or
// time limit (lim, nil for none), or ctx ends.
func (s *ipm) run(ctx context.Context, p *Problem, gapTol float64, maxIt int, lim *limit) (*Result, error) {
	m := s.m
	n := m.nx
	if lim != nil && lim.passed(0, lim.iter) {
		// Before even the start point and the scratch of pricing
		// (hundreds of MB at 100,000 EVs). Building took longer than
		// estimated: the time left goes on the dual bound, as if the LP
		// had not been built.
		if err := lim.afterStop(ctx, s.team, m, nil); err != nil {
			return nil, err
		}
		return lim.result(p, StatusTimeLimit, 0, math.Inf(-1)), nil
	}
	d := newDir(m, s.mem)
	for j := 0; j < n; j++ {
		h := 0.5 * m.hi[j]
		s.x[j] = h
		// Duals that meet the dual rows at y = 0 with complementarity
		// products near 1, so the start is centred even in wide boxes.
		s.zl[j] = 1/h + math.Max(m.cost[j], 0)
		s.zu[j] = 1/h + math.Max(-m.cost[j], 0)
	}
	// Any iterate repairs into a feasible schedule, and the model prices
	// it exactly: at or below the interior point objective, which pays for
	// partly filled penalty segments and unmet energy that the schedule
	// does not incur. So pricing iterates can certify the gap
	// iterations before the interior point gap closes. The schedule and
	// the top-up serve first to make the schedule the EVs' variables start
	// from (startFromSchedule); their duals stay the midpoint's above.
	sched, polished := newScheduleIn(p, s.mem), newScheduleIn(p, s.mem)
	var topUp *toppingUp
	if lim != nil {
		topUp = lim.u // the greedy schedule's, free again
	} else {
		topUp = newToppingUp(p)
	}
	topUp.apply(sched) // sched is all idle: the proportional top-up
	s.startFromSchedule(sched)
	// Segment midpoints can be thousands of kW from the starting load; fill
	// each coupling row's segments in slope order up to that load instead
	// (kept strictly inside their boxes), which saves an iteration or two.
	m.mul(s.x, s.rpE, s.rpC, s.load, s.team)
	for r := 0; r < m.nC; r++ {
		// Row r reads load - sum sigma = bC, so sum sigma should be
		// (load - sum sigma) + sum sigma - bC.
		need := s.rpC[r] - m.bC[r]
		for j := m.seg0[r]; j < m.seg0[r+1]; j++ {
			need += s.x[j]
		}
		for j := m.seg0[r]; j < m.seg0[r+1]; j++ {
			w := m.hi[j]
			v := math.Min(math.Max(need, 0), w)
			need -= v
			s.x[j] = math.Min(math.Max(v, 0.05*w), 0.95*w)
			s.zl[j] = 0.5/s.x[j] + math.Max(m.cost[j], 0)
			s.zu[j] = 0.5/(w-s.x[j]) + math.Max(-m.cost[j], 0)
		}
	}
	bScale := 1.0
	for _, v := range m.bE {
		bScale = math.Max(bScale, math.Abs(v))
	}
	for _, v := range m.bC {
		bScale = math.Max(bScale, math.Abs(v))
	}
	var best *Result
	chainPart, chainSc := make([]float64, len(m.groups)), m.chainScratch()
	bestBound := math.Inf(-1)
	finish := func(st Status, it int) *Result {
		if lim != nil {
			return lim.result(p, st, it, bestBound)
		}
		best.Status = st
		best.Iterations = it
		return best
	}
	correctors := 0
	var c dir // the correctors' direction, only when there are any
	if m.denseWork() > correctorWork*n {
		correctors = maxCorrectors
		c = newDir(m, s.mem)
	}
	// lastStep is how far along its direction the last step moved the
	// row duals, 0 before the first step.
	lastStep := 0.0
	// polishIterate repairs, polishes, tops up and prices the schedule of
	// iterate it, from x (the iterate or its projection onto the rows):
	// any feasible schedule bounds the optimum from above, and the
	// polished one is nearly always the cheaper, so the certificate
	// prices only it. polishedAt is the iteration whose schedule polished
	// holds, priced at polishedObj: a certification that succeeds is
	// followed by a consider of the same iterate, which then does not
	// build and price it again.
	polishedAt, polishedObj := -1, 0.0
	// One Result's series for every pricing of the solve (pricer): pr
	// prices the polished schedules, rpr the repaired ones, so that each
	// still holds its schedule's loads, slacks and costs when consider
	// makes the Result of the cheaper (pricer.result).
	pr, rpr := newPricer(p), newPricer(p)
	polishIterate := func(it int, x []float64) float64 {
		if polishedAt != it {
			repairInto(p, m, x, polished, s.team)
			polish(p, polished)
			topUp.apply(polished)
			polishedAt, polishedObj = it, pr.objective(p, polished)
		}
		return polishedObj
	}
	// consider keeps the cheaper of the repaired and the polished schedule
	// of iterate it, made from x as in polishIterate, if it beats the best
	// so far, and returns the best's certified gap. With a time limit the
	// best is lim's, which also holds the greedy schedule, and the Result
	// is filled in only at the end.
	consider := func(it int, x []float64) float64 {
		obj := polishIterate(it, x)
		repairInto(p, m, x, sched, s.team)
		sobj := rpr.objective(p, sched)
		if lim != nil {
			lim.offer(polished, obj)
			lim.offer(sched, sobj)
			return lim.gap(bestBound)
		}
		// Full results (four series per EV) only for the one kept.
		sc, spr := sched, rpr
		if obj <= sobj {
			sc, spr = polished, pr
		}
		r := spr.result(p, sc, s.team)
		if best == nil || r.Objective < best.Objective {
			best = r
		}
		best.LowerBound = math.Min(bestBound, best.Objective)
		best.Gap = (best.Objective - best.LowerBound) / math.Max(1, math.Abs(best.Objective))
		return best.Gap
	}
	// stop ends the solve when ctx is done or the time limit says so
	// before work expected to take next (lim.passed), also between the
	// phases of an iteration: until the step is taken, x is still iterate
	// it. Before the first step the start point's schedule is worse than
	// the greedy one lim holds, which also comes with a far better bound
	// than the start's duals give. After minSteps steps or more, the
	// iterate is priced if that still ends in time; else the best schedule
	// priced so far (an earlier certification's, or the greedy one) is
	// returned. Either way the time left then goes on dual steps
	// (lim.afterStop), from the better of the iterate's duals and the
	// dual bound's after minSteps steps or more, else from the dual
	// bound's.
	//
	// An iterate of fewer steps is not priced: a stop that early comes
	// from iterations slower than estimated when the LP was built, its
	// schedule did not beat the greedy one on the generated 10,000- and
	// 100,000-EV instances, and its chain bound is below what the dual
	// steps reach in the pricing's time (docs/dispatch.md, "Time limit").
	stop := func(it int, next time.Duration) (*Result, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if lim == nil || !lim.passed(it, next) {
			return nil, nil
		}
		if it >= minSteps && lim.canPrice() {
			// The chain bound at these duals is far above the box bound
			// this early, and it runs beside the pricing, on the other
			// core.
			cb := m.chainBound(s.yE, s.yC, chainPart, chainSc, s.team, func() { consider(it, s.x) })
			bestBound = math.Max(bestBound, cb)
		}
		// A young iterate's duals are a worse start than the dual
		// bound's own: from them the steps climb more slowly.
		yC := s.yC
		if it < minSteps {
			yC = nil
		}
		if err := lim.afterStop(ctx, s.team, m, yC); err != nil {
			return nil, err
		}
		return finish(StatusTimeLimit, it), nil
	}
	iterStart := time.Now()
	// pinfPrev is the largest primal residual of the iteration before
	// (blockingDualsAlone's guard), +Inf before the first.
	pinfPrev := math.Inf(1)
	for it := 0; ; it++ {
		if lim != nil && it > 0 {
			now := time.Now()
			lim.measuredIter(now.Sub(iterStart), it == 1)
			iterStart = now
		}
		// Will one more iteration, and pricing its iterate, still end in
		// time? Before minSteps, will the iterations up to it? If not,
		// the ones before a stop would be spent for nothing (lim.toPrice).
		var next time.Duration
		if lim != nil {
			next = lim.toPrice(it)
		}
		if r, err := stop(it, next); r != nil || err != nil {
			return r, err
		}
		m.mul(s.x, s.rpE, s.rpC, s.load, s.team)
		m.aty(s.yE, s.yC, s.at, s.atq, s.team)
		// The pass writes this iterate's scaling beside the one the kkt
		// was factored with, which a certification solves with.
		s.D, s.dSpare = s.dSpare, s.D
		// One region: the pass over the variables (dual residual, scaling
		// D, the predictor's right-hand sides, and the sums for mu, cost·x
		// and the Lagrangian bound), with in each of its items a range of
		// the EV rows' residual, and the coupling rows' residual as one
		// more item; the sums as the three passes made them apart.
		for c := range s.part {
			s.part[c] = [6]float64{}
		}
		nc := s.nc
		chunksAnd(nc, n, s.team, func(c, lo, hi int) {
			s.scalingPass(lo, hi, d.dx, &s.part[c])
			s.rowPart[c][0], s.rowPart[c][1] = s.evResidual(c*m.nEVR/nc, (c+1)*m.nEVR/nc)
		}, func() { s.rowPart[nc][0] = s.couplingResidual() })
		var r [6]float64
		for _, p := range s.part {
			for i := range r {
				r[i] += p[i]
			}
		}
		pinf, by := 0.0, 0.0
		for _, p := range s.rowPart[:nc] {
			pinf, by = max(pinf, p[0]), by+p[1]
		}
		pinf = math.Max(pinf, s.rowPart[nc][0]) // the coupling rows'
		for i, y := range s.yC {
			by += m.bC[i] * y
		}
		mu := r[0] / float64(2*n)
		pobj := r[1] + m.konst
		bound := by + r[2] + m.konst
		bestBound = math.Max(bestBound, bound)
		relgap := (pobj - bestBound) / math.Max(1, math.Abs(pobj))
		certified := false
		// from is what this iteration's schedule is made from: the
		// iterate, or its projection onto the rows after a certification.
		from := s.x
		// Certify once the box bound is near and the certified gap is
		// predicted to close (certifyShare): a certification that fails
		// costs a third of an iteration for nothing.
		if relgap <= 10*gapTol && predictedGap(r[0], pobj) <= gapTol {
			// Close to the end the chain bound is worth its cost (one
			// pass of small dynamic programmes): it is never below the
			// box bound and often above it. The schedule is priced
			// alongside. After the first step, the schedule comes from
			// the iterate projected onto its rows and the bound from the
			// duals of the last step taken in full (certify.go).
			yE, yC := s.yE, s.yC
			if it > 0 && lastStep < 1 {
				if s.yEb == nil {
					s.yEb, s.yCb = s.mem.floats(m.nEVR), s.mem.floats(m.nC)
				}
				s.fullStepDuals(lastStep, d.dyE, d.dyC, s.yEb, s.yCb)
				yE, yC = s.yEb, s.yCb
			}
			if it > 0 {
				// Until the predictor, which writes d before it reads it,
				// d's duals (read just above) are free for the projection's
				// multipliers and d.dzl for the projected iterate.
				s.projectOntoRows(d.dzl, d.dyE, d.dyC)
				from = d.dzl
			}
			s.certifications++
			var obj float64
			t0 := time.Now()
			cb := m.chainBound(yE, yC, chainPart, chainSc, s.team, func() { obj = polishIterate(it, from) })
			bestBound = math.Max(bestBound, cb)
			if lim != nil {
				// A stop prices the repaired schedule too: about a third
				// more. The schedule is kept if it is the best so far, so
				// a stop that has no time to price its own iterate still
				// returns this one.
				lim.measuredPrice(time.Since(t0) * 4 / 3)
				lim.offer(polished, obj)
			}
			g := (obj - math.Min(bestBound, obj)) / math.Max(1, math.Abs(obj))
			certified = g <= gapTol
		}
		if relgap <= gapTol && pinf <= 1e-3*bScale || certified {
			if g := consider(it, from); g <= gapTol {
				if g <= OptimalGap {
					return finish(StatusOptimal, it), nil
				}
				return finish(StatusWithinGap, it), nil
			}
		}
		if r, err := stop(it, 0); r != nil || err != nil {
			return r, err
		}
		if it >= maxIt {
			consider(it, from)
			return finish(StatusIterationLimit, it), nil
		}

		s.k.factor(s.D)
		if r, err := stop(it, 0); r != nil || err != nil {
			return r, err
		}
		_, _, _, comp := s.direction(d, true, nil, true) // predictor (affine scaling)
		if r, err := stop(it, 0); r != nil || err != nil {
			return r, err
		}
		sigma := math.Pow(comp/float64(2*n)/mu, 3)
		sigma = min(sigma, maxSigma)
		smu := sigma * mu
		// Mehrotra's corrector: target sigma*mu with the predictor's
		// second-order term.
		chunks(s.nc, n, s.team, func(_, lo, hi int) {
			xs := s.x[lo:hi]
			k := len(xs)
			zls, zus, his := s.zl[lo:hi][:k], s.zu[lo:hi][:k], m.hi[lo:hi][:k]
			dxs, dzls, dzus, rds, rhs, Ds := d.dx[lo:hi][:k], d.dzl[lo:hi][:k], d.dzu[lo:hi][:k], s.rd[lo:hi][:k], s.rhat[lo:hi][:k], s.D[lo:hi][:k]
			for j, x := range xs {
				sl, su := x, his[j]-x
				rl := smu - sl*zls[j] - dxs[j]*dzls[j]
				ru := smu - su*zus[j] + dxs[j]*dzus[j]
				dzls[j], dzus[j] = rl, ru
				// One division for two: rl/sl and ru/su over sl su.
				rh := rds[j] + (ru*sl-rl*su)/(sl*su)
				rhs[j] = rh
				dxs[j] = Ds[j] * rh
			}
		})
		ap, ad, adRest, _ := s.direction(d, true, nil, false)
		for k := 0; k < correctors && (ap < 1 || ad < 1); k++ {
			// Gondzio: aim a longer step at a point whose complementarity
			// products all lie in [betaMin, betaMax]*sigma*mu, which is
			// what keeps the next steps long.
			tp, td := min(1, 1.5*ap+0.1), min(1, 1.5*ad+0.1)
			lo, hi := betaMin*smu, betaMax*smu
			chunks(s.nc, n, s.team, func(_, l0, h0 int) {
				for j := l0; j < h0; j++ {
					sl, su := s.x[j], m.hi[j]-s.x[j]
					vl := (sl + tp*d.dx[j]) * (s.zl[j] + td*d.dzl[j])
					vu := (su - tp*d.dx[j]) * (s.zu[j] + td*d.dzu[j])
					rl, ru := clampGap(vl, lo, hi), clampGap(vu, lo, hi)
					c.dzl[j], c.dzu[j] = rl, ru
					s.rhat[j] = -rl/sl + ru/su
					c.dx[j] = s.D[j] * s.rhat[j]
				}
			})
			// c becomes d plus the corrector; keeping it is a swap.
			np, nd, nr, _ := s.direction(c, false, &d, false)
			if np+nd < 1.02*(ap+ad) {
				break
			}
			s.rowsAxpy(1, d.dyE, c.dyE, d.dyC, c.dyC)
			d, c = c, d
			ap, ad, adRest = np, nd, nr
		}
		if r, err := stop(it, 0); r != nil || err != nil {
			return r, err
		}
		// A few blocking variables would hold every other one back: when
		// a step is short they get a step of their own (see longStep and
		// blockedDualStep).
		blockD := blockingDualsAlone(ad, pinf, pinfPrev)
		pinfPrev = pinf
		ap, ad = min(1, stepFraction*ap), min(1, stepFraction*ad)
		longP, longD := ap < longStepBelow, ad < dualLongBelow && !blockD
		if blockD {
			ad = min(1, stepFraction*adRest)
		}
		rowStep := ad
		if longD {
			rowStep = dualLongLength // the row duals take the long step
		}
		// The row duals step in the same region: each item a range of the
		// EV rows, and the coupling rows one more item.
		chunksAnd(s.nc, n, s.team, func(c, lo, hi int) {
			rlo, rhi := c*m.nEVR/s.nc, (c+1)*m.nEVR/s.nc
			axpy(rowStep, d.dyE[rlo:rhi], s.yE[rlo:rhi])
			xs := s.x[lo:hi]
			k := len(xs)
			zls, zus, his := s.zl[lo:hi][:k], s.zu[lo:hi][:k], m.hi[lo:hi][:k]
			dxs, dzls, dzus := d.dx[lo:hi][:k], d.dzl[lo:hi][:k], d.dzu[lo:hi][:k]
			if longP {
				for j, x := range xs {
					xs[j] = longStep(x, dxs[j], his[j])
				}
			} else {
				axpy(ap, dxs, xs)
			}
			switch {
			case longD:
				for j, zl := range zls {
					zls[j] = longDualStep(zl, dzls[j])
					zus[j] = longDualStep(zus[j], dzus[j])
				}
			case blockD:
				for j, zl := range zls {
					zls[j], zus[j] = blockedDualStep(zl, zus[j], dzls[j], dzus[j], ad)
				}
			default:
				axpy(ad, dzls, zls)
				axpy(ad, dzus, zus)
			}
		}, func() {
			for i := range s.yC {
				s.yC[i] += rowStep * d.dyC[i]
			}
		})
		lastStep = rowStep
	}
}

// clampGap returns how far v must move to lie in [lo, hi], but never more
// than hi downwards: a product far above the target is left to later
// iterations rather than forcing a huge correction now.
func clampGap(v, lo, hi float64) float64 {
	switch {
	case v < lo:
		return lo - v
	case v > hi:
		if v-hi > hi {
			return -hi
		}
		return hi - v
	}
	return 0
}
