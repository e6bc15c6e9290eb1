package plan

import (
	"fmt"
	"math"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// shortKWh is the unmet energy below which an EV is not counted as short:
// solver rounding (a few minutes of charging at most), not a missed target.
const shortKWh = 0.1

// noticeableKW is the least change of an EV's power the preview counts: an
// interior point solution can leave hundredths of a kW where EVs tie, and
// counting any discharge at all made a preview read "16 discharging" beside
// a V2G export that rounded to 0 kWh.
const noticeableKW = 0.1

// Preview is what a dispatcher reads before confirming a dispatch: what the
// plan changes, what it costs and how sure the optimiser is.
type Preview struct {
	Event *feeds.EventFrame
	// Before is the unmanaged load (every EV charging at full power until
	// at its target or gone); After is the planned load. Both per slot from Start.
	Start         time.Time
	Slot          time.Duration
	Before, After Loads
	// EVs is the number of EVs planned for; Affected those whose power in
	// the current slot differs from unmanaged charging by more than
	// noticeableKW; Discharging those told to discharge more than that in
	// the current slot.
	EVs, Affected, Discharging int
	// ShiftedKWh is the energy moved out of the slots where it would have
	// been drawn unmanaged; ExportKWh the energy discharged to the grid.
	ShiftedKWh, ExportKWh float64
	// UnmetKWh is the energy short of targets at departure, over all EVs;
	// Short counts EVs short by more than shortKWh, and AvoidableShort those
	// of them that would have reached their target charging unmanaged.
	UnmetKWh              float64
	Short, AvoidableShort int
	// Cost is the plan's energy and wear cost; CostDelta its difference to
	// unmanaged charging at the same prices (negative: the plan saves).
	Cost, CostDelta float64
	// FeederDeltaKW is each feeder's load change in the current slot
	// (after − before); SystemDeltaKW the system's.
	FeederDeltaKW map[string]float64
	SystemDeltaKW float64
	// CapShortfallKWh is the energy by which caps are missed over the plan;
	// CapMissed says whether that is more than the solver's tolerance.
	CapShortfallKWh float64
	// Reference is the plan of the same scope without the event (time-of-
	// use prices and limits only), when one was made: what the event
	// itself changes, apart from what the prices move anyway. Nil when
	// there is none.
	Reference *Reference
	Status    dispatch.Status
	Gap       float64
	SolveTime time.Duration
	Setpoints []Setpoint
}

// Preview summarises res, the solution of p.Problem.
func (p *Plan) Preview(res *dispatch.Result, opts Options) (*Preview, error) {
	prob := p.Problem
	if len(res.EVs) != len(prob.EVs) || len(res.Feeders) != len(prob.Feeders) {
		return nil, fmt.Errorf("plan: result has %d EVs and %d feeders, problem %d and %d",
			len(res.EVs), len(res.Feeders), len(prob.EVs), len(prob.Feeders))
	}
	dt := prob.Hours()
	T := prob.Slots
	pv := &Preview{
		Event: p.Event, Start: p.Start, Slot: p.Slot,
		Before:        p.Baseline,
		After:         Loads{Feeders: make(map[string][]float64, len(res.Feeders)), System: res.SystemKW},
		EVs:           len(prob.EVs),
		FeederDeltaKW: make(map[string]float64, len(res.Feeders)),
		Status:        res.Status,
		Gap:           res.Gap,
		SolveTime:     time.Duration(res.SolveSeconds * float64(time.Second)),
	}
	for _, f := range res.Feeders {
		pv.After.Feeders[f.ID] = f.KW
		if before, ok := p.Baseline.Feeders[f.ID]; ok && T > 0 {
			pv.FeederDeltaKW[f.ID] = f.KW[0] - before[0]
		}
	}
	if T > 0 {
		pv.SystemDeltaKW = res.SystemKW[0] - p.Baseline.System[0]
	}
	// Prices in money: the tariff when the problem's prices rank slots
	// (Options.Soonest), else the problem's own.
	price := prob.Price
	if p.Tariff != nil {
		price = p.Tariff
	}
	var baseCost, energyCost float64
	changes := make([]bool, len(prob.EVs))
	for i, ev := range prob.EVs {
		r := res.EVs[i]
		un := unmanagedKW(ev, T, dt)
		if T > 0 && math.Abs(r.KW[0]-un[0]) > noticeableKW {
			pv.Affected++
			changes[i] = true
		}
		if T > 0 && r.KW[0] < -noticeableKW {
			pv.Discharging++
		}
		for t := 0; t < T; t++ {
			if d := un[t] - r.KW[t]; d > 0 {
				pv.ShiftedKWh += d * dt
			}
			pv.ExportKWh += r.DischargeKW[t] * dt
			baseCost += price[t] * un[t] * dt
			energyCost += price[t] * r.KW[t] * dt
		}
		pv.UnmetKWh += r.UnmetKWh
		if r.UnmetKWh > shortKWh {
			pv.Short++
			if unmanagedReaches(ev, un, dt) {
				pv.AvoidableShort++
			}
		}
	}
	pv.Cost = res.Costs.Energy + res.Costs.Degradation
	if p.Tariff != nil {
		pv.Cost = energyCost + res.Costs.Degradation
	}
	pv.CostDelta = pv.Cost - baseCost
	for _, c := range res.Caps {
		for _, s := range c.SlackKW {
			pv.CapShortfallKWh += s * dt
		}
	}
	sps, err := p.Setpoints(scheduleOf(res), opts)
	if err != nil {
		return nil, err
	}
	for i := range sps {
		// One setpoint per EV, in the problem's order.
		sps[i].Changes = changes[i]
	}
	pv.Setpoints = sps
	return pv, nil
}

// unmanagedReaches reports whether unmanaged charging (kw per slot) brings
// the EV to its target by departure.
func unmanagedReaches(ev dispatch.EV, kw []float64, dt float64) bool {
	e := ev.EnergyKWh
	for _, v := range kw {
		e += v * ev.ChargeEfficiency * dt
	}
	return e+shortKWh >= ev.TargetKWh
}

// scheduleOf returns the signed kW per EV per slot of a result.
func scheduleOf(res *dispatch.Result) [][]float64 {
	s := make([][]float64, len(res.EVs))
	for i, r := range res.EVs {
		s[i] = r.KW
	}
	return s
}

// ScopeCurves returns the before and after curves of the event's scope (the
// system when there is no event).
func (pv *Preview) ScopeCurves() (before, after []float64) {
	scope := pv.scope()
	return pv.Before.Of(scope), pv.After.Of(scope)
}

// scope is the event's scope, the system when there is no event.
func (pv *Preview) scope() string {
	if pv.Event == nil {
		return feeds.ScopeSystem
	}
	return pv.Event.Scope
}

// Reference is a plan without the event, for comparison.
type Reference struct {
	After Loads   // its load per slot, per feeder and for the system
	Cost  float64 // its energy and wear cost
}

// EventNowKW is what the event itself changes in the scope's load in the
// current slot: the plan against the plan without it (NaN without a
// reference).
func (pv *Preview) EventNowKW() float64 {
	if pv.Reference == nil {
		return math.NaN()
	}
	_, after := pv.ScopeCurves()
	ref := pv.Reference.After.Of(pv.scope())
	if len(after) == 0 || len(ref) == 0 {
		return math.NaN()
	}
	return after[0] - ref[0]
}

// PlainNowKW is what a plan without the event (prices and limits only)
// would change in the scope's load in the current slot against unmanaged
// charging (NaN without a reference): the part of the preview's change
// that is not the event's. Both parts are whole kW, and they add up to the
// change rounded to whole kW, as the screens show them.
func (pv *Preview) PlainNowKW() float64 {
	e := pv.EventNowKW()
	if math.IsNaN(e) {
		return e
	}
	before, after := pv.ScopeCurves()
	return math.Round(after[0]-before[0]) - math.Round(e)
}

// EventCost is what the event itself costs: the plan's cost less the
// plan's without it (NaN without a reference).
func (pv *Preview) EventCost() float64 {
	if pv.Reference == nil {
		return math.NaN()
	}
	return pv.Cost - pv.Reference.Cost
}

// capMetKWh is the cap shortfall a plan may have and still count as
// meeting its caps: the solver's tolerance, not a real miss.
const capMetKWh = 0.05

// CapMissed reports whether the plan misses its caps by more than the
// solver's tolerance: what the preview screens warn of and what triage
// raises a suggested cap over.
func (pv *Preview) CapMissed() bool { return pv.CapShortfallKWh > capMetKWh }
