package dispatch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSyrkTri checks the blocked X^T X update against its definition on
// the upper triangle, with the padding syrkTri asks for, on sizes that
// leave every kind of partial block, with and without columns that start
// below the first row, and the portable block kernel against the vector
// one.
func TestSyrkTri(t *testing.T) {
	for _, c := range []struct{ k, n, oy int }{{1, 1, 8}, {3, 5, 8}, {4, 8, 8}, {7, 9, 16}, {62, 87, 88}, {5, 96, 96},
		{7, 9, 0}, {30, 21, 8}, {67, 87, 24}, {67, 72, 0}} {
		rng := rand.New(rand.NewPCG(uint64(c.n), 7))
		ld := (c.n + 7) &^ 7
		rows := (c.n + 3) &^ 3
		// Columns from oy start at increasing rows, some past the last.
		var first []int
		for j := c.oy; j < c.n; j++ {
			f := 0
			if len(first) > 0 {
				f = first[len(first)-1] + rng.IntN(4)
			}
			first = append(first, f)
		}
		X := make([]float64, c.k*ld)
		for i := 0; i < c.k; i++ {
			for j := 0; j < c.n; j++ {
				if j < c.oy || i >= first[j-c.oy] {
					X[i*ld+j] = rng.NormFloat64()
				}
			}
		}
		C := make([]float64, rows*ld)
		for i := range C {
			C[i] = rng.NormFloat64()
		}
		want := append([]float64(nil), C...)
		for a := 0; a < c.n; a++ {
			for j := a; j < c.n; j++ {
				for i := 0; i < c.k; i++ {
					want[a*ld+j] -= X[i*ld+a] * X[i*ld+j]
				}
			}
		}
		C2 := append([]float64(nil), C...)
		syrkTri(X, c.k, c.n, ld, C, c.oy, first)
		for a := 0; a < c.n; a++ {
			for j := a; j < c.n; j++ {
				if d := math.Abs(C[a*ld+j] - want[a*ld+j]); d > 1e-12*float64(c.k) {
					t.Fatalf("k=%d n=%d oy=%d: entry (%d,%d) is %g, want %g", c.k, c.n, c.oy, a, j, C[a*ld+j], want[a*ld+j])
				}
			}
		}
		// The same blocks, whole, through the portable kernel.
		for a := 0; a < c.n; a += 4 {
			for j := a &^ 7; j < ld; j += 8 {
				gemm4x8Go(X[a:], 1, ld, X[j:], ld, c.k, C2[a*ld+j:], ld)
			}
		}
		for a := 0; a < c.n; a++ {
			for j := a; j < c.n; j++ {
				if d := math.Abs(C[a*ld+j] - C2[a*ld+j]); d > 1e-12*float64(c.k)*(1+math.Abs(C2[a*ld+j])) {
					t.Fatalf("k=%d n=%d oy=%d: entry (%d,%d): kernel %g, portable %g", c.k, c.n, c.oy, a, j, C[a*ld+j], C2[a*ld+j])
				}
			}
		}
	}
}

// The dense kernels agree with the portable loops to rounding on every
// length, so every tail path of the vector kernels is taken.
func TestDenseKernelsMatchPortable(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	vec := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return v
	}
	for n := 0; n <= 41; n++ {
		x, y := vec(n), vec(n+3) // y longer: only len(x) counts
		if got, want := dot(x, y), dotGo(x, y); math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
			t.Errorf("n=%d: dot %g, want %g", n, got, want)
		}
		a := rng.NormFloat64()
		y1, y2 := append([]float64(nil), y...), append([]float64(nil), y...)
		axpy(a, x, y1)
		axpyGo(a, x, y2)
		for i := range y1 {
			if math.Abs(y1[i]-y2[i]) > 1e-12*(1+math.Abs(y2[i])) {
				t.Fatalf("n=%d: axpy entry %d is %g, want %g", n, i, y1[i], y2[i])
			}
		}
		x0, x1, x2, x3 := vec(n), vec(n), vec(n), vec(n)
		s0, s1, s2, s3 := dot4(x0, x1, x2, x3, x)
		for q, got := range []float64{s0, s1, s2, s3} {
			want := dotGo([][]float64{x0, x1, x2, x3}[q], x)
			if math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
				t.Errorf("n=%d: dot4 %d is %g, want %g", n, q, got, want)
			}
		}
		z1, z2 := vec(n), make([]float64, n)
		copy(z2, z1)
		axpy4(1.5, -2, 0.25, 3, x0, x1, x2, x3, z1)
		axpy4Go(1.5, -2, 0.25, 3, x0, x1, x2, x3, z2)
		for i := range z1 {
			if math.Abs(z1[i]-z2[i]) > 1e-12*(1+math.Abs(z2[i])) {
				t.Fatalf("n=%d: axpy4 entry %d is %g, want %g", n, i, z1[i], z2[i])
			}
		}
	}
}
