package dispatch

// schedule is charge and discharge kW per EV for the slots of its stay.
type schedule struct{ charge, discharge [][]float64 }

// repair turns interior point iterate x, which meets the rows only to
// within the solver tolerance, into a schedule that meets every hard bound
// exactly: powers are clipped to their boxes, an exceeded wear budget scales
// discharge down, and a forward pass over the SoC chain lowers charge
// (above capacity) or discharge (below minimum). Lowering only ever moves
// SoC back towards the previous, feasible, value, so the pass always
// succeeds. Soft limits need no repair: evaluate prices their slack.
func repair(p *Problem, m *lpModel, x []float64) schedule {
	s := newSchedule(p)
	repairInto(p, m, x, s, nil)
	return s
}

// newSchedule allocates a schedule for p in two flat arrays.
func newSchedule(p *Problem) schedule { return newScheduleIn(p, nil) }

// newScheduleIn is newSchedule with its powers in mem.
func newScheduleIn(p *Problem, mem *memory) schedule {
	n := 0
	for _, ev := range p.EVs {
		n += ev.Depart - ev.Arrive
	}
	cs, gs := mem.floats(n), mem.floats(n)
	s := schedule{charge: make([][]float64, len(p.EVs)), discharge: make([][]float64, len(p.EVs))}
	for i, ev := range p.EVs {
		K := ev.Depart - ev.Arrive
		s.charge[i], s.discharge[i] = cs[:K:K], gs[:K:K]
		cs, gs = cs[K:], gs[K:]
	}
	return s
}

// repairInto is repair writing into s, which the solver reuses to price
// iterates cheaply. EVs are repaired in chunks on t, each EV on its own.
func repairInto(p *Problem, m *lpModel, x []float64, s schedule, t *team) {
	n := len(m.evs)
	nc := min(n, 4*t.size())
	chunks(nc, n, t, func(_, lo, hi int) { repairEVs(p, m, x, s, lo, hi) })
}

// repairEVs repairs EV blocks lo..hi-1 of x into s.
func repairEVs(p *Problem, m *lpModel, x []float64, s schedule, lo, hi int) {
	dt := p.Hours()
	for i := lo; i < hi; i++ {
		b := &m.evs[i]
		ev := &p.EVs[b.ev]
		c, g := s.charge[b.ev], s.discharge[b.ev]
		if b.oc < 0 {
			clear(c)
		}
		if b.og < 0 {
			clear(g)
		}
		if b.oc >= 0 {
			for k := range c {
				c[k] = clip(x[b.oc+k], ev.MaxChargeKW)
			}
		}
		if b.og >= 0 {
			for k := range g {
				g[k] = clip(x[b.og+k], ev.MaxDischargeKW)
			}
			if ev.MaxDischargeKWh != nil {
				used := 0.0
				for _, v := range g {
					used += dt * v
				}
				if used > *ev.MaxDischargeKWh {
					f := *ev.MaxDischargeKWh / used
					for k := range g {
						g[k] *= f
					}
				}
			}
		}
		keepSoC(ev, dt, c, g)
	}
}

// keepSoC walks ev's SoC chain forward under charge c and discharge g (kW
// per slot of its stay, dt hours each) and lowers charge where SoC would
// exceed capacity and discharge where it would fall below the minimum.
// Lowering only moves SoC back towards its previous, feasible, value, so
// the walk always succeeds.
func keepSoC(ev *EV, dt float64, c, g []float64) {
	// SoC gained per kW of charge and lost per kW of discharge in a slot.
	c1, g1 := dt*ev.ChargeEfficiency, dt/ev.DischargeEfficiency
	e := ev.EnergyKWh
	for k := range c {
		next := e + c1*c[k] - g1*g[k]
		if next > ev.CapacityKWh {
			c[k] = max(0, c[k]-(next-ev.CapacityKWh)/c1)
			next = e + c1*c[k] - g1*g[k]
		}
		if next < ev.MinKWh {
			g[k] = max(0, g[k]-(ev.MinKWh-next)/g1)
			next = e + c1*c[k] - g1*g[k]
		}
		e = next
	}
}

// clip returns v cut to [0, hi]. Branches rather than min and max: a
// float min or max is a chain of compares (NaN and signed zeros), and
// almost every v is inside already.
func clip(v, hi float64) float64 {
	if v < 0 {
		return 0
	}
	if v > hi {
		return hi
	}
	return v
}

// evaluate prices a schedule exactly as docs/dispatch.md states the model,
// independent of the LP the solver used, and measures its largest hard
// bound violation.
func evaluate(p *Problem, s schedule) *Result { return price(p, s, true) }

// price is evaluate; without full it leaves out the per-EV series, which
// is all the solver needs to decide whether an iterate is good enough.
func price(p *Problem, s schedule, full bool) *Result {
	var series []float64
	if full {
		// One allocation for the four series of every EV, not four per EV.
		series = make([]float64, 4*p.Slots*len(p.EVs))
	}
	return priceInto(p, s, series)
}

// priceInto is price writing the per-EV series into series (4 × slots ×
// EVs), or leaving them out when series is nil. Power entries outside a
// stay are never written, so series must be zero there: new, or used
// before by priceInto for the same Problem. A time-limited solve reuses one
// allocation that way, and a fill then costs no page faults (limit.go).
func priceInto(p *Problem, s schedule, series []float64) *Result {
	pr := newPricer(p)
	pr.fill(p, s, series)
	return &pr.r
}

// pricer holds one Result's load and slack series and the feeders' index
// for pricing schedules of one Problem. A solve prices two schedules at
// every certification, and the series (three per feeder) were a fresh
// allocation each time: at 1,000 EVs on 100 feeders a quarter of a MB
// per pricing, pages a fresh process pays for (docs/benchmarks.md, "A
// solve's memory").
type pricer struct {
	r      Result
	fIndex map[string]int
}

// newPricer allocates the series of a Result for p.
func newPricer(p *Problem) *pricer {
	T := p.Slots
	pr := &pricer{r: Result{Slots: T, SlotMinutes: p.SlotMinutes}, fIndex: make(map[string]int, len(p.Feeders))}
	r := &pr.r
	r.Feeders = make([]LoadResult, len(p.Feeders))
	for f, fd := range p.Feeders {
		pr.fIndex[fd.ID] = f
		r.Feeders[f] = LoadResult{ID: fd.ID, KW: make([]float64, T),
			ImportSlack: make([]float64, T), ExportSlack: make([]float64, T)}
	}
	r.SystemKW = make([]float64, T)
	if p.System != nil && p.System.ImportLimitKW != nil {
		r.SystemSlack = make([]float64, T)
	}
	for _, c := range p.Caps {
		r.Caps = append(r.Caps, SlackResult{ID: c.ID, SlackKW: make([]float64, T)})
	}
	return pr
}

// objective prices s without the per-EV series, as price(p, s, false)
// does to the bit, in the pricer's Result.
func (pr *pricer) objective(p *Problem, s schedule) float64 {
	pr.fill(p, s, nil)
	return pr.r.Objective
}

// fill prices s into the pricer's Result, and into series as priceInto
// describes. It first sets back what an earlier fill left: the series it
// sums into or writes only in part, and the costs.
func (pr *pricer) fill(p *Problem, s schedule, series []float64) {
	full := series != nil
	T, dt := p.Slots, p.Hours()
	r, fIndex := &pr.r, pr.fIndex
	for f := range r.Feeders {
		copy(r.Feeders[f].KW, p.Feeders[f].BaseKW)
		clear(r.Feeders[f].ImportSlack)
		clear(r.Feeders[f].ExportSlack)
	}
	clear(r.SystemKW)
	for i := range r.Caps {
		clear(r.Caps[i].SlackKW)
	}
	r.Costs = Costs{}
	viol := 0.0
	over := func(v float64) { viol = max(viol, v) }
	if full {
		r.EVs = make([]EVResult, len(p.EVs))
	}
	for i := range p.EVs {
		ev := &p.EVs[i]
		load := r.Feeders[fIndex[ev.Feeder]].KW
		e := ev.EnergyKWh
		// Only the slots of the stay: the solver prices iterates of
		// 100,000 EVs this way, and most of the horizon is outside a stay.
		// Sums in locals: through r every += would be a store.
		var energy, wear, v float64
		etaC, etaD, pc, pd, lo, hi := ev.ChargeEfficiency, ev.DischargeEfficiency, ev.MaxChargeKW, ev.MaxDischargeKW, ev.MinKWh, ev.CapacityKWh
		gs := s.discharge[i]
		for k, c := range s.charge[i] {
			t := ev.Arrive + k
			g := gs[k]
			// Violations are rare: test, and only then take the max (a
			// float max is a chain of compares the loop would wait on).
			if c < 0 || c > pc || g < 0 || g > pd {
				v = max(v, -c, c-pc, -g, g-pd)
			}
			e += dt * (etaC*c - g/etaD)
			if e < lo || e > hi {
				v = max(v, lo-e, e-hi)
			}
			wear += g
			load[t] += c - g
			energy += p.Price[t] * (c - g)
		}
		over(v)
		r.Costs.Energy += dt * energy
		r.Costs.Degradation += dt * p.DegradationCost * wear
		if ev.MaxDischargeKWh != nil {
			over(dt*wear - *ev.MaxDischargeKWh)
		}
		r.Costs.Unmet += p.UnmetPenalty * max(0, ev.TargetKWh-e)
		if full {
			// The series in a pass of their own, as pricer.result makes
			// them: the pricing above runs for every iterate, the series
			// once a solve.
			r.EVs[i] = evSeries(p, i, s, series[4*T*i:4*T*(i+1):4*T*(i+1)])
		}
	}
	for f, fd := range p.Feeders {
		fr := &r.Feeders[f]
		for t := 0; t < T; t++ {
			L := fr.KW[t]
			r.SystemKW[t] += L
			fr.ImportSlack[t] = max(0, L-fd.ImportLimitKW.At(t))
			if fd.ExportLimitKW != nil {
				fr.ExportSlack[t] = max(0, -L-fd.ExportLimitKW.At(t))
			}
			r.Costs.Overload += dt * fd.OverloadPenalty * (fr.ImportSlack[t] + fr.ExportSlack[t])
		}
	}
	if p.System != nil && p.System.ImportLimitKW != nil {
		for t := 0; t < T; t++ {
			r.SystemSlack[t] = max(0, r.SystemKW[t]-p.System.ImportLimitKW.At(t))
			r.Costs.Overload += dt * p.System.OverloadPenalty * r.SystemSlack[t]
		}
	}
	for i, c := range p.Caps {
		scope := r.SystemKW
		if c.Scope != ScopeSystem {
			scope = r.Feeders[fIndex[c.Scope]].KW
		}
		sr := r.Caps[i]
		for t := c.Start; t < c.End; t++ {
			sr.SlackKW[t] = max(0, scope[t]-c.MaxKW)
			r.Costs.Caps += dt * c.Penalty * sr.SlackKW[t]
		}
	}
	r.Objective = r.Costs.Energy + r.Costs.Degradation + r.Costs.Unmet + r.Costs.Overload + r.Costs.Caps
	r.MaxViolation = viol
}
