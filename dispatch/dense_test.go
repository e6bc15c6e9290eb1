package dispatch

import (
	"fmt"
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
// length, so every tail path of the vector kernels is taken, on every
// instruction set this CPU has (the portable loops against themselves
// too: their ...On forms must pick them).
func TestDenseKernelsMatchPortable(t *testing.T) {
	for _, isa := range supportedISAs() {
		t.Run(isa.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 5))
			vec := func(n int) []float64 {
				v := make([]float64, n)
				for i := range v {
					v[i] = rng.NormFloat64()
				}
				return v
			}
			for n := 0; n <= 70; n++ {
				x, y := vec(n), vec(n+3) // y longer: only len(x) counts
				if got, want := dotOn(isa, x, y), dotGo(x, y); math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
					t.Errorf("n=%d: dot %g, want %g", n, got, want)
				}
				a := rng.NormFloat64()
				y1, y2 := append([]float64(nil), y...), append([]float64(nil), y...)
				axpyOn(isa, a, x, y1)
				axpyGo(a, x, y2)
				for i := range y1 {
					if math.Abs(y1[i]-y2[i]) > 1e-12*(1+math.Abs(y2[i])) {
						t.Fatalf("n=%d: axpy entry %d is %g, want %g", n, i, y1[i], y2[i])
					}
				}
				x0, x1, x2, x3 := vec(n), vec(n), vec(n), vec(n)
				s0, s1, s2, s3 := dot4On(isa, x0, x1, x2, x3, x)
				for q, got := range []float64{s0, s1, s2, s3} {
					want := dotGo([][]float64{x0, x1, x2, x3}[q], x)
					if math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
						t.Errorf("n=%d: dot4 %d is %g, want %g", n, q, got, want)
					}
				}
				z1, z2 := vec(n), make([]float64, n)
				copy(z2, z1)
				axpy4On(isa, 1.5, -2, 0.25, 3, x0, x1, x2, x3, z1)
				axpy4Go(1.5, -2, 0.25, 3, x0, x1, x2, x3, z2)
				for i := range z1 {
					if math.Abs(z1[i]-z2[i]) > 1e-12*(1+math.Abs(z2[i])) {
						t.Fatalf("n=%d: axpy4 entry %d is %g, want %g", n, i, z1[i], z2[i])
					}
				}
			}
		})
	}
}

// A dot product over a span that starts and ends at a multiple of 16 (of
// 8 for dot4) or ends at the end of the row, the rest of the row being
// zero, is the one over the whole row to the last bit: borderBack reads
// Z's rows only over such spans (zLayout.setSpans) and relies on it.
func TestDenseSpanSumsMatchWholeRow(t *testing.T) {
	for _, isa := range supportedISAs() {
		rng := rand.New(rand.NewPCG(9, 9))
		const n = 87
		for lo := 0; lo < n; lo += 8 {
			for hi := lo + 8; hi <= n+7; hi += 8 {
				hi := min(hi, n)
				rows := make([][]float64, 4)
				for q := range rows {
					rows[q] = make([]float64, n)
					for i := lo; i < hi; i++ {
						rows[q][i] = rng.NormFloat64()
					}
				}
				y := make([]float64, n)
				for i := range y {
					y[i] = rng.NormFloat64()
				}
				w0, w1, w2, w3 := dot4On(isa, rows[0], rows[1], rows[2], rows[3], y)
				s0, s1, s2, s3 := dot4On(isa, rows[0][lo:], rows[1][lo:], rows[2][lo:], rows[3][lo:], y[lo:hi])
				if [4]float64{w0, w1, w2, w3} != [4]float64{s0, s1, s2, s3} {
					t.Fatalf("%v: dot4 over [%d,%d) is %v, over the whole row %v", isa, lo, hi,
						[4]float64{s0, s1, s2, s3}, [4]float64{w0, w1, w2, w3})
				}
				if lo%16 != 0 || hi%16 != 0 && hi != n {
					continue
				}
				if w, s := dotOn(isa, rows[0], y), dotOn(isa, rows[0][lo:hi], y[lo:]); w != s {
					t.Fatalf("%v: dot over [%d,%d) is %g, over the whole row %g", isa, lo, hi, s, w)
				}
			}
		}
	}
}

// TestGemm4x8MatchesPortable checks the block kernel on every instruction
// set against the portable loop, for every k up to 21, with a read along rows and along columns
// (as syrkTri and forwardRows read them), and that it writes nothing of c
// outside the block.
func TestGemm4x8MatchesPortable(t *testing.T) {
	const ld = 24
	for _, isa := range supportedISAs() {
		rng := rand.New(rand.NewPCG(3, 3))
		for k := 0; k <= 21; k++ {
			for _, s := range []struct{ ars, aks int }{{1, ld}, {ld, 1}} {
				a := make([]float64, 4*ld+k*ld)
				b := make([]float64, (k+1)*ld)
				c := make([]float64, 5*ld)
				for _, v := range [][]float64{a, b, c} {
					for i := range v {
						v[i] = rng.NormFloat64()
					}
				}
				want := append([]float64(nil), c...)
				gemm4x8Go(a, s.ars, s.aks, b, ld, k, want[3:], ld)
				got := append([]float64(nil), c...)
				gemm4x8On(isa, a, s.ars, s.aks, b, ld, k, got[3:], ld)
				for i := range got {
					if math.Abs(got[i]-want[i]) > 1e-12*float64(k+1)*(1+math.Abs(want[i])) {
						t.Fatalf("%v k=%d ars=%d: c[%d] is %g, want %g", isa, k, s.ars, i, got[i], want[i])
					}
				}
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

// BenchmarkDenseKernels times each kernel on each instruction set at the
// lengths of the 1,000-EV, 100-feeder solve: rows of 16 and 23 entries on
// average (dot and axpy), 14 (dot4), 18 steps of the block kernel, and a
// whole 67-entry feeder row.
func BenchmarkDenseKernels(b *testing.B) {
	v := make([]float64, 5*96)
	for i := range v {
		v[i] = float64(i%13) - 6
	}
	for _, isa := range supportedISAs() {
		for _, n := range []int{7, 14, 23, 67} {
			x, y := v[:n], v[96:96+n]
			b.Run(fmt.Sprintf("dot/%v/%d", isa, n), func(b *testing.B) {
				s := 0.0
				for b.Loop() {
					s += dotOn(isa, x, y)
				}
				sink = s
			})
			b.Run(fmt.Sprintf("dot4/%v/%d", isa, n), func(b *testing.B) {
				s := 0.0
				for b.Loop() {
					s0, _, _, _ := dot4On(isa, v[:n], v[96:], v[192:], v[288:], v[384:384+n])
					s += s0
				}
				sink = s
			})
			b.Run(fmt.Sprintf("axpy/%v/%d", isa, n), func(b *testing.B) {
				for b.Loop() {
					axpyOn(isa, 1e-9, x, y)
				}
			})
		}
		b.Run(fmt.Sprintf("gemm4x8/%v/18", isa), func(b *testing.B) {
			c := make([]float64, 4*8)
			for b.Loop() {
				gemm4x8On(isa, v, 1, 8, v, 8, 18, c, 8)
			}
		})
	}
}

// sink keeps the benchmarks' sums alive.
var sink float64
