package dispatch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKKTSolve checks the structured solve against the definition: for a
// random positive scaling D, (A D A^T) y must reproduce the right-hand side.
func TestKKTSolve(t *testing.T) {
	for _, g := range []GenOptions{
		{EVs: 7, Feeders: 2, Slots: 12, Seed: 3, V2GShare: 0.5, MinEfficiency: 0.9, Tightness: 0.8, Caps: 2, WearShare: 1, SystemLimit: true},
		{EVs: 9, Feeders: 3, Slots: 24, Seed: 4, Tightness: 0.9},
		{EVs: 9, Feeders: 1, Slots: 24, Seed: 5, V2GShare: 1, WearShare: 0.5, SystemLimit: true, Caps: 1},
	} {
		p := Generate(g)
		m := buildLP(p)
		rng := rand.New(rand.NewPCG(1, 2))
		D := make([]float64, m.nx)
		for j := range D {
			D[j] = math.Exp(4 * rng.NormFloat64())
		}
		k := newKKT(m, 2)
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
		m.aty(yE, yC, x, 2)
		for j := range x {
			x[j] *= D[j]
		}
		gE, gC := make([]float64, m.nEVR), make([]float64, m.nC)
		m.mul(x, gE, gC, m.mulScratch(), 2)
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
