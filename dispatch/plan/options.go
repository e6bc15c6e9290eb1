package plan

import "time"

// Options are the planner's settings. The zero value of a field means its
// default, listed in docs/dispatch.md ("Planner").
type Options struct {
	// Slot is the length of one slot (default 15 min).
	Slot time.Duration
	// Horizon is the longest the plan looks ahead (default 12 h, at most
	// MaxHorizon). The plan always reaches the end of the event when that
	// is nearer; an event ending more than MaxHorizon ahead is refused.
	Horizon time.Duration
	// Tariff prices energy by time of use (default ChinaTOU).
	Tariff *Tariff
	// DefaultTargetSoC is used when a charger does not report target_soc
	// (default 0.8).
	DefaultTargetSoC float64
	// DefaultStay is how long an EV is assumed to stay when its charger does
	// not report a departure (default 4 h: short enough that the plan does
	// not count on flexibility it may not have).
	DefaultStay time.Duration
	// DefaultBatteryKWh is used when a charger does not report battery_kwh
	// (default 60 kWh).
	DefaultBatteryKWh float64
	// MinSoC is the floor V2G may discharge an EV to (default 0.2).
	MinSoC float64
	// ChargeEfficiency and DischargeEfficiency default to 0.95.
	ChargeEfficiency, DischargeEfficiency float64
	// DegradationCost is δ per kWh discharged (default 0.03).
	DegradationCost float64
	// UnmetPenalty is ρ per kWh short of target at departure (default 1.5).
	UnmetPenalty float64
	// OverloadPenalty prices feeder and system limit slack per kWh (default 5).
	OverloadPenalty float64
	// CapPenalty prices DR cap shortfall per kWh (default 10). It is above
	// OverloadPenalty so that a cap the operator accepted is met first.
	CapPenalty float64
	// Grace is added to a setpoint's validity beyond the end of its slot, so
	// that a re-plan a little late does not let chargers fall back to
	// unmanaged charging between slots (default 5 min).
	Grace time.Duration
	// ScopeOnly, for an event scoped to one feeder, plans only the EVs on
	// that feeder: EVs elsewhere keep charging unmanaged (their unmanaged
	// load joins their feeder's base load) and get no setpoint. Two events
	// on different feeders then never steer the same charger.
	ScopeOnly bool
	// FromNow starts slot 0 at the snapshot's time (to the minute) instead
	// of at the start of the slot it falls in, so a plan made mid-slot
	// never counts on the part of the slot already gone. A receding-horizon
	// controller re-planning every slot length wants it; prices are then
	// read at each slot's start.
	FromNow bool
	// WithoutEvent builds the plan of the event's scope as if the event
	// were not there (its caps and prices left out): the reference a
	// preview measures what the event itself changes against.
	WithoutEvent bool
	// Soonest prices every slot by its place in the horizon instead of by
	// the tariff (earlier is cheaper, by 0.001 per kWh per slot), so the
	// plan charges every EV as early as the limits allow: unmanaged
	// charging, held under the limits. The hand-back after a DR window
	// wants it; costs in its preview are in those units, not money.
	Soonest bool
	// MinSpare, when positive, leaves an EV unmanaged (no setpoint, its
	// unmanaged load in the base) when its spare time, the time to
	// departure minus the time to its target at full power, is under it.
	// Such an EV has nothing to shift, and a setpoint that holds it back
	// for a slot could cost it its target.
	MinSpare time.Duration
	// V2GMinSpare, when positive, lets only EVs with at least this much
	// spare time discharge.
	V2GMinSpare time.Duration
}

// MaxHorizon is the furthest a plan looks ahead. A DR event lasts hours;
// one that ends days away is a mistyped date, and planning to it would
// take memory quadratic in its length.
const MaxHorizon = 48 * time.Hour

func (o Options) withDefaults() Options {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	if o.Slot == 0 {
		o.Slot = 15 * time.Minute
	}
	if o.Horizon == 0 {
		o.Horizon = 12 * time.Hour
	}
	if o.Tariff == nil {
		t := ChinaTOU()
		o.Tariff = &t
	}
	if o.DefaultStay == 0 {
		o.DefaultStay = 4 * time.Hour
	}
	if o.Grace == 0 {
		o.Grace = 5 * time.Minute
	}
	def(&o.DefaultTargetSoC, 0.8)
	def(&o.DefaultBatteryKWh, 60)
	def(&o.MinSoC, 0.2)
	def(&o.ChargeEfficiency, 0.95)
	def(&o.DischargeEfficiency, 0.95)
	def(&o.DegradationCost, 0.03)
	def(&o.UnmetPenalty, 1.5)
	def(&o.OverloadPenalty, 5)
	def(&o.CapPenalty, 10)
	return o
}
