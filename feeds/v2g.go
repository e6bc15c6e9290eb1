package feeds

import "time"

// The efficiencies V2G capacity assumes, since telemetry does not carry them
// (docs/protocol.md, "V2G capacity"). Charging at P kW from the grid stores
// P·V2GChargeEfficiency kW in the battery; discharging P kW to the grid takes
// P/V2GDischargeEfficiency kW from it.
const (
	V2GChargeEfficiency    = 0.92
	V2GDischargeEfficiency = 0.92
)

// DefaultTargetSoC is the target assumed when a charger does not report one:
// the driver is taken to want a full battery.
const DefaultTargetSoC = 1.0

// EVFlex is the flexibility of one plugged EV over the next hour
// (docs/protocol.md, "V2G capacity" defines each figure).
type EVFlex struct {
	// Usable: plugged, fresh (not stale), not faulted or offline.
	Usable bool
	// Pausable: the EV still reaches its target by departure if it takes no
	// charge (or discharges) for the next hour.
	Pausable bool
	// AboveNeedKWh is the battery energy the EV can give up in the next hour
	// and still reach its target by departure (0 unless Pausable).
	AboveNeedKWh float64
	// DischargeKW is the grid-side power it could export now (bidirectional only).
	DischargeKW float64
	// ReducibleKW is how far its import could drop now: from its present kW
	// down to -DischargeKW when Pausable, else 0.
	ReducibleKW float64
}

// flex computes EVFlex for a plugged, usable EV at time now.
//
//	E  = soc·battery            energy stored (kWh)
//	E* = target·battery         energy wanted at departure (target default 1)
//	H  = hours to departure     (0 when departure is unknown or past)
//	h  = min(1, H)              the hour ahead, or what is left of it
//	A  = E + ηc·Pc·(H−h) − E*   what is left above the need after h hours
//	                            without charging, recharging at Pc after
//	Pausable     = A >= 0
//	AboveNeedKWh = min(E, A)                        when Pausable
//	DischargeKW  = min(Pd, ηd·AboveNeedKWh/h)       when Pausable, bidirectional and h > 0
//	ReducibleKW  = max(0, kw + DischargeKW)         when Pausable
//
// Without soc or battery_kwh nothing is known: no flexibility.
//
// It reads the charger's stored values in place, takes now as Unix
// nanoseconds and avoids math.Min: a snapshot runs it for every plugged
// charger.
func flex(in *chargerHot, maxChargeKW, maxDischargeKW float64, nowNS int64) EVFlex {
	out := EVFlex{Usable: true}
	if !in.hasSoC || !in.hasBat {
		return out
	}
	target := DefaultTargetSoC
	if in.hasTgt {
		target = in.tgt
	}
	H := 0.0
	if in.hasDep && in.depNS > nowNS {
		H = float64(in.depNS-nowNS) / float64(time.Hour)
	}
	h := H
	if h > 1 {
		h = 1
	}
	e := in.soc * in.bat
	a := e + V2GChargeEfficiency*maxChargeKW*(H-h) - target*in.bat
	if a < 0 {
		return out
	}
	out.Pausable = true
	out.AboveNeedKWh = a
	if e < a {
		out.AboveNeedKWh = e
	}
	if maxDischargeKW > 0 && h > 0 {
		out.DischargeKW = V2GDischargeEfficiency * out.AboveNeedKWh / h
		if out.DischargeKW > maxDischargeKW {
			out.DischargeKW = maxDischargeKW
		}
	}
	if r := in.kw + out.DischargeKW; r > 0 {
		out.ReducibleKW = r
	}
	return out
}

// usableState reports whether a charger in state s can be asked for flexibility.
func usableState(s ChargerState) bool { return s != StateFaulted && s != StateOffline }

// Flex returns the flexibility of charger c at time now, as the snapshot's
// V2G figures count it: zero (Usable false) unless c is seen, fresh, plugged
// and neither faulted nor offline.
func (c ChargerStatus) Flex(now time.Time) EVFlex {
	if !c.Seen || c.Stale || !c.Last.Plugged || !usableState(c.Last.State) {
		return EVFlex{}
	}
	in := chargerHot{kw: c.Last.KW}
	if c.Last.SoC != nil {
		in.soc, in.hasSoC = *c.Last.SoC, true
	}
	if c.Last.BatteryKWh != nil {
		in.bat, in.hasBat = *c.Last.BatteryKWh, true
	}
	if c.Last.TargetSoC != nil {
		in.tgt, in.hasTgt = *c.Last.TargetSoC, true
	}
	if c.Last.Departure != nil {
		in.depNS, in.hasDep = c.Last.Departure.UnixNano(), true
	}
	return flex(&in, c.MaxChargeKW, c.MaxDischargeKW, now.UnixNano())
}

// add counts one EV into a capacity total.
func (v *V2GCapacity) add(f EVFlex, bidirectional bool) {
	v.Plugged++
	if bidirectional {
		v.Bidirectional++
		v.EnergyAboveNeedKWh += f.AboveNeedKWh
	}
	v.DischargeKW += f.DischargeKW
	v.ImportReducibleKW += f.ReducibleKW
}

func (v *V2GCapacity) merge(o V2GCapacity) {
	v.DischargeKW += o.DischargeKW
	v.ImportReducibleKW += o.ImportReducibleKW
	v.EnergyAboveNeedKWh += o.EnergyAboveNeedKWh
	v.Plugged += o.Plugged
	v.Bidirectional += o.Bidirectional
	v.StalePlugged += o.StalePlugged
	v.Unheard += o.Unheard
}
