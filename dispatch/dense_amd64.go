//go:build amd64

package dispatch

import "golang.org/x/sys/cpu"

// bestISA is the best instruction set the CPU and the OS support. It is
// set once, at start-up, and only read after; the tests run the others
// through the ...On functions.
var bestISA = detectISA()

// detectISA returns the best instruction set the kernels have here.
// AVX-512 kernels (eight-wide, masked tails; dense512_amd64.s in the git
// history) took 0.72 to 1.05 of these kernels' time on their own on an
// AMD EPYC (Zen 5), but nothing less end to end: the rows are short and
// the feeder blocks wait on memory and calls more than on arithmetic
// (docs/benchmarks.md).
func detectISA() kernelISA {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		return isaFMA
	}
	return isaGo
}

// supportedISAs lists the instruction sets the kernels can run on here,
// for the tests to check each against the portable loops.
func supportedISAs() []kernelISA {
	isas := make([]kernelISA, 0, bestISA+1)
	for isa := isaGo; isa <= bestISA; isa++ {
		isas = append(isas, isa)
	}
	return isas
}

// dot returns x·y over len(x).
func dot(x, y []float64) float64 { return dotOn(bestISA, x, y) }

// dotOn is dot on instruction set isa.
func dotOn(isa kernelISA, x, y []float64) float64 {
	if isa == isaFMA {
		return dotFMA(x, y[:len(x)])
	}
	return dotGo(x, y)
}

// dot4 returns x0·y, x1·y, x2·y and x3·y over len(y). It repeats dot4On's
// body rather than calling it: with five slices it is too large for the
// compiler to inline, and the Cholesky and the border's solves make
// hundreds of thousands of these short calls per solve.
func dot4(x0, x1, x2, x3, y []float64) (s0, s1, s2, s3 float64) {
	if bestISA == isaFMA {
		n := len(y)
		return dot4FMA(x0[:n], x1[:n], x2[:n], x3[:n], y)
	}
	return dot4Go(x0, x1, x2, x3, y)
}

// dot4On is dot4 on instruction set isa.
func dot4On(isa kernelISA, x0, x1, x2, x3, y []float64) (s0, s1, s2, s3 float64) {
	if isa == isaFMA {
		n := len(y)
		return dot4FMA(x0[:n], x1[:n], x2[:n], x3[:n], y)
	}
	return dot4Go(x0, x1, x2, x3, y)
}

// axpy sets y += a x over len(x).
func axpy(a float64, x, y []float64) { axpyOn(bestISA, a, x, y) }

// axpyOn is axpy on instruction set isa.
func axpyOn(isa kernelISA, a float64, x, y []float64) {
	if isa == isaFMA {
		axpyFMA(a, x, y[:len(x)])
		return
	}
	axpyGo(a, x, y)
}

// axpy4 sets y += a0 x0 + a1 x1 + a2 x2 + a3 x3 over len(y).
func axpy4(a0, a1, a2, a3 float64, x0, x1, x2, x3, y []float64) {
	axpy4On(bestISA, a0, a1, a2, a3, x0, x1, x2, x3, y)
}

// axpy4On is axpy4 on instruction set isa.
func axpy4On(isa kernelISA, a0, a1, a2, a3 float64, x0, x1, x2, x3, y []float64) {
	if isa == isaFMA {
		n := len(y)
		axpy4FMA(a0, a1, a2, a3, x0[:n], x1[:n], x2[:n], x3[:n], y)
		return
	}
	axpy4Go(a0, a1, a2, a3, x0, x1, x2, x3, y)
}

// gemm4x8 sets, for r < 4 and j < 8, c[r*cs+j] -= sum over i < k of
// a[r*ars+i*aks] * b[i*bks+j]: the block kernel of the dense products.
func gemm4x8(a []float64, ars, aks int, b []float64, bks, k int, c []float64, cs int) {
	gemm4x8On(bestISA, a, ars, aks, b, bks, k, c, cs)
}

// gemm4x8On is gemm4x8 on instruction set isa.
func gemm4x8On(isa kernelISA, a []float64, ars, aks int, b []float64, bks, k int, c []float64, cs int) {
	if isa == isaGo {
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
