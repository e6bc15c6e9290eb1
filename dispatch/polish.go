package dispatch

// polish improves a repaired schedule s in place without breaking a hard
// bound. The interior point iterate is centred, so an EV that should sit
// at a bound still charges and discharges a little in the same slot.
// polish replaces such a pair by its net power: the load is unchanged,
// the conversion losses and the degradation cost of the cancelled
// discharge go, and the SoC ends higher. SoC that this lifts above
// capacity lowers charge, by the walk repair uses (keepSoC). It treats every EV alike, so EVs
// in the same situation keep the same power.
//
// A lowered charge can move a load across an export limit or a negative
// cap, so the solver prices the repaired and the polished schedule and
// keeps the cheaper: polish only ever tightens the upper side of the
// certified gap, and the schedule a dispatcher sees does not charge and
// discharge one EV at once.
func polish(p *Problem, s schedule) {
	dt := p.Hours()
	for i := range p.EVs {
		ev := &p.EVs[i]
		if ev.MaxDischargeKW <= 0 || ev.MaxChargeKW <= 0 {
			continue
		}
		c, g := s.charge[i], s.discharge[i]
		for k := range c {
			if n := c[k] - g[k]; n >= 0 {
				c[k], g[k] = n, 0
			} else {
				c[k], g[k] = 0, -n
			}
		}
		// SoC only rises, so only the capacity side of keepSoC can act.
		keepSoC(ev, dt, c, g)
	}
}

// copySchedule copies the powers of src into dst (same Problem).
func copySchedule(dst, src schedule) {
	for i := range src.charge {
		copy(dst.charge[i], src.charge[i])
		copy(dst.discharge[i], src.discharge[i])
	}
}
