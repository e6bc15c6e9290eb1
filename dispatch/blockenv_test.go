package dispatch

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomEnvelope returns the first column of each of n rows, never
// decreasing, with components (first[i] == i) here and there.
func randomEnvelope(rng *rand.Rand, n int) []int {
	first := make([]int, n)
	for i := 1; i < n; i++ {
		switch rng.IntN(6) {
		case 0:
			first[i] = i // a new component
		case 1, 2:
			first[i] = first[i-1] + rng.IntN(i-first[i-1]+1)
		default:
			first[i] = first[i-1]
		}
	}
	return first
}

// colEnds returns blockEnv.colEnd for an envelope.
func colEnds(first []int) []int {
	e := make([]int, len(first))
	for i, f := range first {
		e[i] = max(e[i], i+1)
		for j := f; j < i; j++ {
			e[j] = i + 1
		}
	}
	return e
}

// TestEnvCholMatchesDense checks envChol, and the envelope solves, against
// denseChol and the dense solves on random positive definite matrices
// with random envelopes, on sizes around the kernels' widths, and on
// matrices with a dependent row, where both must replace the same pivot.
func TestEnvCholMatchesDense(t *testing.T) {
	lost := 0
	for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 67, 96} {
		for _, singular := range []bool{false, true} {
			for rep := range 4 {
				rng := rand.New(rand.NewPCG(uint64(n), uint64(10*rep+1)))
				first := randomEnvelope(rng, n)
				// a = B B^T (+ I) with row i of B nonzero only in columns
				// first[i]..i: B B^T keeps the envelope (first never
				// decreases), and B's diagonal keeps it definite.
				B := make([]float64, n*n)
				for i := 0; i < n; i++ {
					for j := first[i]; j <= i; j++ {
						B[i*n+j] = rng.NormFloat64()
					}
					B[i*n+i] = 1 + math.Abs(B[i*n+i])
				}
				dep := -1
				if singular {
					// Row dep of B repeats row dep-1, which lies within
					// row dep's envelope when both start at the same
					// column: a pivot lost to rounding.
					for i := n - 1; i > 0; i-- {
						if first[i] == first[i-1] && first[i] < i {
							dep = i
							break
						}
					}
					if dep > 0 {
						copy(B[dep*n:dep*n+n], B[(dep-1)*n:dep*n])
						lost++
					}
				}
				a := make([]float64, n*n)
				for i := 0; i < n; i++ {
					for j := 0; j <= i; j++ {
						v := dot(B[i*n:(i+1)*n], B[j*n:(j+1)*n])
						if j < first[i] && v != 0 {
							t.Fatalf("n=%d: test matrix leaves its envelope at (%d,%d)", n, i, j)
						}
						a[i*n+j], a[j*n+i] = v, v
					}
				}
				want := append([]float64(nil), a...)
				wantRep := denseChol(want, n)
				got := append([]float64(nil), a...)
				gotRep := envChol(got, n, first, colEnds(first))
				if gotRep != wantRep {
					t.Fatalf("n=%d rep=%d singular=%v: envChol replaced %d pivots, denseChol %d", n, rep, singular, gotRep, wantRep)
				}
				if dep > 0 && wantRep == 0 {
					t.Fatalf("n=%d rep=%d: the dependent row %d lost no pivot", n, rep, dep)
				}
				for i := 0; i < n; i++ {
					for j := 0; j <= i; j++ {
						w, g := want[i*n+j], got[i*n+j]
						if d := math.Abs(g - w); d > 1e-10*(1+math.Abs(w)) {
							t.Fatalf("n=%d rep=%d singular=%v: L[%d][%d] = %g, dense %g", n, rep, singular, i, j, g, w)
						}
						if j < first[i] && g != 0 {
							t.Fatalf("n=%d: L[%d][%d] = %g outside the envelope", n, i, j, g)
						}
					}
				}
				if wantRep > 0 {
					continue // the solves with a 1e64 pivot say nothing more
				}
				b := make([]float64, n)
				for i := range b {
					b[i] = rng.NormFloat64()
				}
				wb, gb := append([]float64(nil), b...), append([]float64(nil), b...)
				denseForward(want, n, wb)
				denseBackward(want, n, wb)
				envForward(got, n, first, gb)
				envBackward(got, n, first, gb)
				for i := range wb {
					if d := math.Abs(gb[i] - wb[i]); d > 1e-9*(1+math.Abs(wb[i])) {
						t.Fatalf("n=%d rep=%d: solve entry %d = %g, dense %g", n, rep, i, gb[i], wb[i])
					}
				}
			}
		}
	}
	if lost < 20 {
		t.Fatalf("only %d matrices with a dependent row", lost)
	}
}

// TestNewBlockEnvByHand checks the envelope of a feeder with rows in
// slots 1, 2, 6 and 7 and two EVs, one in slots 1-4 and one in 4-7: two
// components (no EV is present in slots 2 and 6), and a system column in
// slot 4, where both EVs are but the feeder has no row, spanning both.
func TestNewBlockEnvByHand(t *testing.T) {
	m := &lpModel{T: 10, evs: []evBlock{{a: 1, K: 4}, {a: 4, K: 4}}}
	e := newBlockEnv(m, []int{0, 1}, []int{1, 2, 6, 7}, []int{0, 3, 4, 5, 8}, nil)
	for _, c := range []struct {
		name      string
		got, want []int
	}{
		{"first", e.first, []int{0, 0, 2, 2}},
		{"colEnd", e.colEnd, []int{2, 2, 4, 4}},
		{"compEnd", e.compEnd, []int{2, 2, 4, 4}},
		// Slots 0 and 8 have no EV: empty (start nf, end 0).
		{"yStart", e.yStart, []int{4, 0, 0, 2, 4}},
		{"yEnd", e.yEnd, []int{0, 2, 4, 4, 0}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestBlockEnvBoundsNonzeros checks, on instances whose feeders have few
// EVs (stays with gaps between them), that the envelope of each feeder's
// block bounds the nonzeros of the block, of its dense Cholesky factor,
// of L^{-1} times each system column of G (the border's columns solved
// for) and of L^{-1} E (those taken from the factor), as border.go
// relies on; and that the instances have several components.
func TestBlockEnvBoundsNonzeros(t *testing.T) {
	comps := 0
	for seed := uint64(1); seed <= 6; seed++ {
		p := Generate(GenOptions{EVs: 40, Feeders: 10, Seed: seed, V2GShare: 0.3, MinEfficiency: 0.9,
			Tightness: 0.9, Caps: 2, WearShare: 0.5, SystemLimit: true})
		m := buildLP(p)
		rng := rand.New(rand.NewPCG(seed, 5))
		D := make([]float64, m.nx)
		for j := range D {
			D[j] = math.Exp(2 * rng.NormFloat64())
		}
		k := newKKTFusing(m, nil, false) // keeps each feeder's G
		k.factor(D)
		T := m.T
		for f := 0; f < m.nF; f++ {
			if k.Lf[f] == nil {
				continue
			}
			env := &k.env[f]
			fs := m.fSlots[f]
			nf := len(fs)
			g := func(t, u int) float64 { return k.G[f][min(t, u)*T+max(t, u)] }
			M := make([]float64, nf*nf)
			for i, ti := range fs {
				for j, tj := range fs[:i+1] {
					M[i*nf+j] = g(ti, tj)
					if j < env.first[i] && M[i*nf+j] != 0 {
						t.Fatalf("seed %d feeder %d: block entry (%d,%d) = %g outside the envelope", seed, f, i, j, M[i*nf+j])
					}
				}
				M[i*nf+i] += k.Ef[f][i]
			}
			L := append([]float64(nil), M...)
			denseChol(L, nf)
			for i := 0; i < nf; i++ {
				for j := 0; j <= i; j++ {
					if j < env.first[i] && L[i*nf+j] != 0 {
						t.Fatalf("seed %d feeder %d: dense factor (%d,%d) = %g outside the envelope", seed, f, i, j, L[i*nf+j])
					}
					if d := math.Abs(L[i*nf+j] - k.Lf[f][i*nf+j]); d > 1e-9*(1+math.Abs(L[i*nf+j])) {
						t.Fatalf("seed %d feeder %d: factor (%d,%d) = %g, dense %g", seed, f, i, j, k.Lf[f][i*nf+j], L[i*nf+j])
					}
				}
				if env.first[i] == i && i > 0 {
					comps++
				}
			}
			outside := func(x []float64, s, e int, what string) {
				for i, v := range x {
					if v != 0 && (i < s || i >= e) {
						t.Fatalf("seed %d feeder %d: %s row %d = %g outside rows %d..%d", seed, f, what, i, v, s, e-1)
					}
				}
			}
			for c, tc := range m.sSlots {
				y := make([]float64, nf)
				for i, ti := range fs {
					y[i] = g(ti, tc)
				}
				denseForward(L, nf, y)
				outside(y, env.yStart[c], env.yEnd[c], "solved column")
			}
			for b := range fs {
				w := make([]float64, nf)
				w[b] = k.Ef[f][b]
				denseForward(L, nf, w)
				outside(w, b, env.compEnd[b], "factor column")
			}
		}
	}
	if comps == 0 {
		t.Fatal("no feeder block has more than one component: nothing tested")
	}
}
