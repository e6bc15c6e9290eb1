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

// syr4x2 subtracts the rank-4 update x0 x0^T + ... + x3 x3^T from rows a
// and a+1 of the upper triangle of the n x n row-major c.
func syr4x2(a, n int, x0, x1, x2, x3, c []float64) {
	if !hasFMA {
		syr4x2Go(a, n, x0, x1, x2, x3, c)
		return
	}
	a0, a1, a2, a3 := x0[a], x1[a], x2[a], x3[a]
	b0, b1, b2, b3 := x0[a+1], x1[a+1], x2[a+1], x3[a+1]
	c0 := c[a*n+a : (a+1)*n]
	c1 := c[(a+1)*n+a+1 : (a+2)*n]
	c0[0] -= a0*a0 + a1*a1 + a2*a2 + a3*a3
	m := len(c1)
	y0, y1, y2, y3 := x0[a+1:a+1+m], x1[a+1:a+1+m], x2[a+1:a+1+m], x3[a+1:a+1+m]
	axpy4FMA(-a0, -a1, -a2, -a3, y0, y1, y2, y3, c0[1:1+m])
	axpy4FMA(-b0, -b1, -b2, -b3, y0, y1, y2, y3, c1)
}

// The kernels (dense_amd64.s) need slices of equal length.

//go:noescape
func dotFMA(x, y []float64) float64

//go:noescape
func axpyFMA(a float64, x, y []float64)

//go:noescape
func axpy4FMA(a0, a1, a2, a3 float64, x0, x1, x2, x3, y []float64)
