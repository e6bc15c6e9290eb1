package dispatch

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// dualSteps evaluates the dual bound of p at zero duals and after each of
// n steps towards target, and returns every value.
func dualSteps(p *Problem, n int, target float64, tm *team) []float64 {
	d := newDualBound(p)
	v, _ := d.eval(tm, nil)
	vals := []float64{v}
	for k := 0; k < n; k++ {
		d.move(target)
		v, _ = d.eval(tm, nil)
		vals = append(vals, v)
	}
	return vals
}

// dualCase is an instance of the dual bound's tests.
type dualCase struct {
	name string
	p    *Problem
}

// dualCases are the CLP cross-check's 36 instances and two seeds of every
// family of sameFamilies at 1,000 and 2,000 EVs.
func dualCases() []dualCase {
	var cs []dualCase
	for _, c := range clpCases() {
		cs = append(cs, dualCase{c.name, c.problem()})
	}
	names := []string{"charging-only", "tight-feeders", "v2g-losses", "caps", "export-caps", "wear-caps", "benchmark"}
	fams := sameFamilies()
	for fi, fam := range names {
		for si, n := range []int{1000, 2000} {
			g := fams[fam]
			g.EVs, g.Feeders, g.Seed = n, 1+(fi+si)%5, uint64(700+10*fi+si)
			if si == 1 {
				g.Slots = 48
			}
			cs = append(cs, dualCase{fmt.Sprintf("%s/%d-evs/%d-feeders/seed-%d", fam, n, g.Feeders, g.Seed), Generate(g)})
		}
	}
	return cs
}

// The dual bound is a certificate at every step: never above the optimum
// of a 1e-9 solve, never below the selfish bound, and its best after ten
// steps is above the selfish bound where the loads bind (the tight
// families), by at least a tenth of the gap between them on most.
func TestDualBoundBelowOptimum(t *testing.T) {
	tm := newTeam(2)
	defer tm.close()
	closed, tight := 0, 0
	for _, c := range dualCases() {
		full, err := Solve(context.Background(), c.p, Options{Gap: 1e-9})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		opt := full.Objective
		g := greedy(c.p, nil, nil)
		sb := selfishBound(c.p, 0, len(c.p.EVs))
		vals := dualSteps(c.p, 10, g.Objective, tm)
		tol := 1e-9 * math.Max(1, math.Abs(opt))
		best := math.Inf(-1)
		for k, v := range vals {
			if v > opt+tol {
				t.Errorf("%s step %d: dual bound %.10g above the optimum %.10g", c.name, k, v, opt)
			}
			best = math.Max(best, v)
		}
		if vals[0] < sb-tol {
			t.Errorf("%s: dual bound at zero %.10g below the selfish bound %.10g", c.name, vals[0], sb)
		}
		if opt-sb > 1e-3*math.Abs(opt) {
			tight++
			if best-sb >= 0.1*(opt-sb) {
				closed++
			}
		}
	}
	if tight < 10 || closed < tight*3/4 {
		t.Errorf("the steps closed a tenth of the selfish bound's gap on %d of %d instances where it was open", closed, tight)
	}
}

// The dual bound is never above CLP's optimum of the model in
// docs/dispatch.md, at any step, on every CLP cross-check instance.
func TestDualBoundBelowCLP(t *testing.T) {
	clp := needCLP(t)
	tm := newTeam(2)
	defer tm.close()
	for _, c := range clpCases() {
		p := c.problem()
		obj, _ := clpSolve(t, clp, p)
		// CLP prints 10 significant digits.
		tol := 1e-8 * math.Max(1, math.Abs(obj))
		for k, v := range dualSteps(p, 10, greedy(p, nil, nil).Objective, tm) {
			if v > obj+tol {
				t.Errorf("%s step %d: dual bound %.10g above CLP's optimum %.10g", c.name, k, v, obj)
			}
		}
	}
}

// At any duals the dual bound is the chain bound of the LP at yC = −λ and
// zero EV-row duals (what dual.go argues from): compared after each of
// five steps on instances with V2G, wear budgets, caps, export limits and
// a system limit.
func TestDualBoundIsChainBound(t *testing.T) {
	tm := newTeam(2)
	defer tm.close()
	for _, seed := range []uint64{3, 4, 5} {
		p := Generate(GenOptions{EVs: 80, Feeders: 3, Slots: 48, Seed: seed, V2GShare: 0.5, MinEfficiency: 0.9,
			Tightness: 0.8, Caps: 3, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
		m := buildLP(p)
		yE, yC := make([]float64, m.nEVR), make([]float64, m.nC)
		part, sc := make([]float64, len(m.groups)), m.chainScratch()
		d := newDualBound(p)
		target := greedy(p, nil, nil).Objective
		for k := 0; k <= 5; k++ {
			if k > 0 {
				d.move(target)
			}
			v, _ := d.eval(tm, nil)
			clear(yC)
			for f := range p.Feeders {
				for r, t := range m.fSlots[f] {
					yC[m.fRow[f]+r] = -d.lam[f*d.T+t]
				}
			}
			for r, t := range m.sSlots {
				yC[m.sRow+r] = -d.lam[d.F*d.T+t]
			}
			// A load without a row has a flat penalty: its dual stays 0.
			for j, l := range d.loads {
				if l.smin == l.smax && d.lam[j] != l.smin {
					t.Errorf("seed %d step %d: load %d with a flat penalty has dual %g", seed, k, j, d.lam[j])
				}
			}
			cb := m.chainBound(yE, yC, part, sc, tm, nil)
			if math.Abs(v-cb) > 1e-9*math.Max(1, math.Abs(cb)) {
				t.Errorf("seed %d step %d: dual bound %.12g, chain bound at its duals %.12g", seed, k, v, cb)
			}
		}
	}
}

// evArgMin's schedule keeps every power and SoC bound and costs what it
// returns: random EVs, with and without discharge, at random reduced costs
// (negative ones make cycling and full charge pay), half of them with
// slots of equal cost.
func TestEVArgMinScheduleCostsItsValue(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	const K = 24
	f := pwl{lab: make([]int32, 0, 2*K+2), took: make([]float64, 2*K)}
	c, g := make([]float64, K), make([]float64, K)
	for trial := 0; trial < 2000; trial++ {
		k := 1 + rng.IntN(K)
		rc, rg := make([]float64, k), make([]float64, k)
		for i := range rc {
			rc[i] = rng.Float64()*2 - 0.6
			rg[i] = rng.Float64()*2 - 1.2
		}
		if trial%3 == 0 {
			rg = nil
		}
		if trial%2 == 0 {
			// Slots of equal cost share what the cheapest schedule
			// charges at that cost.
			for i := range rc {
				rc[i] = math.Round(rc[i]*4) / 4
			}
		}
		c1, g1 := 0.25*(0.85+0.15*rng.Float64()), 0.25/(0.85+0.15*rng.Float64())
		pc, pd := 3+20*rng.Float64(), 0.0
		if rg != nil {
			pd = 3 + 20*rng.Float64()
		}
		emin, emax := 5+5*rng.Float64(), 40+40*rng.Float64()
		e0 := emin + (emax-emin)*rng.Float64()
		target := emin + (emax-emin)*rng.Float64()
		cu := 0.5 + 2*rng.Float64()
		umax, rmax := math.Max(0, target-emin)+1, math.Max(0, emax-target)+1
		v := evArgMin(&f, rc, rg, c1, g1, pc, pd, e0, emin, emax, k, target, cu, umax, 0, rmax, c[:k], g[:k])
		if w := evMin(&pwl{}, rc, rg, c1, g1, pc, pd, e0, emin, emax, k, target, cu, umax, 0, rmax); v != w {
			t.Fatalf("trial %d: evArgMin %.12g, evMin %.12g", trial, v, w)
		}
		const eps = 1e-9
		e, cost := e0, 0.0
		for i := 0; i < k; i++ {
			if c[i] < -eps || c[i] > pc+eps || g[i] < -eps || g[i] > pd+eps {
				t.Fatalf("trial %d slot %d: charge %g of %g, discharge %g of %g", trial, i, c[i], pc, g[i], pd)
			}
			e += c1*c[i] - g1*g[i]
			if e < emin-1e-7 || e > emax+1e-7 {
				t.Fatalf("trial %d slot %d: SoC %g outside [%g, %g]", trial, i, e, emin, emax)
			}
			cost += rc[i] * c[i]
			if rg != nil {
				cost += rg[i] * g[i]
			}
		}
		cost += cu * math.Max(0, target-e)
		if math.Abs(cost-v) > 1e-7*math.Max(1, math.Abs(v)) {
			t.Fatalf("trial %d: the schedule costs %.10g, evArgMin says %.10g", trial, cost, v)
		}
	}
}

// A solve whose limit leaves no time for the interior point spends it on
// the dual bound: with expired standing in for the clock, after 0, 3 and
// 10 steps it returns the greedy schedule after 0 iterations, with a bound
// no lower after more steps, never above the optimum nor below the
// selfish bound, and the gap between the two.
func TestSolveWithoutLPTakesDualSteps(t *testing.T) {
	better := 0
	for _, c := range clpCases() {
		p := c.problem()
		full, err := Solve(context.Background(), p, Options{Gap: 1e-9})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		g := greedy(p, nil, nil)
		sb := selfishBound(p, 0, len(p.EVs))
		prev := math.Inf(-1)
		for _, n := range []int{0, 3, 10} {
			opts := Options{Gap: 1e-9, expired: func(int) bool { return true }, dualSteps: n}
			r, err := Solve(context.Background(), p, opts)
			if err != nil {
				t.Fatalf("%s after %d: %v", c.name, n, err)
			}
			if r.Status != StatusTimeLimit || r.Iterations != 0 || r.Objective != g.Objective {
				t.Errorf("%s after %d: %s after %d iterations, objective %.10g; want the greedy schedule's %.10g",
					c.name, n, r.Status, r.Iterations, r.Objective, g.Objective)
			}
			tol := 1e-9 * math.Max(1, math.Abs(full.Objective))
			if r.LowerBound > full.Objective+tol || r.LowerBound < math.Min(sb, r.Objective)-tol || r.LowerBound < prev {
				t.Errorf("%s after %d: bound %.10g; optimum %.10g, selfish bound %.10g, after fewer steps %.10g",
					c.name, n, r.LowerBound, full.Objective, sb, prev)
			}
			if want := (r.Objective - r.LowerBound) / math.Max(1, math.Abs(r.Objective)); r.Gap != want {
				t.Errorf("%s after %d: gap %g, want %g", c.name, n, r.Gap, want)
			}
			if n == 10 && r.LowerBound > math.Min(sb, r.Objective)+tol {
				better++
			}
			prev = r.LowerBound
		}
	}
	if better < 10 {
		t.Errorf("ten dual steps raised the bound above the selfish one on only %d instances", better)
	}
}

// BenchmarkDualStep100k takes steps of the dual bound (a move and an
// evaluation) on BenchmarkQuick100k's instance, on a team of GOMAXPROCS:
// what a time-limited solve with no time for the interior point repeats
// until its deadline. cpu-ns/op is the process's CPU time per step (both
// cores), to set beside BenchmarkQuick100k's per greedy pass.
func BenchmarkDualStep100k(b *testing.B) {
	p := Generate(GenOptions{EVs: 100000, Feeders: 10, Seed: 2024, V2GShare: 0.3, MinEfficiency: 0.9,
		Tightness: 0.8, Caps: 4, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
	tm := newTeam(0)
	defer tm.close()
	target := greedy(p, nil, nil).Objective
	d := newDualBound(p)
	d.eval(tm, nil)
	b.ReportAllocs()
	cpu0, ok := processCPU()
	for b.Loop() {
		d.move(target)
		d.eval(tm, nil)
	}
	if cpu1, _ := processCPU(); ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}

// restart keeps an interior point's duals when the bound there is above
// the one at the current duals, with a fresh step (none before it, scale
// 1), and otherwise puts back the current duals, supergradient, step
// before and scale exactly. The bound at the interior point's duals holds
// either way: never above the optimum.
func TestDualBoundRestart(t *testing.T) {
	tm := newTeam(2)
	defer tm.close()
	for _, seed := range []uint64{3, 4, 5} {
		p := Generate(GenOptions{EVs: 80, Feeders: 3, Slots: 48, Seed: seed, V2GShare: 0.5, MinEfficiency: 0.9,
			Tightness: 0.8, Caps: 3, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
		m := buildLP(p)
		s := newIPM(m, tm)
		full, err := s.run(context.Background(), p, 1e-9, 200, nil)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		tol := 1e-9 * math.Max(1, math.Abs(full.Objective))
		target := greedy(p, nil, nil).Objective

		d := newDualBound(p)
		zero, _ := d.eval(tm, nil)
		if !d.restart(tm, m, s.yC) {
			t.Errorf("seed %d: the optimal duals' bound %.10g not kept over zero's %.10g", seed, d.last, zero)
		}
		if d.last <= zero || d.last > full.Objective+tol || d.best != d.last || d.prev != nil || d.theta != 1 {
			t.Errorf("seed %d: at the optimal duals bound %.10g (best %.10g, theta %g, step before %v); zero's %.10g, optimum %.10g",
				seed, d.last, d.best, d.theta, d.prev != nil, zero, full.Objective)
		}

		// Three steps from zero, then duals at the top of every load's
		// range of slopes: every V2G EV paid to discharge in full.
		d = newDualBound(p)
		d.eval(tm, nil)
		for k := 0; k < 3; k++ {
			d.move(target)
			d.eval(tm, nil)
		}
		lam, grad, prev, last, theta, best := slices.Clone(d.lam), slices.Clone(d.grad), slices.Clone(d.prev), d.last, d.theta, d.best
		wild := make([]float64, m.nC)
		for r := range wild {
			wild[r] = -1e9
		}
		if d.restart(tm, m, wild) {
			t.Errorf("seed %d: wild duals kept (bound %.10g, after three steps %.10g)", seed, d.last, last)
		}
		if !slices.Equal(d.lam, lam) || !slices.Equal(d.grad, grad) || !slices.Equal(d.prev, prev) ||
			d.last != last || d.theta != theta || d.best != best {
			t.Errorf("seed %d: refused restart changed the state: last %g→%g theta %g→%g best %g→%g",
				seed, last, d.last, theta, d.theta, best, d.best)
		}
	}
}
