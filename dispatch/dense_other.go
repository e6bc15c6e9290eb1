//go:build !amd64

package dispatch

// Without a vector kernel for this architecture the dense loops are the
// portable ones of dense.go, whatever instruction set is asked for.

func supportedISAs() []kernelISA { return []kernelISA{isaGo} }

func dot(x, y []float64) float64                    { return dotGo(x, y) }
func dotOn(_ kernelISA, x, y []float64) float64     { return dotGo(x, y) }
func axpy(a float64, x, y []float64)                { axpyGo(a, x, y) }
func axpyOn(_ kernelISA, a float64, x, y []float64) { axpyGo(a, x, y) }

func axpy4(a0, a1, a2, a3 float64, x0, x1, x2, x3, y []float64) {
	axpy4Go(a0, a1, a2, a3, x0, x1, x2, x3, y)
}

func axpy4On(_ kernelISA, a0, a1, a2, a3 float64, x0, x1, x2, x3, y []float64) {
	axpy4Go(a0, a1, a2, a3, x0, x1, x2, x3, y)
}

func gemm4x8(a []float64, ars, aks int, b []float64, bks, k int, c []float64, cs int) {
	gemm4x8Go(a, ars, aks, b, bks, k, c, cs)
}

func gemm4x8On(_ kernelISA, a []float64, ars, aks int, b []float64, bks, k int, c []float64, cs int) {
	gemm4x8Go(a, ars, aks, b, bks, k, c, cs)
}

func dot4(x0, x1, x2, x3, y []float64) (s0, s1, s2, s3 float64) { return dot4Go(x0, x1, x2, x3, y) }

func dot4On(_ kernelISA, x0, x1, x2, x3, y []float64) (s0, s1, s2, s3 float64) {
	return dot4Go(x0, x1, x2, x3, y)
}
