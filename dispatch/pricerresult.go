package dispatch

// result returns the full Result of s, the schedule pr priced last, as
// evaluate(p, s) does to the bit. The loads, slacks and costs are the
// pricer's, copied, so the schedule is not priced a second time; the
// per-EV series, four per EV (3 MB of fresh memory at 1,000 EVs), are
// filled on the team, EVs split into chunks that each allocate their own.
// Both were serial after the last iteration of a solve.
func (pr *pricer) result(p *Problem, s schedule, t *team) *Result {
	T := p.Slots
	r := pr.r
	r.Feeders = make([]LoadResult, len(pr.r.Feeders))
	loads := make([]float64, 3*T*len(r.Feeders)) // one allocation for every feeder's
	for f, fr := range pr.r.Feeders {
		kw, imp, exp := loads[:T:T], loads[T:2*T:2*T], loads[2*T:3*T:3*T]
		loads = loads[3*T:]
		copy(kw, fr.KW)
		copy(imp, fr.ImportSlack)
		copy(exp, fr.ExportSlack)
		r.Feeders[f] = LoadResult{ID: fr.ID, KW: kw, ImportSlack: imp, ExportSlack: exp}
	}
	r.SystemKW = append([]float64(nil), pr.r.SystemKW...)
	if pr.r.SystemSlack != nil {
		r.SystemSlack = append([]float64(nil), pr.r.SystemSlack...)
	}
	if pr.r.Caps != nil {
		r.Caps = make([]SlackResult, len(pr.r.Caps))
		for i, c := range pr.r.Caps {
			r.Caps[i] = SlackResult{ID: c.ID, SlackKW: append([]float64(nil), c.SlackKW...)}
		}
	}
	r.EVs = make([]EVResult, len(p.EVs))
	nc := min(len(p.EVs), 4*t.size())
	chunks(nc, len(p.EVs), t, func(_, lo, hi int) {
		series := make([]float64, 4*T*(hi-lo))
		for i := lo; i < hi; i++ {
			r.EVs[i] = evSeries(p, i, s, series[4*T*(i-lo):4*T*(i-lo+1):4*T*(i-lo+1)])
		}
	})
	return &r
}

// evSeries is EV i's result under s, its four series in series (4 ×
// slots, zero): evaluate's (pricer.fill with series) and pricer.result's,
// one piece of code so the two cannot drift apart.
func evSeries(p *Problem, i int, s schedule, series []float64) EVResult {
	T, dt := p.Slots, p.Hours()
	ev := &p.EVs[i]
	er := EVResult{ID: ev.ID, KW: series[:T:T], ChargeKW: series[T : 2*T : 2*T],
		DischargeKW: series[2*T : 3*T : 3*T], EnergyKWh: series[3*T:]}
	e := ev.EnergyKWh
	etaC, etaD := ev.ChargeEfficiency, ev.DischargeEfficiency
	gs := s.discharge[i]
	for k, c := range s.charge[i] {
		t := ev.Arrive + k
		g := gs[k]
		e += dt * (etaC*c - g/etaD)
		er.ChargeKW[t], er.DischargeKW[t], er.KW[t] = c, g, c-g
		er.EnergyKWh[t] = e
	}
	for t := 0; t < ev.Arrive; t++ {
		er.EnergyKWh[t] = ev.EnergyKWh
	}
	for t := ev.Depart; t < T; t++ {
		er.EnergyKWh[t] = e
	}
	er.FinalKWh = e
	er.UnmetKWh = max(0, ev.TargetKWh-e)
	return er
}
