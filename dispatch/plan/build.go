package plan

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// ErrNoTopology is returned when the snapshot holds no topology yet.
var ErrNoTopology = errors.New("plan: no topology (no hello received yet)")

// Plan is a dispatch Problem built from a snapshot, with what is needed to
// turn its solution back into setpoints and a preview.
type Plan struct {
	Problem *dispatch.Problem
	// Start is the start of slot 0; Slot the length of a slot.
	Start time.Time
	Slot  time.Duration
	// Event is the DR event planned for; nil for a plain time-of-use plan.
	Event *feeds.EventFrame
	// Chargers[i] is the charger of Problem.EVs[i].
	Chargers []string
	// Unsteered counts EVs left to charge unmanaged because their spare
	// time was under Options.MinSpare; their unmanaged load is in the base
	// load and they get no setpoint.
	Unsteered int
	// Unplanned counts plugged chargers left out of the plan because they
	// report no state of charge; their present power is kept in the base
	// load, since nothing is known of how long they will draw it.
	Unplanned int
	// Baseline is the load per feeder and for the system if every planned EV
	// charged unmanaged: full power from now until at its target or gone.
	Baseline Loads
	// Tariff is the tariff's price per slot when the Problem's prices are
	// not money (Options.Soonest); nil otherwise. The preview's costs use it.
	Tariff []float64
}

// Loads holds a load curve (kW per slot) per feeder and for the system.
type Loads struct {
	Feeders map[string][]float64
	System  []float64
}

// Of returns the curve of scope: the system's for feeds.ScopeSystem, else
// the feeder's (nil when unknown).
func (l Loads) Of(scope string) []float64 {
	if scope == feeds.ScopeSystem {
		return l.System
	}
	return l.Feeders[scope]
}

// Build makes the Problem for event (nil: time-of-use only) from the fleet
// as snap shows it. base forecasts the load the plan does not control.
func Build(snap *feeds.Snapshot, event *feeds.EventFrame, base Forecaster, opts Options) (*Plan, error) {
	if snap == nil || !snap.HaveTopology {
		return nil, ErrNoTopology
	}
	o := opts.withDefaults()
	if err := o.Tariff.Validate(); err != nil {
		return nil, err
	}
	loc := snap.Location
	if loc == nil {
		loc = time.UTC
	}
	start := snap.At.Truncate(o.Slot)
	if o.FromNow {
		start = snap.At.Truncate(time.Minute)
	}
	horizon := o.Horizon
	if event != nil {
		if !event.End.After(event.Start) {
			return nil, &EventError{Event: event.ID, Problem: EventEndNotAfterStart, Start: event.Start, End: event.End}
		}
		if !event.End.After(start) {
			return nil, &EventError{Event: event.ID, Problem: EventAlreadyEnded, Start: event.Start, End: event.End}
		}
		if d := event.End.Sub(start); d > MaxHorizon {
			return nil, &EventError{Event: event.ID, Problem: EventBeyondHorizon, Start: event.Start, End: event.End, Ahead: d}
		} else if d > horizon {
			horizon = d
		}
	}
	if horizon > MaxHorizon {
		return nil, fmt.Errorf("plan horizon %s: at most %s", horizon, MaxHorizon)
	}
	T := int((horizon + o.Slot - 1) / o.Slot)
	p := &Plan{Start: start, Slot: o.Slot, Event: event}
	prob := &dispatch.Problem{
		SlotMinutes:     int(o.Slot / time.Minute),
		Slots:           T,
		Start:           start.In(loc).Format(time.RFC3339),
		Price:           make([]float64, T),
		DegradationCost: o.DegradationCost,
		UnmetPenalty:    o.UnmetPenalty,
	}
	for t := range prob.Price {
		prob.Price[t] = o.Tariff.MeanPrice(start.Add(time.Duration(t)*o.Slot), o.Slot, loc)
	}
	if o.Soonest {
		p.Tariff = prob.Price
		prob.Price = make([]float64, T)
		for t := range prob.Price {
			prob.Price[t] = 0.001 * float64(t)
		}
	}

	// Chargers the plan cannot model keep drawing what they draw now.
	unplannedKW := map[string]float64{}
	var unsteered []dispatch.EV
	for i := 0; i < snap.NumChargers(); i++ {
		c := snap.ChargerAt(i)
		if !c.Seen || !c.Last.Plugged || c.Stale {
			continue
		}
		switch c.Last.State {
		case feeds.StateFaulted, feeds.StateOffline:
			unplannedKW[c.Feeder] += c.Last.KW
			continue
		}
		if c.Last.SoC == nil {
			p.Unplanned++
			unplannedKW[c.Feeder] += c.Last.KW
			continue
		}
		ev := o.ev(c, start, snap.At, T)
		spare := o.spare(ev, c, snap.At)
		if o.MinSpare > 0 && spare < o.MinSpare {
			// Nothing to shift: it needs (nearly) all its stay at full
			// power, so it charges as it would, in the base load.
			p.Unsteered++
			unsteered = append(unsteered, ev)
			continue
		}
		if o.V2GMinSpare > 0 && spare < o.V2GMinSpare {
			ev.MaxDischargeKW = 0
		}
		prob.EVs = append(prob.EVs, ev)
		p.Chargers = append(p.Chargers, c.ID)
	}

	for _, f := range snap.Feeders {
		b := base.BaseKW(f.ID, start, o.Slot, T)
		if len(b) != T {
			return nil, fmt.Errorf("feeder %q: forecast has %d slots, want %d", f.ID, len(b), T)
		}
		for t := range b {
			b[t] += unplannedKW[f.ID]
		}
		for _, ev := range unsteered {
			if ev.Feeder == f.ID {
				for t, v := range unmanagedKW(ev, T, o.Slot.Hours()) {
					b[t] += v
				}
			}
		}
		limit := f.LimitKW
		if limit <= 0 {
			limit = f.ImportLimitKW
		}
		if limit <= 0 {
			// No known limit (a feeder only named by an OCPP central
			// system): a limit no load reaches, not 0 kW, which would
			// curtail every charger on it and discharge its V2G EVs.
			limit = noLimitKW
		}
		df := dispatch.Feeder{
			ID:              f.ID,
			BaseKW:          b,
			ImportLimitKW:   dispatch.Constant(limit),
			OverloadPenalty: o.OverloadPenalty,
		}
		if f.ExportLimitKW != nil {
			s := dispatch.Constant(*f.ExportLimitKW)
			df.ExportLimitKW = &s
		}
		prob.Feeders = append(prob.Feeders, df)
	}
	if snap.System.ImportLimitKW > 0 {
		s := dispatch.Constant(snap.System.ImportLimitKW)
		prob.System = &dispatch.System{ImportLimitKW: &s, OverloadPenalty: o.OverloadPenalty}
	}
	p.Problem = prob
	p.Baseline = unmanaged(prob)
	if o.ScopeOnly && event != nil && event.Scope != feeds.ScopeSystem {
		p.keepScope(event.Scope)
	}
	if event != nil && !o.WithoutEvent {
		if err := p.applyEvent(event, o); err != nil {
			return nil, err
		}
	}
	if err := prob.Validate(); err != nil {
		return nil, fmt.Errorf("plan: built an invalid problem: %w", err)
	}
	return p, nil
}

// ev maps one plugged charger to an EV of the model. Feeds report a
// charger when it changes, so its state of charge may be minutes old: the
// energy is carried forward from the report to now at the reported power.
func (o Options) ev(c feeds.ChargerStatus, start, now time.Time, T int) dispatch.EV {
	battery := o.DefaultBatteryKWh
	if c.Last.BatteryKWh != nil && *c.Last.BatteryKWh > 0 {
		battery = *c.Last.BatteryKWh
	}
	target := o.DefaultTargetSoC
	if c.Last.TargetSoC != nil {
		target = *c.Last.TargetSoC
	}
	dep := c.Last.TS.Add(o.DefaultStay)
	if c.Last.Departure != nil {
		dep = *c.Last.Departure
	}
	d := int(dep.Sub(start) / o.Slot)
	d = max(1, min(d, T))
	e0 := clamp(*c.Last.SoC, 0, 1) * battery
	if h := now.Sub(c.Last.TS).Hours(); h > 0 && c.Last.KW != 0 {
		if c.Last.KW > 0 {
			e0 += c.Last.KW * o.ChargeEfficiency * h
		} else {
			e0 += c.Last.KW / o.DischargeEfficiency * h
		}
		e0 = clamp(e0, 0, battery)
	}
	return dispatch.EV{
		ID:                  c.ID,
		Feeder:              c.Feeder,
		Arrive:              0,
		Depart:              d,
		EnergyKWh:           e0,
		CapacityKWh:         battery,
		MinKWh:              math.Min(o.MinSoC*battery, e0),
		TargetKWh:           clamp(target, 0, 1) * battery,
		MaxChargeKW:         math.Max(0, c.MaxChargeKW),
		MaxDischargeKW:      math.Max(0, c.MaxDischargeKW),
		ChargeEfficiency:    o.ChargeEfficiency,
		DischargeEfficiency: o.DischargeEfficiency,
	}
}

// spare is how much longer than it needs at full power the EV stays: its
// time to departure minus the time to reach its target charging at full
// power (negative when it cannot make it).
func (o Options) spare(ev dispatch.EV, c feeds.ChargerStatus, now time.Time) time.Duration {
	dep := c.Last.TS.Add(o.DefaultStay)
	if c.Last.Departure != nil {
		dep = *c.Last.Departure
	}
	need := ev.TargetKWh - ev.EnergyKWh
	if need <= 0 {
		return dep.Sub(now)
	}
	rate := ev.MaxChargeKW * ev.ChargeEfficiency
	if rate <= 0 {
		return -dep.Sub(now)
	}
	return dep.Sub(now) - time.Duration(need/rate*float64(time.Hour))
}

// applyEvent turns the event into caps or price overrides.
func (p *Plan) applyEvent(ev *feeds.EventFrame, o Options) error {
	prob := p.Problem
	from, to := p.slotRange(ev.Start, ev.End)
	if from >= to {
		return &EventError{Event: ev.ID, Problem: EventNoSlot, Start: ev.Start, End: ev.End}
	}
	var baseline []float64
	switch ev.Scope {
	case feeds.ScopeSystem:
		baseline = p.Baseline.System
	default:
		b, ok := p.Baseline.Feeders[ev.Scope]
		if !ok {
			return &EventError{Event: ev.ID, Problem: EventUnknownScope, Scope: ev.Scope}
		}
		baseline = b
	}
	if math.IsNaN(ev.KW) || math.IsInf(ev.KW, 0) {
		return &EventError{Event: ev.ID, Problem: EventKWNotFinite, KW: ev.KW}
	}
	switch ev.Kind {
	case feeds.EventImportCap:
		prob.Caps = append(prob.Caps, dispatch.Cap{ID: ev.ID, Scope: ev.Scope, Start: from, End: to, MaxKW: ev.KW, Penalty: o.CapPenalty})
	case feeds.EventExport:
		if ev.KW < 0 {
			return &EventError{Event: ev.ID, Problem: EventNegativeKW, Kind: ev.Kind, KW: ev.KW}
		}
		prob.Caps = append(prob.Caps, dispatch.Cap{ID: ev.ID, Scope: ev.Scope, Start: from, End: to, MaxKW: -ev.KW, Penalty: o.CapPenalty})
	case feeds.EventShed:
		if ev.KW < 0 {
			return &EventError{Event: ev.ID, Problem: EventNegativeKW, Kind: ev.Kind, KW: ev.KW}
		}
		// Shed is relative to what the scope would draw unmanaged, slot by
		// slot, so it becomes one cap per slot.
		for t := from; t < to; t++ {
			prob.Caps = append(prob.Caps, dispatch.Cap{
				ID: fmt.Sprintf("%s@%d", ev.ID, t), Scope: ev.Scope, Start: t, End: t + 1,
				MaxKW: baseline[t] - ev.KW, Penalty: o.CapPenalty,
			})
		}
	case feeds.EventPrice:
		if ev.Price == nil {
			return &EventError{Event: ev.ID, Problem: EventNoPrice, Kind: ev.Kind}
		}
		for t := from; t < to; t++ {
			prob.Price[t] = *ev.Price
		}
	default:
		return &EventError{Event: ev.ID, Problem: EventUnknownKind, Kind: ev.Kind}
	}
	return nil
}

// keepScope drops the EVs that are not on feeder scope from the problem,
// adding their unmanaged load to their feeder's base load, so the plan
// steers only the scope and assumes the rest charges as it would anyway.
func (p *Plan) keepScope(scope string) {
	prob := p.Problem
	dt := prob.Hours()
	base := make(map[string][]float64, len(prob.Feeders))
	for i := range prob.Feeders {
		base[prob.Feeders[i].ID] = prob.Feeders[i].BaseKW
	}
	evs, chargers := prob.EVs[:0], p.Chargers[:0]
	for i, ev := range prob.EVs {
		if ev.Feeder == scope {
			evs = append(evs, ev)
			chargers = append(chargers, p.Chargers[i])
			continue
		}
		b := base[ev.Feeder]
		for t, v := range unmanagedKW(ev, prob.Slots, dt) {
			b[t] += v
		}
	}
	prob.EVs, p.Chargers = evs, chargers
}

// slotRange returns the slots [from, to) of the window [a, b): every slot
// it overlaps, except one that starts before the window does (by more than
// a minute: a plan starts on the minute): a cap is never in force before
// its start. A plan made at 17:54 for a cap from 18:00 would otherwise cap
// slot 0 (17:54-18:09) and steer chargers six minutes early; the
// controller re-plans at 18:00, on the quarter hour, with the cap in force
// from its slot 0. At the end any overlap counts: the cap holds to the end
// of its window.
func (p *Plan) slotRange(a, b time.Time) (from, to int) {
	T := p.Problem.Slots
	from = int(math.Ceil(float64(a.Sub(p.Start)-time.Minute) / float64(p.Slot)))
	to = int(math.Ceil(float64(b.Sub(p.Start)) / float64(p.Slot)))
	return max(0, from), min(T, to)
}

// SlotStart returns the start time of slot t.
func (p *Plan) SlotStart(t int) time.Time { return p.Start.Add(time.Duration(t) * p.Slot) }

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// noLimitKW stands for "no import limit" in a Problem, whose feeders must
// have one: the largest value the model accepts, far above any load.
const noLimitKW = 1e9
