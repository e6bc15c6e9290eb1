package dispatch

import "math"

// The envelope of a feeder's block.
//
// Feeder f's block M = G_f + E on its nf slots with a row is zero at
// (t, t') unless some EV of the feeder is present in both slots: H_i lives
// on EV i's stay, a run of slots. So row i of M (slot fs[i]) is zero left
// of first[i], the first of the feeder's slots at or after the earliest
// arrival of an EV present in slot fs[i]. A Cholesky factor keeps that
// envelope exactly (no fill outside it), and first never decreases: an
// EV present in a later slot that arrived before fs[i] is present in
// fs[i] too. With 10 EVs per feeder (1,000 EVs on 100 feeders) the
// envelope holds about a fifth of the dense factor's work.
//
// Where no EV spans the cut between two rows (first[i] == i) the block
// splits into independent components. L^{-1} fills within a component
// but never across, so the border's solved columns (border.go) are zero
// outside the components their EVs touch, and products of two columns
// vanish across components: border.go skips those blocks.
//
// The envelope depends only on which EVs are present where, so it is
// computed once per solve.

// blockEnv is the envelope of one feeder's block: nf rows, ns system
// columns.
type blockEnv struct {
	// first[i] is the first column of row i that can be nonzero; colEnd[j]
	// is one past the last row whose envelope reaches column j; compEnd[i]
	// is one past the last row of row i's component.
	first, colEnd, compEnd []int
	// yStart[c], yEnd[c] bound the rows where the feeder's EVs' column of
	// G on system column c, and L^{-1} of it, can be nonzero; yStart[c] ==
	// nf when no EV present in that slot is present in a feeder slot.
	yStart, yEnd []int
}

// newBlockEnv returns the envelope of a feeder whose EVs are evs, with
// rows in slots fs and the system's in ss, T slots in all; scratch holds
// 3T+1 ints or is nil.
func newBlockEnv(m *lpModel, evs []int, fs, ss []int, scratch []int) blockEnv {
	T, nf := m.T, len(fs)
	if len(scratch) < 3*T+1 {
		scratch = make([]int, 3*T+1)
	}
	// arr[t] is the earliest arrival, dep[t] the latest end of stay, of
	// the EVs present in slot t.
	arr, dep := scratch[:T], scratch[T:2*T]
	for t := range arr {
		arr[t], dep[t] = T, -1
	}
	for _, i := range evs {
		b := &m.evs[i]
		for t := b.a; t < b.a+b.K; t++ {
			arr[t] = min(arr[t], b.a)
			dep[t] = max(dep[t], b.a+b.K)
		}
	}
	// at[t] is the first of the feeder's slots at or after t.
	at := scratch[2*T : 3*T+1]
	at[T] = nf
	for t, p := T-1, nf; t >= 0; t-- {
		if p > 0 && fs[p-1] >= t {
			p--
		}
		at[t] = p
	}
	buf := make([]int, 3*nf+2*len(ss)) // one allocation per feeder
	e := blockEnv{first: buf[:nf:nf], colEnd: buf[nf : 2*nf : 2*nf], compEnd: buf[2*nf : 3*nf : 3*nf],
		yStart: buf[3*nf : 3*nf+len(ss) : 3*nf+len(ss)], yEnd: buf[3*nf+len(ss):]}
	for i, t := range fs {
		e.first[i] = i
		if arr[t] < T {
			e.first[i] = min(i, at[arr[t]])
		}
	}
	// first never decreases for runs of slots (above); this pass keeps
	// that true whatever the stays, by widening rows, never narrowing.
	for i := nf - 2; i >= 0; i-- {
		e.first[i] = min(e.first[i], e.first[i+1])
	}
	for i, j := nf-1, nf; i >= 0; i-- {
		e.compEnd[i] = j
		if e.first[i] == i {
			j = i
		}
	}
	for i := range nf {
		e.colEnd[i] = i + 1
	}
	for i, f := range e.first {
		for j := f; j < i; j++ {
			e.colEnd[j] = i + 1
		}
	}
	for c, t := range ss {
		e.yStart[c], e.yEnd[c] = nf, 0
		if arr[t] == T {
			continue
		}
		// Rows lo..hi-1 share an EV with slot t; the forward solve fills
		// to the end of the last one's component.
		if lo, hi := at[arr[t]], at[dep[t]]; lo < hi {
			e.yStart[c], e.yEnd[c] = lo, e.compEnd[hi-1]
		}
	}
	return e
}

// envChol is denseChol on a matrix whose row i is zero left of first[i]
// (first never decreasing, colEnd as in blockEnv): it overwrites the
// lower triangle of the n x n row-major matrix a with its Cholesky
// factor, which keeps that envelope, reading and writing only inside it.
// Entries outside the envelope must be zero. Pivots lost to rounding are
// replaced as denseChol replaces them; it returns how many.
func envChol(a []float64, n int, first, colEnd []int) (replaced int) {
	for j := 0; j < n; j++ {
		fj := first[j]
		rj := a[j*n+fj : j*n+j]
		ljj, lost := cholPivot(a[j*n+j], dot(rj, rj))
		if lost {
			replaced++
		}
		a[j*n+j] = ljj
		inv := 1 / ljj
		// Rows j+1..colEnd[j]-1 reach column j; four at a time, from the
		// first of the four, the others being zero before their own.
		e := colEnd[j]
		i := j + 1
		for ; i+4 <= e; i += 4 {
			f := first[i]
			y := a[j*n+f : j*n+j]
			s0, s1, s2, s3 := dot4(a[i*n+f:], a[(i+1)*n+f:], a[(i+2)*n+f:], a[(i+3)*n+f:], y)
			a[i*n+j] = (a[i*n+j] - s0) * inv
			a[(i+1)*n+j] = (a[(i+1)*n+j] - s1) * inv
			a[(i+2)*n+j] = (a[(i+2)*n+j] - s2) * inv
			a[(i+3)*n+j] = (a[(i+3)*n+j] - s3) * inv
		}
		for ; i < e; i++ {
			f := first[i]
			a[i*n+j] = (a[i*n+j] - dot(a[i*n+f:i*n+j], a[j*n+f:j*n+j])) * inv
		}
	}
	return replaced
}

// envForward solves L x = b in place for L from envChol.
func envForward(a []float64, n int, first []int, b []float64) {
	for i := 0; i < n; i++ {
		f := first[i]
		b[i] = (b[i] - dot(a[i*n+f:i*n+i], b[f:i])) / a[i*n+i]
	}
}

// envBackward solves L^T x = b in place for L from envChol.
func envBackward(a []float64, n int, first []int, b []float64) {
	for i := n - 1; i >= 0; i-- {
		b[i] /= a[i*n+i]
		bi := b[i]
		if bi == 0 {
			continue
		}
		// Column i of L^T is row i of L.
		f := first[i]
		axpy(-bi, a[i*n+f:i*n+i], b[f:i])
	}
}

// colRange returns the rows [s, e) that bound the nonzeros of columns
// lo..hi-1, given each column's start and end; s >= e when all are zero.
func colRange(start, end []int, lo, hi int) (s, e int) {
	s, e = math.MaxInt, 0
	for j := lo; j < hi; j++ {
		if start[j] < end[j] {
			s, e = min(s, start[j]), max(e, end[j])
		}
	}
	return s, e
}
