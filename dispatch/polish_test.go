package dispatch

import (
	"context"
	"math"
	"testing"
)

// polishProblem has one bidirectional EV on a feeder with room to spare.
func polishProblem() *Problem {
	const T = 4
	return &Problem{SlotMinutes: 60, Slots: T, Price: []float64{0.3, 1, 0.3, 1},
		DegradationCost: 0.03, UnmetPenalty: 1.5,
		Feeders: []Feeder{{ID: "F", BaseKW: make([]float64, T), ImportLimitKW: Constant(100), OverloadPenalty: 10}},
		EVs: []EV{{ID: "A", Feeder: "F", Arrive: 0, Depart: T, EnergyKWh: 20, CapacityKWh: 40, MinKWh: 5,
			TargetKWh: 30, MaxChargeKW: 10, MaxDischargeKW: 10, ChargeEfficiency: 0.9, DischargeEfficiency: 0.9}},
	}
}

func TestPolishCancelsSimultaneousChargeAndDischarge(t *testing.T) {
	p := polishProblem()
	s := newSchedule(p)
	copy(s.charge[0], []float64{6, 2, 10, 0})
	copy(s.discharge[0], []float64{1, 5, 3, 0})
	before := price(p, s, true)
	polish(p, s)
	after := price(p, s, true)
	wantC := []float64{5, 0, 7, 0}
	wantG := []float64{0, 3, 0, 0}
	for k := range wantC {
		if s.charge[0][k] != wantC[k] || s.discharge[0][k] != wantG[k] {
			t.Errorf("slot %d: charge %g discharge %g, want %g and %g", k, s.charge[0][k], s.discharge[0][k], wantC[k], wantG[k])
		}
		if before.Feeders[0].KW[k] != after.Feeders[0].KW[k] {
			t.Errorf("slot %d: load %g became %g", k, before.Feeders[0].KW[k], after.Feeders[0].KW[k])
		}
	}
	if after.Objective >= before.Objective {
		t.Errorf("objective %g not below %g", after.Objective, before.Objective)
	}
	if after.EVs[0].FinalKWh <= before.EVs[0].FinalKWh {
		t.Errorf("final SoC %g not above %g: losses were not removed", after.EVs[0].FinalKWh, before.EVs[0].FinalKWh)
	}
	if after.MaxViolation > 0 {
		t.Errorf("hard bound violated by %g", after.MaxViolation)
	}
}

func TestPolishKeepsCapacity(t *testing.T) {
	p := polishProblem()
	p.EVs[0].EnergyKWh = 38
	p.EVs[0].TargetKWh = 38
	s := newSchedule(p)
	// Net 0 in slot 0 wastes 1.9 kWh; cancelled, the 10 kW of charge in
	// slot 1 would lift SoC above capacity, so that charge must come down.
	copy(s.charge[0], []float64{10, 10, 0, 0})
	copy(s.discharge[0], []float64{10, 0, 0, 0})
	polish(p, s)
	r := price(p, s, true)
	if r.MaxViolation > 1e-12 {
		t.Fatalf("hard bound violated by %g: SoC %v", r.MaxViolation, r.EVs[0].EnergyKWh)
	}
	if got := r.EVs[0].EnergyKWh[1]; math.Abs(got-40) > 1e-9 {
		t.Errorf("SoC after slot 1 = %g, want capacity 40", got)
	}
}

func TestSolvedScheduleNeverChargesAndDischargesAtOnce(t *testing.T) {
	p := Generate(GenOptions{EVs: 200, Feeders: 3, Seed: 11, V2GShare: 0.6, MinEfficiency: 0.9,
		Tightness: 0.8, Caps: 3, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
	r, err := Solve(context.Background(), p, Options{Gap: 1e-4})
	if err != nil {
		t.Fatal(err)
	}
	both := 0
	for _, ev := range r.EVs {
		for t := range ev.ChargeKW {
			if ev.ChargeKW[t] > 1e-9 && ev.DischargeKW[t] > 1e-9 {
				both++
			}
		}
	}
	if both > 0 {
		t.Errorf("%d EV-slots both charge and discharge", both)
	}
}
