package dispatch

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// GenOptions describe a synthetic instance for tests and benchmarks. The
// zero value of a field takes the default in its comment.
type GenOptions struct {
	EVs         int    // number of EVs (default 100)
	Feeders     int    // number of feeders (default 1)
	Slots       int    // slots in the horizon (default 96)
	SlotMinutes int    // minutes per slot (default 1440/Slots)
	Seed        uint64 // seed of the pseudo-random generator
	// V2GShare is the share of EVs that can discharge (0..1).
	V2GShare float64
	// MinEfficiency: charge and discharge efficiencies are drawn from
	// [MinEfficiency, 1]; 0 means lossless (1).
	MinEfficiency float64
	// Tightness in [0,1): 0 leaves every feeder room for all EVs at full
	// power; near 1 leaves almost none above the base load.
	Tightness float64
	// Caps is the number of DR import caps; NegativeCaps of them (at most
	// Caps) ask for net export (negative max_kw).
	Caps, NegativeCaps int
	// WearShare is the share of V2G EVs with a max_discharge_kwh budget.
	WearShare float64
	// SystemLimit adds a system import limit.
	SystemLimit bool
}

// Generate builds a valid, reproducible Problem from o: time-of-use prices,
// residential base loads, home, workplace and overnight EVs.
func Generate(o GenOptions) *Problem {
	if o.EVs <= 0 {
		o.EVs = 100
	}
	if o.Feeders <= 0 {
		o.Feeders = 1
	}
	if o.Slots <= 0 {
		o.Slots = 96
	}
	if o.SlotMinutes <= 0 {
		o.SlotMinutes = max(1, 1440/o.Slots)
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	T := o.Slots
	hour := func(t int) float64 { return math.Mod(float64(t*o.SlotMinutes)/60, 24) }
	slotOf := func(h float64) int { return min(T, max(0, int(math.Round(h*60/float64(o.SlotMinutes))))) }
	p := &Problem{SlotMinutes: o.SlotMinutes, Slots: T, Start: "2024-02-04T00:00:00+08:00",
		DegradationCost: 0.03, UnmetPenalty: 1.5}
	// Peak, flat and valley tariff (CNY/kWh) with a little noise so that
	// optimal schedules are not wildly degenerate.
	for t := 0; t < T; t++ {
		h := hour(t)
		price := 0.6
		switch {
		case h < 7 || h >= 23:
			price = 0.3
		case (h >= 10 && h < 15) || (h >= 18 && h < 21):
			price = 1.0
		}
		p.Price = append(p.Price, price+0.02*(rng.Float64()-0.5))
	}
	perFeeder := make([]int, o.Feeders)
	for i := 0; i < o.EVs; i++ {
		perFeeder[i%o.Feeders]++
	}
	for f := 0; f < o.Feeders; f++ {
		n := float64(max(1, perFeeder[f]))
		base := make([]float64, T)
		peak := 0.0
		for t := 0; t < T; t++ {
			h := hour(t)
			shape := 0.45 + 0.25*math.Exp(-sq((h-12)/3)) + 0.5*math.Exp(-sq((h-19.5)/2))
			base[t] = 2.5 * n * shape * (0.95 + 0.1*rng.Float64())
			peak = math.Max(peak, base[t])
		}
		fd := Feeder{ID: fmt.Sprintf("F%02d", f+1), BaseKW: base,
			ImportLimitKW:   Constant(round2(peak + (1-o.Tightness)*4*n)),
			OverloadPenalty: 3 + 4*rng.Float64()}
		if o.V2GShare > 0 {
			ex := Constant(round2(0.3 * n))
			fd.ExportLimitKW = &ex
		}
		p.Feeders = append(p.Feeders, fd)
	}
	if o.SystemLimit {
		total := 0.0
		for _, fd := range p.Feeders {
			total += fd.ImportLimitKW.Const
		}
		lim := Constant(round2(0.9 * total))
		p.System = &System{ImportLimitKW: &lim, OverloadPenalty: 6}
	}
	for i := 0; i < o.EVs; i++ {
		var a, d int
		switch r := rng.Float64(); {
		case r < 0.6: // home in the evening, leaves at the end of the day
			a, d = slotOf(17+3*rng.Float64()), T
		case r < 0.85: // workplace
			a, d = slotOf(7.5+2*rng.Float64()), slotOf(16+3*rng.Float64())
		default: // still plugged in from the night
			a, d = 0, slotOf(6+2.5*rng.Float64())
		}
		a = min(a, T-1)
		if d <= a {
			d = min(T, a+max(1, T/12))
		}
		capKWh := float64(40 + 10*rng.IntN(5))
		pc := []float64{7, 11, 11, 22}[rng.IntN(4)]
		eff := func() float64 {
			if o.MinEfficiency <= 0 || o.MinEfficiency >= 1 {
				return 1
			}
			return round2(o.MinEfficiency + (1-o.MinEfficiency)*rng.Float64())
		}
		ev := EV{ID: fmt.Sprintf("EV%05d", i+1), Feeder: p.Feeders[i%o.Feeders].ID, Arrive: a, Depart: d,
			CapacityKWh: capKWh, MinKWh: round2(capKWh * (0.1 + 0.1*rng.Float64())),
			MaxChargeKW: pc, ChargeEfficiency: eff(), DischargeEfficiency: eff()}
		ev.EnergyKWh = round2(ev.MinKWh + (capKWh-ev.MinKWh)*(0.1+0.4*rng.Float64()))
		ev.TargetKWh = round2(capKWh * (0.75 + 0.2*rng.Float64()))
		if rng.Float64() < o.V2GShare {
			ev.MaxDischargeKW = math.Min(pc, 11)
			if rng.Float64() < o.WearShare {
				w := round2(5 + 15*rng.Float64())
				ev.MaxDischargeKWh = &w
			}
		}
		p.EVs = append(p.EVs, ev)
	}
	for j := 0; j < o.Caps; j++ {
		scope, base := ScopeSystem, 0.0
		start := slotOf(17.5 + 2*rng.Float64())
		if start >= T {
			start = T / 2
		}
		end := min(T, start+max(1, slotOf(1+2*rng.Float64())))
		f := rng.IntN(o.Feeders + 1)
		if f < o.Feeders {
			scope = p.Feeders[f].ID
			base = p.Feeders[f].BaseKW[start]
		} else {
			for _, fd := range p.Feeders {
				base += fd.BaseKW[start]
			}
		}
		c := Cap{ID: fmt.Sprintf("DR-%d", j+1), Scope: scope, Start: start, End: end,
			MaxKW: round2(base * (0.8 + 0.15*rng.Float64())), Penalty: 2 + 3*rng.Float64()}
		if j < o.NegativeCaps {
			c.MaxKW = -round2(0.1 * base)
		}
		p.Caps = append(p.Caps, c)
	}
	return p
}

func sq(x float64) float64 { return x * x }

func round2(x float64) float64 { return math.Round(x*100) / 100 }
