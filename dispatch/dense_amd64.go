//go:build amd64

package dispatch

import "golang.org/x/sys/cpu"

// hasFMA says whether the CPU runs the AVX2 and FMA kernels of
// dense_amd64.s. It is set once, at start-up, and only read after: the
// dense per-feeder blocks are where 1,000-EV and 100-feeder solves spend
// most of their time, and four-wide fused multiply-adds do that work
// about three times faster than the scalar loops Go compiles.
var hasFMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// dot returns x·y over len(x).
func dot(x, y []float64) float64 {
	if hasFMA {
		return dotFMA(x, y[:len(x)])
	}
	return dotGo(x, y)
}

// dot4 returns x0·y, x1·y, x2·y and x3·y over len(y).
func dot4(x0, x1, x2, x3, y []float64) (s0, s1, s2, s3 float64) {
	if hasFMA {
		n := len(y)
		return dot4FMA(x0[:n], x1[:n], x2[:n], x3[:n], y)
	}
	return dot4Go(x0, x1, x2, x3, y)
}

// axpy sets y += a x over len(x).
func axpy(a float64, x, y []float64) {
	if hasFMA {
		axpyFMA(a, x, y[:len(x)])
		return
	}
	axpyGo(a, x, y)
}

// axpy4 sets y += a0 x0 + a1 x1 + a2 x2 + a3 x3 over len(y).
func axpy4(a0, a1, a2, a3 float64, x0, x1, x2, x3, y []float64) {
	if hasFMA {
		n := len(y)
		axpy4FMA(a0, a1, a2, a3, x0[:n], x1[:n], x2[:n], x3[:n], y)
		return
	}
	axpy4Go(a0, a1, a2, a3, x0, x1, x2, x3, y)
}

// gemm4x8 sets, for r < 4 and j < 8, c[r*cs+j] -= sum over i < k of
// a[r*ars+i*aks] * b[i*bks+j]: the block kernel of the dense products.
func gemm4x8(a []float64, ars, aks int, b []float64, bks, k int, c []float64, cs int) {
	if !hasFMA {
		gemm4x8Go(a, ars, aks, b, bks, k, c, cs)
		return
	}
	if k > 0 {
		// The kernel reads and writes without bounds checks: these
		// panic, as the portable loops would, if a slice is too short.
		_ = a[3*ars+(k-1)*aks]
		_ = b[(k-1)*bks+7]
	}
	_ = c[3*cs+7]
	gemm4x8FMA(a, ars, aks, b, bks, k, c, cs)
}

// The kernels (dense_amd64.s) need slices of equal length.

//go:noescape
func dotFMA(x, y []float64) float64

//go:noescape
func axpyFMA(a float64, x, y []float64)

//go:noescape
func axpy4FMA(a0, a1, a2, a3 float64, x0, x1, x2, x3, y []float64)

//go:noescape
func gemm4x8FMA(a []float64, ars, aks int, b []float64, bks, k int, c []float64, cs int)

//go:noescape
func dot4FMA(x0, x1, x2, x3, y []float64) (s0, s1, s2, s3 float64)
