package dispatch

import "math"

// kernelISA is the instruction set a dense kernel runs on: dot, axpy and
// the others run on the best one the CPU has (dense_amd64.go), and their
// ...On forms on a given one, which the tests use to check each.
type kernelISA uint8

const (
	// isaGo is the portable loops of this file.
	isaGo kernelISA = iota
	// isaFMA is the AVX2 and FMA kernels of dense_amd64.s: the dense
	// per-feeder blocks are where 1,000-EV and 100-feeder solves spend
	// most of their time, and four-wide fused multiply-adds do that work
	// about three times faster than the scalar loops Go compiles.
	isaFMA
)

// String names the instruction set, for test failures.
func (isa kernelISA) String() string {
	switch isa {
	case isaGo:
		return "portable"
	case isaFMA:
		return "AVX2/FMA"
	}
	return "unknown"
}

// denseChol overwrites the lower triangle of the n x n row-major matrix a
// with its Cholesky factor. A pivot lost to rounding (the coupling rows of a
// converging interior point method are nearly dependent) is replaced by a
// huge one, which sets that dual direction to about zero instead of failing;
// denseChol returns how many pivots it replaced.
func denseChol(a []float64, n int) (replaced int) {
	for j := 0; j < n; j++ {
		rj := a[j*n : j*n+j]
		ljj, lost := cholPivot(a[j*n+j], dot(rj, rj))
		if lost {
			replaced++
		}
		a[j*n+j] = ljj
		inv := 1 / ljj
		// Four rows at a time: one pass over rj for four dot products.
		i := j + 1
		for ; i+4 <= n; i += 4 {
			s0, s1, s2, s3 := dot4(a[i*n:i*n+j], a[(i+1)*n:(i+1)*n+j], a[(i+2)*n:(i+2)*n+j], a[(i+3)*n:(i+3)*n+j], rj)
			a[i*n+j] = (a[i*n+j] - s0) * inv
			a[(i+1)*n+j] = (a[(i+1)*n+j] - s1) * inv
			a[(i+2)*n+j] = (a[(i+2)*n+j] - s2) * inv
			a[(i+3)*n+j] = (a[(i+3)*n+j] - s3) * inv
		}
		for ; i < n; i++ {
			ri := a[i*n : i*n+j]
			a[i*n+j] = (a[i*n+j] - dot(ri, rj)) * inv
		}
	}
	return replaced
}

// cholPivot is the diagonal entry of a Cholesky factor whose diagonal
// entry of the matrix is d and whose row so far has squared norm sum. A
// pivot lost to rounding (at most 1e-13 of d, or not positive) becomes
// 1e64, the root of a huge one, which sets that direction to about zero
// instead of failing; lost says so.
func cholPivot(d, sum float64) (l float64, lost bool) {
	piv := d - sum
	if piv <= 1e-13*math.Abs(d) || piv <= 0 {
		return 1e64, true
	}
	return math.Sqrt(piv), false
}

// denseForward solves L x = b in place.
func denseForward(a []float64, n int, b []float64) {
	for i := 0; i < n; i++ {
		b[i] = (b[i] - dot(a[i*n:i*n+i], b[:i])) / a[i*n+i]
	}
}

// denseBackward solves L^T x = b in place.
func denseBackward(a []float64, n int, b []float64) {
	for i := n - 1; i >= 0; i-- {
		b[i] /= a[i*n+i]
		bi := b[i]
		if bi == 0 {
			continue
		}
		// Column i of L^T is row i of L.
		axpy(-bi, a[i*n:i*n+i], b[:i])
	}
}

// dotGo returns x·y over len(x); four accumulators let the CPU overlap the
// multiply-adds, which Go does not vectorise for us. dot uses it where
// there is no vector kernel (dense_amd64.s).
func dotGo(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// dot4Go returns x0·y, x1·y, x2·y and x3·y over len(y).
func dot4Go(x0, x1, x2, x3, y []float64) (s0, s1, s2, s3 float64) {
	n := len(y)
	x0, x1, x2, x3 = x0[:n], x1[:n], x2[:n], x3[:n]
	for i, v := range y {
		s0 += x0[i] * v
		s1 += x1[i] * v
		s2 += x2[i] * v
		s3 += x3[i] * v
	}
	return s0, s1, s2, s3
}

// axpyGo sets y += a x over len(x).
func axpyGo(a float64, x, y []float64) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		y[i] += a * x[i]
		y[i+1] += a * x[i+1]
		y[i+2] += a * x[i+2]
		y[i+3] += a * x[i+3]
	}
	for ; i < len(x); i++ {
		y[i] += a * x[i]
	}
}

// axpy4Go sets y += a0 x0 + a1 x1 + a2 x2 + a3 x3 over len(y): one load
// and store of y for eight flops, which is what the dense per-feeder
// updates are bound by.
func axpy4Go(a0, a1, a2, a3 float64, x0, x1, x2, x3, y []float64) {
	n := len(y)
	x0, x1, x2, x3 = x0[:n], x1[:n], x2[:n], x3[:n]
	for j := range y {
		y[j] += a0*x0[j] + a1*x1[j] + a2*x2[j] + a3*x3[j]
	}
}

// gemm4x8Go sets, for r < 4 and j < 8, c[r*cs+j] -= sum over i < k of
// a[r*ars+i*aks] * b[i*bks+j].
func gemm4x8Go(a []float64, ars, aks int, b []float64, bks, k int, c []float64, cs int) {
	var acc [4][8]float64
	for i := 0; i < k; i++ {
		bi := b[i*bks : i*bks+8]
		for r := range acc {
			ar := a[r*ars+i*aks]
			for j, bj := range bi {
				acc[r][j] += ar * bj
			}
		}
	}
	for r := range acc {
		cr := c[r*cs : r*cs+8]
		for j := range cr {
			cr[j] -= acc[r][j]
		}
	}
}

// syrkTri subtracts X^T X from the upper triangle of the n x n matrix c,
// rows of both ld apart. Column j of X is zero outside rows
// start[j]..end[j]-1 (empty when start[j] >= end[j]): a block of columns
// is multiplied only over the rows where both sides can be nonzero, which
// skips the rows above a feeder's triangular border columns (border.go)
// and the products across its block's components (blockenv.go). It works
// in whole 4 x 8 blocks, which keep their sums in registers, so ld must
// be at least n rounded up to 8, c must have n rounded up to 4 rows and
// X's padding columns must be zero. Entries of c below the diagonal and
// in its padding are left with garbage.
func syrkTri(X []float64, n, ld int, c []float64, start, end []int) {
	n8 := (n + 7) &^ 7
	// Each block of eight columns' rows, computed once.
	var buf [2 * 32]int
	br := buf[:]
	if n8/4 > len(br) {
		br = make([]int, n8/4)
	}
	for j := 0; j < n8; j += 8 {
		br[j/4], br[j/4+1] = colRange(start, end, j, min(j+8, n))
	}
	for a := 0; a < n; a += 4 {
		sa, ea := colRange(start, end, a, min(a+4, n))
		if sa >= ea {
			continue
		}
		for j := a &^ 7; j < n8; j += 8 {
			sj, ej := br[j/4], br[j/4+1]
			if i0, i1 := max(sa, sj), min(ea, ej); i0 < i1 {
				gemm4x8(X[a+i0*ld:], 1, ld, X[j+i0*ld:], ld, i1-i0, c[a*ld+j:], ld)
			}
		}
	}
}
