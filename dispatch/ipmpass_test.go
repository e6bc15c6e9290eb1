package dispatch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// passCases are models whose groups range from one EV to hundreds (so
// that groups hold several batches), with and without chains, wear rows,
// feeder rows and system rows, and with many segment pieces.
var passCases = []GenOptions{
	{EVs: 7, Feeders: 2, Slots: 12, Seed: 3, V2GShare: 0.5, MinEfficiency: 0.9, Tightness: 0.8, Caps: 2, WearShare: 1, SystemLimit: true},
	{EVs: 9, Feeders: 3, Slots: 24, Seed: 4, Tightness: 0.9},
	{EVs: 400, Feeders: 2, Slots: 96, Seed: 5, V2GShare: 0.3, MinEfficiency: 0.9, Tightness: 0.8, Caps: 4, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true},
	{EVs: 300, Feeders: 60, Slots: 96, Seed: 6, V2GShare: 0.5, MinEfficiency: 0.9, Tightness: 0.8, Caps: 3, WearShare: 0.5, SystemLimit: true},
}

// TestBatchesTileTheVariables checks that the batches of every group and
// the segment pieces hold every variable exactly once, each batch a run of
// its group's EVs whose variables are consecutive and, unless it is one
// EV, at most batchVars of them.
func TestBatchesTileTheVariables(t *testing.T) {
	for _, o := range passCases {
		m := buildLP(Generate(o))
		seen := make([]int, m.nx)
		for gi, g := range m.groups {
			next := 0
			for _, bt := range evBatches(m, gi) {
				if bt.first != next || bt.last <= bt.first {
					t.Fatalf("%+v: group %d batch %+v does not follow EV %d", o, gi, bt, next)
				}
				next = bt.last
				if n := bt.last - bt.first; n > 1 && bt.hi-bt.lo > batchVars {
					t.Errorf("%+v: group %d batch %+v of %d EVs holds %d variables", o, gi, bt, n, bt.hi-bt.lo)
				}
				at := bt.lo
				for _, bi := range g.evs[bt.first:bt.last] {
					lo, hi := m.evs[bi].vars()
					if lo != at {
						t.Fatalf("%+v: EV block %d starts at %d, want %d", o, bi, lo, at)
					}
					at = hi
				}
				if at != bt.hi {
					t.Fatalf("%+v: batch %+v ends at %d", o, bt, at)
				}
				for j := bt.lo; j < bt.hi; j++ {
					seen[j]++
				}
			}
			if next != len(g.evs) {
				t.Fatalf("%+v: group %d batches end at EV %d of %d", o, gi, next, len(g.evs))
			}
		}
		row := 0
		for _, pc := range segPieces(m) {
			if pc[0] != row || pc[1] <= pc[0] {
				t.Fatalf("%+v: piece %v does not follow row %d", o, pc, row)
			}
			row = pc[1]
			for j := m.seg0[pc[0]]; j < m.seg0[pc[1]]; j++ {
				seen[j]++
			}
		}
		if row != m.nC {
			t.Fatalf("%+v: pieces end at row %d of %d", o, row, m.nC)
		}
		for j, n := range seen {
			if n != 1 {
				t.Fatalf("%+v: variable %d is in %d batches or pieces", o, j, n)
			}
		}
	}
}

// randomIterate fills s with a random interior iterate, row duals and a
// search direction d whose dy is set.
func randomIterate(s *ipm, d dir, rng *rand.Rand) {
	m := s.m
	for j := range s.x {
		s.x[j] = m.hi[j] * (0.01 + 0.98*rng.Float64())
		s.zl[j], s.zu[j] = math.Exp(2*rng.NormFloat64()), math.Exp(2*rng.NormFloat64())
		d.dx[j], d.dzl[j], d.dzu[j] = rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
	}
	for _, v := range [][]float64{s.yE, s.yC, d.dyE, d.dyC} {
		for i := range v {
			v[i] = rng.NormFloat64()
		}
	}
}

// near reports whether a and b agree to a relative 1e-12 of scale (sums
// taken in another order round differently).
func near(a, b, scale float64) bool {
	return math.Abs(a-b) <= 1e-12*math.Max(1, scale)
}

// TestPassesMatchTheDefinitions checks each fused pass against the
// products and formulas it fuses, computed one after the other: entries
// bit for bit (the same operations on the same values), sums to rounding.
func TestPassesMatchTheDefinitions(t *testing.T) {
	for _, o := range passCases {
		for _, workers := range []int{1, 2} {
			t.Run(fmt.Sprintf("%d-evs/%d-feeders/%d-workers", o.EVs, o.Feeders, workers), func(t *testing.T) {
				tm := newTeam(workers)
				defer tm.close()
				m := buildLP(Generate(o))
				s := newIPM(m, tm)
				d := newDir(m)
				randomIterate(s, d, rand.New(rand.NewPCG(uint64(o.Seed), 7)))
				checkResiduals(t, s, d)
				checkFinish(t, s, d)
				checkCorrectorRHS(t, s, d)
			})
		}
	}
}

// checkResiduals compares residuals with b - A x, Aᵀ y, residualKernel's
// formulas and A dx + rp.
func checkResiduals(t *testing.T, s *ipm, d dir) {
	t.Helper()
	m := s.m
	n := m.nx
	wantE, wantC := make([]float64, m.nEVR), make([]float64, m.nC)
	m.mul(s.x, wantE, wantC, m.mulScratch(), nil)
	at := make([]float64, n)
	m.aty(s.yE, s.yC, at, m.atyScratch(), nil)
	pinf, by, comp, cx, lag := s.residuals(d)
	wantInf, wantBy := 0.0, 0.0
	for i := range wantE {
		wantE[i] = m.bE[i] - wantE[i]
		wantInf, wantBy = math.Max(wantInf, math.Abs(wantE[i])), wantBy+m.bE[i]*s.yE[i]
	}
	for i := range wantC {
		wantC[i] = m.bC[i] - wantC[i]
		wantInf, wantBy = math.Max(wantInf, math.Abs(wantC[i])), wantBy+m.bC[i]*s.yC[i]
	}
	equal(t, "rpE", s.rpE, wantE)
	equal(t, "rpC", s.rpC, wantC)
	var wantComp, wantCx, wantLag, scale float64
	rd, D, ip, dx := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for j, x := range s.x {
		zl, zu := s.zl[j], s.zu[j]
		sl, su := x, m.hi[j]-x
		rc := m.cost[j] - at[j]
		rd[j] = rc - zl + zu
		p, q := sl*su, zl*su+zu*sl
		w := 1 / (p * q)
		D[j], ip[j] = p*p*w, q*w
		if !near(D[j], p/q, p/q) || !near(ip[j], 1/p, 1/p) {
			t.Fatalf("D = %g, 1/(sl su) = %g from one division; want %g and %g", D[j], ip[j], p/q, 1/p)
		}
		dx[j] = D[j] * (rd[j] + zl - zu) // D rhat
		wantComp += sl*zl + su*zu
		wantCx += m.cost[j] * x
		scale = math.Max(scale, math.Abs(m.cost[j]*x))
		if rc < 0 {
			wantLag += rc * m.hi[j]
		}
	}
	equal(t, "rd", s.rd, rd)
	equal(t, "D", s.D, D)
	equal(t, "1/(sl su)", s.ip, ip)
	equal(t, "dx", d.dx, dx)
	if pinf != wantInf || !near(by, wantBy, float64(m.nEVR)) || !near(comp, wantComp, wantComp) ||
		!near(cx, wantCx, float64(n)*scale) || !near(lag, wantLag, math.Abs(wantLag)) {
		t.Errorf("sums (pinf, by, comp, cx, lag) = %g %g %g %g %g, want %g %g %g %g %g",
			pinf, by, comp, cx, lag, wantInf, wantBy, wantComp, wantCx, wantLag)
	}
	tE, tC := make([]float64, m.nEVR), make([]float64, m.nC)
	m.mul(dx, tE, tC, m.mulScratch(), nil)
	for i := range tE {
		tE[i] += wantE[i]
	}
	for i := range tC {
		tC[i] += wantC[i]
	}
	equal(t, "tE", s.tE, tE)
	equal(t, "tC", s.tC, tC)
}

// checkFinish compares finish, for the predictor and for a direction on a
// base, with Aᵀ dy and the kernels' formulas, from D rhat in the
// directions' dx.
func checkFinish(t *testing.T, s *ipm, d dir) {
	t.Helper()
	m := s.m
	at := make([]float64, m.nx)
	m.aty(d.dyE, d.dyC, at, m.atyScratch(), nil)
	want := newDir(m)
	ap, ad := 1.0, 1.0
	var sums [4]float64
	for j, x := range s.x {
		zl, zu := s.zl[j], s.zu[j]
		sl, su := x, m.hi[j]-x
		dx := s.D[j]*at[j] - d.dx[j]
		u := dx * s.ip[j]
		dzl, dzu := -zl*(1+u*su), -zu*(1-u*sl)
		want.dx[j], want.dzl[j], want.dzu[j] = dx, dzl, dzu
		ap = min(ap, maxStep(sl, dx, 1), maxStep(su, -dx, 1))
		ad = min(ad, maxStep(zl, dzl, 1), maxStep(zu, dzu, 1))
		sums[0] += sl*zl + su*zu
		sums[1] += dx * (zl - zu)
		sums[2] += sl*dzl + su*dzu
		sums[3] += dx * (dzl - dzu)
	}
	wantComp := max(0, sums[0]+ap*sums[1]+ad*sums[2]+ap*ad*sums[3])
	gotP, gotD, comp := s.finish(d, nil, true)
	equal(t, "affine dx", d.dx, want.dx)
	equal(t, "affine dzl", d.dzl, want.dzl)
	equal(t, "affine dzu", d.dzu, want.dzu)
	if gotP != ap || gotD != ad || !near(comp, wantComp, sums[0]) {
		t.Errorf("affine steps %g %g, complementarity %g; want %g %g, %g", gotP, gotD, comp, ap, ad, wantComp)
	}

	// A direction on the predictor as its base, from right-hand sides rl,
	// ru in c.dzl, c.dzu and D rhat in c.dx.
	c := newDir(m)
	rng := rand.New(rand.NewPCG(5, 6))
	for j := range c.dzl {
		c.dx[j], c.dzl[j], c.dzu[j] = rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
	}
	copy(c.dyE, d.dyE)
	copy(c.dyC, d.dyC)
	ap, ad = 1, 1
	for j, x := range s.x {
		zl, zu := s.zl[j], s.zu[j]
		sl, su := x, m.hi[j]-x
		dx := s.D[j]*at[j] - c.dx[j]
		dzl := (c.dzl[j]-zl*dx)*su*s.ip[j] + d.dzl[j]
		dzu := (c.dzu[j]+zu*dx)*sl*s.ip[j] + d.dzu[j]
		dx += d.dx[j]
		want.dx[j], want.dzl[j], want.dzu[j] = dx, dzl, dzu
		ap = min(ap, maxStep(sl, dx, 1), maxStep(su, -dx, 1))
		ad = min(ad, maxStep(zl, dzl, 1), maxStep(zu, dzu, 1))
	}
	gotP, gotD, _ = s.finish(c, &d, false)
	equal(t, "dx on a base", c.dx, want.dx)
	equal(t, "dzl on a base", c.dzl, want.dzl)
	equal(t, "dzu on a base", c.dzu, want.dzu)
	if gotP != ap || gotD != ad {
		t.Errorf("steps on a base %g %g, want %g %g", gotP, gotD, ap, ad)
	}
}

// checkCorrectorRHS compares rhs with Mehrotra's corrector kernel against
// its formulas and A dx + rp.
func checkCorrectorRHS(t *testing.T, s *ipm, d dir) {
	t.Helper()
	m := s.m
	const smu = 0.3
	want := newDir(m)
	for j, x := range s.x {
		sl, su := x, m.hi[j]-x
		rl := smu - sl*s.zl[j] - d.dx[j]*d.dzl[j]
		ru := smu - su*s.zu[j] + d.dx[j]*d.dzu[j]
		want.dzl[j], want.dzu[j] = rl, ru
		want.dx[j] = s.D[j] * (s.rd[j] + (ru*sl-rl*su)*s.ip[j]) // D rhat
	}
	s.rhs(func(lo, hi int) { s.correctorKernel(lo, hi, d, smu) }, d.dx, true)
	equal(t, "corrector rl", d.dzl, want.dzl)
	equal(t, "corrector ru", d.dzu, want.dzu)
	equal(t, "corrector dx", d.dx, want.dx)
	tE, tC := make([]float64, m.nEVR), make([]float64, m.nC)
	m.mul(want.dx, tE, tC, m.mulScratch(), nil)
	for i := range tE {
		tE[i] += s.rpE[i]
	}
	for i := range tC {
		tC[i] += s.rpC[i]
	}
	equal(t, "corrector tE", s.tE, tE)
	equal(t, "corrector tC", s.tC, tC)
}

// equal fails t at the first entry where got and want differ.
func equal(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s[%d] = %g, want %g", what, i, got[i], want[i])
			return
		}
	}
}

// TestStepTakenByTheNextPass checks that the residual pass that takes
// the last iteration's step gives, bit for bit, what taking the step in a
// pass of its own and then the residual pass gives, for short and long
// primal and dual steps alike.
func TestStepTakenByTheNextPass(t *testing.T) {
	for _, o := range passCases {
		for _, steps := range [][2]float64{{0.9, 0.9}, {0.3, 0.9}, {0.9, 0.1}, {0.05, 0.02}} {
			t.Run(fmt.Sprintf("%d-evs/%d-feeders/steps-%g-%g", o.EVs, o.Feeders, steps[0], steps[1]), func(t *testing.T) {
				tm := newTeam(2)
				defer tm.close()
				m := buildLP(Generate(o))
				run := func(fused bool) (*ipm, [5]float64) {
					s := newIPM(m, tm)
					d := newDir(m)
					randomIterate(s, d, rand.New(rand.NewPCG(uint64(o.Seed), 9)))
					s.st = newStep(steps[0], steps[1])
					if !fused {
						s.flush(d)
						if s.st.pending {
							t.Fatal("flush left the step pending")
						}
					}
					var r [5]float64
					r[0], r[1], r[2], r[3], r[4] = s.residuals(d)
					if s.st.pending {
						t.Fatal("residuals left the step pending")
					}
					return s, r
				}
				want, wantSums := run(false)
				got, gotSums := run(true)
				for _, a := range []struct {
					what      string
					got, want []float64
				}{
					{"x", got.x, want.x}, {"zl", got.zl, want.zl}, {"zu", got.zu, want.zu},
					{"yE", got.yE, want.yE}, {"yC", got.yC, want.yC},
					{"rpE", got.rpE, want.rpE}, {"rpC", got.rpC, want.rpC},
					{"D", got.D, want.D}, {"1/(sl su)", got.ip, want.ip}, {"rd", got.rd, want.rd}, {"tE", got.tE, want.tE}, {"tC", got.tC, want.tC},
				} {
					equal(t, a.what, a.got, a.want)
				}
				for i := range wantSums {
					if !near(gotSums[i], wantSums[i], math.Abs(wantSums[i])) {
						t.Errorf("sum %d = %g, want %g", i, gotSums[i], wantSums[i])
					}
				}
			})
		}
	}
}
