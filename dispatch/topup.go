package dispatch

import (
	"math"
	"sort"
)

// toppingUp lowers the unmet energy of a schedule where that is cheaper than
// the unmet penalty and crosses no limit. An interior point iterate, and
// more so one whose blocked variables took a step of their own (longStep),
// leaves EVs a little short of their target while their feeder still has
// room: in the optimum they would charge there. Topping up closes the upper
// side of the certified gap iterations earlier.
//
// Slots are visited cheapest first. In each, every EV that is short asks
// for what its power, its shortfall and the room left below capacity at
// the highest SoC of its stay allow (so below capacity in its later slots
// too); each feeder's requests are scaled down together to the feeder's
// headroom below its import limit and caps, and then to the system's. EVs
// in the same situation therefore get the same energy, and the schedule's
// cost can only fall: energy bought at price/efficiency per kWh below the
// unmet penalty, and no load moved over a limit.
type toppingUp struct {
	p        *Problem
	dt       float64
	at       [][]int32   // EVs present in each slot
	order    []int       // slots, cheapest first
	soc      [][]float64 // per EV and slot of its stay: SoC before the slot loop (which only raises top)
	limF     []float64   // per feeder and slot: the lowest import limit or cap
	limS     []float64   // per slot: the lowest system limit or cap (+Inf)
	penF     []float64   // penalty of the limit in limF
	penS     []float64
	head     []float64 // per feeder and slot: room below limF
	sysHead  []float64
	perF     []float64
	askingEV []int
	// elig lists per slot the EVs that may ask for more charge. Each
	// list has room for every EV present, so that filling it never
	// grows it.
	elig [][]int32
	// ev holds, per EV, what the slot loop reads and writes, packed in
	// one cache line: the loop visits EVs in no useful order, and the
	// same fields in separate arrays cost a cache miss each.
	ev []evTop
	// rising says, per EV, that its schedule does not discharge: its SoC
	// never falls, so the lowest SoC from a slot on is the SoC there.
	rising []bool
	// byLaxity and laxity are fillIdle's (quick.go): the EVs it charges,
	// in the order it serves them, and each EV's laxity.
	byLaxity []int32
	laxity   []float64
	out      []float64 // per EV: the energy fillIdle's relieve took
}

// evTop is what the top-up reads and writes of one EV in its slot loop:
// 64 bytes, a cache line (TestEVTopFillsOneCacheLine).
type evTop struct {
	arrive, f      int32   // arrival slot and feeder index
	etaC, maxC     float64 // charge efficiency and power
	capKWh, minKWh float64
	need           float64 // energy short of the target
	top            float64 // at least the highest SoC
	request        float64 // kW asked for (or shaved) in the current slot
}

func newToppingUp(p *Problem) *toppingUp {
	T, n := p.Slots, len(p.EVs)
	u := &toppingUp{p: p, dt: p.Hours(), at: make([][]int32, T), elig: make([][]int32, T),
		soc: make([][]float64, n), ev: make([]evTop, n), rising: make([]bool, n),
		head: make([]float64, len(p.Feeders)*T), sysHead: make([]float64, T),
		perF: make([]float64, len(p.Feeders))}
	fi := make(map[string]int, len(p.Feeders))
	for f, fd := range p.Feeders {
		fi[fd.ID] = f
	}
	// Each slot's lists are cut from one array, sized by counting the
	// EVs present first: appending EV by EV grew them about 20 times.
	present := make([]int, T)
	stays := 0
	for i := range p.EVs {
		ev := &p.EVs[i]
		stays += ev.Depart - ev.Arrive
		for t := ev.Arrive; t < ev.Depart; t++ {
			present[t]++
		}
	}
	flat := make([]float64, stays)
	atFlat, eligFlat := make([]int32, stays), make([]int32, stays)
	for t, c := range present {
		u.at[t], atFlat = atFlat[:0:c], atFlat[c:]
		u.elig[t], eligFlat = eligFlat[:0:c], eligFlat[c:]
	}
	for i := range p.EVs {
		ev := &p.EVs[i]
		u.ev[i] = evTop{arrive: int32(ev.Arrive), f: int32(fi[ev.Feeder]), etaC: ev.ChargeEfficiency,
			maxC: ev.MaxChargeKW, capKWh: ev.CapacityKWh, minKWh: ev.MinKWh}
		K := ev.Depart - ev.Arrive
		u.soc[i], flat = flat[:K:K], flat[K:]
		for t := ev.Arrive; t < ev.Depart; t++ {
			u.at[t] = append(u.at[t], int32(i))
		}
	}
	u.limF, u.limS = make([]float64, len(p.Feeders)*T), make([]float64, T)
	u.penF, u.penS = make([]float64, len(p.Feeders)*T), make([]float64, T)
	for f, fd := range p.Feeders {
		for t := 0; t < T; t++ {
			u.limF[f*T+t] = fd.ImportLimitKW.At(t)
			u.penF[f*T+t] = fd.OverloadPenalty
		}
	}
	for t := range u.limS {
		u.limS[t] = math.Inf(1)
		if p.System != nil && p.System.ImportLimitKW != nil {
			u.limS[t] = p.System.ImportLimitKW.At(t)
			u.penS[t] = p.System.OverloadPenalty
		}
	}
	for _, cp := range p.Caps {
		for t := cp.Start; t < cp.End; t++ {
			if cp.Scope == ScopeSystem {
				if cp.MaxKW < u.limS[t] {
					u.limS[t], u.penS[t] = cp.MaxKW, cp.Penalty
				}
			} else if f, ok := fi[cp.Scope]; ok && cp.MaxKW < u.limF[f*T+t] {
				u.limF[f*T+t], u.penF[f*T+t] = cp.MaxKW, cp.Penalty
			}
		}
	}
	u.order = make([]int, T)
	for t := range u.order {
		u.order[t] = t
	}
	sort.SliceStable(u.order, func(a, b int) bool { return p.Price[u.order[a]] < p.Price[u.order[b]] })
	return u
}

// apply tops up s in place.
func (u *toppingUp) apply(s schedule) {
	p, dt, T := u.p, u.dt, u.p.Slots
	copy(u.head, u.limF)
	copy(u.sysHead, u.limS)
	for f, fd := range p.Feeders {
		for t := 0; t < T; t++ {
			u.head[f*T+t] -= fd.BaseKW[t]
			u.sysHead[t] -= fd.BaseKW[t]
		}
	}
	for i := range p.EVs {
		ev, x := &p.EVs[i], &u.ev[i]
		c, g, e := s.charge[i], s.discharge[i], u.soc[i]
		h := u.head[int(x.f)*T : (int(x.f)+1)*T]
		soc := ev.EnergyKWh
		rising := true
		for k := range c {
			t := ev.Arrive + k
			rising = rising && g[k] == 0
			net := c[k] - g[k]
			h[t] -= net
			u.sysHead[t] -= net
			soc += dt * (c[k]*ev.ChargeEfficiency - g[k]/ev.DischargeEfficiency)
			e[k] = soc
		}
		x.need = ev.TargetKWh - soc
		u.rising[i] = rising
	}
	for t := 0; t < T; t++ {
		u.shave(s, t)
	}
	// Who may ask in which slot, listed EV by EV: the slot loop below then
	// touches only EVs that are short, and not every EV present.
	for t := range u.elig {
		u.elig[t] = u.elig[t][:0]
	}
	for i := range p.EVs {
		x := &u.ev[i]
		if x.need <= 1e-9 {
			continue
		}
		ev := &p.EVs[i]
		c, g := s.charge[i], s.discharge[i]
		top := math.Inf(-1)
		for k, v := range u.soc[i] {
			top = max(top, v)
			t := ev.Arrive + k
			if g[k] == 0 && c[k] < ev.MaxChargeKW && p.Price[t] < p.UnmetPenalty*ev.ChargeEfficiency {
				u.elig[t] = append(u.elig[t], int32(i))
			}
		}
		x.top = top
	}
	for _, t := range u.order {
		u.askingEV = u.askingEV[:0]
		clear(u.perF)
		for _, i32 := range u.elig[t] {
			i := int(i32)
			x := &u.ev[i]
			if x.need <= 1e-9 {
				continue
			}
			k := t - int(x.arrive)
			perKW := dt * x.etaC
			want := min(x.maxC-s.charge[i][k], x.need/perKW)
			// The room below capacity. top is at least every SoC of
			// the stay, in floating point too: it started at the
			// highest and took every grant any SoC took (rounding is
			// monotone). So capacity less top is the least room of
			// any slot; scanning the SoCs from this slot on never
			// found less, and the SoCs are not kept up to date here
			// (that took a pass over the rest of the stay per grant).
			if room := x.capKWh - x.top; room < want*perKW {
				want = min(want, room/perKW)
			}
			if want <= 1e-9 {
				continue
			}
			x.request = want
			u.perF[x.f] += want
			u.askingEV = append(u.askingEV, i)
		}
		if len(u.askingEV) == 0 {
			continue
		}
		total := 0.0
		for f, r := range u.perF {
			if r > 0 {
				sc := min(1, max(0, u.head[f*T+t])/r)
				u.perF[f] = sc
				total += sc * r
			}
		}
		sys := 1.0
		// total is 0 when no feeder has headroom; the system's may then
		// be negative too, and 0/0 would charge NaN kW.
		if total > 0 && total > u.sysHead[t] {
			sys = max(0, u.sysHead[t]) / total
		}
		for _, i := range u.askingEV {
			x := &u.ev[i]
			k := t - int(x.arrive)
			a := x.request * u.perF[x.f] * sys
			if a <= 0 {
				continue
			}
			s.charge[i][k] += a
			de := dt * x.etaC * a
			x.top += de // still at least the highest SoC
			x.need -= de
			u.head[int(x.f)*T+t] -= a
			u.sysHead[t] -= a
		}
	}
}

// shave lowers charge in slot t where a feeder's or the system's load is
// over its lowest limit: proportionally across the EVs charging there, as
// far as their SoC floor allows, and only for EVs for which the penalty
// and the energy price saved are at least what the energy can cost as
// unmet energy. The top-up then moves that energy to slots with room.
func (u *toppingUp) shave(s schedule, t int) {
	p, dt, T := u.p, u.dt, u.p.Slots
	feederOver := false
	for f := range p.Feeders {
		feederOver = feederOver || u.head[f*T+t] < 0
	}
	if !feederOver && u.sysHead[t] >= 0 {
		return
	}
	// Feeders first, then the system with what is left over.
	for pass := 0; pass < 2; pass++ {
		if pass == 0 && !feederOver {
			// Only the system is over: no EV's feeder lacks room, so
			// this pass would lower nothing.
			continue
		}
		if pass == 1 && u.sysHead[t] >= 0 {
			return
		}
		clear(u.perF)
		u.askingEV = u.askingEV[:0]
		sysC := 0.0
		for _, i32 := range u.at[t] {
			i := int(i32)
			x := &u.ev[i]
			f := int(x.f)
			pen, room := u.penS[t], u.sysHead[t]
			if pass == 0 {
				pen, room = u.penF[f*T+t], u.head[f*T+t]
			}
			// The limit and the penalty first: the EV's charge is a
			// cache miss of its own, and at 10,000 EVs 93 % of those
			// present in a slot where some feeder is over sit on one
			// that is not.
			if room >= 0 || p.Price[t]+pen < p.UnmetPenalty*x.etaC {
				continue
			}
			c := s.charge[i][t-int(x.arrive)]
			if c <= 0 {
				continue
			}
			u.perF[f] += c
			sysC += c
			u.askingEV = append(u.askingEV, i)
		}
		for _, i := range u.askingEV {
			x := &u.ev[i]
			k := t - int(x.arrive)
			f := int(x.f)
			frac := min(1, -u.head[f*T+t]/u.perF[f])
			if pass == 1 {
				frac = min(1, -u.sysHead[t]/sysC)
			}
			floor := u.soc[i][k] - x.minKWh
			if !u.rising[i] {
				for _, v := range u.soc[i][k+1:] {
					floor = min(floor, v-x.minKWh)
				}
			}
			perKW := dt * x.etaC
			d := min(s.charge[i][k]*frac, max(0, floor)/perKW)
			s.charge[i][k] -= d
			soc := u.soc[i][k:]
			for kk := range soc {
				soc[kk] -= perKW * d
			}
			x.need += perKW * d
			// The fractions hold for the whole pass: the room freed is
			// booked after it.
			x.request = d
		}
		for _, i := range u.askingEV {
			x := &u.ev[i]
			u.head[int(x.f)*T+t] += x.request
			u.sysHead[t] += x.request
		}
	}
}
