package dispatch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSyrkTri checks the blocked X^T X update against its definition on
// the upper triangle, with the padding syrkTri asks for, on sizes that
// leave every kind of partial block, with columns that start below the
// first row and end above the last, as a feeder's border columns do
// (border.go), with empty columns, and the portable block kernel against
// the vector one.
func TestSyrkTri(t *testing.T) {
	for _, c := range []struct{ k, n, oy int }{{1, 1, 8}, {3, 5, 8}, {4, 8, 8}, {7, 9, 16}, {62, 87, 88}, {5, 96, 96},
		{7, 9, 0}, {30, 21, 8}, {67, 87, 24}, {67, 72, 0}} {
		rng := rand.New(rand.NewPCG(uint64(c.n), 7))
		ld := (c.n + 7) &^ 7
		rows := (c.n + 3) &^ 3
		// Columns before oy span random runs of rows, some of them empty;
		// from oy on they start at increasing rows, some past the last,
		// and end at the end of a random "component" or at k.
		start, end := make([]int, c.n), make([]int, c.n)
		for j := 0; j < c.n; j++ {
			switch {
			case j < c.oy && rng.IntN(5) == 0:
				start[j], end[j] = c.k, 0
			case j < c.oy:
				start[j] = rng.IntN(c.k)
				end[j] = start[j] + 1 + rng.IntN(c.k-start[j])
			default:
				if j > c.oy {
					start[j] = start[j-1] + rng.IntN(4)
				}
				end[j] = min(c.k, start[j]+1+rng.IntN(c.k))
			}
		}
		X := make([]float64, c.k*ld)
		for i := 0; i < c.k; i++ {
			for j := 0; j < c.n; j++ {
				if i >= start[j] && i < end[j] {
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
		syrkTri(X, c.n, ld, C, start, end)
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

// TestDenseChol checks denseChol, four rows at a time in the vector
// kernels, against a plain scalar Cholesky on sizes around the kernels'
// widths, on well-conditioned matrices and on singular ones, where both
// must replace the same lost pivots.
func TestDenseChol(t *testing.T) {
	plain := func(a []float64, n int) (replaced int) {
		for j := 0; j < n; j++ {
			d := a[j*n+j]
			piv := d
			for k := 0; k < j; k++ {
				piv -= a[j*n+k] * a[j*n+k]
			}
			if piv <= 1e-13*math.Abs(d) || piv <= 0 {
				piv = 1e128
				replaced++
			}
			a[j*n+j] = math.Sqrt(piv)
			for i := j + 1; i < n; i++ {
				v := a[i*n+j]
				for k := 0; k < j; k++ {
					v -= a[i*n+k] * a[j*n+k]
				}
				a[i*n+j] = v / a[j*n+j]
			}
		}
		return replaced
	}
	for _, n := range []int{1, 3, 4, 7, 8, 9, 12, 16, 17, 31, 67, 87, 130} {
		for _, singular := range []bool{false, true} {
			rng := rand.New(rand.NewPCG(uint64(n), 11))
			// a = B B^T + I, or B B^T with B of rank n/2 (rows repeated).
			m := n + 3
			B := make([]float64, n*m)
			for i := range B {
				B[i] = rng.NormFloat64()
			}
			if singular {
				for i := 1; i < n; i += 2 {
					copy(B[i*m:(i+1)*m], B[(i-1)*m:i*m])
				}
			}
			a := make([]float64, n*n)
			for i := 0; i < n; i++ {
				for j := 0; j <= i; j++ {
					v := dot(B[i*m:(i+1)*m], B[j*m:(j+1)*m])
					if i == j && !singular {
						v++
					}
					a[i*n+j], a[j*n+i] = v, v
				}
			}
			want := append([]float64(nil), a...)
			wantRep := plain(want, n)
			gotRep := denseChol(a, n)
			if gotRep != wantRep {
				t.Fatalf("n=%d singular=%v: replaced %d pivots, the plain factor %d", n, singular, gotRep, wantRep)
			}
			for i := 0; i < n; i++ {
				for j := 0; j <= i; j++ {
					w, g := want[i*n+j], a[i*n+j]
					if d := math.Abs(g - w); d > 1e-9*(1+math.Abs(w)) {
						t.Fatalf("n=%d singular=%v: L[%d][%d] = %g, the plain factor %g", n, singular, i, j, g, w)
					}
				}
			}
			if singular && n > 1 && wantRep == 0 {
				t.Fatalf("n=%d: the singular matrix lost no pivot", n)
			}
		}
	}
}
