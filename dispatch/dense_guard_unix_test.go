//go:build unix

package dispatch

import (
	"syscall"
	"testing"
	"unsafe"
)

// guarded returns n float64s that end where an inaccessible page begins:
// a kernel that reads or writes one entry past the end faults.
func guarded(t *testing.T, n int) []float64 {
	t.Helper()
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap of two pages: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[page:], syscall.PROT_NONE); err != nil {
		t.Skipf("mprotect of the guard page: %v", err)
	}
	v := unsafe.Slice((*float64)(unsafe.Pointer(&mem[page-8*n])), n)
	for i := range v {
		v[i] = float64(i%7) - 3
	}
	return v
}

// TestDenseKernelsStayInBounds runs the kernels on vectors that end at an
// inaccessible page, on every length that leaves a tail: no kernel may
// touch an entry past the end, whatever its width.
func TestDenseKernelsStayInBounds(t *testing.T) {
	for _, isa := range supportedISAs() {
		for n := 0; n <= 33; n++ {
			x, y := guarded(t, n), guarded(t, n)
			x0, x1, x2, x3 := guarded(t, n), guarded(t, n), guarded(t, n), guarded(t, n)
			want := dotGo(x, y)
			if got := dotOn(isa, x, y); got != want {
				t.Errorf("%v n=%d: dot %g, want %g", isa, n, got, want)
			}
			s0, _, _, s3 := dot4On(isa, x0, x1, x2, x3, y)
			if s0 != want || s3 != want {
				t.Errorf("%v n=%d: dot4 %g and %g, want %g", isa, n, s0, s3, want)
			}
			axpyOn(isa, 2, x, y)
			for i, v := range y {
				if w := 3 * (float64(i%7) - 3); v != w {
					t.Fatalf("%v n=%d: axpy entry %d is %g, want %g", isa, n, i, v, w)
				}
			}
		}
	}
}
