package dispatch

import "math"

// Envelope is the V2G capacity the dashboard draws, per slot of the
// horizon (kW). Each slot is an independent maximum: using the full
// envelope in one slot uses up energy that later slots assumed.
type Envelope struct {
	// DischargeKW is the most discharge power the EVs present in the
	// slot can deliver in that slot while each can still reach its
	// target by departure (or, when the target is out of reach even at
	// full charge, the most energy it could have anyway).
	DischargeKW []float64 `json:"discharge_kw"`
	// BaselineKW is the unmanaged load of the EVs: full power from
	// arrival until the target is reached.
	BaselineKW []float64 `json:"baseline_kw"`
	// MinNetKW is the lowest net power (negative = export) the EVs can
	// take in the slot under the same condition.
	MinNetKW []float64 `json:"min_net_kw"`
	// ImportReductionKW = BaselineKW - MinNetKW: how far the fleet's
	// import can be cut below the unmanaged baseline in that slot, by
	// charging less and, for bidirectional EVs, discharging.
	ImportReductionKW []float64 `json:"import_reduction_kw"`
}

// FleetEnvelope returns the envelope of every EV of p summed per slot.
// Feeder and system limits are not applied: the envelope is what the
// vehicles can do, the limits are what the grid wants.
func FleetEnvelope(p *Problem) (*Envelope, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	env := newEnvelope(p.Slots)
	for i := range p.EVs {
		e := evEnvelope(p, i)
		for t := range env.DischargeKW {
			env.DischargeKW[t] += e.DischargeKW[t]
			env.BaselineKW[t] += e.BaselineKW[t]
			env.MinNetKW[t] += e.MinNetKW[t]
			env.ImportReductionKW[t] += e.ImportReductionKW[t]
		}
	}
	return env, nil
}

// EVEnvelope returns the envelope of p.EVs[i] alone (zero outside its
// stay).
func EVEnvelope(p *Problem, i int) (*Envelope, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return evEnvelope(p, i), nil
}

func newEnvelope(T int) *Envelope {
	return &Envelope{DischargeKW: make([]float64, T), BaselineKW: make([]float64, T),
		MinNetKW: make([]float64, T), ImportReductionKW: make([]float64, T)}
}

// evEnvelope works in closed form: the most SoC the EV can have at the
// start of slot t is reached by charging at full power from arrival; the
// least SoC it may have at the end of slot t is what full power charging
// afterwards can still lift to the (reachable) target.
func evEnvelope(p *Problem, i int) *Envelope {
	ev := p.EVs[i]
	dt := p.Hours()
	env := newEnvelope(p.Slots)
	step := dt * ev.ChargeEfficiency * ev.MaxChargeKW // most SoC gain per slot
	reach := math.Min(ev.CapacityKWh, ev.EnergyKWh+step*float64(ev.Depart-ev.Arrive))
	target := math.Min(ev.TargetKWh, reach)
	pd := ev.MaxDischargeKW
	if ev.MaxDischargeKWh != nil {
		pd = math.Min(pd, *ev.MaxDischargeKWh/dt)
	}
	base := ev.EnergyKWh
	for t := ev.Arrive; t < ev.Depart; t++ {
		hi := math.Min(ev.CapacityKWh, ev.EnergyKWh+step*float64(t-ev.Arrive))
		need := math.Max(ev.MinKWh, target-step*float64(ev.Depart-t-1))
		if hi >= need {
			g := math.Min(pd, ev.DischargeEfficiency*(hi-need)/dt)
			env.DischargeKW[t] = g
			env.MinNetKW[t] = -g
		} else {
			env.MinNetKW[t] = math.Min(ev.MaxChargeKW, (need-hi)/(dt*ev.ChargeEfficiency))
		}
		c := 0.0
		if base < ev.TargetKWh {
			c = math.Min(ev.MaxChargeKW, (ev.TargetKWh-base)/(dt*ev.ChargeEfficiency))
		}
		base += dt * ev.ChargeEfficiency * c
		env.BaselineKW[t] = c
		env.ImportReductionKW[t] = c - env.MinNetKW[t]
	}
	return env
}
