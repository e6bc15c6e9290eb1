package dispatch

import (
	"math"
	"sort"
)

// lpModel is the Problem as a linear programme min cost·x subject to
// A x = b, 0 <= x <= hi, with every variable finitely boxed (which is what
// makes the Lagrangian bound computed in ipm.go valid for any row duals).
// Every lower bound is 0: SoC is measured from the EV's min_kwh, so the
// passes over the variables read one array fewer (they are bound by
// memory traffic).
//
// It differs from the LP in docs/dispatch.md (and the MPS export) only by
// reformulations that keep its optimal value: the soft limits that bear on
// one load (feeder import and export limits and the caps of that feeder in
// a slot; the system limit and system caps in a slot) are folded into one
// coupling row per load whose convex piecewise-linear penalty is carried by
// bounded segment variables, and slack-like variables get upper bounds that
// no optimal solution needs to exceed. One coupling row per feeder and slot
// keeps the dense blocks of kkt.go at slots x slots, and a load whose hard
// range (every EV idle to every EV at full power) lies where its penalty
// is flat gets no row at all: the row could never bind, and leaving it out
// shrinks those blocks (by a third on generated instances, where nights
// cannot overload).
type lpModel struct {
	T    int
	dt   float64
	nx   int
	hi   []float64
	cost []float64
	evs  []evBlock
	nEVR int       // number of EV rows (chains, targets, wear caps)
	bE   []float64 // right-hand side of EV rows
	nF   int
	fRow []int // first coupling row of feeder f, -1 when it has none
	sRow int   // first system coupling row, -1 when there are none
	// fSlots[f] and sSlots are the slots that have a coupling row, in
	// order: row fRow[f]+k is feeder f's in slot fSlots[f][k]. A slot whose
	// load cannot reach a limit or cap, whatever the EVs do, needs none.
	fSlots [][]int
	sSlots []int
	nC     int
	bC     []float64
	seg0   []int   // coupling row r owns segment variables seg0[r]..seg0[r+1]-1
	byF    [][]int // EV block indices per feeder
	// groups split each feeder's EVs into runs of similar size, the unit
	// of parallel work, so that even a single feeder keeps every core busy.
	groups []evGroup
	konst  float64 // objective constant (penalty at the segment origins)
}

// evBlock locates one EV's variables and rows. Variables: c[K] (when it can
// charge), g[K] (when it can discharge), e[K] = SoC at the end of each slot,
// u (unmet), r (surplus over target), q (unused wear budget, when capped).
// Rows: K chain rows, one target row, one wear row when capped.
//
// An EV that cannot discharge has no chain (oe < 0): its SoC only rises, so
// it stays within [min, capacity] at every slot if it ends within them, and
// one energy row, sum dt etaC c + u - r = target - initial SoC with r at
// most capacity - target, says all its chain rows would. That removes its
// K SoC variables and K chain rows, most of the model when few EVs do V2G.
type evBlock struct {
	ev         int
	f          int
	a, K       int
	oc, og     int // -1 when absent
	oe, ou, or int // oe is -1 for an EV without a chain
	oq         int // -1 when absent
	r0         int
	etaC, etaD float64
	// e0, eMin, eMax and target are the initial SoC, the SoC bounds and
	// the target (kWh).
	e0, eMin, eMax, target float64
}

func (b *evBlock) rows() int {
	switch {
	case b.oe < 0:
		return 1
	case b.oq >= 0:
		return b.K + 2
	}
	return b.K + 1
}

// chained reports whether the EV keeps its SoC chain (needsChain).
func (b *evBlock) chained() bool { return b.oe >= 0 }

// minChainless is the least capacity - target (kWh) at which an EV that
// cannot discharge drops its chain: r's box [0, capacity - target] must
// not be so narrow that the interior point method cannot stay inside it.
const minChainless = 1e-6

// evGroup is a run of EVs of one feeder.
type evGroup struct {
	f   int
	evs []int
	// t0, t1 bound the slots of its EVs' stays: their contributions to
	// the feeder's dense block lie in rows and columns t0..t1-1.
	t0, t1 int
}

// maxGroups is about how many groups the EVs are split into: enough to
// balance up to a few workers, few enough that per-group slots x slots
// buffers stay small, and that a feeder of up to an eighth of the fleet is
// one group, which then builds its feeder's block in place (kkt.go). 8
// rather than 16: 1,000 x 10 46.5 -> 44 ms, 10,000 x 10 283 -> 272 ms.
const maxGroups = 8

type hinge struct {
	at    float64
	slope float64 // > 0: slope*(L-at)^+; < 0: -slope*(at-L)^+
}

// segBuf is the scratch segments reuses from one row to the next: a model
// has a row per feeder and slot, and fresh slices for each were half of
// buildLP's allocations.
type segBuf struct{ pts, widths, slopes []float64 }

// segments represents phi(L) = sum of hinges on [lo, hi] as L = lo + sum
// sigma_j with sigma_j in [0, width_j] and slopes non-decreasing, and
// returns phi(lo). Convexity makes the cheap segments fill first. widths
// and slopes live in buf until the next call.
func segments(lo, hi float64, hs []hinge, buf *segBuf) (widths, slopes []float64, phiLo float64) {
	pts := append(buf.pts[:0], lo)
	widths, slopes = buf.widths[:0], buf.slopes[:0]
	for _, h := range hs {
		if h.at > lo && h.at < hi {
			pts = append(pts, h.at)
		}
		if h.slope > 0 {
			phiLo += h.slope * math.Max(0, lo-h.at)
		} else {
			phiLo += -h.slope * math.Max(0, h.at-lo)
		}
	}
	pts = append(pts, hi)
	sort.Float64s(pts)
	for j := 0; j+1 < len(pts); j++ {
		w := pts[j+1] - pts[j]
		if w <= 0 {
			continue
		}
		mid := pts[j] + w/2
		s := 0.0
		for _, h := range hs {
			if h.slope > 0 && mid > h.at {
				s += h.slope
			}
			if h.slope < 0 && mid < h.at {
				s += h.slope
			}
		}
		if n := len(slopes); n > 0 && slopes[n-1] == s {
			widths[n-1] += w
			continue
		}
		widths = append(widths, w)
		slopes = append(slopes, s)
	}
	buf.pts, buf.widths, buf.slopes = pts, widths, slopes
	return widths, slopes, phiLo
}

// dischargeKW is the most ev can discharge, 0 when it cannot.
func dischargeKW(ev *EV) float64 {
	if ev.MaxDischargeKWh != nil && *ev.MaxDischargeKWh <= 0 {
		return 0
	}
	return ev.MaxDischargeKW
}

// needsChain reports whether ev keeps its SoC chain in the model: it can
// discharge, or its target is (nearly) its capacity (see evBlock).
func needsChain(ev *EV) bool {
	return dischargeKW(ev) > 0 || ev.CapacityKWh-ev.TargetKWh < minChainless
}

func buildLP(p *Problem) *lpModel { return buildLPIn(p, nil) }

// buildLPIn is buildLP taking the model's vectors from mem.
func buildLPIn(p *Problem, mem *memory) *lpModel {
	T := p.Slots
	dt := p.Hours()
	m := &lpModel{T: T, dt: dt, nF: len(p.Feeders)}
	fIndex := make(map[string]int, len(p.Feeders))
	for f, fd := range p.Feeders {
		fIndex[fd.ID] = f
	}
	// Hard load ranges per feeder and slot, for segment origins and
	// widths: one array each, feeder by feeder.
	lmin, lmax := make([][]float64, m.nF), make([][]float64, m.nF)
	lminBuf, lmaxBuf := mem.floats(m.nF*T), mem.floats(m.nF*T)
	for f := range lmin {
		lmin[f] = lminBuf[f*T : (f+1)*T : (f+1)*T]
		lmax[f] = lmaxBuf[f*T : (f+1)*T : (f+1)*T]
		copy(lmin[f], p.Feeders[f].BaseKW)
		copy(lmax[f], p.Feeders[f].BaseKW)
	}
	nx, nr := lpSize(p)
	hi, cost := mem.floats(nx)[:0], mem.floats(nx)[:0]
	m.bE = mem.floats(nr)[:0]
	m.evs = make([]evBlock, 0, len(p.EVs))
	add := func(h, c float64) int {
		hi = append(hi, h)
		cost = append(cost, c)
		return len(hi) - 1
	}
	// EVs are laid out by feeder and, within a feeder, those with a chain
	// first and then by length of stay: each feeder's variables are then
	// contiguous, and neighbouring EVs, whose chain solves run interleaved
	// (kkt.go), both have chains of about the same length. evBlock.ev
	// keeps the problem's order. The order is one precomputed key per EV
	// (a comparison would otherwise look feeders up n log n times).
	keys := make([]int, len(p.EVs))
	order := make([]int, len(p.EVs))
	for i := range p.EVs {
		ev := &p.EVs[i]
		chainless := 0
		if !needsChain(ev) {
			chainless = 1
		}
		keys[i] = (fIndex[ev.Feeder]*2+chainless)*(T+1) + ev.Depart - ev.Arrive
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	m.byF = feederLists(p, fIndex)
	for _, i := range order {
		ev := p.EVs[i]
		f := fIndex[ev.Feeder]
		b := evBlock{ev: i, f: f, a: ev.Arrive, K: ev.Depart - ev.Arrive, oc: -1, og: -1, oq: -1,
			etaC: ev.ChargeEfficiency, etaD: ev.DischargeEfficiency,
			e0: ev.EnergyKWh, eMin: ev.MinKWh, eMax: ev.CapacityKWh, target: ev.TargetKWh}
		pd := dischargeKW(&ev)
		hasW := pd > 0 && ev.MaxDischargeKWh != nil && *ev.MaxDischargeKWh < float64(b.K)*dt*pd
		if ev.MaxChargeKW > 0 {
			b.oc = len(hi)
			for t := b.a; t < ev.Depart; t++ {
				add(ev.MaxChargeKW, dt*p.Price[t])
				lmax[f][t] += ev.MaxChargeKW
			}
		}
		if pd > 0 {
			b.og = len(hi)
			for t := b.a; t < ev.Depart; t++ {
				add(pd, dt*(p.DegradationCost-p.Price[t]))
				lmin[f][t] -= pd
			}
		}
		if !needsChain(&ev) {
			b.oe = -1
			b.ou = add(math.Max(0, ev.TargetKWh-ev.MinKWh)+1, p.UnmetPenalty)
			b.or = add(ev.CapacityKWh-ev.TargetKWh, 0)
			b.r0 = m.nEVR
			m.bE = append(m.bE, ev.TargetKWh-ev.EnergyKWh)
			m.nEVR++
			m.byF[f] = append(m.byF[f], len(m.evs)) // within its capacity
			m.evs = append(m.evs, b)
			continue
		}
		// e is the SoC above min_kwh, in [0, capacity - min_kwh]: the
		// first chain row and the target row carry the shift.
		b.oe = len(hi)
		for t := 0; t < b.K; t++ {
			add(ev.CapacityKWh-ev.MinKWh, 0)
		}
		b.ou = add(math.Max(0, ev.TargetKWh-ev.MinKWh)+1, p.UnmetPenalty)
		b.or = add(math.Max(0, ev.CapacityKWh-ev.TargetKWh)+1, 0)
		b.r0 = m.nEVR
		for t := 0; t < b.K; t++ {
			m.bE = append(m.bE, 0)
		}
		m.bE[b.r0] = ev.EnergyKWh - ev.MinKWh
		m.bE = append(m.bE, ev.TargetKWh-ev.MinKWh)
		if hasW {
			b.oq = add(*ev.MaxDischargeKWh, 0)
			m.bE = append(m.bE, *ev.MaxDischargeKWh)
		}
		m.nEVR += b.rows()
		m.byF[f] = append(m.byF[f], len(m.evs))
		m.evs = append(m.evs, b)
	}

	// Coupling rows: sum of (c - g) on the scope - sum sigma = Lmin' - base.
	// A row's hinges are gathered into one buffer as it is made, in the
	// order the penalties sum in (the load's own limits, then its caps in
	// the problem's order): a slice per feeder and slot was most of
	// buildLP's allocations at 100 feeders.
	fCaps, sCaps := capsByScope(p, fIndex)
	rows := (m.nF + 1) * T // at most one per feeder and slot and per system slot
	m.bC = mem.floats(rows)[:0]
	m.seg0 = make([]int, 1, rows+1)
	m.seg0[0] = len(hi)
	var hs []hinge
	var seg segBuf
	// addRow adds the coupling row of a load whose hard range is [lo0+1,
	// hi0-1], unless its penalty is flat there, and reports whether it did.
	addRow := func(lo0, hi0, base float64, hs []hinge) bool {
		w, s, phi := segments(lo0, hi0, hs, &seg)
		m.konst += phi
		if len(w) == 1 && s[0] == 0 {
			return false
		}
		m.bC = append(m.bC, lo0-base)
		for j := range w {
			add(w[j], s[j])
		}
		m.seg0 = append(m.seg0, len(hi))
		m.nC++
		return true
	}
	// capHinges appends to hs the hinges of caps (indices into p.Caps) in
	// force in slot t.
	capHinges := func(hs []hinge, caps []int, t int) []hinge {
		for _, c := range caps {
			if c := &p.Caps[c]; c.Start <= t && t < c.End {
				hs = append(hs, hinge{c.MaxKW, dt * c.Penalty})
			}
		}
		return hs
	}
	m.fRow = make([]int, m.nF)
	m.fSlots = make([][]int, m.nF)
	slots := make([]int, m.nF*T) // every feeder's fSlots, T each at most
	for f, fd := range p.Feeders {
		m.fRow[f] = -1
		m.fSlots[f] = slots[f*T : f*T : (f+1)*T]
		s := dt * fd.OverloadPenalty
		for t := 0; t < T; t++ {
			hs = append(hs[:0], hinge{fd.ImportLimitKW.At(t), s})
			if fd.ExportLimitKW != nil {
				hs = append(hs, hinge{-fd.ExportLimitKW.At(t), -s})
			}
			hs = capHinges(hs, fCaps[f], t)
			r := m.nC
			if addRow(lmin[f][t]-1, lmax[f][t]+1, fd.BaseKW[t], hs) {
				if m.fRow[f] < 0 {
					m.fRow[f] = r
				}
				m.fSlots[f] = append(m.fSlots[f], t)
			}
		}
	}
	m.sRow = -1
	m.sSlots = make([]int, 0, T)
	for t := 0; t < T; t++ {
		var l0, h0, b0 float64
		for f := range p.Feeders {
			l0 += lmin[f][t]
			h0 += lmax[f][t]
			b0 += p.Feeders[f].BaseKW[t]
		}
		hs = hs[:0]
		if p.System != nil && p.System.ImportLimitKW != nil {
			hs = append(hs, hinge{p.System.ImportLimitKW.At(t), dt * p.System.OverloadPenalty})
		}
		hs = capHinges(hs, sCaps, t)
		r := m.nC
		if addRow(l0-1, h0+1, b0, hs) {
			if m.sRow < 0 {
				m.sRow = r
			}
			m.sSlots = append(m.sSlots, t)
		}
	}
	m.hi, m.cost, m.nx = hi, cost, len(hi)
	size := max(32, (len(m.evs)+maxGroups-1)/maxGroups)
	m.groups = make([]evGroup, 0, m.nF+len(m.evs)/size)
	group := func(f int, evs []int) evGroup {
		g := evGroup{f: f, evs: evs, t0: T}
		for _, i := range evs {
			g.t0 = min(g.t0, m.evs[i].a)
			g.t1 = max(g.t1, m.evs[i].a+m.evs[i].K)
		}
		return g
	}
	for f, evs := range m.byF {
		for len(evs) > size {
			m.groups = append(m.groups, group(f, evs[:size]))
			evs = evs[size:]
		}
		if len(evs) > 0 {
			m.groups = append(m.groups, group(f, evs))
		}
	}
	return m
}

// feederLists returns, per feeder, an empty list with room for its EVs'
// block indices, all in one array.
func feederLists(p *Problem, fIndex map[string]int) [][]int {
	n := make([]int, len(p.Feeders))
	for i := range p.EVs {
		n[fIndex[p.EVs[i].Feeder]]++
	}
	buf := make([]int, len(p.EVs))
	byF := make([][]int, len(p.Feeders))
	at := 0
	for f, k := range n {
		byF[f] = buf[at : at : at+k]
		at += k
	}
	return byF
}

// capsByScope returns the indices into p.Caps of each feeder's caps and
// of the system's, each in the problem's order.
func capsByScope(p *Problem, fIndex map[string]int) (feeders [][]int, system []int) {
	feeders = make([][]int, len(p.Feeders))
	for i, c := range p.Caps {
		if c.Scope == ScopeSystem {
			system = append(system, i)
			continue
		}
		f := fIndex[c.Scope]
		feeders[f] = append(feeders[f], i)
	}
	return feeders, system
}

// lpSize returns upper bounds on the variables and EV rows buildLP makes
// for p: sizing the arrays up front saves copying them as they grow. Every
// EV has at most three variables per slot of stay and three more. The
// coupling rows (at most one per feeder and slot and one per system slot)
// have at most one segment more than their hinges (the import and export
// limits and the caps): counted here, since an allowance of every cap in
// every row of every feeder was 2.5 times the variables at 1,000 EVs on
// 100 feeders (docs/benchmarks.md, "A solve's memory").
func lpSize(p *Problem) (nx, nr int) {
	nx = p.Slots * (2 + 3*len(p.Feeders))
	for _, c := range p.Caps {
		nx += c.End - c.Start
	}
	for _, ev := range p.EVs {
		nx += 3*(ev.Depart-ev.Arrive) + 3
		nr += ev.Depart - ev.Arrive + 2
	}
	return nx, nr
}

// denseWork is the sum of the cubes of the feeders' dense block sizes:
// what their Cholesky factorisations cost per iteration, up to a factor.
func (m *lpModel) denseWork() int {
	n := 0
	for _, fs := range m.fSlots {
		n += len(fs) * len(fs) * len(fs)
	}
	return n
}

// longestStay is the most slots of stay of an EV of group gi: the size of
// the group's per-EV scratch.
func (m *lpModel) longestStay(gi int) int {
	k := 0
	for _, i := range m.groups[gi].evs {
		k = max(k, m.evs[i].K)
	}
	return k
}
