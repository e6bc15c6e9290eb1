package dispatch

// This file holds the top-up as it was before it was made faster
// (topup.go, 2026-11-26), unchanged but for its names: the reference that
// topup_same_test.go holds the fast one to, bit for bit.

import (
	"math"
	"sort"
)

// toppingUpRef lowers the unmet energy of a schedule where that is cheaper than
// the unmet penalty and crosses no limit. An interior point iterate, and
// more so one whose blocked variables took a step of their own (longStep),
// leaves EVs a little short of their target while their feeder still has
// room: in the optimum they would charge there. Topping up closes the upper
// side of the certified gap iterations earlier.
//
// Slots are visited cheapest first. In each, every EV that is short asks
// for what its power, its shortfall and the room left below capacity in
// its later slots allow; each feeder's requests are scaled down together
// to the feeder's headroom below its import limit and caps, and then to the
// system's. EVs in the same situation therefore get the same energy, and
// the schedule's cost can only fall: energy bought at price/efficiency per
// kWh below the unmet penalty, and no load moved over a limit.
type toppingUpRef struct {
	p        *Problem
	dt       float64
	fIndex   []int   // feeder of each EV
	at       [][]int // EVs present in each slot
	order    []int   // slots, cheapest first
	soc      [][]float64
	need     []float64
	limF     []float64 // per feeder and slot: the lowest import limit or cap
	limS     []float64 // per slot: the lowest system limit or cap (+Inf)
	penF     []float64 // penalty of the limit in limF
	penS     []float64
	head     []float64 // per feeder and slot: room below limF
	sysHead  []float64
	request  []float64
	perF     []float64
	askingEV []int
	elig     [][]int32 // per slot: EVs that may ask for more charge
	top      []float64 // per EV: at least its highest SoC
	// rising says, per EV, that its schedule does not discharge: its SoC
	// never falls, so the lowest SoC from a slot on is the SoC there.
	rising []bool
	// Per EV, what the slot loop reads, packed: the EV structs are large
	// and the loop visits EVs in no useful order.
	arrive                     []int
	etaC, maxC, capKWh, minKWh []float64
}

func newToppingUpRef(p *Problem) *toppingUpRef {
	T := p.Slots
	u := &toppingUpRef{p: p, dt: p.Hours(), fIndex: make([]int, len(p.EVs)), at: make([][]int, T),
		soc: make([][]float64, len(p.EVs)), need: make([]float64, len(p.EVs)),
		head: make([]float64, len(p.Feeders)*T), sysHead: make([]float64, T),
		request: make([]float64, len(p.EVs)), perF: make([]float64, len(p.Feeders))}
	fi := make(map[string]int, len(p.Feeders))
	for f, fd := range p.Feeders {
		fi[fd.ID] = f
	}
	n := 0
	for _, ev := range p.EVs {
		n += ev.Depart - ev.Arrive
	}
	flat := make([]float64, n)
	u.elig, u.top = make([][]int32, T), make([]float64, len(p.EVs))
	u.rising = make([]bool, len(p.EVs))
	u.arrive = make([]int, len(p.EVs))
	u.etaC, u.maxC = make([]float64, len(p.EVs)), make([]float64, len(p.EVs))
	u.capKWh, u.minKWh = make([]float64, len(p.EVs)), make([]float64, len(p.EVs))
	for i, ev := range p.EVs {
		u.fIndex[i] = fi[ev.Feeder]
		u.arrive[i], u.etaC[i], u.maxC[i] = ev.Arrive, ev.ChargeEfficiency, ev.MaxChargeKW
		u.capKWh[i], u.minKWh[i] = ev.CapacityKWh, ev.MinKWh
		K := ev.Depart - ev.Arrive
		u.soc[i], flat = flat[:K:K], flat[K:]
		for t := ev.Arrive; t < ev.Depart; t++ {
			u.at[t] = append(u.at[t], i)
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

// applyRef tops up s in place.
func (u *toppingUpRef) applyRef(s schedule) {
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
		ev := &p.EVs[i]
		c, g, e := s.charge[i], s.discharge[i], u.soc[i]
		h := u.head[u.fIndex[i]*T : (u.fIndex[i]+1)*T]
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
		u.need[i] = ev.TargetKWh - soc
		u.rising[i] = rising
	}
	for t := 0; t < T; t++ {
		u.shaveRef(s, t)
	}
	// Who may ask in which slot, listed EV by EV: the slot loop below then
	// touches only EVs that are short, and not every EV present.
	for t := range u.elig {
		u.elig[t] = u.elig[t][:0]
	}
	for i := range p.EVs {
		if u.need[i] <= 1e-9 {
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
		u.top[i] = top
	}
	for _, t := range u.order {
		u.askingEV = u.askingEV[:0]
		clear(u.perF)
		for _, i32 := range u.elig[t] {
			i := int(i32)
			if u.need[i] <= 1e-9 {
				continue
			}
			k := t - u.arrive[i]
			perKW := dt * u.etaC[i]
			want := min(u.maxC[i]-s.charge[i][k], u.need[i]/perKW)
			// The room below capacity in this and later slots only
			// matters when the highest SoC of the stay is near it.
			if room := u.capKWh[i] - u.top[i]; room < want*perKW {
				for _, v := range u.soc[i][k:] {
					room = min(room, u.capKWh[i]-v)
				}
				want = min(want, room/perKW)
			}
			if want <= 1e-9 {
				continue
			}
			u.request[i] = want
			u.perF[u.fIndex[i]] += want
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
			k := t - u.arrive[i]
			a := u.request[i] * u.perF[u.fIndex[i]] * sys
			if a <= 0 {
				continue
			}
			s.charge[i][k] += a
			de := dt * u.etaC[i] * a
			soc := u.soc[i][k:]
			for kk := range soc {
				soc[kk] += de
			}
			u.top[i] += de // still at least the highest SoC
			u.need[i] -= de
			u.head[u.fIndex[i]*T+t] -= a
			u.sysHead[t] -= a
		}
	}
}

// shaveRef lowers charge in slot t where a feeder's or the system's load is
// over its lowest limit: proportionally across the EVs charging there, as
// far as their SoC floor allows, and only for EVs for which the penalty
// and the energy price saved are at least what the energy can cost as
// unmet energy. The top-up then moves that energy to slots with room.
func (u *toppingUpRef) shaveRef(s schedule, t int) {
	p, dt, T := u.p, u.dt, u.p.Slots
	over := false
	for f := range p.Feeders {
		over = over || u.head[f*T+t] < 0
	}
	if !over && u.sysHead[t] >= 0 {
		return
	}
	// Feeders first, then the system with what is left over.
	for pass := 0; pass < 2; pass++ {
		if pass == 1 && u.sysHead[t] >= 0 {
			return
		}
		clear(u.perF)
		u.askingEV = u.askingEV[:0]
		sysC := 0.0
		for _, i := range u.at[t] {
			f := u.fIndex[i]
			c := s.charge[i][t-u.arrive[i]]
			if c <= 0 {
				continue
			}
			pen, room := u.penS[t], u.sysHead[t]
			if pass == 0 {
				pen, room = u.penF[f*T+t], u.head[f*T+t]
			}
			if room >= 0 || p.Price[t]+pen < p.UnmetPenalty*u.etaC[i] {
				continue
			}
			u.perF[f] += c
			sysC += c
			u.askingEV = append(u.askingEV, i)
		}
		for _, i := range u.askingEV {
			k := t - u.arrive[i]
			f := u.fIndex[i]
			frac := min(1, -u.head[f*T+t]/u.perF[f])
			if pass == 1 {
				frac = min(1, -u.sysHead[t]/sysC)
			}
			floor := u.soc[i][k] - u.minKWh[i]
			if !u.rising[i] {
				for _, v := range u.soc[i][k+1:] {
					floor = min(floor, v-u.minKWh[i])
				}
			}
			perKW := dt * u.etaC[i]
			d := min(s.charge[i][k]*frac, max(0, floor)/perKW)
			s.charge[i][k] -= d
			soc := u.soc[i][k:]
			for kk := range soc {
				soc[kk] -= perKW * d
			}
			u.need[i] += perKW * d
			// The fractions hold for the whole pass: the room freed is
			// booked after it.
			u.request[i] = d
		}
		for _, i := range u.askingEV {
			u.head[u.fIndex[i]*T+t] += u.request[i]
			u.sysHead[t] += u.request[i]
		}
	}
}
