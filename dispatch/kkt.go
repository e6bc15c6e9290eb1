package dispatch

import (
	"math"
	"slices"
)

// kkt solves the interior point Newton systems (A D A^T) dy = r without
// ever forming A D A^T for the whole fleet.
//
// Rows split into EV rows (each EV's SoC chain, target row and optional wear
// row) and coupling rows (one per feeder and slot, one per system slot).
// An EV's block of A D A^T is tridiagonal, bordered by its wear row, so it
// is factored in O(K). Eliminating every EV block leaves the Schur
// complement on the coupling rows. An EV couples the slots it is present in
// through its SoC, so its contribution H_i to that complement is a dense
// K x K matrix; its structure (diagonal minus a semiseparable part from the
// inverse of a tridiagonal, minus a rank-one term from the wear row) lets
// us add it in O(K^2) without forming the inverse. Summed per feeder this
// gives G_f (slots x slots), and the complement is
//
//	[ G_1+D_1                G_1 ]
//	[          ...           ... ]
//	[               G_F+D_F  G_F ]
//	[ G_1  ...      G_F   sum G_f + D_sys ]
//
// restricted to the slots that have coupling rows (lpModel.fSlots and
// sSlots: the feeder block of G_f to its own slots, the border to the
// system's), which a block Cholesky factors with one Cholesky per feeder,
// within the envelope of its block (blockenv.go), and one dense one for
// the system border. Each feeder's share of the border mostly comes from
// its own factor (border.go). Feeders are processed in
// parallel, in chunks that each keep their own share of the border.
type kkt struct {
	m    *lpModel
	team *team
	fo   []int // offset of EV block i's factors (K+1 each)
	// l, fw, bw hold the bidiagonal Cholesky factor of each EV's chain
	// block: l the reciprocals of its diagonal, fw[r] = sub[r]*l[r] and
	// bw[r] = sub[r+1]*l[r], so that each step of the serial solves is
	// one multiply and one subtract on the critical path, not three flops.
	l, fw, bw []float64
	z         []float64 // chain^{-1} times the wear border
	s         []float64 // Schur complement of the wear row, per EV
	// Per feeder f, with nf its slots with a row and ns the system's: G
	// its EVs' contribution (slots x slots), Lf the Cholesky factor of its
	// block (nf x nf), and for the system border Z (nf x ld) as border.go
	// describes it, laid out by lay[f]. pos[f][c] is system column c's
	// position among the feeder's slots, -1 if the feeder has no row in
	// that slot.
	// G[f] is nil for a feeder that factor builds in chunk scratch
	// (fused).
	G, Lf, Z [][]float64
	Ef       [][]float64 // per feeder: its rows' scalings (nf)
	// fused[f] says that feeder f's EVs, one group, are factored in the
	// same parallel item as the feeder, into the chunk's gScratch (T x T
	// each) rather than a G of its own: G stays in cache from the EVs'
	// writes to the block's reads, instead of 7.4 MB per iteration going
	// to memory and back at 1,000 EVs on 100 feeders. gScratch is zero
	// between feeders: factor clears, after each, the rows its EVs wrote.
	fused    []bool
	gScratch []float64
	// own are the groups that factor runs before the feeders: all but
	// those of fused feeders.
	own []int
	ld  int
	// C is per chunk of feeders the scratch where border.go sums a
	// feeder's share of the border (ld x ld).
	C   []float64
	lay []zLayout
	pos [][]int
	// env[f] is the envelope of feeder f's block (blockenv.go).
	env []blockEnv
	// shortcut is the largest ratio of a feeder row's scaling to its EVs'
	// diagonal for which border.go takes the row's column from the
	// factor; 0 solves for every column.
	shortcut float64
	Sg       []float64 // the system border's Schur complement (ns x ns)
	// systemPending says that factor has left Sg to factorSystem: it
	// holds the chunks' shares in sPart, not yet summed.
	systemPending bool
	// sPart holds, per chunk of feeders in factor, its share of Sg (ns x
	// ns; an entry's share may sit in either triangle).
	sPart []float64
	R     []float64
	gG    [][]float64 // per group: its EVs' share of G_f (G_f itself when alone)
	// gEnd[gi][t-t0] is one past the last column that group gi's EVs
	// write in row t of its block (t0 the group's first slot), t where
	// they write none: the rows of G are cleared, and summed, only
	// there. At 1,000 EVs on 100 feeders (seed 7) the EVs write 36 % of
	// the upper triangles over their groups' slots, whose clearing was
	// the largest memclr of a solve. fEnd[f] is the same over all of
	// feeder f's groups (T rows), kept only for a feeder of several
	// groups.
	gEnd, fEnd [][]int
	// fGroups[f] are the groups of feeder f's EVs.
	fGroups [][]int
	gR      []float64 // per group: its EVs' share of the coupling rhs
	// evScratch is per group the scratch factorEV needs for its longest
	// stay, and slotQ per group a slot vector for solve's coupling duals:
	// allocated once, not on every factor and solve of every iteration.
	evScratch, slotQ [][]float64
	// gPart holds, per chunk of feeders in solve, its share of the system
	// rows' right-hand side (ns each).
	gPart []float64
	// nChunk is how many chunks factor and solve split the feeders into:
	// one per feeder up to 16, so that a few big ones balance, else four
	// per worker.
	nChunk int
	// scratch holds per chunk of feeders T + ld floats for solve.
	scratch []float64
	D       []float64
}

func newKKT(m *lpModel, t *team) *kkt { return newKKTIn(m, t, true, nil) }

// newKKTFusing is newKKT with fusing of one-group feeders (kkt.fused) on
// or off: tests compare the two, and read G, which only the unfused keep.
func newKKTFusing(m *lpModel, t *team, fuse bool) *kkt { return newKKTIn(m, t, fuse, nil) }

// newKKTIn is newKKTFusing taking its vectors and dense blocks from mem.
func newKKTIn(m *lpModel, t *team, fuse bool, mem *memory) *kkt {
	k := &kkt{m: m, team: t}
	k.fo = make([]int, len(m.evs)+1)
	for i, b := range m.evs {
		k.fo[i+1] = k.fo[i] + 1
		if b.chained() {
			k.fo[i+1] += b.K
		}
	}
	n := k.fo[len(m.evs)]
	k.l = mem.floats(n)
	k.fw = mem.floats(n)
	k.bw = mem.floats(n)
	k.z = mem.floats(n)
	k.s = mem.floats(len(m.evs))
	T, ns := m.T, len(m.sSlots)
	// Z's columns: up to ns rounded up to 8 solved for, or fewer of those
	// plus as many from the factor as make ns: ns+7 rounded up covers both.
	k.ld = (ns + 7 + 7) &^ 7
	k.shortcut = 1e3
	k.G = make([][]float64, m.nF)
	k.Lf = make([][]float64, m.nF)
	k.Z = make([][]float64, m.nF)
	k.Ef = make([][]float64, m.nF)
	k.lay = make([]zLayout, m.nF)
	k.pos = make([][]int, m.nF)
	k.fGroups = make([][]int, m.nF)
	for gi, g := range m.groups {
		k.fGroups[g.f] = append(k.fGroups[g.f], gi)
	}
	k.fused = make([]bool, m.nF)
	pos := make([]int, T) // a slot's position among a feeder's, -1 if none
	for f := 0; f < m.nF; f++ {
		for t := range pos {
			pos[t] = -1
		}
		for i, t := range m.fSlots[f] {
			pos[t] = i
		}
		if m.fRow[f] < 0 && m.sRow < 0 {
			continue
		}
		k.fused[f] = fuse && len(k.fGroups[f]) == 1
		if !k.fused[f] {
			k.G[f] = mem.floats(T * T)
		}
		nf := len(m.fSlots[f])
		if nf > 0 {
			k.Lf[f] = mem.floats(nf * nf)
			k.Ef[f] = mem.floats(nf)
		}
		if m.sRow >= 0 && nf > 0 {
			k.pos[f] = make([]int, ns)
			for c, t := range m.sSlots {
				k.pos[f][c] = pos[t]
			}
			k.Z[f] = mem.floats(nf * k.ld)
			k.lay[f] = newZLayout(ns, nf, k.ld)
		}
	}
	if m.sRow >= 0 {
		k.Sg = mem.floats(ns * ns)
	}
	k.R = mem.floats(m.nF * T)
	k.gR = mem.floats(len(m.groups) * T)
	k.nChunk = max(1, m.nF)
	if m.nF > 16 {
		k.nChunk = 4 * t.size()
	}
	k.gPart = mem.floats(k.nChunk * ns)
	if m.sRow >= 0 {
		k.sPart = mem.floats(k.nChunk * ns * ns)
		k.C = mem.floats(k.nChunk * k.ld * k.ld)
	}
	k.scratch = mem.floats(k.nChunk * (T + k.ld))
	if slices.Contains(k.fused, true) {
		k.gScratch = mem.floats(k.nChunk * T * T)
	}
	k.evScratch = make([][]float64, len(m.groups))
	k.slotQ = make([][]float64, len(m.groups))
	for gi := range m.groups {
		k.evScratch[gi] = mem.floats(5*m.longestStay(gi) + 2)
		k.slotQ[gi] = mem.floats(T)
	}
	k.gG = make([][]float64, len(m.groups))
	k.env = make([]blockEnv, m.nF)
	envScratch := make([]int, 3*T+1)
	for f := range m.nF {
		if k.Lf[f] != nil {
			k.env[f] = newBlockEnv(m, m.byF[f], m.fSlots[f], m.sSlots, envScratch)
		}
	}
	k.gEnd = make([][]int, len(m.groups))
	k.fEnd = make([][]int, m.nF)
	nEnd := 0
	for _, g := range m.groups {
		nEnd += g.t1 - g.t0
	}
	ends := make([]int, nEnd) // one allocation for every group's
	for gi, g := range m.groups {
		if !k.fused[g.f] {
			k.own = append(k.own, gi)
		}
		switch {
		case k.fused[g.f]:
			// Its rows' ends, for clearing the chunk's scratch.
		case k.G[g.f] == nil:
			continue
		case len(k.fGroups[g.f]) == 1:
			k.gG[gi] = k.G[g.f] // the feeder's block is the group's own
		default:
			k.gG[gi] = mem.floats(T * T)
			if k.fEnd[g.f] == nil {
				k.fEnd[g.f] = make([]int, T)
				for t := range T {
					k.fEnd[g.f][t] = t
				}
			}
		}
		end := ends[: g.t1-g.t0 : g.t1-g.t0]
		ends = ends[g.t1-g.t0:]
		for t := range end {
			end[t] = g.t0 + t
		}
		for _, i := range g.evs {
			b := &m.evs[i]
			for t := b.a; t < b.a+b.K; t++ {
				end[t-g.t0] = max(end[t-g.t0], b.a+b.K)
			}
		}
		k.gEnd[gi] = end
		if fe := k.fEnd[g.f]; fe != nil {
			for t, e := range end {
				fe[g.t0+t] = max(fe[g.t0+t], e)
			}
		}
	}
	return k
}

// clearRows zeroes, in each row t = t0+r of the T x T matrix G, the
// columns t..end[r]-1: the upper triangle where an EV block's
// contribution lands (factorEV), the rest of G staying zero.
func clearRows(G []float64, T, t0 int, end []int) {
	for r, e := range end {
		t := t0 + r
		clear(G[t*T+t : t*T+e])
	}
}

// evScale returns the D entries of EV block b; absent variables get nil.
func (k *kkt) evScale(b *evBlock) (dc, dg, de []float64) {
	D := k.D
	if b.oc >= 0 {
		dc = D[b.oc : b.oc+b.K]
	}
	if b.og >= 0 {
		dg = D[b.og : b.og+b.K]
	}
	if b.oe >= 0 {
		de = D[b.oe : b.oe+b.K]
	}
	return dc, dg, de
}

// factorEV factors EV block i and, when G is not nil, adds its Schur
// contribution H_i to the upper triangle of G.
func (k *kkt) factorEV(i int, G []float64, scratch []float64) {
	m := k.m
	b := &m.evs[i]
	K, dt, T := b.K, m.dt, m.T
	c1, g1 := dt*b.etaC, dt/b.etaD
	dc, dg, de := k.evScale(b)
	if !b.chained() {
		k.factorEnergyRow(i, dc, G, scratch)
		return
	}
	l := k.l[k.fo[i] : k.fo[i]+K+1]
	fw := k.fw[k.fo[i] : k.fo[i]+K+1]
	bw := k.bw[k.fo[i] : k.fo[i]+K+1]
	d := scratch[:K+1]
	for r := 0; r < K; r++ {
		v := de[r]
		if r > 0 {
			v += de[r-1]
		}
		if dc != nil {
			v += c1 * c1 * dc[r]
		}
		if dg != nil {
			v += g1 * g1 * dg[r]
		}
		d[r] = v
	}
	d[K] = de[K-1] + k.D[b.ou] + k.D[b.or]
	// l keeps reciprocals of the diagonal: the solves then multiply, and
	// divisions were the bottleneck of the per-EV work.
	// The pivot recurrence piv_r = d_r - off_r^2 / piv_{r-1} is serial;
	// carried as ip = 1/piv its critical path is a multiply, a subtract
	// and a division, and the square roots l_r = sqrt(ip_r) hang off it.
	ip := 1 / d[0]
	l[0] = math.Sqrt(ip)
	for r := 1; r <= K; r++ {
		off := -de[r-1]
		if r == K {
			off = de[K-1]
		}
		piv := d[r] - off*off*ip
		// Rounding can eat the pivot when the chain decouples; a floor
		// relative to the diagonal keeps the factor finite.
		if floor := 1e-14 * d[r]; piv < floor {
			piv = floor
		}
		ip = 1 / piv
		l[r] = math.Sqrt(ip)
		mr := off * l[r-1]
		fw[r] = mr * l[r]
		bw[r-1] = mr * l[r-1]
	}
	z := k.z[k.fo[i] : k.fo[i]+K+1]
	if b.oq >= 0 {
		alpha := k.D[b.oq]
		for r := 0; r < K; r++ {
			z[r] = g1 * dt * dg[r]
			alpha += dt * dt * dg[r]
		}
		z[K] = 0
		wz := 0.0
		w := scratch[K+1 : 2*K+2]
		copy(w, z)
		cholSolve(l, fw, bw, z)
		for r := 0; r < K; r++ {
			wz += w[r] * z[r]
		}
		s := alpha - wz
		if floor := 1e-14 * alpha; s < floor {
			s = floor
		}
		k.s[i] = s
	}
	if G == nil {
		return
	}
	// H = diag(h) - B^T chain^{-1} B - v v^T / s, with B diagonal (b), via
	// chain^{-1}[j][k] = (1/l_j) prod_{r=j+1..k} rho_r (sigma_k / l_k).
	rho := scratch[:K+1]
	sig := scratch[K+1 : 2*K+2]
	bv := scratch[2*K+2 : 3*K+2]
	beta := scratch[3*K+2 : 4*K+2]
	vv := scratch[4*K+2 : 5*K+2]
	for r := 1; r <= K; r++ {
		rho[r] = -fw[r]
	}
	sig[K] = 1
	for r := K - 1; r >= 0; r-- {
		sig[r] = 1 + rho[r+1]*rho[r+1]*sig[r+1]
	}
	for j := 0; j < K; j++ {
		v := 0.0
		if dc != nil {
			v -= c1 * dc[j]
		}
		if dg != nil {
			v -= g1 * dg[j]
		}
		bv[j] = v
		beta[j] = v * sig[j] * l[j]
	}
	invs := 0.0
	if b.oq >= 0 {
		invs = 1 / k.s[i]
		for j := 0; j < K; j++ {
			vv[j] = bv[j]*z[j] + dt*dg[j]
		}
	}
	for j := 0; j < K; j++ {
		h := 0.0
		if dc != nil {
			h += dc[j]
		}
		if dg != nil {
			h += dg[j]
		}
		row := G[(b.a+j)*T+b.a : (b.a+j)*T+b.a+K]
		w := bv[j] * l[j]
		row[j] += h - w*beta[j] - invs*vv[j]*vv[j]
		if invs != 0 {
			vj := invs * vv[j]
			for kk := j + 1; kk < K; kk++ {
				w *= rho[kk]
				row[kk] -= w*beta[kk] + vj*vv[kk]
			}
			continue
		}
		// Without a wear row the contributions decay along the chain;
		// past 1e-18 of the diagonal they no longer change G in float64.
		tiny := 1e-18 * math.Abs(w)
		for kk := j + 1; kk < K; kk++ {
			w *= rho[kk]
			if math.Abs(w) < tiny {
				break
			}
			row[kk] -= w * beta[kk]
		}
	}
}

// factorEnergyRow is factorEV for an EV without a chain: its block of
// A D A^T is the scalar d = sum c1^2 dc + du + dr of its energy row, kept
// as 1/d, and its contribution is H = diag(dc) - v v^T / d with v = c1 dc.
func (k *kkt) factorEnergyRow(i int, dc, G, scratch []float64) {
	m := k.m
	b := &m.evs[i]
	K, T := b.K, m.T
	c1 := m.dt * b.etaC
	d := k.D[b.ou] + k.D[b.or]
	v := scratch[:K]
	for j, dj := range dc {
		v[j] = c1 * dj
		d += c1 * v[j]
	}
	ip := 1 / d
	k.l[k.fo[i]] = ip
	if G == nil || dc == nil {
		return
	}
	for j := 0; j < K; j++ {
		row := G[(b.a+j)*T+b.a+j : (b.a+j)*T+b.a+K]
		row[0] += dc[j]
		axpy(-v[j]*ip, v[j:K], row)
	}
}

// cholSolve solves L L^T x = r in place for a bidiagonal L given by the
// reciprocals of its diagonal (linv) and its subdiagonal pre-multiplied by
// them (fw[i] = sub[i]*linv[i], bw[i] = sub[i+1]*linv[i]). The solve is a
// serial recurrence, bound by latency, not throughput: r[i]*linv[i] does
// not depend on the previous step, so only a multiply and a subtract do.
func cholSolve(linv, fw, bw, r []float64) {
	n := len(linv)
	r = r[:n]
	fw, bw = fw[:n], bw[:n]
	r[0] *= linv[0]
	for i := 1; i < n; i++ {
		r[i] = r[i]*linv[i] - fw[i]*r[i-1]
	}
	r[n-1] *= linv[n-1]
	for i := n - 2; i >= 0; i-- {
		r[i] = r[i]*linv[i] - bw[i]*r[i+1]
	}
}

// evSolve solves EV block i's part of A D A^T (chain bordered by the wear
// row) in place: r holds K+1 chain/target entries and, when capped, the
// wear entry at r[K+1]. With j >= 0 it solves EV block j's part in rj at
// the same time: the chain solves are serial recurrences bound by latency,
// and two independent ones interleaved run in about the time of one.
func (k *kkt) evSolve(i int, r []float64, j int, rj []float64) {
	b := &k.m.evs[i]
	if !b.chained() {
		r[0] *= k.l[k.fo[i]]
		if j >= 0 {
			k.evSolve(j, rj, -1, nil)
		}
		return
	}
	if j >= 0 && !k.m.evs[j].chained() {
		rj[0] *= k.l[k.fo[j]]
		j = -1
	}
	K := b.K
	l := k.l[k.fo[i] : k.fo[i]+K+1]
	fw := k.fw[k.fo[i] : k.fo[i]+K+1]
	bw := k.bw[k.fo[i] : k.fo[i]+K+1]
	rw := 0.0
	if b.oq >= 0 {
		rw = r[K+1]
	}
	if j < 0 {
		cholSolve(l, fw, bw, r[:K+1])
		k.wearSolve(i, r, rw)
		return
	}
	bj := &k.m.evs[j]
	Kj := bj.K
	rwj := 0.0
	if bj.oq >= 0 {
		rwj = rj[Kj+1]
	}
	lj := k.l[k.fo[j] : k.fo[j]+Kj+1]
	fwj := k.fw[k.fo[j] : k.fo[j]+Kj+1]
	bwj := k.bw[k.fo[j] : k.fo[j]+Kj+1]
	if K <= Kj {
		cholSolve2(l, fw, bw, r[:K+1], lj, fwj, bwj, rj[:Kj+1])
	} else {
		cholSolve2(lj, fwj, bwj, rj[:Kj+1], l, fw, bw, r[:K+1])
	}
	k.wearSolve(i, r, rw)
	k.wearSolve(j, rj, rwj)
}

// wearSolve finishes evSolve for an EV with a wear row once its chain is
// solved: rw is the wear row's right-hand side.
func (k *kkt) wearSolve(i int, r []float64, rw float64) {
	b := &k.m.evs[i]
	if b.oq < 0 {
		return
	}
	K := b.K
	dt, g1 := k.m.dt, k.m.dt/b.etaD
	_, dg, _ := k.evScale(b)
	wy := 0.0
	for j := 0; j < K; j++ {
		wy += g1 * dt * dg[j] * r[j]
	}
	xi := (rw - wy) / k.s[i]
	z := k.z[k.fo[i] : k.fo[i]+K+1]
	for j := 0; j <= K; j++ {
		r[j] -= z[j] * xi
	}
	r[K+1] = xi
}

// cholSolve2 is cholSolve on two independent systems a and b with
// len(ra) <= len(rb), interleaved so that their serial recurrences overlap.
func cholSolve2(la, fa, ba, ra, lb, fb, bb, rb []float64) {
	na, nb := len(ra), len(rb)
	la, fa, ba = la[:na], fa[:na], ba[:na]
	lb, fb, bb = lb[:nb], fb[:nb], bb[:nb]
	ra[0] *= la[0]
	rb[0] *= lb[0]
	for i := 1; i < na; i++ {
		ra[i] = ra[i]*la[i] - fa[i]*ra[i-1]
		rb[i] = rb[i]*lb[i] - fb[i]*rb[i-1]
	}
	for i := na; i < nb; i++ {
		rb[i] = rb[i]*lb[i] - fb[i]*rb[i-1]
	}
	ra[na-1] *= la[na-1]
	rb[nb-1] *= lb[nb-1]
	d := nb - na
	for i := na - 2; i >= 0; i-- {
		ra[i] = ra[i]*la[i] - ba[i]*ra[i+1]
		rb[i+d] = rb[i+d]*lb[i+d] - bb[i+d]*rb[i+d+1]
	}
	for i := d - 1; i >= 0; i-- {
		rb[i] = rb[i]*lb[i] - bb[i]*rb[i+1]
	}
}

// factor prepares solves with scaling D.
func (k *kkt) factor(D []float64) {
	k.D = D
	m := k.m
	T := m.T
	parallel(len(k.own), k.team, func(p int) {
		gi := k.own[p]
		G := k.gG[gi]
		if G != nil {
			clearRows(G, T, m.groups[gi].t0, k.gEnd[gi])
		}
		k.factorGroup(gi, G)
	})
	ns := len(m.sSlots)
	chunks(k.nChunk, m.nF, k.team, func(ch, lo, hi int) {
		var sp []float64
		if m.sRow >= 0 {
			sp = k.sPart[ch*ns*ns : (ch+1)*ns*ns]
			clear(sp)
		}
		var C []float64
		if sp != nil {
			C = k.C[ch*k.ld*k.ld : (ch+1)*k.ld*k.ld]
		}
		for f := lo; f < hi; f++ {
			if !k.fused[f] {
				k.factorFeeder(f, k.G[f], sp, C)
				continue
			}
			G := k.gScratch[ch*T*T : (ch+1)*T*T]
			gi := k.fGroups[f][0]
			k.factorGroup(gi, G)
			k.factorFeeder(f, G, sp, C)
			clearRows(G, T, m.groups[gi].t0, k.gEnd[gi])
		}
	})
	// The system border is summed and factored by the next solve, beside
	// its EVs (factorSystem).
	k.systemPending = m.sRow >= 0
}

// factorSystem sums the chunks' shares of the system border into Sg and
// factors it, once per factor: solve runs it as one item of its first
// region, beside the EVs' solves, which do not read Sg. Run after factor
// on its own, on one core, the sum and the dense Cholesky were one of the
// two longest stretches of an iteration in which the team's helpers had
// nothing to do (docs/benchmarks.md, "Serial stretches of an interior
// point iteration").
func (k *kkt) factorSystem() {
	if !k.systemPending {
		return
	}
	k.systemPending = false
	m, D := k.m, k.D
	ns := len(m.sSlots)
	// The chunks' shares summed row by row, then each entry of the lower
	// triangle, which denseChol reads, plus its mirror: a chunk adds to
	// either half of the border.
	S := k.Sg
	for a := range ns {
		row := S[a*ns : (a+1)*ns]
		copy(row, k.sPart[a*ns:(a+1)*ns])
		for ch := 1; ch < k.nChunk; ch++ {
			axpy(1, k.sPart[ch*ns*ns+a*ns:ch*ns*ns+(a+1)*ns], row)
		}
	}
	for a := 0; a < ns; a++ {
		S[a*ns+a] += segScale(m, D, m.sRow+a)
		for c := a + 1; c < ns; c++ {
			S[c*ns+a] += S[a*ns+c]
		}
	}
	denseChol(S, ns)
}

// factorGroup factors group gi's EVs, adding their contributions to G
// when it is not nil.
func (k *kkt) factorGroup(gi int, G []float64) {
	scratch := k.evScratch[gi]
	for _, i := range k.m.groups[gi].evs {
		k.factorEV(i, G, scratch)
	}
}

// factorFeeder sums feeder f's groups into G_f, which is G, factors its
// block into Lf and, with a system border (sp not nil), adds its Schur
// complement onto the system's slots to sp, using C (ld x ld) as scratch.
// G is nil for a feeder without rows.
func (k *kkt) factorFeeder(f int, G, sp, C []float64) {
	m := k.m
	T, D := m.T, k.D
	if G == nil {
		return
	}
	if gs := k.fGroups[f]; len(gs) > 1 {
		// The sum of its groups' blocks, over the columns they write.
		clearRows(G, T, 0, k.fEnd[f])
		for _, gi := range gs {
			g := &m.groups[gi]
			for r, e := range k.gEnd[gi] {
				t := g.t0 + r
				axpy(1, k.gG[gi][t*T+t:t*T+e], G[t*T+t:t*T+e])
			}
		}
	}
	ss := m.sSlots
	ns := len(ss)
	r0 := m.fRow[f]
	if r0 < 0 {
		// No feeder row: the border takes G on the system's slots as is.
		if sp != nil {
			for a, ta := range ss {
				ga := G[ta*T : ta*T+T]
				for c, tc := range ss[a:] {
					sp[a*ns+a+c] += ga[tc]
				}
			}
		}
		return
	}
	fs := m.fSlots[f]
	nf := len(fs)
	L, E, env := k.Lf[f], k.Ef[f], &k.env[f]
	// The lower triangle of L is the upper one of G: column c of L from
	// row fs[c] of G, within the envelope; outside it L stays zero.
	for c, tc := range fs {
		gc := G[tc*T : tc*T+T]
		for a, ta := range fs[c:env.colEnd[c]] {
			L[(c+a)*nf+c] = gc[ta]
		}
		E[c] = segScale(m, D, r0+c)
		L[c*nf+c] += E[c]
	}
	replaced := envChol(L, nf, env.first, env.colEnd)
	if sp != nil {
		k.border(f, G, replaced == 0, sp, C)
	}
}

// blockRows returns, for each block of eight of cols columns whose rows
// run from start[j] to end[j]-1, the rows where one of its columns can be
// nonzero (colRange), as pairs: in br when it is long enough (callers pass
// a buffer on their stack), else in a new slice. Computed once per solve
// or border, not once per block of rows.
func blockRows(br, start, end []int, cols int) []int {
	nb := (cols + 7) / 8
	if 2*nb > len(br) {
		br = make([]int, 2*nb)
	}
	br = br[:2*nb]
	for b := range nb {
		br[2*b], br[2*b+1] = colRange(start, end, 8*b, min(8*b+8, cols))
	}
	return br
}

// forwardRows sets X (n x cols, rows ld apart) to L^{-1} X by forward
// substitution, for a factor L (n x n) from envChol with envelope first:
// most of the multiply-adds in 4 x 8 blocks of gemm4x8, four rows of X at
// a time, so ld must be cols rounded up to 8 and X's padding zero (it
// stays zero). Column j of X is zero outside rows start[j]..end[j]-1, and
// so is L^{-1} X's when end[j] is past the end of the components it
// touches (blockEnv): a block of eight columns takes part only in the
// rows where one of them can be nonzero, and only from L's envelope. X is
// read and written only in those blocks' rows, four at a time (a block of
// rows that one of them reaches takes all columns between the first and
// the last that do): elsewhere it may hold anything.
func forwardRows(X []float64, ld int, L []float64, n, cols int, first, start, end []int) {
	var buf [2 * 32]int
	br := blockRows(buf[:], start, end, cols)
	nb := len(br) / 2
	for i := 0; i < n; i += 4 {
		ib := min(4, n-i)
		// jlo..jhi-1 are the columns of the blocks that take part; the
		// triangle below works on all of them at once (the others in
		// between are zero in these rows and stay zero).
		jlo, jhi := cols, 0
		for b := range nb {
			s, e := br[2*b], br[2*b+1]
			if s >= i+ib || e <= i {
				continue
			}
			j := 8 * b
			jlo, jhi = min(jlo, j), j+8
			// Rows of L in this block are zero left of first[i]; X's
			// columns are zero above s.
			if k0 := max(first[i], s); ib == 4 && k0 < i {
				gemm4x8(L[i*n+k0:], n, 1, X[k0*ld+j:], ld, i-k0, X[i*ld+j:], ld)
			}
		}
		if jlo >= jhi {
			continue
		}
		if ib < 4 {
			forwardRowsAbove(X, ld, L, n, i, first, br[:2*nb])
		}
		// The triangle inside the block, then the diagonal.
		for r := i; r < i+ib; r++ {
			xr := X[r*ld+jlo : r*ld+jhi]
			for kk := max(i, first[r]); kk < r; kk++ {
				axpy(-L[r*n+kk], X[kk*ld+jlo:kk*ld+jhi], xr)
			}
			inv := 1 / L[r*n+r]
			for c := range xr {
				xr[c] *= inv
			}
		}
	}
}

// forwardRowsAbove is the part of forwardRows that the kernel does for a
// block of four rows, for a last block of fewer (rows i..n-1): it
// subtracts from each row L's entries left of i times X's rows above,
// which it reads only where the row's block of columns can be nonzero
// (rows br[2b] to br[2b+1]-1 of block b): border.go clears no others.
// Row kk of X is taken in runs of consecutive blocks, one axpy each, for
// every row at once; each entry still takes its terms in the order of kk.
func forwardRowsAbove(X []float64, ld int, L []float64, n, i int, first, br []int) {
	nb := len(br) / 2
	for kk := first[i]; kk < i; kk++ {
		// Blocks that reach row kk and take part in rows i..n-1.
		for b := 0; b < nb; {
			if br[2*b] > kk || br[2*b+1] <= i {
				b++
				continue
			}
			b1 := b + 1
			for b1 < nb && br[2*b1] <= kk && br[2*b1+1] > i {
				b1++
			}
			xk := X[kk*ld+8*b : kk*ld+8*b1]
			for r := i; r < n; r++ {
				if kk >= first[r] {
					axpy(-L[r*n+kk], xk, X[r*ld+8*b:r*ld+8*b1])
				}
			}
			b = b1
		}
	}
}

// chunkScratch returns chunk c's scratch for solve: T floats, then ld.
func (k *kkt) chunkScratch(c int) (r, u []float64) {
	s := k.scratch[c*(k.m.T+k.ld) : (c+1)*(k.m.T+k.ld)]
	return s[:k.m.T], s[k.m.T:]
}

func segScale(m *lpModel, D []float64, row int) float64 {
	s := 0.0
	for j := m.seg0[row]; j < m.seg0[row+1]; j++ {
		s += D[j]
	}
	return s
}

// solve sets yE, yC to the solution of (A D A^T) y = (rE, rC).
func (k *kkt) solve(rE, rC, yE, yC []float64) {
	m := k.m
	T, dt := m.T, m.dt
	// Item 0 factors the system border if factor left it (factorSystem):
	// the longest item, taken first, while the other workers start on the
	// groups.
	pending := 0
	if k.systemPending {
		pending = 1
	}
	parallel(pending+len(m.groups), k.team, func(p int) {
		if p < pending {
			k.factorSystem()
			return
		}
		gi := p - pending
		R := k.gR[gi*T : (gi+1)*T]
		clear(R)
		acc := func(i int) {
			// R += B^T t with B's diagonal -(c1 dc + g1 dg), plus the
			// wear row's dt dg; one loop per present term, no branches.
			b := &m.evs[i]
			K := b.K
			t := yE[b.r0 : b.r0+b.rows()]
			Rk := R[b.a : b.a+K]
			dc, dg, _ := k.evScale(b)
			if !b.chained() {
				// B's row is c1 dc.
				if dc != nil {
					axpy(-dt*b.etaC*t[0], dc, Rk)
				}
				return
			}
			tk := t[:K]
			if dc != nil {
				c1 := dt * b.etaC
				dc = dc[:K]
				for j, tj := range tk {
					Rk[j] += c1 * dc[j] * tj
				}
			}
			if dg != nil {
				g1 := dt / b.etaD
				dg = dg[:K]
				if b.oq >= 0 {
					tw := dt * t[K+1]
					for j, tj := range tk {
						Rk[j] += dg[j] * (g1*tj + tw)
					}
				} else {
					for j, tj := range tk {
						Rk[j] += g1 * dg[j] * tj
					}
				}
			}
		}
		evs := m.groups[gi].evs
		for p := 0; p < len(evs); p += 2 {
			i, j := evs[p], -1
			var rj []float64
			if p+1 < len(evs) {
				j = evs[p+1]
				bj := &m.evs[j]
				rj = yE[bj.r0 : bj.r0+bj.rows()]
				copy(rj, rE[bj.r0:])
			}
			b := &m.evs[i]
			t := yE[b.r0 : b.r0+b.rows()]
			copy(t, rE[b.r0:])
			k.evSolve(i, t, j, rj)
			acc(i)
			if j >= 0 {
				acc(j)
			}
		}
	})
	ns := len(m.sSlots)
	// Each chunk of feeders sums its share of the system's right-hand
	// side in its own row of gPart: summed on one core it was a fifth of
	// a solve at 1,000 EVs on 100 feeders.
	nc := k.nChunk
	chunks(nc, m.nF, k.team, func(c, lo, hi int) {
		var gp []float64
		if m.sRow >= 0 {
			gp = k.gPart[c*ns : (c+1)*ns]
			clear(gp)
		}
		r, u := k.chunkScratch(c)
		for f := lo; f < hi; f++ {
			R := k.R[f*T : (f+1)*T]
			clear(R)
			for _, gi := range k.fGroups[f] {
				axpy(1, k.gR[gi*T:(gi+1)*T], R)
			}
			r0 := m.fRow[f]
			var w []float64
			if r0 >= 0 {
				fs := m.fSlots[f]
				w = yC[r0 : r0+len(fs)]
				for i, t := range fs {
					w[i] = rC[r0+i] + R[t]
				}
				if gp != nil {
					copy(r, w)
				}
				envForward(k.Lf[f], len(fs), k.env[f].first, w)
			}
			if gp == nil {
				continue
			}
			for col, t := range m.sSlots {
				gp[col] += R[t]
			}
			if r0 >= 0 {
				k.borderRHS(f, w, r, u, gp)
			}
		}
	})
	if s0 := m.sRow; s0 >= 0 {
		g := yC[s0 : s0+ns]
		copy(g, rC[s0:s0+ns])
		for c := 0; c < nc; c++ {
			axpy(1, k.gPart[c*ns:(c+1)*ns], g)
		}
		denseForward(k.Sg, ns, g)
		denseBackward(k.Sg, ns, g)
	}
	chunks(nc, m.nF, k.team, func(c, lo, hi int) {
		_, gz := k.chunkScratch(c)
		for f := lo; f < hi; f++ {
			r0 := m.fRow[f]
			if r0 < 0 {
				continue
			}
			w := yC[r0 : r0+len(m.fSlots[f])]
			if s0 := m.sRow; s0 >= 0 {
				k.borderBack(f, yC[s0:s0+ns], w, gz)
			} else {
				envBackward(k.Lf[f], len(w), k.env[f].first, w)
			}
		}
	})
	parallel(len(m.groups), k.team, func(gi int) {
		qf := k.slotQ[gi]
		m.slotDuals(yC, m.groups[gi].f, qf)
		prep := func(i int) []float64 {
			b := &m.evs[i]
			t := yE[b.r0 : b.r0+b.rows()]
			copy(t, rE[b.r0:])
			// t -= B q, B's diagonal -(c1 dc + g1 dg), and the wear entry
			// -= -dt dg·q.
			K := b.K
			qk := qf[b.a : b.a+K]
			dc, dg, _ := k.evScale(b)
			if !b.chained() {
				if dc != nil {
					t[0] -= dt * b.etaC * dot(dc, qk)
				}
				return t
			}
			tk := t[:K]
			if dc != nil {
				c1 := dt * b.etaC
				dc = dc[:K]
				for j, q := range qk {
					tk[j] += c1 * dc[j] * q
				}
			}
			if dg != nil {
				g1 := dt / b.etaD
				dg = dg[:K]
				w := 0.0
				for j, q := range qk {
					tk[j] += g1 * dg[j] * q
					w += dg[j] * q
				}
				if b.oq >= 0 {
					t[K+1] += dt * w
				}
			}
			return t
		}
		evs := m.groups[gi].evs
		for p := 0; p < len(evs); p += 2 {
			if p+1 < len(evs) {
				k.evSolve(evs[p], prep(evs[p]), evs[p+1], prep(evs[p+1]))
			} else {
				k.evSolve(evs[p], prep(evs[p]), -1, nil)
			}
		}
	})
}
