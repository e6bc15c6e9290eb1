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
			syr4x2(a, n, x[0], x[1], x[2], x[3], c)
			for i := range c {
				if math.Abs(c[i]-want[i]) > 1e-12 {
					t.Fatalf("n=%d a=%d: entry (%d,%d) is %g, want %g", n, a, i/n, i%n, c[i], want[i])
				}
			}
		}
	}
}
