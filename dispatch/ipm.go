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
	m                        *lpModel
	k                        *kkt
	team                     *team
	nc                       int
	x, zl, zu, D, rd         []float64
	ip                       []float64 // 1/(sl su), the slacks' product
	dB, tB, tBC              []float64 // DB of affineKernel, A DB by rows
	yE, yC, rpE, rpC, tE, tC []float64
	// Scratch of the passes (ipmpass.go): mul's, each batch's slot
	// vectors of A x, A dx and A DB, the feeders' loads and slot duals,
	// and the coupling rows' segment sums of x, dx and DB.
	load, pX, pD, pB, loadF, qF []float64
	segX, segD, segB            []float64
	batches                     []evBatch
	pieces                      [][2]int    // coupling rows per segment item
	atBuf                       [][]float64 // per item: its part of Aᵀ y
	part                        []passSums  // per item
	st                          step        // the last iteration's, until taken
}

func newIPM(m *lpModel, t *team) *ipm {
	n := m.nx
	s := &ipm{m: m, k: newKKT(m, t), team: t, nc: chunkCount(n, t)}
	for _, v := range []*[]float64{&s.x, &s.zl, &s.zu, &s.D, &s.rd, &s.ip} {
		*v = make([]float64, n)
	}
	for _, v := range []*[]float64{&s.yE, &s.rpE, &s.tE} {
		*v = make([]float64, m.nEVR)
	}
	for _, v := range []*[]float64{&s.yC, &s.rpC, &s.tC, &s.segX, &s.segD, &s.segB} {
		*v = make([]float64, m.nC)
	}
	s.dB, s.tB, s.tBC = make([]float64, n), make([]float64, m.nEVR), make([]float64, m.nC)
	s.load = m.mulScratch()
	s.batches, s.pieces = evBatches(m, batchLimit(m)), segPieces(m)
	for _, v := range []*[]float64{&s.pX, &s.pD, &s.pB} {
		*v = make([]float64, len(s.batches)*m.T)
	}
	s.loadF, s.qF = make([]float64, m.nF*m.T), make([]float64, m.nF*m.T)
	for _, b := range s.batches {
		s.atBuf = append(s.atBuf, make([]float64, b.hi-b.lo))
	}
	for _, pc := range s.pieces {
		s.atBuf = append(s.atBuf, make([]float64, m.seg0[pc[1]]-m.seg0[pc[0]]))
	}
	s.part = make([]passSums, len(s.atBuf))
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

// dir is a search direction.
type dir struct {
	dx, dzl, dzu []float64
	dyE, dyC     []float64
}

func newDir(m *lpModel) dir {
	return dir{make([]float64, m.nx), make([]float64, m.nx), make([]float64, m.nx),
		make([]float64, m.nEVR), make([]float64, m.nC)}
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
)

// longStep returns x + longStepLength*dx, or, when that would leave less
// than 1-longStepClip of the slack to 0 or hi, the point longStepClip of
// the way there.
//
// Neither test looks at the sign of dx, a coin flip per variable whose
// mispredicted branches made this three times slower (measured on random
// signs): with 0 < x < hi, each test can only hold for its own sign, and
// both rarely hold.
func longStep(x, dx, hi float64) float64 {
	if -longStepLength*dx > longStepClip*x {
		return x - longStepClip*x
	}
	if s := hi - x; longStepLength*dx > longStepClip*s {
		return x + longStepClip*s
	}
	return x + longStepLength*dx
}

// longDualStep returns z + dualLongLength*dz, or, when that would leave
// less than 1-longStepClip of z, the point longStepClip of the way to 0.
// The sign of dz is tested last, as in longStep.
func longDualStep(z, dz float64) float64 {
	if -dualLongLength*dz > longStepClip*z && dz < 0 {
		return z - longStepClip*z
	}
	return z + dualLongLength*dz
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
	d := newDir(m)
	for j := 0; j < n; j++ {
		h := 0.5 * m.hi[j]
		s.x[j] = h
		// Duals that meet the dual rows at y = 0 with complementarity
		// products near 1, so the start is centred even in wide boxes.
		s.zl[j] = 1/h + math.Max(m.cost[j], 0)
		s.zu[j] = 1/h + math.Max(-m.cost[j], 0)
	}
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
	// Any iterate repairs into a feasible schedule, and the model prices
	// it exactly: at or below the interior point objective, which pays for
	// partly filled penalty segments and unmet energy that the schedule
	// does not incur. So pricing iterates can certify the gap
	// iterations before the interior point gap closes.
	sched, polished := newSchedule(p), newSchedule(p)
	var topUp *toppingUp
	if lim != nil {
		topUp = lim.u // the greedy schedule's, free again
	} else {
		topUp = newToppingUp(p)
	}
	correctors := 0
	var c dir // the correctors' direction, only when there are any
	if m.denseWork() > correctorWork*n {
		correctors = maxCorrectors
		c = newDir(m)
	}
	certifyAt := 0
	// polishIterate repairs, polishes, tops up and prices the schedule of
	// iterate it: any feasible schedule bounds the optimum from above, and
	// the polished one is nearly always the cheaper, so the certificate
	// prices only it. polishedAt is the iteration whose schedule polished
	// holds, priced at polishedObj: a certification that succeeds is
	// followed by a consider of the same iterate, which then does not
	// build and price it again.
	polishedAt, polishedObj := -1, 0.0
	polishIterate := func(it int) float64 {
		if polishedAt != it {
			repairInto(p, m, s.x, polished)
			polish(p, polished)
			topUp.apply(polished)
			polishedAt, polishedObj = it, price(p, polished, false).Objective
		}
		return polishedObj
	}
	// consider keeps the cheaper of the repaired and the polished schedule
	// of the iterate, if it beats the best so far, and returns the best's
	// certified gap. With a time limit the best is lim's, which also holds
	// the greedy schedule, and the Result is filled in only at the end.
	consider := func(it int) float64 {
		obj := polishIterate(it)
		repairInto(p, m, s.x, sched)
		sobj := price(p, sched, false).Objective
		if lim != nil {
			lim.offer(polished, obj)
			lim.offer(sched, sobj)
			return lim.gap(bestBound)
		}
		// Full results (four series per EV) only for the one kept.
		sc := sched
		if obj <= sobj {
			sc = polished
		}
		r := evaluate(p, sc)
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
		s.flush(d) // iterate it, priced or restarted from below
		if it >= minSteps && lim.canPrice() {
			// The chain bound at these duals is far above the box bound
			// this early, and it runs beside the pricing, on the other
			// core.
			cb := m.chainBound(s.yE, s.yC, chainPart, chainSc, s.team, func() { consider(it) })
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
		// One pass: primal and dual residuals, scaling D, the
		// predictor's right-hand sides (ipmpass.go), and the sums for mu,
		// cost·x and the Lagrangian bound.
		pinf, by, sumComp, cx, lag := s.residuals(d)
		mu := sumComp / float64(2*n)
		pobj := cx + m.konst
		bound := by + lag + m.konst
		bestBound = math.Max(bestBound, bound)
		relgap := (pobj - bestBound) / math.Max(1, math.Abs(pobj))
		certified := false
		if relgap <= 10*gapTol && it >= certifyAt {
			// Close to the end the chain bound is worth its cost (one
			// pass of small dynamic programmes): it is never below the
			// box bound and often above it. The schedule is priced
			// alongside.
			var obj float64
			t0 := time.Now()
			cb := m.chainBound(s.yE, s.yC, chainPart, chainSc, s.team, func() { obj = polishIterate(it) })
			bestBound = math.Max(bestBound, cb)
			if lim != nil {
				// A stop prices the repaired schedule too: about a third
				// more. The schedule is kept if it is the best so far, so
				// a stop that has no time to price its own iterate still
				// returns this one.
				lim.measuredPrice(time.Since(t0) * 4 / 3)
				lim.offer(polished, obj)
			}
			// The certified gap then falls by 10 to 35 % per iteration,
			// and pricing costs about a third of an iteration: after a
			// miss, the iterations that could not close the gap even at
			// a 40 % fall per iteration are skipped.
			g := (obj - math.Min(bestBound, obj)) / math.Max(1, math.Abs(obj))
			certified = g <= gapTol
			if !certified {
				certifyAt = it + max(1, int(math.Log(g/gapTol)/math.Log(1/0.6)))
			}
		}
		if relgap <= gapTol && pinf <= 1e-3*bScale || certified {
			if g := consider(it); g <= gapTol {
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
			consider(it)
			return finish(StatusIterationLimit, it), nil
		}

		s.k.factor(s.D)
		if r, err := stop(it, 0); r != nil || err != nil {
			return r, err
		}
		// The predictor (affine scaling): its right-hand side came with
		// the residuals.
		s.k.solve(s.tE, s.tC, d.dyE, d.dyC)
		comp := s.predict(d, sumComp)
		if r, err := stop(it, 0); r != nil || err != nil {
			return r, err
		}
		sigma := math.Pow(comp/float64(2*n)/mu, 3)
		sigma = min(sigma, maxSigma)
		smu := sigma * mu
		// Mehrotra's corrector: target sigma*mu with the predictor's
		// second-order term. Its right-hand side came with the predictor.
		s.correctorRHS(smu)
		s.k.solve(s.tE, s.tC, d.dyE, d.dyC)
		ap, ad := s.finish(d, func(lo, hi int, at []float64, p *passSums) {
			p[0], p[1] = s.mehrotraKernel(lo, hi, at, d, smu, p[0], p[1])
		})
		for k := 0; k < correctors && (ap < 1 || ad < 1); k++ {
			// Gondzio: aim a longer step at a point whose complementarity
			// products all lie in [betaMin, betaMax]*sigma*mu, which is
			// what keeps the next steps long.
			tp, td := min(1, 1.5*ap+0.1), min(1, 1.5*ad+0.1)
			lo, hi := betaMin*smu, betaMax*smu
			s.rhs(func(l0, h0 int) { s.gondzioKernel(l0, h0, d, c, tp, td, lo, hi) }, c.dx)
			// c becomes d plus the corrector; keeping it is a swap.
			s.k.solve(s.tE, s.tC, c.dyE, c.dyC)
			np, nd := s.finish(c, func(lo, hi int, at []float64, p *passSums) {
				p[0], p[1] = s.directionKernel(lo, hi, at, c, &d, p[0], p[1])
			})
			if np+nd < 1.02*(ap+ad) {
				break
			}
			s.rowAxpy(1, d.dyE, c.dyE)
			for i := range c.dyC {
				c.dyC[i] += d.dyC[i]
			}
			d, c = c, d
			ap, ad = np, nd
		}
		if r, err := stop(it, 0); r != nil || err != nil {
			return r, err
		}
		// The step is taken by the next iteration's first pass.
		s.st = newStep(min(1, stepFraction*ap), min(1, stepFraction*ad))
	}
}

// rowAxpy sets y += a x over EV-row vectors, in parallel ranges.
func (s *ipm) rowAxpy(a float64, x, y []float64) {
	chunks(s.nc, len(y), s.team, func(_, lo, hi int) {
		axpy(a, x[lo:hi], y[lo:hi])
	})
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
