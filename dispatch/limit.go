package dispatch

import (
	"context"
	"math"
	"time"
)

// limit runs a time-limited solve: it holds the best schedule priced so
// far, which a stop returns, and decides when to stop so that the solve
// returns close to its deadline rather than a phase, a pricing and a full
// Result after it.
//
// The greedy schedule (quick.go) is made first (newLimit), priced in
// full and kept: from then on a stop always has a feasible schedule and a
// bound in hand, and the time that took measures what the later phases
// will cost on this machine and this instance. Every phase is linear in
// the EVs (the dense feeder blocks aside), so the first estimates are
// multiples of it; the iteration and the pricing of an iterate are then
// measured as they run.
//
// A stop fills its schedule into the series the greedy Result already
// allocated, so returning any schedule costs at most what pricing the
// greedy one in full did (allocating 300 MB at 100,000 EVs is most of it).
type limit struct {
	// expired, the tests' seam (Options.expired), replaces the clock and
	// every estimate when not nil.
	expired  func(it int) bool
	unpriced bool // with expired: no stop has the time to price
	deadline time.Time

	// best is the cheapest schedule priced so far, costing bestObj;
	// floorRes is the greedy schedule's full Result, bestIsFloor says
	// best is still that schedule. series is floorRes's per-EV series,
	// which result fills again when an iterate won.
	best        schedule
	bestObj     float64
	bestIsFloor bool
	floorRes    *Result
	series      []float64
	// dual is the dual bound (dual.go), valid whatever the duals. Its
	// first evaluation, at zero duals, runs beside the greedy schedule and
	// is never below the selfish bound, and it times the first step; when
	// the interior point is not worth building, and after it stops, the
	// time left goes on its steps (ascend, afterStop).
	dual *dualBound
	// dualSteps, with expired, is how many steps ascend takes (after an
	// interior point stop too).
	dualSteps int
	// u is the top-up's scratch, which made the greedy schedule
	// (fillIdle) and which the interior point reuses.
	u *toppingUp

	// Costs measured, or estimated from pass until measured: fill a full
	// Result, build the LP and the start point, one iteration, pricing an
	// iterate with the chain bound beside it, and a dual step (from the
	// evaluation at zero duals until a step is timed, see newLimit).
	pass, fill, build, iter, price, step time.Duration
	priceMeasured                        bool
}

// Estimates before a measurement, in greedy passes (making the greedy
// schedule; the least-laxity schedule of 2026-11-27 costs the CPU the
// top-up of the all-idle schedule did, docs/benchmarks.md). Measured on 2026-11-26 on the generated
// 100,000-EV instances (seed 2024) while the machine was shared, building
// the LP, the IPM's arrays and the start point took 0.6 to 1.1 passes, an
// iteration 1.0 to 2.3 and a stop's pricing 1.7 to 2.4.
//
// Only the pricing is taken at the top of its range. Too low a guess for
// building or an iteration costs no overshoot: the first iteration is
// then measured, and a stop that finds no time to price returns the
// schedule it holds, needing only the fill; at worst a phase runs past
// the deadline by what it took over its guess. Too low a guess for the
// pricing overruns by the difference; and too high a guess for either
// gives up iterations (with 2 passes per iteration and 1.2 for building,
// 10,000 EVs never took a step in 100 ms, where the solve before took 4
// or 5 and overran by half). The pricing is measured only when a
// certification prices before the stop.
//
// A dual step is not guessed from the pass: it took 0.45 to 1.1 passes
// (docs/benchmarks.md), and a guess at one pass gave up steps that would
// have fitted. The evaluation at zero duals that runs beside the greedy
// schedule is a step's work, and newLimit times it.
const (
	buildPasses = 0.8
	iterPasses  = 1.2
	pricePasses = 2.5
)

// minSteps is the fewest interior point steps worth building the LP for.
// Its chain bound after fewer is below what the dual bound reaches in the
// same time, and its schedules rarely beat the greedy one: on the
// generated 10,000-EV instance (seed 2024) the gap after 1 to 5 steps is
// 0.49, 0.49, 0.24, 0.13, 0.068, while the dual bound reaches 0.048 in
// five steps of about two thirds of an iteration each (10 against 15 ms).
const minSteps = 5

// newLimit makes the greedy schedule and its full Result (quick.go), with
// the dual bound at zero duals beside them, and measures them.
func newLimit(p *Problem, t *team, start time.Time, opts Options) *limit {
	l := &limit{expired: opts.expired, unpriced: opts.unpriced, dualSteps: opts.dualSteps,
		deadline: start.Add(opts.TimeLimit), u: newToppingUp(p), dual: newDualBound(p)}
	l.best = newSchedule(p)
	l.dual.eval(t, func() {
		t0 := time.Now()
		idleTopUp(p, l.u, &l.best)
		t1 := time.Now()
		l.series = make([]float64, 4*p.Slots*len(p.EVs))
		l.floorRes = priceInto(p, l.best, l.series)
		l.bestObj = l.floorRes.Objective
		l.pass, l.fill = t1.Sub(t0), time.Since(t1)
	})
	l.bestIsFloor = true
	l.build = scale(l.pass, buildPasses)
	l.iter = scale(l.pass, iterPasses)
	l.price = scale(l.pass, pricePasses)
	l.step = firstStep(l.dual.work, t.size())
	return l
}

// firstStep estimates the wall time of a dual step from work, the time
// the items of the evaluation at zero duals took, summed: a step is the
// same items (the EVs' dynamic programmes at other prices), shared by the
// team's workers. The items ran beside the greedy schedule on the same
// machine at the same load, so their time says what the load does to
// them; a worker that the machine takes away lengthens the items it runs
// by as much.
func firstStep(work time.Duration, workers int) time.Duration {
	return work / time.Duration(max(1, workers))
}

// scale returns d times f.
func scale(d time.Duration, f float64) time.Duration { return time.Duration(float64(d) * f) }

// passed says whether the solve must stop at iteration it before work
// expected to take next: when that work, the pricing of an iterate and
// filling a Result would no longer end by the deadline. A stop before the
// first step with nothing next returns the greedy schedule, which needs
// no pricing.
func (l *limit) passed(it int, next time.Duration) bool {
	if l.expired != nil {
		return l.expired(it)
	}
	need := next + l.fill
	if it > 0 || next > 0 {
		need += l.price
	}
	return !time.Now().Add(need).Before(l.deadline)
}

// toPrice is the work expected before the next stop at an iterate worth
// pricing, from the top of iteration it: one iteration, or the
// iterations up to minSteps. A stop before minSteps steps does not price
// its iterate (ipm.go, stop), so the iterations taken before it would be
// time the dual steps after it no longer have: when the iterations were
// slower than estimated when the LP was built, the solve stops as soon as
// it knows (at the top of an iteration, from the first one timed), not
// after minSteps−1.
func (l *limit) toPrice(it int) time.Duration {
	if it < minSteps {
		return time.Duration(minSteps-it) * l.iter
	}
	return l.iter
}

// canPrice says whether a stop at iteration it has the time to price the
// iterate; without it the stop returns the best schedule already priced.
func (l *limit) canPrice() bool {
	if l.expired != nil {
		return !l.unpriced
	}
	return time.Now().Add(l.price + l.fill).Before(l.deadline)
}

// measuredIter records how long an iteration took. The next is assumed
// to take as long as the slower of it and the one before: the pricing
// near the end and the machine's load both vary.
func (l *limit) measuredIter(d time.Duration, first bool) {
	if first {
		l.iter = d
		return
	}
	l.iter = max(d, l.iter*3/4)
}

// measuredPrice records how long pricing an iterate with the chain bound
// took.
func (l *limit) measuredPrice(d time.Duration) {
	if !l.priceMeasured {
		l.price, l.priceMeasured = d, true
		return
	}
	l.price = max(d, l.price)
}

// offer keeps schedule s, priced at obj, if it is cheaper than the best.
// s stays the caller's: it is copied.
func (l *limit) offer(s schedule, obj float64) {
	if obj < l.bestObj {
		copySchedule(l.best, s)
		l.bestObj, l.bestIsFloor = obj, false
	}
}

// result returns the best schedule's full Result with status st after it
// iterations and lower bound max(bound, the dual bound's best), capped at
// the objective.
func (l *limit) result(p *Problem, st Status, it int, bound float64) *Result {
	r := l.floorRes
	if !l.bestIsFloor {
		r = priceInto(p, l.best, l.series)
	}
	r.Status = st
	r.Iterations = it
	r.LowerBound = math.Min(math.Max(bound, l.dual.best), r.Objective)
	r.Gap = (r.Objective - r.LowerBound) / math.Max(1, math.Abs(r.Objective))
	return r
}

// gap is the certified gap of the best schedule with bound.
func (l *limit) gap(bound float64) float64 {
	lb := math.Min(math.Max(bound, l.dual.best), l.bestObj)
	return (l.bestObj - lb) / math.Max(1, math.Abs(l.bestObj))
}

// worthBuilding says whether there is time to build the LP, take
// minSteps steps, price the iterate and fill a Result: if not, the greedy
// schedule is the answer, and the time left goes on the dual bound.
func (l *limit) worthBuilding() bool {
	if l.expired != nil {
		return !l.expired(0)
	}
	return time.Now().Add(l.build + minSteps*l.iter + l.price + l.fill).Before(l.deadline)
}

// ascend takes steps of the dual bound (dual.go) towards the best
// schedule's cost while one more still ends by the deadline (with
// expired: dualSteps of them), and returns ctx.Err() if ctx ends first.
// first, when not nil, is the first step instead of a move and an
// evaluation. When the best schedule is the greedy one, its Result is
// already filled in and nothing else need fit before the deadline;
// otherwise a fill must. Each step is timed, and the next is taken to
// cost the larger of the last one and three quarters of the estimate
// before, as an iteration is.
func (l *limit) ascend(ctx context.Context, t *team, first func()) error {
	var reserve time.Duration
	if !l.bestIsFloor {
		reserve = l.fill
	}
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if l.expired != nil {
			if n >= l.dualSteps {
				return nil
			}
		} else if !time.Now().Add(l.step + reserve).Before(l.deadline) {
			return nil
		}
		if l.dual.best >= l.bestObj {
			return nil // the best schedule is optimal
		}
		t0 := time.Now()
		if n == 0 && first != nil {
			first()
		} else {
			l.dual.move(l.bestObj)
			l.dual.eval(t, nil)
		}
		l.step = max(time.Since(t0), l.step*3/4)
	}
}

// afterStop spends the time an interior point stop left on dual steps,
// the first at the interior point's coupling duals yC of m
// (dualBound.restart): it goes on from there if the bound there is above
// the dual bound's at its current duals (zero: the LP is built only
// without an ascent before it). yC nil (a stop before minSteps steps,
// whose duals are a worse start: ipm.go, stop) starts at the current
// duals. The chain bound of
// the stop, if it priced its iterate, stays beside the dual bound's best;
// the larger is the answer's.
func (l *limit) afterStop(ctx context.Context, t *team, m *lpModel, yC []float64) error {
	if yC == nil {
		return l.ascend(ctx, t, nil)
	}
	return l.ascend(ctx, t, func() { l.dual.restart(t, m, yC) })
}
