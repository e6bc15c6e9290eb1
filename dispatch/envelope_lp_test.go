package dispatch

import (
	"context"
	"math"
	"testing"
)

// TestEnvelopeAgainstLP checks the closed-form envelope against the LP:
// for each EV and slot of its stay, a one-EV Problem that pays for a low
// net power in that slot alone, with an unmet penalty far above that pay,
// is solved to 1e-9; its net power there is the least one that still
// reaches the (reachable) target within the SoC, power and wear bounds,
// which is the envelope's MinNetKW (and −DischargeKW when it discharges).
// It also checks the fleet's sums and that no figure leaves its bounds.
func TestEnvelopeAgainstLP(t *testing.T) {
	p := Generate(GenOptions{EVs: 14, Slots: 16, Seed: 7, V2GShare: 0.7, MinEfficiency: 0.85, WearShare: 0.5})
	dt := p.Hours()
	// Every third EV is to be full at departure and can only just get
	// there, or cannot: slots where it must still charge, and the
	// reachable-target rule.
	for i := 0; i < len(p.EVs); i += 3 {
		ev := &p.EVs[i]
		ev.TargetKWh = ev.CapacityKWh
		need := ev.CapacityKWh - ev.EnergyKWh
		ev.MaxChargeKW = []float64{1.25, 0.8}[i%2] * need / (dt * ev.ChargeEfficiency * float64(ev.Depart-ev.Arrive))
	}
	fleet, err := FleetEnvelope(p)
	if err != nil {
		t.Fatal(err)
	}
	sum := newEnvelope(p.Slots)
	solves, discharging, charging := 0, 0, 0
	for i, ev := range p.EVs {
		e, err := EVEnvelope(p, i)
		if err != nil {
			t.Fatal(err)
		}
		pd := ev.MaxDischargeKW
		if ev.MaxDischargeKWh != nil {
			pd = math.Min(pd, *ev.MaxDischargeKWh/dt)
		}
		for s := 0; s < p.Slots; s++ {
			sum.DischargeKW[s] += e.DischargeKW[s]
			sum.BaselineKW[s] += e.BaselineKW[s]
			sum.MinNetKW[s] += e.MinNetKW[s]
			sum.ImportReductionKW[s] += e.ImportReductionKW[s]
			if s < ev.Arrive || s >= ev.Depart {
				if e.DischargeKW[s] != 0 || e.BaselineKW[s] != 0 || e.MinNetKW[s] != 0 || e.ImportReductionKW[s] != 0 {
					t.Errorf("%s slot %d outside its stay: %+v", ev.ID, s, e)
				}
				continue
			}
			if e.DischargeKW[s] < 0 || e.DischargeKW[s] > pd+1e-12 || e.ImportReductionKW[s] < -1e-9 ||
				e.BaselineKW[s] < 0 || e.BaselineKW[s] > ev.MaxChargeKW+1e-12 || e.MinNetKW[s] > ev.MaxChargeKW+1e-12 {
				t.Errorf("%s slot %d: figures out of bounds: discharge %g (most %g), baseline %g, min net %g, reduction %g",
					ev.ID, s, e.DischargeKW[s], pd, e.BaselineKW[s], e.MinNetKW[s], e.ImportReductionKW[s])
			}
			one := &Problem{SlotMinutes: p.SlotMinutes, Slots: p.Slots, Price: make([]float64, p.Slots),
				UnmetPenalty: 1000, EVs: []EV{ev},
				Feeders: []Feeder{{ID: ev.Feeder, BaseKW: make([]float64, p.Slots), ImportLimitKW: Constant(1e6)}}}
			one.Price[s] = 1
			r, err := Solve(context.Background(), one, Options{Gap: 1e-9})
			if err != nil {
				t.Fatal(err)
			}
			solves++
			if e.DischargeKW[s] > 1e-9 {
				discharging++
			}
			if e.MinNetKW[s] > 1e-9 {
				charging++
			}
			got := r.EVs[0].KW[s]
			if math.Abs(got-e.MinNetKW[s]) > 1e-5*(1+math.Abs(got)) {
				t.Errorf("%s slot %d: envelope min net %g kW (discharge %g), LP %g kW (status %s, gap %g)",
					ev.ID, s, e.MinNetKW[s], e.DischargeKW[s], got, r.Status, r.Gap)
			}
			if math.Abs(e.DischargeKW[s]-math.Max(0, -got)) > 1e-5*(1+math.Abs(got)) {
				t.Errorf("%s slot %d: envelope discharge %g kW, LP %g kW", ev.ID, s, e.DischargeKW[s], math.Max(0, -got))
			}
		}
	}
	// The instance must exercise both sides: slots where an EV can give
	// power and slots where it must still take some.
	if solves < 50 || discharging < 10 || charging < 10 {
		t.Fatalf("only %d slots checked, %d discharging, %d charging", solves, discharging, charging)
	}
	t.Logf("%d slots checked, %d discharging, %d charging", solves, discharging, charging)
	for s := range fleet.DischargeKW {
		for _, c := range [][2]float64{{fleet.DischargeKW[s], sum.DischargeKW[s]}, {fleet.BaselineKW[s], sum.BaselineKW[s]},
			{fleet.MinNetKW[s], sum.MinNetKW[s]}, {fleet.ImportReductionKW[s], sum.ImportReductionKW[s]}} {
			if math.Abs(c[0]-c[1]) > 1e-9 {
				t.Errorf("slot %d: fleet %g, sum of EVs %g", s, c[0], c[1])
			}
		}
	}
}
