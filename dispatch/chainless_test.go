package dispatch

import (
	"context"
	"math"
	"testing"
)

// TestChainlessEVsKeepTheirBounds solves EVs that cannot discharge, which
// the model carries without their SoC chain (evBlock), where that matters:
// a negative price pays for every kWh up to capacity, an EV above its
// target at arrival, and a target at capacity (which keeps the chain).
func TestChainlessEVsKeepTheirBounds(t *testing.T) {
	const T = 8
	p := &Problem{SlotMinutes: 60, Slots: T, Price: []float64{-0.2, -0.2, -0.1, -0.05, 0.3, 0.8, 0.8, 0.5},
		DegradationCost: 0.03, UnmetPenalty: 1.5,
		Feeders: []Feeder{{ID: "F", BaseKW: make([]float64, T), ImportLimitKW: Constant(25), OverloadPenalty: 10}}}
	ev := func(id string, e0, target float64) EV {
		return EV{ID: id, Feeder: "F", Arrive: 0, Depart: T, EnergyKWh: e0, CapacityKWh: 40, MinKWh: 5,
			TargetKWh: target, MaxChargeKW: 11, ChargeEfficiency: 0.9, DischargeEfficiency: 0.9}
	}
	p.EVs = []EV{ev("paid", 10, 20), ev("above", 30, 25), ev("full", 20, 40)}
	m := buildLP(p)
	for _, b := range m.evs {
		if want := p.EVs[b.ev].ID == "full"; b.chained() != want {
			t.Errorf("%s: chained %v, want %v", p.EVs[b.ev].ID, b.chained(), want)
		}
	}
	r, err := Solve(context.Background(), p, Options{Gap: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusOptimal || r.MaxViolation > 1e-9 {
		t.Fatalf("status %s, gap %g, violation %g", r.Status, r.Gap, r.MaxViolation)
	}
	for _, e := range r.EVs {
		for s, v := range e.EnergyKWh {
			if v > 40+1e-9 {
				t.Errorf("%s: SoC %.9f kWh in slot %d, over its 40 kWh", e.ID, v, s)
			}
		}
	}
	// Four slots pay for energy: up to 44 kWh per EV at the meter, 100 kWh
	// under the feeder limit, more than the 60 kWh of room up to capacity
	// (30 + 10 + 20) needs at 0.9 efficiency, so every EV ends full.
	for _, e := range r.EVs {
		if math.Abs(e.FinalKWh-40) > 1e-6 {
			t.Errorf("%s ends at %.6f kWh, want 40 (negative prices pay for every kWh)", e.ID, e.FinalKWh)
		}
	}
}
