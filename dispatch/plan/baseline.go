package plan

import (
	"math"

	"github.com/v2gdesk/v2gdesk/dispatch"
)

// unmanaged returns the loads if every EV charged as it would without a
// setpoint: at full power from arrival until it holds its target or leaves.
// This is the "before" curve of a preview and the reference a shed event is
// measured from.
func unmanaged(p *dispatch.Problem) Loads {
	T := p.Slots
	dt := p.Hours()
	l := Loads{Feeders: make(map[string][]float64, len(p.Feeders)), System: make([]float64, T)}
	for _, f := range p.Feeders {
		l.Feeders[f.ID] = append([]float64(nil), f.BaseKW...)
	}
	for _, ev := range p.EVs {
		kw := unmanagedKW(ev, T, dt)
		fl := l.Feeders[ev.Feeder]
		for t, v := range kw {
			fl[t] += v
		}
	}
	for _, fl := range l.Feeders {
		for t, v := range fl {
			l.System[t] += v
		}
	}
	return l
}

// unmanagedKW is one EV's grid power per slot when it charges unmanaged.
// It stops at the EV's target, not at a full battery: the car (or its
// driver's setting) ends the session there, as the feed's target_soc says
// and the simulator does. Filling to capacity counted EVs already at their
// target as drawing, which inflated every "before" figure and made shed
// caps bite into load that was never there.
func unmanagedKW(ev dispatch.EV, T int, dt float64) []float64 {
	kw := make([]float64, T)
	e := ev.EnergyKWh
	fill := math.Min(ev.TargetKWh, ev.CapacityKWh)
	for t := ev.Arrive; t < ev.Depart && t < T; t++ {
		room := fill - e
		if room <= 0 {
			break
		}
		p := math.Min(ev.MaxChargeKW, room/(ev.ChargeEfficiency*dt))
		kw[t] = p
		e += p * ev.ChargeEfficiency * dt
	}
	return kw
}
