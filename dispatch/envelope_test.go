package dispatch

import (
	"math"
	"testing"
)

func TestEVEnvelopeByHand(t *testing.T) {
	// 1-hour slots, lossless, 10 kW each way, SoC 30 of 60 (min 10),
	// target 40, present slots 0..3.
	p := &Problem{SlotMinutes: 60, Slots: 4, Price: make([]float64, 4),
		Feeders: []Feeder{{ID: "F", BaseKW: make([]float64, 4), ImportLimitKW: Constant(100)}},
		EVs: []EV{{ID: "A", Feeder: "F", Arrive: 0, Depart: 4, EnergyKWh: 30, CapacityKWh: 60, MinKWh: 10,
			TargetKWh: 40, MaxChargeKW: 10, MaxDischargeKW: 10, ChargeEfficiency: 1, DischargeEfficiency: 1}}}
	e, err := EVEnvelope(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Slot 3 (last): most SoC 60, need 40 at the end: 20 kWh spare, capped
	// at 10 kW. Slot 0: SoC 30, need max(10, 40-30) = 10: 20 spare -> 10.
	want := []float64{10, 10, 10, 10}
	wantBase := []float64{10, 0, 0, 0}
	for s := range want {
		if math.Abs(e.DischargeKW[s]-want[s]) > 1e-12 || math.Abs(e.BaselineKW[s]-wantBase[s]) > 1e-12 {
			t.Errorf("slot %d: discharge %g baseline %g, want %g %g", s, e.DischargeKW[s], e.BaselineKW[s], want[s], wantBase[s])
		}
	}
	// A tight target: 60 of 60 needs full charging in every slot.
	p.EVs[0].TargetKWh = 60
	p.EVs[0].MaxChargeKW = 7.5
	e, _ = EVEnvelope(p, 0)
	for s := 0; s < 4; s++ {
		if e.DischargeKW[s] != 0 || math.Abs(e.MinNetKW[s]-7.5) > 1e-12 || math.Abs(e.ImportReductionKW[s]) > 1e-12 {
			t.Errorf("slot %d: discharge %g, min net %g, reduction %g", s, e.DischargeKW[s], e.MinNetKW[s], e.ImportReductionKW[s])
		}
	}
}

// TestEnvelopeIsTightAndSafe checks the definition by simulation: taking
// the envelope's minimum net power in slot t, with full charging before
// and after, keeps SoC within bounds and reaches the reachable target;
// asking for 0.01 kW less in slot t would not.
func TestEnvelopeIsTightAndSafe(t *testing.T) {
	p := Generate(GenOptions{EVs: 60, Slots: 48, Seed: 3, V2GShare: 0.7, MinEfficiency: 0.85, WearShare: 0.5})
	dt := p.Hours()
	for i, ev := range p.EVs {
		e, err := EVEnvelope(p, i)
		if err != nil {
			t.Fatal(err)
		}
		reach := math.Min(ev.CapacityKWh, ev.EnergyKWh+dt*ev.ChargeEfficiency*ev.MaxChargeKW*float64(ev.Depart-ev.Arrive))
		target := math.Min(ev.TargetKWh, reach)
		pd := ev.MaxDischargeKW
		if ev.MaxDischargeKWh != nil {
			pd = math.Min(pd, *ev.MaxDischargeKWh/dt)
		}
		sim := func(s int, net float64) (final, lowest float64) {
			soc, lowest := ev.EnergyKWh, ev.EnergyKWh
			for k := ev.Arrive; k < ev.Depart; k++ {
				if k == s {
					if net < 0 {
						soc += dt * net / ev.DischargeEfficiency
					} else {
						soc += dt * ev.ChargeEfficiency * net
					}
				} else {
					soc = math.Min(ev.CapacityKWh, soc+dt*ev.ChargeEfficiency*ev.MaxChargeKW)
				}
				lowest = math.Min(lowest, soc)
			}
			return soc, lowest
		}
		for s := ev.Arrive; s < ev.Depart; s++ {
			net := e.MinNetKW[s]
			final, lowest := sim(s, net)
			if final < target-1e-9 || lowest < ev.MinKWh-1e-9 || net < -pd-1e-12 || net > ev.MaxChargeKW+1e-12 {
				t.Fatalf("%s slot %d: min net %g gives final %g (target %g), lowest %g", ev.ID, s, net, final, target, lowest)
			}
			if net-0.01 >= -pd && net-0.01 <= ev.MaxChargeKW && !(net > 0 && net-0.01 < 0) {
				final, lowest = sim(s, net-0.01)
				if final >= target-1e-9 && lowest >= ev.MinKWh-1e-9 {
					t.Fatalf("%s slot %d: %g kW less than the envelope (%g) is still feasible", ev.ID, s, 0.01, net)
				}
			}
		}
	}
	f, err := FleetEnvelope(p)
	if err != nil {
		t.Fatal(err)
	}
	for s := range f.DischargeKW {
		sum := 0.0
		for i := range p.EVs {
			e, _ := EVEnvelope(p, i)
			sum += e.DischargeKW[s]
		}
		if math.Abs(sum-f.DischargeKW[s]) > 1e-9 {
			t.Errorf("slot %d: fleet discharge %g, sum of EVs %g", s, f.DischargeKW[s], sum)
		}
	}
}
