package dispatch

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKKTSolve checks the structured solve against the definition: for a
// random positive scaling D, (A D A^T) y must reproduce the right-hand side.
func TestKKTSolve(t *testing.T) {
	for _, g := range []GenOptions{
		{EVs: 7, Feeders: 2, Slots: 12, Seed: 3, V2GShare: 0.5, MinEfficiency: 0.9, Tightness: 0.8, Caps: 2, WearShare: 1, SystemLimit: true},
		{EVs: 9, Feeders: 3, Slots: 24, Seed: 4, Tightness: 0.9},
		{EVs: 9, Feeders: 1, Slots: 24, Seed: 5, V2GShare: 1, WearShare: 0.5, SystemLimit: true, Caps: 1},
		// Feeders of several groups (more than 32 EVs each), and below a
		// feeder whose limit no load can reach: system rows only.
		{EVs: 150, Feeders: 2, Slots: 24, Seed: 6, V2GShare: 0.3, MinEfficiency: 0.9, Tightness: 0.8, WearShare: 0.5, SystemLimit: true},
		{EVs: 30, Feeders: 3, Slots: 24, Seed: 7, V2GShare: 0.3, Tightness: 0.8, SystemLimit: true},
	} {
		p := Generate(g)
		if g.Seed == 7 {
			p.Feeders[0].ImportLimitKW, p.Feeders[0].ExportLimitKW = Constant(1e6), nil
		}
		m := buildLP(p)
		if g.Seed == 7 && (m.fRow[0] >= 0 || m.sRow < 0 || len(m.groups) < 3) {
			t.Fatalf("want feeder 0 without rows and a system border: fRow %v, sRow %d", m.fRow, m.sRow)
		}
		if g.Seed == 6 && len(m.groups) < 4 {
			t.Fatalf("want several groups per feeder, got %d groups", len(m.groups))
		}
		rng := rand.New(rand.NewPCG(1, 2))
		D := make([]float64, m.nx)
		for j := range D {
			D[j] = math.Exp(4 * rng.NormFloat64())
		}
		tm := newTeam(2)
		defer tm.close()
		k := newKKT(m, tm)
		k.factor(D)
		rE, rC := make([]float64, m.nEVR), make([]float64, m.nC)
		for i := range rE {
			rE[i] = rng.NormFloat64()
		}
		for i := range rC {
			rC[i] = rng.NormFloat64()
		}
		yE, yC := make([]float64, m.nEVR), make([]float64, m.nC)
		k.solve(rE, rC, yE, yC)
		x := make([]float64, m.nx)
		m.aty(yE, yC, x, m.atyScratch(), tm)
		for j := range x {
			x[j] *= D[j]
		}
		gE, gC := make([]float64, m.nEVR), make([]float64, m.nC)
		m.mul(x, gE, gC, m.mulScratch(), tm)
		worst := 0.0
		for i := range gE {
			worst = math.Max(worst, math.Abs(gE[i]-rE[i]))
		}
		for i := range gC {
			worst = math.Max(worst, math.Abs(gC[i]-rC[i]))
		}
		if worst > 1e-6 {
			t.Errorf("%+v: residual of A D A^T y = r is %g", g, worst)
		}
	}
}

// TestBorderShortcut checks the system border taken from the feeders'
// factors (border.go) against solving for every column, for scalings
// whose segment entries range from tiny to huge: by default, where the
// shortcut would cancel it is not taken, so the two solves agree closely
// at every spread; taking it everywhere agrees where nothing cancels.
func TestBorderShortcut(t *testing.T) {
	for _, spread := range []float64{0, 4, 10} {
		p := Generate(GenOptions{EVs: 40, Feeders: 2, Slots: 24, Seed: 9, V2GShare: 0.5, MinEfficiency: 0.9,
			Tightness: 0.8, Caps: 2, WearShare: 1, SystemLimit: true})
		m := buildLP(p)
		rng := rand.New(rand.NewPCG(3, 4))
		D := make([]float64, m.nx)
		for j := range D {
			D[j] = math.Exp(spread * rng.NormFloat64())
		}
		rE, rC := make([]float64, m.nEVR), make([]float64, m.nC)
		for i := range rE {
			rE[i] = rng.NormFloat64()
		}
		for i := range rC {
			rC[i] = rng.NormFloat64()
		}
		solve := func(shortcut float64) (yE, yC []float64, taken int) {
			k := newKKT(m, nil)
			k.shortcut = shortcut
			k.factor(D)
			for f := range k.lay {
				taken += len(k.lay[f].wc)
			}
			yE, yC = make([]float64, m.nEVR), make([]float64, m.nC)
			k.solve(rE, rC, yE, yC)
			return yE, yC, taken
		}
		wantE, wantC, none := solve(0)
		if none != 0 {
			t.Fatalf("shortcut 0 took %d columns from the factor", none)
		}
		scale := 0.0
		for _, v := range append(append([]float64{}, wantE...), wantC...) {
			scale = math.Max(scale, math.Abs(v))
		}
		cases := []float64{1e3}
		if spread == 0 {
			cases = append(cases, math.Inf(1))
		}
		for _, sc := range cases {
			gotE, gotC, taken := solve(sc)
			if taken == 0 {
				t.Fatalf("spread %g shortcut %g: no column taken from the factor", spread, sc)
			}
			worst := 0.0
			for i := range wantE {
				worst = math.Max(worst, math.Abs(gotE[i]-wantE[i]))
			}
			for i := range wantC {
				worst = math.Max(worst, math.Abs(gotC[i]-wantC[i]))
			}
			if worst > 1e-9*scale {
				t.Errorf("spread %g shortcut %g (%d columns): solutions differ by %g of %g", spread, sc, taken, worst, scale)
			}
		}
	}
}

// TestRefactorLeavesNothingBehind factors the same KKT system twice with
// different scalings and checks it solves exactly as a fresh one factored
// once with the second: factor clears only the entries of G its EVs
// write, so one it missed would carry the first factor into the second.
// Two feeders of many groups each and many feeders of one group each
// cover the summed and the in-place blocks.
func TestRefactorLeavesNothingBehind(t *testing.T) {
	for _, o := range []GenOptions{
		{EVs: 400, Feeders: 2, Slots: 48, Seed: 5},
		{EVs: 120, Feeders: 12, Slots: 48, Seed: 6},
	} {
		o.V2GShare, o.MinEfficiency, o.Tightness, o.Caps, o.WearShare, o.SystemLimit = 0.5, 0.9, 0.8, 2, 0.5, true
		m := buildLP(Generate(o))
		multi := 0
		for _, c := range m.groups {
			if c.f == 0 {
				multi++
			}
		}
		rng := rand.New(rand.NewPCG(uint64(o.Seed), 1))
		scaling := func() []float64 {
			D := make([]float64, m.nx)
			for j := range D {
				D[j] = math.Exp(4 * rng.NormFloat64())
			}
			return D
		}
		D1, D2 := scaling(), scaling()
		rE, rC := make([]float64, m.nEVR), make([]float64, m.nC)
		for i := range rE {
			rE[i] = rng.NormFloat64()
		}
		for i := range rC {
			rC[i] = rng.NormFloat64()
		}
		solve := func(Ds ...[]float64) []float64 {
			k := newKKT(m, nil)
			for _, D := range Ds {
				k.factor(D)
			}
			yE, yC := make([]float64, m.nEVR), make([]float64, m.nC)
			k.solve(rE, rC, yE, yC)
			return append(yE, yC...)
		}
		want, got := solve(D2), solve(D1, D2)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%d EVs on %d feeders (%d groups on feeder 0): entry %d is %g after two factors, %g after one",
					o.EVs, o.Feeders, multi, i, got[i], want[i])
			}
		}
		if o.Feeders == 2 && multi < 2 {
			t.Fatalf("feeder 0 has %d groups; the test needs several", multi)
		}
	}
}

// TestFusedFeedersFactorAsStored checks that a feeder whose EVs are one
// group, built in its chunk's scratch (kkt.fused), factors and solves bit
// for bit as when its block is stored: on feeders sharing a chunk, so the
// scratch passes from one to the next, beside feeders of several groups,
// one without rows, and without a system border; factored twice, so a
// first factor's scratch cannot leak into the second.
func TestFusedFeedersFactorAsStored(t *testing.T) {
	for _, o := range []GenOptions{
		{EVs: 200, Feeders: 30, Slots: 48, Seed: 5, SystemLimit: true},
		{EVs: 200, Feeders: 30, Slots: 48, Seed: 6},
		{EVs: 150, Feeders: 2, Slots: 24, Seed: 7, SystemLimit: true},
	} {
		o.V2GShare, o.MinEfficiency, o.Tightness, o.Caps, o.WearShare = 0.5, 0.9, 0.8, 2, 0.5
		p := Generate(o)
		if o.Seed == 7 {
			// Feeder 0 (several groups) without rows; feeder 1 keeps
			// every eighth of its EVs, one group.
			p.Feeders[0].ImportLimitKW, p.Feeders[0].ExportLimitKW = Constant(1e6), nil
			n := 0
			p.EVs = slices.DeleteFunc(p.EVs, func(e EV) bool {
				if e.Feeder != p.Feeders[1].ID {
					return false
				}
				n++
				return n%8 != 0
			})
		}
		m := buildLP(p)
		tm := newTeam(2)
		defer tm.close()
		fused, stored := newKKTFusing(m, tm, true), newKKTFusing(m, tm, false)
		nFused := 0
		for f := range m.nF {
			if fused.fused[f] {
				nFused++
			}
			if stored.fused[f] {
				t.Fatalf("%+v: feeder %d fused with fusing off", o, f)
			}
		}
		if nFused == 0 || nFused == m.nF && o.Seed == 7 {
			t.Fatalf("%+v: %d of %d feeders fused; the test needs fused ones beside others", o, nFused, m.nF)
		}
		if m.nF > 16 && m.nF <= fused.nChunk {
			t.Fatalf("%+v: %d chunks for %d feeders; the test needs chunks of several", o, fused.nChunk, m.nF)
		}
		rng := rand.New(rand.NewPCG(uint64(o.Seed), 2))
		rE, rC := make([]float64, m.nEVR), make([]float64, m.nC)
		for i := range rE {
			rE[i] = rng.NormFloat64()
		}
		for i := range rC {
			rC[i] = rng.NormFloat64()
		}
		for round := range 2 {
			D := make([]float64, m.nx)
			for j := range D {
				D[j] = math.Exp(4 * rng.NormFloat64())
			}
			fused.factor(D)
			stored.factor(D)
			same := func(what string, f int, got, want []float64) {
				t.Helper()
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%+v, factor %d: %s of feeder %d, entry %d, is %g fused, %g stored", o, round, what, f, i, got[i], want[i])
					}
				}
			}
			for f := range m.nF {
				same("Lf", f, fused.Lf[f], stored.Lf[f])
				same("Z", f, fused.Z[f], stored.Z[f])
			}
			fused.factorSystem()
			stored.factorSystem()
			same("Sg", -1, fused.Sg, stored.Sg)
			if G := fused.gScratch; slices.ContainsFunc(G, func(v float64) bool { return v != 0 }) {
				t.Fatalf("%+v, factor %d: the chunks' G scratch is not left zero", o, round)
			}
			solve := func(k *kkt) []float64 {
				yE, yC := make([]float64, m.nEVR), make([]float64, m.nC)
				k.solve(rE, rC, yE, yC)
				return append(yE, yC...)
			}
			same("solution", -1, solve(fused), solve(stored))
		}
	}
}

// TestSystemBorderFactoredOnceBySolve checks that the system border, which
// factor leaves to the next solve (factorSystem), is factored exactly once
// per factor: every solve after a factor, with a team or without, gives
// the same bits as one made after factoring the border on its own (with
// the same number of chunks: a team of two splits the feeders into more),
// and a second factor starts over from the new scaling.
func TestSystemBorderFactoredOnceBySolve(t *testing.T) {
	p := Generate(GenOptions{EVs: 200, Feeders: 30, Slots: 48, Seed: 5, V2GShare: 0.5, MinEfficiency: 0.9,
		Tightness: 0.8, Caps: 2, WearShare: 0.5, SystemLimit: true})
	m := buildLP(p)
	if m.sRow < 0 {
		t.Fatal("the test needs a system border")
	}
	rng := rand.New(rand.NewPCG(8, 9))
	rE, rC := make([]float64, m.nEVR), make([]float64, m.nC)
	for i := range rE {
		rE[i] = rng.NormFloat64()
	}
	for i := range rC {
		rC[i] = rng.NormFloat64()
	}
	tm := newTeam(2)
	defer tm.close()
	type pair struct{ deferred, eager *kkt }
	cases := map[string]pair{
		"with a team": {newKKT(m, tm), newKKT(m, tm)},
		"alone":       {newKKT(m, nil), newKKT(m, nil)},
	}
	solve := func(k *kkt) []float64 {
		yE, yC := make([]float64, m.nEVR), make([]float64, m.nC)
		k.solve(rE, rC, yE, yC)
		return append(yE, yC...)
	}
	for round := range 2 {
		D := make([]float64, m.nx)
		for j := range D {
			D[j] = math.Exp(3 * rng.NormFloat64())
		}
		for name, c := range cases {
			c.deferred.factor(D)
			c.eager.factor(D)
			if !c.deferred.systemPending {
				t.Fatalf("factor %d %s: the system border is not left to the solve", round, name)
			}
			c.eager.factorSystem()
			want := solve(c.eager)
			for s := range 2 {
				got := solve(c.deferred)
				if c.deferred.systemPending {
					t.Fatalf("factor %d, solve %d %s: the system border is still pending", round, s, name)
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("factor %d, solve %d %s: entry %d is %g, %g with the border factored first", round, s, name, i, got[i], want[i])
					}
				}
			}
		}
	}
}
