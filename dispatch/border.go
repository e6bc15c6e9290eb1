package dispatch

// A feeder's share of the system border.
//
// With E the diagonal of feeder f's row scalings and M = G_ff + E = L L^T
// its factored block, eliminating the feeder leaves on the system's slots
//
//	C = G_ss - X^T X,  X = L^{-1} G_fs  (nf x ns),
//
// and the solves need X^T w and X g. Formed as written, X^T X costs
// nf ns^2 / 2 multiply-adds per feeder, most of a 100-feeder solve. But a
// system slot that also has a feeder row (position b among the feeder's
// slots) has G_fs's column equal to M's column b less E_b e_b, so
//
//	X e_c = L^T e_b - W e_b,  W = L^{-1} E  (lower triangular),
//
// and for two such columns C = E_b δ_bb' - (W^T W)_bb', for one of them and
// a column q solved for, Y = L^{-1} G_f,q, C = (W^T Y)_bq. W's columns
// start at their row b, which syrkTri skips, so the border costs about
// nf^3/6 where it cost nf ns^2/2. Both W's and Y's columns are zero
// outside the components of M's envelope they touch (blockenv.go), so the
// forward solves and syrkTri skip those rows too, and the forward solves
// read L only within its envelope.
//
// The diagonal E_b - (W^T W)_bb cancels: it loses about log10(E_b/G_bb)
// digits, which is many for a feeder row far from its limit late in the
// solve. Such a column is solved for instead (zLayout), as is every column
// when the Cholesky replaced a pivot, since then L L^T is not M.
//
// Z holds -Y in its first columns, then W's columns: C = C0 - Z^T Z with C0
// G on the columns solved for, E_b on the diagonal of the others and zero
// elsewhere. In the solves X^T w = -Z^T w + (L w)_b on a shortcut column,
// and L^{-T}(w - X g) = L^{-T}(w + Z g_Z) - g_b.

// zLayout is the column layout of a feeder's Z and C for one factor.
type zLayout struct {
	// yc are the system columns solved for, Z's first columns; wc those
	// taken from the factor, from column oy (len(yc) rounded up to 8),
	// wb their positions among the feeder's slots. All increase.
	yc, wc, wb []int
	oy         int
	// sys is the system column of each of Z's columns, -1 for padding.
	sys []int
	// start and end bound the rows where each of Z's columns can be
	// nonzero (blockEnv): a column solved for within the components its
	// EVs touch, a column from the factor from its row b to the end of
	// b's component; padding is empty (start past end).
	start, end []int
	// span[2g], span[2g+1] bound the columns of Z's rows 4g..4g+3 that
	// border writes or reads: the blocks of eight columns that can be
	// nonzero in one of those rows (forwardRows works on them four rows
	// at a time), and the padding between. Only these are cleared, and
	// the solves read only these: at 1,000 EVs on 100 feeders most of
	// the columns taken from the factor are zero above their own row, and
	// Z is stored per feeder, so clearing all of it went to memory.
	span []int
}

func newZLayout(ns, nf, ld int) zLayout {
	ng := (nf + 3) / 4
	buf := make([]int, 3*ns+3*ld+2*ng) // one allocation per feeder
	return zLayout{yc: buf[:0:ns], wc: buf[ns : ns : 2*ns], wb: buf[2*ns : 2*ns : 3*ns],
		sys: buf[3*ns : 3*ns+ld : 3*ns+ld], start: buf[3*ns+ld : 3*ns+2*ld : 3*ns+2*ld],
		end: buf[3*ns+2*ld : 3*ns+3*ld : 3*ns+3*ld], span: buf[3*ns+3*ld:]}
}

// setSpans sets span from start and end for a Z of nf rows. The span of a
// last group of fewer than four rows is widened to multiples of 16 (or
// n): borderBack reads those rows with dot, whose sums then fall in the
// same lanes as over the whole row.
func (z *zLayout) setSpans(nf int) {
	n := z.n()
	var buf [2 * 32]int
	br := blockRows(buf[:], z.start, z.end, n)
	nb := len(br) / 2
	for g := range len(z.span) / 2 {
		i, ib := 4*g, min(4, nf-4*g)
		lo, hi := n, 0
		for b := range nb {
			if br[2*b] < i+ib && br[2*b+1] > i {
				lo, hi = min(lo, 8*b), 8*b+8
			}
		}
		if ib < 4 && lo < hi {
			lo, hi = lo&^15, (hi+15)&^15
		}
		z.span[2*g], z.span[2*g+1] = lo, min(hi, n)
	}
}

// rowSpan returns the columns of Z's row i that border writes or reads.
func (z *zLayout) rowSpan(i int) (lo, hi int) { return z.span[2*(i/4)], z.span[2*(i/4)+1] }

// n is the number of Z's columns in use, padding between the parts included.
func (z *zLayout) n() int { return z.oy + len(z.wc) }

// layout chooses feeder f's columns for this factor: with shortcut, a
// column whose slot has a feeder row with scaling E_b at most k.shortcut
// times its EVs' diagonal is taken from the factor.
func (k *kkt) layout(f int, G []float64, shortcut bool) *zLayout {
	m := k.m
	T, E := m.T, k.Ef[f]
	z := &k.lay[f]
	z.yc, z.wc, z.wb = z.yc[:0], z.wc[:0], z.wb[:0]
	for c, t := range m.sSlots {
		if b := k.pos[f][c]; shortcut && b >= 0 && E[b] <= k.shortcut*G[t*T+t] {
			z.wc = append(z.wc, c)
			z.wb = append(z.wb, b)
		} else {
			z.yc = append(z.yc, c)
		}
	}
	z.oy = (len(z.yc) + 7) &^ 7
	env := &k.env[f]
	for a := range z.sys {
		z.sys[a], z.start[a], z.end[a] = -1, 1, 0
	}
	copy(z.sys, z.yc)
	copy(z.sys[z.oy:], z.wc)
	for a, c := range z.yc {
		z.start[a], z.end[a] = env.yStart[c], env.yEnd[c]
	}
	for q, b := range z.wb {
		z.start[z.oy+q], z.end[z.oy+q] = b, env.compEnd[b]
	}
	z.setSpans(len(m.fSlots[f]))
	return z
}

// border adds feeder f's C to sp, the chunk's share of the system border
// (ns x ns; factor adds its halves), once Lf holds the feeder's factor;
// C is scratch of ld x ld; G is the feeder's G_f. With shortcut false
// every column is solved for.
func (k *kkt) border(f int, G []float64, shortcut bool, sp, C []float64) {
	m := k.m
	T, ld := m.T, k.ld
	L, Z, E := k.Lf[f], k.Z[f], k.Ef[f]
	fs, ss := m.fSlots[f], m.sSlots
	nf, ns := len(fs), len(ss)
	z := k.layout(f, G, shortcut)
	ny, oy := len(z.yc), z.oy
	n := z.n()
	n8 := (n + 7) &^ 7
	// Right-hand sides: -G on the columns solved for, E_b in row b of the
	// others, zero elsewhere; the kernels run over whole blocks of 8, so
	// the padding must be zero too, within each row's span (nothing reads
	// outside it). G is read only where its EVs are, column by column
	// over each one's rows: row by row, every row tested every column.
	for i := range nf {
		lo, hi := z.rowSpan(i)
		if lo < hi {
			clear(Z[i*ld+lo : i*ld+(hi+7)&^7])
		}
	}
	for a, c := range z.yc {
		tc := ss[c]
		for i := z.start[a]; i < z.end[a]; i++ {
			if ti := fs[i]; ti <= tc {
				Z[i*ld+a] = -G[ti*T+tc]
			} else {
				Z[i*ld+a] = -G[tc*T+ti]
			}
		}
	}
	for q, b := range z.wb {
		Z[b*ld+oy+q] = E[b]
	}
	first := k.env[f].first
	forwardRows(Z, ld, L, nf, ny, first, z.start, z.end)
	if len(z.wc) > 0 {
		forwardRows(Z[oy:], ld, L, nf, len(z.wc), first, z.start[oy:], z.end[oy:])
	}
	// C0 wherever syrkTri's blocks write, below the diagonal too, so that
	// nothing piles up there from one factor to the next.
	for a := 0; a < (n+3)&^3; a++ {
		ca := C[a*ld : a*ld+n8]
		clear(ca[a&^7:])
		switch {
		case a < ny:
			ga := G[ss[z.yc[a]]*T:]
			for c := a; c < ny; c++ {
				ca[c] = ga[ss[z.yc[c]]]
			}
		case a >= oy && a < n:
			ca[a] = E[z.wb[a-oy]]
		}
	}
	syrkTri(Z, n, ld, C, z.start, z.end)
	// C's upper triangle onto the system's columns, part by part (the
	// columns solved for, then those from the factor), skipping the
	// padding between them without a test per entry.
	for a, sa := range z.yc {
		row := sp[sa*ns : (sa+1)*ns]
		ca := C[a*ld:]
		for c, sc := range z.yc[a:] {
			row[sc] += ca[a+c]
		}
		for q, sc := range z.wc {
			row[sc] += ca[oy+q]
		}
	}
	for q, sa := range z.wc {
		row := sp[sa*ns : (sa+1)*ns]
		ca := C[(oy+q)*ld+oy:]
		for p, sc := range z.wc[q:] {
			row[sc] += ca[q+p]
		}
	}
}

// borderRHS subtracts X^T w from g, the system rows' right-hand side, for
// feeder f: w is L^{-1} r, u scratch of ld.
func (k *kkt) borderRHS(f int, w, r, u, g []float64) {
	z := &k.lay[f]
	n, Z, ld := z.n(), k.Z[f], k.ld
	u = u[:n]
	clear(u)
	for i, wi := range w {
		if lo, hi := z.rowSpan(i); wi != 0 && lo < hi {
			axpy(wi, Z[i*ld+lo:i*ld+hi], u[lo:hi])
		}
	}
	for a, v := range u {
		if c := z.sys[a]; c >= 0 {
			g[c] += v
		}
	}
	for q, b := range z.wb {
		g[z.wc[q]] -= r[b]
	}
}

// borderBack sets w to L^{-T}(w - X g) for feeder f, g the system rows'
// solution: gz is scratch of ld.
func (k *kkt) borderBack(f int, g, w, gz []float64) {
	z := &k.lay[f]
	n, Z, ld := z.n(), k.Z[f], k.ld
	gz = gz[:n]
	for a := range gz {
		gz[a] = 0
		if c := z.sys[a]; c >= 0 {
			gz[a] = g[c]
		}
	}
	// Over each row's span only: its lanes start at a multiple of 8 (of
	// 16 for dot), so the sums are those over the whole row.
	nf := len(w)
	i := 0
	for ; i+4 <= nf; i += 4 {
		lo, hi := z.rowSpan(i)
		if lo >= hi {
			continue
		}
		d0, d1, d2, d3 := dot4(Z[i*ld+lo:], Z[(i+1)*ld+lo:], Z[(i+2)*ld+lo:], Z[(i+3)*ld+lo:], gz[lo:hi])
		w[i], w[i+1], w[i+2], w[i+3] = w[i]+d0, w[i+1]+d1, w[i+2]+d2, w[i+3]+d3
	}
	for ; i < nf; i++ {
		if lo, hi := z.rowSpan(i); lo < hi {
			w[i] += dot(Z[i*ld+lo:i*ld+hi], gz[lo:])
		}
	}
	envBackward(k.Lf[f], nf, k.env[f].first, w)
	for q, b := range z.wb {
		w[b] -= g[z.wc[q]]
	}
}
