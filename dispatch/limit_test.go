package dispatch

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"
)

// A stop with no time left to price its iterate returns the best schedule
// priced before it: a certification's, when one was tried, else the greedy
// one. It is feasible, costs what the result says, and its bound holds.
// Stopped one step before the end of a 1e-9 solve, most instances have
// priced a certification already, whose schedule beats the greedy one.
func TestStopWithoutTimeToPriceKeepsEarlierIterate(t *testing.T) {
	wins := 0
	for _, c := range clpCases() {
		p := c.problem()
		full, err := Solve(context.Background(), p, Options{Gap: 1e-9})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		g := greedy(p, nil, nil)
		k := full.Iterations - 1
		opts := stopAfter(k)
		opts.unpriced = true
		r, err := Solve(context.Background(), p, opts)
		if err != nil {
			t.Fatalf("%s after %d: %v", c.name, k, err)
		}
		if r.Status != StatusTimeLimit || r.Iterations != k {
			t.Errorf("%s: status %s after %d iterations, want time-limit after %d", c.name, r.Status, r.Iterations, k)
		}
		if r.Objective > g.Objective {
			t.Errorf("%s after %d: objective %.10g above the greedy schedule's %.10g", c.name, k, r.Objective, g.Objective)
		}
		if r.Objective < g.Objective {
			wins++
		}
		if v := hardViolation(p, r); v > 1e-9 || r.MaxViolation > 1e-9 {
			t.Errorf("%s after %d: hard bounds broken by %g (result says %g)", c.name, k, v, r.MaxViolation)
		}
		if e := evaluate(p, scheduleOf(p, r)); !reflect.DeepEqual(e.EVs, r.EVs) || e.Objective != r.Objective {
			t.Errorf("%s after %d: the result is not its schedule's evaluation (objective %.10g, evaluated %.10g)",
				c.name, k, r.Objective, e.Objective)
		}
		tol := 1e-9 * math.Max(1, math.Abs(full.Objective))
		if r.LowerBound > full.Objective+tol || r.Objective < full.LowerBound-tol {
			t.Errorf("%s after %d: bound %.10g objective %.10g; optimum within [%.10g, %.10g]",
				c.name, k, r.LowerBound, r.Objective, full.LowerBound, full.Objective)
		}
		if want := (r.Objective - r.LowerBound) / math.Max(1, math.Abs(r.Objective)); r.Gap != want || r.LowerBound > r.Objective {
			t.Errorf("%s after %d: gap %g, bound %g, objective %g", c.name, k, r.Gap, r.LowerBound, r.Objective)
		}
	}
	if wins == 0 {
		t.Error("no stop returned an earlier iterate's schedule: the test shows nothing")
	}
}

// priceInto over series that held another schedule's Result gives what a
// fresh evaluate gives: a time-limited solve fills its answer into the
// greedy schedule's series.
func TestPriceIntoReusedSeries(t *testing.T) {
	p := Generate(GenOptions{EVs: 60, Feeders: 3, Slots: 48, Seed: 3, V2GShare: 0.5, Tightness: 0.8, Caps: 2})
	series := make([]float64, 4*p.Slots*len(p.EVs))
	priceInto(p, greedy(p, nil, nil).schedule(p), series)
	for seed := uint64(1); seed <= 3; seed++ {
		s := randomSchedule(p, seed)
		if got, want := priceInto(p, s, series), evaluate(p, s); !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d: reused series give objective %.10g, a fresh evaluate %.10g (or their series differ)",
				seed, got.Objective, want.Objective)
		}
	}
}

// schedule reads r's schedule back (scheduleOf as a method, for chaining).
func (r *Result) schedule(p *Problem) schedule { return scheduleOf(p, r) }

// passed stops when the work next, pricing an iterate and filling a
// Result would end after the deadline, and canPrice when pricing
// and filling would. The costs are hours against a deadline an hour and a
// half away, so the clock moving while the test runs changes nothing.
func TestLimitBudgets(t *testing.T) {
	l := &limit{deadline: time.Now().Add(90 * time.Minute),
		fill: 30 * time.Minute, price: 20 * time.Minute, iter: 30 * time.Minute, build: 10 * time.Minute}
	cases := []struct {
		it   int
		next time.Duration
		want bool
	}{
		{0, 0, false},                // fill: 30 min; the greedy schedule needs no pricing
		{0, 30 * time.Minute, false}, // and a step and its pricing: 80 min
		{0, 40 * time.Minute, true},  // 90 min
		{1, 0, false},                // fill and price: 50 min
		{1, 30 * time.Minute, false}, // and an iteration: 80 min
		{1, 40 * time.Minute, true},  // 90 min
		{3, 120 * time.Minute, true}, // far past
	}
	for _, c := range cases {
		if got := l.passed(c.it, c.next); got != c.want {
			t.Errorf("passed(%d, %v) = %v, want %v", c.it, c.next, got, c.want)
		}
	}
	if !l.canPrice() {
		t.Error("canPrice: 50 of 90 minutes needed, want true")
	}
	// build, minSteps iterations, the pricing and a fill: 90 minutes,
	// not before the deadline.
	l.iter = 6 * time.Minute
	if l.worthBuilding() {
		t.Error("worthBuilding: 90 of 90 minutes needed, want false")
	}
	l.build = 5 * time.Minute
	if !l.worthBuilding() {
		t.Error("worthBuilding: 85 of 90 minutes needed, want true")
	}
	// One iteration fewer than minSteps fits, not minSteps.
	l.build, l.iter = 10*time.Minute, 7*time.Minute
	if l.worthBuilding() {
		t.Error("worthBuilding: 95 of 90 minutes needed (4 steps fit, not 5), want false")
	}
	l.price = 65 * time.Minute
	if l.canPrice() {
		t.Error("canPrice: 95 of 90 minutes needed, want false")
	}
}

// From the top of an iteration before minSteps, the work up to a stop
// worth pricing is the iterations up to minSteps; from minSteps on, one.
func TestLimitToPrice(t *testing.T) {
	l := &limit{iter: time.Minute}
	for it, want := range []time.Duration{5 * time.Minute, 4 * time.Minute, 3 * time.Minute, 2 * time.Minute,
		time.Minute, time.Minute, time.Minute} {
		if got := l.toPrice(it); got != want {
			t.Errorf("toPrice(%d) = %v, want %v", it, got, want)
		}
	}
}

// The next iteration is taken to cost as much as the last, or three
// quarters of the estimate before when that is more: one fast iteration
// does not undo a slow one.
func TestLimitMeasuredIter(t *testing.T) {
	l := &limit{iter: time.Second}
	l.measuredIter(400*time.Millisecond, true)
	if l.iter != 400*time.Millisecond {
		t.Errorf("first measurement: %v, want 400ms", l.iter)
	}
	l.measuredIter(100*time.Millisecond, false)
	if l.iter != 300*time.Millisecond {
		t.Errorf("after a fast iteration: %v, want 300ms", l.iter)
	}
	l.measuredIter(500*time.Millisecond, false)
	if l.iter != 500*time.Millisecond {
		t.Errorf("after a slow iteration: %v, want 500ms", l.iter)
	}
}

// ascend takes no dual step that would end after the deadline, and a
// cancelled ctx stops it with ctx's error.
func TestLimitAscendBudget(t *testing.T) {
	p := Generate(GenOptions{EVs: 60, Feeders: 2, Slots: 48, Seed: 3, V2GShare: 0.5, Tightness: 0.9, Caps: 2})
	l := &limit{deadline: time.Now().Add(90 * time.Minute), step: 100 * time.Minute, dual: newDualBound(p),
		bestObj: greedy(p, nil, nil).Objective}
	v, _ := l.dual.eval(nil, nil)
	if err := l.ascend(context.Background(), nil, nil); err != nil || l.dual.best != v || l.dual.last != v {
		t.Errorf("a step of 100 of 90 minutes: err %v, best %g and last %g after, %g before", err, l.dual.best, l.dual.last, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l.step = time.Minute
	if err := l.ascend(ctx, nil, nil); err != context.Canceled || l.dual.last != v {
		t.Errorf("cancelled: err %v, bound %g after, %g before", err, l.dual.last, v)
	}
}

// stopThenSteps is a time limit that runs out after exactly k interior
// point steps and leaves time for n dual steps after the stop.
func stopThenSteps(k, n int) Options {
	o := stopAfter(k)
	o.dualSteps = n
	return o
}

// A stop after the interior point's steps spends the time left on dual
// steps: after minSteps (5) from the iterate's duals, before it (1 and 2
// steps) from the dual bound's own, as if the LP had not been built. On
// every CLP cross-check instance the bound after 3 dual steps is never
// above the optimum of a 1e-9 solve nor below the bound after none; after
// 1 or 2 interior point steps it is at least what a solve that did not
// build the LP reaches in as many dual steps, and after 5 the steps raise
// it on most instances. The schedule stays the one the stop returned
// without them.
func TestSolveStopThenDualSteps(t *testing.T) {
	raised, open := 0, 0
	for _, c := range clpCases() {
		p := c.problem()
		full, err := Solve(context.Background(), p, Options{Gap: 1e-9})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		tol := 1e-9 * math.Max(1, math.Abs(full.Objective))
		noLP, err := Solve(context.Background(), p, Options{Gap: 1e-9, expired: func(int) bool { return true }, dualSteps: 3})
		if err != nil {
			t.Fatalf("%s without the LP: %v", c.name, err)
		}
		for _, k := range []int{1, 2, 5} {
			r0, err := Solve(context.Background(), p, stopThenSteps(k, 0))
			if err != nil {
				t.Fatalf("%s after %d: %v", c.name, k, err)
			}
			r, err := Solve(context.Background(), p, stopThenSteps(k, 3))
			if err != nil {
				t.Fatalf("%s after %d and 3 dual steps: %v", c.name, k, err)
			}
			if r.Status != StatusTimeLimit || r.Iterations != k || r.Objective != r0.Objective {
				t.Errorf("%s after %d and 3 dual steps: %s after %d iterations, objective %.10g; without them %.10g",
					c.name, k, r.Status, r.Iterations, r.Objective, r0.Objective)
			}
			if v := hardViolation(p, r); v > 1e-9 {
				t.Errorf("%s after %d and 3 dual steps: hard bounds broken by %g", c.name, k, v)
			}
			if r.LowerBound > full.Objective+tol || r.LowerBound < r0.LowerBound {
				t.Errorf("%s after %d: bound %.10g after 3 dual steps, %.10g before; optimum %.10g",
					c.name, k, r.LowerBound, r0.LowerBound, full.Objective)
			}
			if want := (r.Objective - r.LowerBound) / math.Max(1, math.Abs(r.Objective)); r.Gap != want {
				t.Errorf("%s after %d and 3 dual steps: gap %g, want %g", c.name, k, r.Gap, want)
			}
			if k < minSteps && r.LowerBound < math.Min(noLP.LowerBound, r.Objective) {
				t.Errorf("%s after %d and 3 dual steps: bound %.10g below the %.10g of 3 dual steps without the LP",
					c.name, k, r.LowerBound, noLP.LowerBound)
			}
			if k == minSteps && r0.Gap > 1e-6 {
				open++
				if r.LowerBound > r0.LowerBound+tol {
					raised++
				}
			}
		}
	}
	if open < 10 || raised < open/2 {
		t.Errorf("3 dual steps after 5 interior point steps raised the bound on %d of %d instances with a gap", raised, open)
	}
}

// The bound of a stop followed by dual steps is never above CLP's
// optimum of the model, on every CLP cross-check instance, after 1 and 5
// interior point steps.
func TestSolveStopThenDualStepsBelowCLP(t *testing.T) {
	clp := needCLP(t)
	for _, c := range clpCases() {
		p := c.problem()
		obj, _ := clpSolve(t, clp, p)
		// CLP prints 10 significant digits.
		tol := 1e-8 * math.Max(1, math.Abs(obj))
		for _, k := range []int{1, 5} {
			r, err := Solve(context.Background(), p, stopThenSteps(k, 3))
			if err != nil {
				t.Fatalf("%s after %d: %v", c.name, k, err)
			}
			if r.LowerBound > obj+tol {
				t.Errorf("%s after %d and 3 dual steps: bound %.10g above CLP's optimum %.10g", c.name, k, r.LowerBound, obj)
			}
		}
	}
}

// The first dual step is estimated from the evaluation at zero duals that
// runs beside the greedy schedule: its items' time shared by the team's
// workers, not a greedy pass.
func TestNewLimitEstimatesStepFromZeroEvaluation(t *testing.T) {
	p := Generate(GenOptions{EVs: 600, Feeders: 3, Slots: 48, Seed: 3, V2GShare: 0.5, Tightness: 0.9, Caps: 2})
	tm := newTeam(2)
	defer tm.close()
	l := newLimit(p, tm, time.Now(), Options{TimeLimit: time.Hour})
	if l.dual.work <= 0 || l.step != l.dual.work/time.Duration(tm.size()) {
		t.Errorf("step estimate %v, the evaluation at zero took %v over %d workers", l.step, l.dual.work, tm.size())
	}
	if got := firstStep(90*time.Millisecond, 0); got != 90*time.Millisecond {
		t.Errorf("firstStep with no helper: %v, want 90ms", got)
	}
	if got := firstStep(90*time.Millisecond, 3); got != 30*time.Millisecond {
		t.Errorf("firstStep on 3 workers: %v, want 30ms", got)
	}
}

// When the best schedule is not the greedy one, its Result is still to
// be filled in: ascend takes a dual step only if the fill fits after it.
func TestLimitAscendLeavesTimeForTheFill(t *testing.T) {
	p := Generate(GenOptions{EVs: 60, Feeders: 2, Slots: 48, Seed: 3, V2GShare: 0.5, Tightness: 0.9, Caps: 2})
	l := &limit{deadline: time.Now().Add(90 * time.Minute), step: 50 * time.Minute, fill: 50 * time.Minute,
		dual: newDualBound(p), bestObj: greedy(p, nil, nil).Objective}
	called := false
	first := func() {
		called = true
		l.deadline = time.Now() // no second step
	}
	if err := l.ascend(context.Background(), nil, first); err != nil || called {
		t.Errorf("a step and a fill of 100 of 90 minutes: err %v, step taken %v", err, called)
	}
	l.deadline = time.Now().Add(90 * time.Minute)
	l.bestIsFloor = true // the greedy Result is filled in: 50 of 90 minutes
	if err := l.ascend(context.Background(), nil, first); err != nil || !called {
		t.Errorf("the greedy schedule's and a step of 50 of 90 minutes: err %v, step taken %v", err, called)
	}
}
