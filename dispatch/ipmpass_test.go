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

// TestBatchesTileTheVariables checks that the batches and the segment
// pieces hold every variable exactly once, each batch a run of one
// group's EVs, in order, whose variables are consecutive and, unless it is
// one EV, at most the limit; at the model's own limit and at a small one.
func TestBatchesTileTheVariables(t *testing.T) {
	for _, o := range passCases {
		m := buildLP(Generate(o))
		for _, limit := range []int{batchLimit(m), 300} {
			seen := make([]int, m.nx)
			gi, next := 0, 0
			for _, bt := range evBatches(m, limit) {
				if bt.g != gi {
					if bt.g != gi+1 || next != len(m.groups[gi].evs) {
						t.Fatalf("%+v: batch %+v follows EV %d of group %d", o, bt, next, gi)
					}
					gi, next = bt.g, 0
				}
				if bt.first != next || bt.last <= bt.first {
					t.Fatalf("%+v: batch %+v does not follow EV %d", o, bt, next)
				}
				next = bt.last
				if n := bt.last - bt.first; n > 1 && bt.hi-bt.lo > limit {
					t.Errorf("%+v: batch %+v of %d EVs holds %d variables", o, bt, n, bt.hi-bt.lo)
				}
				at := bt.lo
				for _, bi := range m.groups[bt.g].evs[bt.first:bt.last] {
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
			if gi != len(m.groups)-1 || next != len(m.groups[gi].evs) {
				t.Fatalf("%+v: batches end at EV %d of group %d", o, next, gi)
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
// bit for bit (the same operations on the same values), sums to rounding,
// and so the coupling rows, whose loads are summed by batch rather than
// by group.
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
				checkPredictor(t, s, d)
				checkDirectionOnBase(t, s, d)
				checkResiduals(t, s, d)
				checkCorrector(t, s, d)
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
	nearly(t, "rpC", s.rpC, wantC)
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
	nearly(t, "tC", s.tC, tC)
}

// checkPredictor compares predict with Aᵀ dy, affineKernel's formulas
// for the predictor and the parts of the corrector it leaves, and their
// products, from D rhat in d.dx.
func checkPredictor(t *testing.T, s *ipm, d dir) {
	t.Helper()
	m := s.m
	n := m.nx
	at := make([]float64, n)
	m.aty(d.dyE, d.dyC, at, m.atyScratch(), nil)
	rl0, ru0, DA, DB := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	ap, ad := 1.0, 1.0
	var sums [4]float64
	for j, x := range s.x {
		zl, zu := s.zl[j], s.zu[j]
		sl, su := x, m.hi[j]-x
		dx := s.D[j]*at[j] - d.dx[j]
		u := dx * s.ip[j]
		dzl, dzu := -zl*(1+u*su), -zu*(1-u*sl)
		ap = min(ap, maxStep(sl, dx, 1), maxStep(su, -dx, 1))
		ad = min(ad, maxStep(zl, dzl, 1), maxStep(zu, dzu, 1))
		sums[0] += sl*zl + su*zu
		sums[1] += dx * (zl - zu)
		sums[2] += sl*dzl + su*dzu
		sums[3] += dx * (dzl - dzu)
		rl0[j], ru0[j] = -sl*zl-dx*dzl, -su*zu+dx*dzu
		DA[j] = s.D[j] * (s.rd[j] + (ru0[j]*sl-rl0[j]*su)*s.ip[j])
		DB[j] = s.D[j] * ((sl - su) * s.ip[j])
	}
	wantComp := max(0, sums[0]+ap*sums[1]+ad*sums[2]+ap*ad*sums[3])
	comp := s.predict(d, sums[0])
	if !near(comp, wantComp, sums[0]) {
		t.Errorf("complementarity after the predictor's steps %g, want %g", comp, wantComp)
	}
	equal(t, "rl0", d.dzl, rl0)
	equal(t, "ru0", d.dzu, ru0)
	equal(t, "DA", d.dx, DA)
	equal(t, "DB", s.dB, DB)
	for _, c := range []struct {
		what      string
		v, tE, tC []float64
	}{{"A DA", DA, s.tE, s.tC}, {"A DB", DB, s.tB, s.tBC}} {
		wE, wC := make([]float64, m.nEVR), make([]float64, m.nC)
		m.mul(c.v, wE, wC, m.mulScratch(), nil)
		equal(t, c.what+" (EV rows)", c.tE, wE)
		nearly(t, c.what+" (coupling rows)", c.tC, wC)
	}
}

// checkCorrector compares correctorRHS and finish with mehrotraKernel
// against Mehrotra's corrector as it reads, from the predictor d and its
// dy, before predict replaces them: right-hand sides rl = smu - sl zl -
// dx dzl, ru = smu - su zu + dx dzu, rhat = rd + ru/su - rl/sl, the
// solve's right-hand side A D rhat + rp, and the direction dx = D (Aᵀ dy -
// rhat), dzl = (rl - zl dx)/sl, dzu = (ru + zu dx)/su. Splitting them in
// smu rounds differently, so entries agree to rounding.
func checkCorrector(t *testing.T, s *ipm, d dir) {
	t.Helper()
	m := s.m
	n := m.nx
	const smu = 0.3
	at := make([]float64, n)
	m.aty(d.dyE, d.dyC, at, m.atyScratch(), nil)
	aff := newDir(m)
	for j, x := range s.x {
		sl, su := x, m.hi[j]-x
		aff.dx[j] = s.D[j] * (at[j] - (s.rd[j] + s.zl[j] - s.zu[j]))
		aff.dzl[j] = (-sl*s.zl[j] - s.zl[j]*aff.dx[j]) / sl
		aff.dzu[j] = (-su*s.zu[j] + s.zu[j]*aff.dx[j]) / su
	}
	rl, ru, Drh := make([]float64, n), make([]float64, n), make([]float64, n)
	for j, x := range s.x {
		sl, su := x, m.hi[j]-x
		rl[j] = smu - sl*s.zl[j] - aff.dx[j]*aff.dzl[j]
		ru[j] = smu - su*s.zu[j] + aff.dx[j]*aff.dzu[j]
		Drh[j] = s.D[j] * (s.rd[j] + ru[j]/su - rl[j]/sl)
	}
	wE, wC := make([]float64, m.nEVR), make([]float64, m.nC)
	m.mul(Drh, wE, wC, m.mulScratch(), nil)
	for i := range wE {
		wE[i] += s.rpE[i]
	}
	for i := range wC {
		wC[i] += s.rpC[i]
	}

	// The pass that finishes the predictor, with the same dy, from D rhat
	// as residuals left it in d.dx.
	s.predict(d, 0)
	s.correctorRHS(smu)
	nearly(t, "corrector right-hand side (EV rows)", s.tE, wE)
	nearly(t, "corrector right-hand side (coupling rows)", s.tC, wC)

	// Finishing the corrector for some dy.
	rng := rand.New(rand.NewPCG(5, 6))
	for _, v := range [][]float64{d.dyE, d.dyC} {
		for i := range v {
			v[i] = rng.NormFloat64()
		}
	}
	m.aty(d.dyE, d.dyC, at, m.atyScratch(), nil)
	want := newDir(m)
	for j, x := range s.x {
		sl, su := x, m.hi[j]-x
		dx := s.D[j]*at[j] - Drh[j]
		want.dx[j] = dx
		want.dzl[j] = (rl[j] - s.zl[j]*dx) / sl
		want.dzu[j] = (ru[j] + s.zu[j]*dx) / su
	}
	gotP, gotD := s.finish(d, func(lo, hi int, at []float64, p *passSums) {
		p[0], p[1] = s.mehrotraKernel(lo, hi, at, d, smu, p[0], p[1])
	})
	nearly(t, "corrector dx", d.dx, want.dx)
	nearly(t, "corrector dzl", d.dzl, want.dzl)
	nearly(t, "corrector dzu", d.dzu, want.dzu)
	ap, ad := 1.0, 1.0
	for j, x := range s.x {
		ap = min(ap, maxStep(x, d.dx[j], 1), maxStep(m.hi[j]-x, -d.dx[j], 1))
		ad = min(ad, maxStep(s.zl[j], d.dzl[j], 1), maxStep(s.zu[j], d.dzu[j], 1))
	}
	if gotP != ap || gotD != ad {
		t.Errorf("corrector steps %g %g, want %g %g", gotP, gotD, ap, ad)
	}
}

// checkDirectionOnBase compares finish with directionKernel, for a
// direction on the predictor as its base, with Aᵀ dy and its formulas.
func checkDirectionOnBase(t *testing.T, s *ipm, d dir) {
	t.Helper()
	m := s.m
	c := newDir(m)
	rng := rand.New(rand.NewPCG(7, 8))
	for j := range c.dzl {
		c.dx[j], c.dzl[j], c.dzu[j] = rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
	}
	for _, v := range [][]float64{c.dyE, c.dyC} {
		for i := range v {
			v[i] = rng.NormFloat64()
		}
	}
	at := make([]float64, m.nx)
	m.aty(c.dyE, c.dyC, at, m.atyScratch(), nil)
	want := newDir(m)
	ap, ad := 1.0, 1.0
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
	gotP, gotD := s.finish(c, func(lo, hi int, at []float64, p *passSums) {
		p[0], p[1] = s.directionKernel(lo, hi, at, c, &d, p[0], p[1])
	})
	equal(t, "dx on a base", c.dx, want.dx)
	equal(t, "dzl on a base", c.dzl, want.dzl)
	equal(t, "dzu on a base", c.dzu, want.dzu)
	if gotP != ap || gotD != ad {
		t.Errorf("steps on a base %g %g, want %g %g", gotP, gotD, ap, ad)
	}
}

// nearly fails t at the first entry where got and want differ by more
// than 1e-9 of the largest entry of want.
func nearly(t *testing.T, what string, got, want []float64) {
	t.Helper()
	scale := 0.0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9*scale {
			t.Errorf("%s[%d] = %g, want %g (of entries up to %g)", what, i, got[i], want[i], scale)
			return
		}
	}
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
