package dispatch

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// randomSchedule repairs a random point of the LP's boxes into a feasible
// schedule, as the solver repairs an early iterate.
func randomSchedule(p *Problem, seed uint64) schedule {
	m := buildLP(p)
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, m.nx)
	for j := range x {
		x[j] = rng.Float64() * m.hi[j]
	}
	s := newSchedule(p)
	repairInto(p, m, x, s, nil)
	polish(p, s)
	return s
}

// Topping up never raises the cost and never breaks a hard bound.
func TestToppingUpOnlyLowersCost(t *testing.T) {
	lowered := 0
	for seed := uint64(1); seed <= 12; seed++ {
		p := Generate(GenOptions{EVs: 80, Feeders: 3, Slots: 48, Seed: seed, V2GShare: 0.4, MinEfficiency: 0.9,
			Tightness: 0.9, Caps: 3, NegativeCaps: 1, WearShare: 0.5, SystemLimit: seed%2 == 0})
		s := randomSchedule(p, seed)
		before := evaluate(p, s)
		newToppingUp(p).apply(s)
		after := evaluate(p, s)
		if after.Objective > before.Objective+1e-9*math.Abs(before.Objective) {
			t.Errorf("seed %d: cost %.6f -> %.6f", seed, before.Objective, after.Objective)
		}
		if after.Objective < before.Objective-1e-6 {
			lowered++
		}
		if after.MaxViolation > 1e-9 {
			t.Errorf("seed %d: hard-bound violation %g", seed, after.MaxViolation)
		}
		if after.Costs.Unmet > before.Costs.Unmet+1e-9 && after.Costs.Overload+after.Costs.Caps >= before.Costs.Overload+before.Costs.Caps {
			t.Errorf("seed %d: unmet rose (%.4f -> %.4f) without shaving an overload", seed, before.Costs.Unmet, after.Costs.Unmet)
		}
	}
	if lowered < 6 {
		t.Errorf("the cost fell for only %d of 12 random schedules", lowered)
	}
}

// EVs in the same situation are topped up and shaved alike, and the
// shortfall of EVs below a free limit is filled.
func TestToppingUpIsFair(t *testing.T) {
	const n, T = 10, 4
	p := &Problem{SlotMinutes: 60, Slots: T, Price: []float64{0.2, 0.1, 0.3, 0.2},
		DegradationCost: 0.03, UnmetPenalty: 1.5,
		Feeders: []Feeder{{ID: "F", BaseKW: make([]float64, T), ImportLimitKW: Constant(50), OverloadPenalty: 5}}}
	for i := 0; i < n; i++ {
		p.EVs = append(p.EVs, EV{ID: string(rune('A' + i)), Feeder: "F", Arrive: 0, Depart: T,
			EnergyKWh: 10, CapacityKWh: 60, MinKWh: 5, TargetKWh: 30, MaxChargeKW: 11,
			ChargeEfficiency: 1, DischargeEfficiency: 1})
	}
	s := newSchedule(p)
	for i := range p.EVs {
		// Slot 0 over the limit (10 x 7 kW = 70 kW against 50), the
		// rest empty: 13 kWh short each.
		s.charge[i][0] = 7
	}
	newToppingUp(p).apply(s)
	r := evaluate(p, s)
	for k := 0; k < T; k++ {
		for i := 1; i < n; i++ {
			if math.Abs(s.charge[i][k]-s.charge[0][k]) > 1e-12 {
				t.Fatalf("slot %d: EV %d charges %g kW, EV 0 %g kW", k, i, s.charge[i][k], s.charge[0][k])
			}
		}
	}
	if r.Feeders[0].KW[0] > 50+1e-9 {
		t.Errorf("slot 0 still over the limit: %g kW", r.Feeders[0].KW[0])
	}
	// 20 kWh each are wanted; the cheapest slot (1) takes 5 kW each, then
	// slots 0 and 3 (0.2) fill up to the limit.
	if math.Abs(r.Costs.Unmet) > 1e-9 || r.Costs.Overload > 1e-9 {
		t.Errorf("unmet cost %g, overload %g: want both 0", r.Costs.Unmet, r.Costs.Overload)
	}
	if math.Abs(s.charge[0][1]-5) > 1e-9 {
		t.Errorf("cheapest slot: %g kW each, want 5 (the feeder's 50 kW shared)", s.charge[0][1])
	}
}

// With no headroom on the feeder and the system over its cap, nothing is
// topped up: the scaling of the requests once divided 0 by 0 and charged
// NaN kW (found by the greedy schedule of a passed time limit).
func TestToppingUpWithoutHeadroomAnywhere(t *testing.T) {
	p := validProblem()
	p.Caps = []Cap{{ID: "F-full", Scope: "F01", Start: 0, End: 4, MaxKW: 0, Penalty: 3},
		{ID: "export", Scope: ScopeSystem, Start: 0, End: 4, MaxKW: -10, Penalty: 3}}
	s := newSchedule(p)
	newToppingUp(p).apply(s)
	for k, c := range s.charge[0] {
		if c != 0 {
			t.Errorf("slot %d: charge %g kW, want 0 (no headroom)", k, c)
		}
	}
	if r := evaluate(p, s); math.IsNaN(r.Objective) {
		t.Errorf("objective %g", r.Objective)
	}
}

// An EV near its capacity later in its stay gets only what keeps its SoC
// below capacity there, counting the energy granted in cheaper slots
// before: the slot loop no longer keeps the SoCs up to date, only the
// highest SoC (top); without the first grant in it the second took 5 kWh
// and the SoC reached 32 of 30 kWh.
func TestToppingUpCountsEarlierGrantsAtCapacity(t *testing.T) {
	const T = 4
	p := &Problem{SlotMinutes: 60, Slots: T, Price: []float64{0.1, 0.2, 0.3, 0.4},
		DegradationCost: 0.03, UnmetPenalty: 1.5,
		Feeders: []Feeder{{ID: "F", BaseKW: make([]float64, T), ImportLimitKW: Constant(50), OverloadPenalty: 5}},
		// Room for 2 kW in the cheapest slot only.
		Caps: []Cap{{ID: "C", Scope: "F", Start: 0, End: 1, MaxKW: 2, Penalty: 5}},
		EVs: []EV{{ID: "A", Feeder: "F", Arrive: 0, Depart: T, EnergyKWh: 10, CapacityKWh: 30, MinKWh: 5,
			TargetKWh: 30, MaxChargeKW: 20, MaxDischargeKW: 10, ChargeEfficiency: 1, DischargeEfficiency: 1}}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	s := newSchedule(p)
	// SoC 10, 10, 25, 15: at 25 kWh in slot 2, 5 kWh below capacity.
	s.charge[0][2], s.discharge[0][3] = 15, 10
	newToppingUp(p).apply(s)
	if c := s.charge[0]; c[0] != 2 || c[1] != 3 {
		t.Errorf("charge %v kW in slots 0 and 1, want 2 (the cap) and 3 (up to capacity in slot 2)", c[:2])
	}
	if r := evaluate(p, s); r.MaxViolation > 1e-9 {
		t.Errorf("hard bound broken by %g", r.MaxViolation)
	}
}

// The top-up's per-EV fields fill one cache line, so visiting an EV in
// the slot loop costs one miss: a field added or widened shows here.
func TestEVTopFillsOneCacheLine(t *testing.T) {
	if n := unsafe.Sizeof(evTop{}); n != 64 {
		t.Errorf("evTop is %d bytes, want 64", n)
	}
}
