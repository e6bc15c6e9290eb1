package dispatch

import "math"

// The passes of an interior point iteration over the variables, each one
// parallel region whose items are batches of consecutive EVs: a batch's
// part of Aᵀ y, the element-wise kernel (ipmkernel.go) over its
// variables, then its part of A dx, while its arrays are still in cache.
// Separate regions for the products and the kernels read every array
// again from memory at 10,000 EVs and more, and at 1,000 EVs each region's
// hand-off between the workers costs about as much as its work. The
// segment variables of the coupling rows, which belong to no EV, are cut
// into pieces that run as items of the same region. Items of a few
// thousand variables, rather than the EV groups, keep the workers busy
// to the end of a region: the last group taken made the other worker
// wait up to a tenth of the pass at 10 feeders.

// evBatch is a run of consecutive EVs of group g, evs[first:last] of it,
// whose variables are [lo, hi).
type evBatch struct{ g, first, last, lo, hi int }

// batchVars bounds the variables of a batch of several EVs: the dozen
// arrays a pass reads or writes over them then stay in the core's L2
// cache from the product to the kernel and back. Larger models take
// batches of up to nx/maxBatches variables, so that a pass has at most
// about maxBatches of them and summing their loads stays small.
const (
	batchVars  = 1024
	maxBatches = 64
)

// segPieceVars is about how many segment variables one item of a pass
// holds: a few items at 100 feeders, so that they balance the workers.
const segPieceVars = 4096

// evBatches cuts every group's EVs into batches of at most limit
// variables (or one EV). Their variables are consecutive (buildLP adds
// them EV after EV, and a group is a run of EVs), so a batch is one range.
func evBatches(m *lpModel, limit int) []evBatch {
	var bs []evBatch
	for gi, g := range m.groups {
		evs := g.evs
		for i := 0; i < len(evs); {
			lo, hi := m.evs[evs[i]].vars()
			j := i + 1
			for ; j < len(evs); j++ {
				_, h := m.evs[evs[j]].vars()
				if h-lo > limit {
					break
				}
				hi = h
			}
			bs = append(bs, evBatch{g: gi, first: i, last: j, lo: lo, hi: hi})
			i = j
		}
	}
	return bs
}

// batchLimit is the most variables a batch of several EVs of m holds.
func batchLimit(m *lpModel) int { return max(batchVars, m.nx/maxBatches) }

// segPieces cuts the coupling rows into runs [r0, r1) of about
// segPieceVars segment variables each.
func segPieces(m *lpModel) [][2]int {
	var ps [][2]int
	for r0 := 0; r0 < m.nC; {
		r1 := r0 + 1
		for r1 < m.nC && m.seg0[r1+1]-m.seg0[r0] <= segPieceVars {
			r1++
		}
		ps = append(ps, [2]int{r0, r1})
		r0 = r1
	}
	return ps
}

// passSums are one item's partial results of a pass.
type passSums [8]float64

// sweep runs one pass as a region on the team: batch for each batch i of
// EVs, b, and seg for each piece [r0, r1) of the coupling rows, with at
// the item's scratch for Aᵀ y and p its partial results, cleared but for
// p[0] and p[1], which start at 1 (the steps to the boundary).
func (s *ipm) sweep(batch func(i int, b evBatch, at []float64, p *passSums), seg func(r0, r1 int, at []float64, p *passSums)) {
	nb := len(s.batches)
	parallel(len(s.part), s.team, func(i int) {
		p := &s.part[i]
		*p = passSums{1, 1}
		if i < nb {
			batch(i, s.batches[i], s.atBuf[i], p)
			return
		}
		pc := s.pieces[i-nb]
		seg(pc[0], pc[1], s.atBuf[i], p)
	})
}

// evs returns b's EVs, as indices into m.evs.
func (s *ipm) evs(b evBatch) []int { return s.m.groups[b.g].evs[b.first:b.last] }

// slots returns batch i's slot vector in parts (one of T per batch).
func (s *ipm) slots(parts []float64, i int) []float64 {
	T := s.m.T
	return parts[i*T : (i+1)*T]
}

// feederDuals sets each feeder's slot duals (slotDuals) of yC in s.qF,
// for the passes' Aᵀ y.
func (s *ipm) feederDuals(yC []float64) {
	T := s.m.T
	for f := 0; f < s.m.nF; f++ {
		s.m.slotDuals(yC, f, s.qF[f*T:(f+1)*T])
	}
}

// duals returns the slot duals of batch b's feeder, from feederDuals.
func (s *ipm) duals(b evBatch) []float64 {
	T, f := s.m.T, s.m.groups[b.g].f
	return s.qF[f*T : (f+1)*T]
}

// segDuals sets at to Aᵀ y over the segment variables of rows [r0, r1):
// each is -1 in its row only.
func (s *ipm) segDuals(r0, r1 int, yC, at []float64) []float64 {
	m := s.m
	lo := m.seg0[r0]
	at = at[:m.seg0[r1]-lo]
	for r := r0; r < r1; r++ {
		for j := m.seg0[r]; j < m.seg0[r+1]; j++ {
			at[j-lo] = -yC[r]
		}
	}
	return at
}

// mulBatch sets the EV rows of evs in t to A dx, plus the primal
// residual rp when it is not nil, and sets the batch's slot vector P to
// their loads.
func (s *ipm) mulBatch(evs []int, dx, t, P, rp []float64) {
	m := s.m
	clear(P)
	for _, bi := range evs {
		b := &m.evs[bi]
		m.mulEV(b, dx, t, P)
		if rp != nil {
			r0, r1 := b.r0, b.r0+b.rows()
			t, rp := t[r0:r1], rp[r0:r1]
			for i, v := range rp {
				t[i] += v
			}
		}
	}
}

// coupling sets t to the coupling rows of A dx from the batches' slot
// vectors in parts (as mulBatch leaves them) and the segment sums of dx
// in seg, plus rp when it is not nil.
func (s *ipm) coupling(parts, seg, t, rp []float64) {
	m := s.m
	T := m.T
	load := s.loadF
	clear(load)
	for i, b := range s.batches {
		f := m.groups[b.g].f
		axpy(1, parts[i*T:(i+1)*T], load[f*T:(f+1)*T])
	}
	m.couplingRows(nil, load, t, seg)
	if rp != nil {
		for i, v := range rp {
			t[i] += v
		}
	}
}

// residuals opens an iteration: the pending step along d, if any, then
// the primal residuals rpE, rpC = b - A x, Aᵀ y, the dual residual, the
// scaling D and the predictor's reduced right-hand side as dx = D rhat
// (residualKernel), and tE, tC = A dx + rp, the right-hand side of the
// predictor's solve. It returns the largest primal residual, b·y and the
// sums of residualKernel.
func (s *ipm) residuals(d dir) (pinf, by, comp, cx, lag float64) {
	m := s.m
	pending := s.st.pending
	if pending {
		s.stepCoupling(d)
	}
	s.feederDuals(s.yC)
	s.sweep(func(i int, bt evBatch, at []float64, p *passSums) {
		evs, q := s.evs(bt), s.duals(bt)
		if pending {
			s.stepKernel(bt.lo, bt.hi, d)
		}
		P := s.slots(s.pX, i)
		clear(P)
		// Local sums: through p every += would be a store.
		var inf, by float64
		for _, bi := range evs {
			b := &m.evs[bi]
			r0, r1 := b.r0, b.r0+b.rows()
			if pending {
				s.stepRows(r0, r1, d)
			}
			m.mulEV(b, s.x, s.rpE, P)
			rp, bE, yE := s.rpE[r0:r1], m.bE[r0:r1], s.yE[r0:r1]
			for i, v := range bE {
				r := v - rp[i]
				rp[i] = r
				if a := math.Abs(r); a > inf {
					inf = a // a branch, not max: see clip
				}
				by += v * yE[i]
			}
			m.atyEV(b, s.yE, q, at, bt.lo)
		}
		comp, cx, lag := s.residualKernel(bt.lo, bt.hi, at, d)
		s.mulBatch(evs, d.dx, s.tE, s.slots(s.pD, i), s.rpE)
		p[2], p[3], p[4], p[5], p[6] = inf, by, comp, cx, lag
	}, func(r0, r1 int, at []float64, p *passSums) {
		if pending {
			s.stepKernel(m.seg0[r0], m.seg0[r1], d)
		}
		at = s.segDuals(r0, r1, s.yC, at)
		p[4], p[5], p[6] = s.residualKernel(m.seg0[r0], m.seg0[r1], at, d)
		for r := r0; r < r1; r++ {
			s.segX[r], s.segD[r] = m.segSum(s.x, r), m.segSum(d.dx, r)
		}
	})
	s.st.pending = false
	for _, p := range s.part {
		pinf, by = max(pinf, p[2]), by+p[3]
		comp, cx, lag = comp+p[4], cx+p[5], lag+p[6]
	}
	s.coupling(s.pX, s.segX, s.rpC, nil)
	for i, v := range s.rpC {
		r := m.bC[i] - v
		s.rpC[i] = r
		pinf = math.Max(pinf, math.Abs(r))
		by += m.bC[i] * s.yC[i]
	}
	s.coupling(s.pD, s.segD, s.tC, s.rpC)
	return pinf, by, comp, cx, lag
}

// predict finishes the predictor d once its dy is solved for: Aᵀ dy,
// then affineKernel, which leaves the corrector's right-hand side in two
// parts, DA and DB, and their products A DA into tE, tC and A DB into
// tB, tBC. Given s0, the complementarity sum(sl zl + su zu) at the
// iterate (residuals returns it), it returns the complementarity after
// the predictor's steps to the boundary.
func (s *ipm) predict(d dir, s0 float64) (comp float64) {
	m := s.m
	kernel := func(lo, hi int, at []float64, p *passSums) {
		var sp, spd float64
		p[0], p[1], sp, spd = s.affineKernel(lo, hi, at, d, p[0], p[1])
		p[2], p[3] = p[2]+sp, p[3]+spd
	}
	s.feederDuals(d.dyC)
	s.sweep(func(i int, bt evBatch, at []float64, p *passSums) {
		evs, q := s.evs(bt), s.duals(bt)
		for _, bi := range evs {
			m.atyEV(&m.evs[bi], d.dyE, q, at, bt.lo)
		}
		kernel(bt.lo, bt.hi, at, p)
		s.mulBatch(evs, d.dx, s.tE, s.slots(s.pD, i), nil)
		s.mulBatch(evs, s.dB, s.tB, s.slots(s.pB, i), nil)
	}, func(r0, r1 int, at []float64, p *passSums) {
		kernel(m.seg0[r0], m.seg0[r1], s.segDuals(r0, r1, d.dyC, at), p)
		for r := r0; r < r1; r++ {
			s.segD[r], s.segB[r] = m.segSum(d.dx, r), m.segSum(s.dB, r)
		}
	})
	ap, ad, sp, spd := 1.0, 1.0, 0.0, 0.0
	for _, p := range s.part {
		ap, ad = min(ap, p[0]), min(ad, p[1])
		sp, spd = sp+p[2], spd+p[3]
	}
	s.coupling(s.pD, s.segD, s.tC, nil)
	s.coupling(s.pB, s.segB, s.tBC, nil)
	// s0 + ap sp + ad sd + ap ad spd with sd = -s0 - sp (affineKernel).
	return max(0, s0*(1-ad)+sp*(ap-ad)+ap*ad*spd)
}

// correctorRHS sets tE, tC to the right-hand side of Mehrotra's
// corrector for sigma mu = smu from the parts predict left: A DA + smu
// A DB + rp.
func (s *ipm) correctorRHS(smu float64) {
	chunks(s.nc, len(s.tE), s.team, func(_, lo, hi int) {
		t, tb, rp := s.tE[lo:hi], s.tB[lo:hi], s.rpE[lo:hi]
		for i := range t {
			t[i] += smu*tb[i] + rp[i]
		}
	})
	for i := range s.tC {
		s.tC[i] += smu*s.tBC[i] + s.rpC[i]
	}
}

// finish completes direction d once its dy is solved for: Aᵀ dy, then
// kernel over every batch of EVs and piece of segment variables, which
// lowers the steps to the boundary in p[0], p[1]. It returns the steps.
func (s *ipm) finish(d dir, kernel func(lo, hi int, at []float64, p *passSums)) (ap, ad float64) {
	m := s.m
	s.feederDuals(d.dyC)
	s.sweep(func(_ int, bt evBatch, at []float64, p *passSums) {
		q := s.duals(bt)
		for _, bi := range s.evs(bt) {
			m.atyEV(&m.evs[bi], d.dyE, q, at, bt.lo)
		}
		kernel(bt.lo, bt.hi, at, p)
	}, func(r0, r1 int, at []float64, p *passSums) {
		kernel(m.seg0[r0], m.seg0[r1], s.segDuals(r0, r1, d.dyC, at), p)
	})
	ap, ad = 1, 1
	for _, p := range s.part {
		ap, ad = min(ap, p[0]), min(ad, p[1])
	}
	return ap, ad
}

// rhs runs kernel, which sets the right-hand sides of a direction and,
// into dx, D rhat, over every batch, followed by the batch's part of
// A dx: tE, tC end holding A dx.
func (s *ipm) rhs(kernel func(lo, hi int), dx []float64) {
	m := s.m
	s.sweep(func(i int, bt evBatch, _ []float64, _ *passSums) {
		kernel(bt.lo, bt.hi)
		s.mulBatch(s.evs(bt), dx, s.tE, s.slots(s.pD, i), nil)
	}, func(r0, r1 int, _ []float64, _ *passSums) {
		kernel(m.seg0[r0], m.seg0[r1])
		for r := r0; r < r1; r++ {
			s.segD[r] = m.segSum(dx, r)
		}
	})
	s.coupling(s.pD, s.segD, s.tC, nil)
}
