package dispatch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSyr4x2 checks the two-row rank-4 update against its definition on
// the upper triangle, and that it leaves every other entry alone.
func TestSyr4x2(t *testing.T) {
	for _, n := range []int{2, 3, 8, 9, 96} {
		rng := rand.New(rand.NewPCG(uint64(n), 7))
		var x [4][]float64
		for q := range x {
			x[q] = make([]float64, n)
			for j := range x[q] {
				x[q][j] = rng.NormFloat64()
			}
		}
		for a := 0; a+2 <= n; a++ {
			c := make([]float64, n*n)
			for i := range c {
				c[i] = rng.NormFloat64()
			}
			want := append([]float64(nil), c...)
			for r := a; r < a+2; r++ {
				for j := r; j < n; j++ {
					for q := range x {
						want[r*n+j] -= x[q][r] * x[q][j]
					}
				}
			}
			c2 := append([]float64(nil), c...)
			syr4x2(a, n, x[0], x[1], x[2], x[3], c)
			syr4x2Go(a, n, x[0], x[1], x[2], x[3], c2)
			for i := range c {
				if math.Abs(c[i]-want[i]) > 1e-12 || math.Abs(c2[i]-want[i]) > 1e-12 {
					t.Fatalf("n=%d a=%d: entry (%d,%d) is %g (portable %g), want %g", n, a, i/n, i%n, c[i], c2[i], want[i])
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
