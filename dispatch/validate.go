package dispatch

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrInvalid is wrapped by every error that reports a malformed Problem, so
// callers can tell bad input (exit code, HTTP 400) from a failed solve.
var ErrInvalid = errors.New("invalid problem")

// Validate checks every field of p and reports all problems at once, each
// naming the field. The returned error wraps ErrInvalid.
func (p *Problem) Validate() error {
	v := &validator{}
	p.validate(v)
	if len(v.errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrInvalid, errors.Join(v.errs...))
}

type validator struct{ errs []error }

func (v *validator) addf(format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf(format, args...))
}

// maxMagnitude bounds every number of a Problem: far beyond any real kW,
// kWh or price, and small enough that sums over a fleet stay exact enough
// for the solver's tolerances.
const maxMagnitude = 1e9

// maxBlockBytes bounds the memory of the per-feeder dense blocks (8 x
// feeders x slots^2 bytes): 2 GB is 2,000 feeders of a day in 15-minute
// slots, or 120 feeders of a day in 1-minute slots.
const maxBlockBytes = 2e9

// valid reports whether number would accept x.
func valid(x float64, nonneg bool) bool {
	return !math.IsNaN(x) && math.Abs(x) <= maxMagnitude && (!nonneg || x >= 0)
}

// field is number for field of the element that name names: the name is
// built only for a bad number (a fleet's worth of names is most of the
// time it would take to validate a valid problem otherwise).
func (v *validator) field(name func() string, field string, x float64, nonneg bool) {
	if !valid(x, nonneg) {
		v.number(name()+": "+field, x, nonneg)
	}
}

// number reports a non-finite or negative (when nonneg) number.
func (v *validator) number(name string, x float64, nonneg bool) {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		v.addf("%s: %v is not a finite number", name, x)
	case math.Abs(x) > maxMagnitude:
		v.addf("%s: %v is beyond the supported magnitude %g", name, x, maxMagnitude)
	case nonneg && x < 0:
		v.addf("%s: %v is negative", name, x)
	}
}

func (v *validator) array(name string, xs []float64, slots int, nonneg bool) {
	if len(xs) != slots {
		v.addf("%s: has %d values, want one per slot (%d)", name, len(xs), slots)
		return
	}
	for t, x := range xs {
		if !valid(x, nonneg) {
			v.number(fmt.Sprintf("%s[%d]", name, t), x, nonneg)
		}
	}
}

func (v *validator) series(name string, s Series, slots int) {
	if s.Values != nil {
		v.array(name, s.Values, slots, true)
		return
	}
	v.number(name, s.Const, true)
}

func (p *Problem) validate(v *validator) {
	switch {
	case p.SlotMinutes <= 0:
		v.addf("slot_minutes: %d is not positive", p.SlotMinutes)
	case p.SlotMinutes > 24*60:
		v.addf("slot_minutes: %d is more than a day", p.SlotMinutes)
	}
	if p.Slots <= 0 {
		v.addf("slots: %d is not positive", p.Slots)
	}
	// Each feeder's block of the Newton systems is slots x slots: a
	// problem must not ask for more memory than a desk has.
	if need := float64(len(p.Feeders)) * float64(p.Slots) * float64(p.Slots) * 8; need > maxBlockBytes {
		v.addf("slots: %d slots x %d feeders need %.1f GB for the feeders' blocks (8 x feeders x slots^2 bytes), more than the %.0f GB allowed: use fewer, longer slots",
			p.Slots, len(p.Feeders), need/1e9, maxBlockBytes/1e9)
	}
	if p.Start != "" {
		// Go's own message names its layout ("as \"2006-01-02T15:04:05Z07:00\":
		// cannot parse ... as \"2006\""), which reads as a wrong year.
		if _, err := time.Parse(time.RFC3339, p.Start); err != nil {
			v.addf("start: %q is not an RFC 3339 time: want a date, a time and an offset, e.g. 2024-02-04T18:00:00+08:00 or 2024-02-04T10:00:00Z", p.Start)
		}
	}
	v.array("price", p.Price, p.Slots, false)
	v.number("degradation_cost", p.DegradationCost, true)
	v.number("unmet_penalty", p.UnmetPenalty, true)

	if len(p.Feeders) == 0 {
		v.addf("feeders: at least one feeder is needed")
	}
	feeders := make(map[string]bool, len(p.Feeders))
	for i, f := range p.Feeders {
		name := fmt.Sprintf("feeders[%d] %q", i, f.ID)
		switch {
		case f.ID == "":
			v.addf("feeders[%d]: id is empty", i)
		case f.ID == ScopeSystem:
			v.addf("%s: id %q is reserved for the system cap scope", name, f.ID)
		case feeders[f.ID]:
			v.addf("%s: duplicate id", name)
		}
		feeders[f.ID] = true
		v.array(name+": base_kw", f.BaseKW, p.Slots, false)
		v.series(name+": import_limit_kw", f.ImportLimitKW, p.Slots)
		if f.ExportLimitKW != nil {
			v.series(name+": export_limit_kw", *f.ExportLimitKW, p.Slots)
		}
		v.number(name+": overload_penalty", f.OverloadPenalty, true)
	}
	if s := p.System; s != nil {
		if s.ImportLimitKW != nil {
			v.series("system: import_limit_kw", *s.ImportLimitKW, p.Slots)
		}
		v.number("system: overload_penalty", s.OverloadPenalty, true)
	}

	caps := make(map[string]bool, len(p.Caps))
	for i, c := range p.Caps {
		name := fmt.Sprintf("caps[%d] %q", i, c.ID)
		switch {
		case c.ID == "":
			v.addf("caps[%d]: id is empty", i)
		case caps[c.ID]:
			v.addf("%s: duplicate id", name)
		}
		caps[c.ID] = true
		if c.Scope != ScopeSystem && !feeders[c.Scope] {
			v.addf("%s: scope %q is neither %q nor a feeder id", name, c.Scope, ScopeSystem)
		}
		if c.Start < 0 || c.End > p.Slots || c.Start >= c.End {
			v.addf("%s: window start %d, end %d is not within 0 <= start < end <= slots (%d)", name, c.Start, c.End, p.Slots)
		}
		v.number(name+": max_kw", c.MaxKW, false)
		v.number(name+": penalty", c.Penalty, true)
	}

	evs := make(map[string]bool, len(p.EVs))
	for i := range p.EVs {
		e := &p.EVs[i]
		name := func() string { return fmt.Sprintf("evs[%d] %q", i, e.ID) }
		switch {
		case e.ID == "":
			v.addf("evs[%d]: id is empty", i)
		case evs[e.ID]:
			v.addf("%s: duplicate id", name())
		}
		evs[e.ID] = true
		if !feeders[e.Feeder] {
			v.addf("%s: feeder %q is not a feeder id", name(), e.Feeder)
		}
		if e.Arrive < 0 || e.Arrive >= p.Slots {
			v.addf("%s: arrive %d is outside the horizon 0..%d", name(), e.Arrive, p.Slots-1)
		}
		if e.Depart <= e.Arrive {
			v.addf("%s: depart %d <= arrive %d", name(), e.Depart, e.Arrive)
		}
		if e.Depart > p.Slots {
			v.addf("%s: depart %d is after the horizon end %d", name(), e.Depart, p.Slots)
		}
		v.field(name, "capacity_kwh", e.CapacityKWh, true)
		v.field(name, "min_kwh", e.MinKWh, true)
		v.field(name, "energy_kwh", e.EnergyKWh, true)
		v.field(name, "target_kwh", e.TargetKWh, true)
		v.field(name, "max_charge_kw", e.MaxChargeKW, true)
		v.field(name, "max_discharge_kw", e.MaxDischargeKW, true)
		// An SoC range of zero width leaves the interior point method no
		// interior, and no real battery has one.
		if e.MinKWh >= e.CapacityKWh {
			v.addf("%s: min_kwh %v >= capacity_kwh %v", name(), e.MinKWh, e.CapacityKWh)
		}
		if e.EnergyKWh < e.MinKWh || e.EnergyKWh > e.CapacityKWh {
			v.addf("%s: energy_kwh %v is outside min_kwh %v .. capacity_kwh %v", name(), e.EnergyKWh, e.MinKWh, e.CapacityKWh)
		}
		if e.TargetKWh > e.CapacityKWh {
			v.addf("%s: target_kwh %v > capacity_kwh %v", name(), e.TargetKWh, e.CapacityKWh)
		}
		if !(e.ChargeEfficiency > 0 && e.ChargeEfficiency <= 1) {
			v.addf("%s: charge_efficiency %v is not in (0,1]", name(), e.ChargeEfficiency)
		}
		if !(e.DischargeEfficiency > 0 && e.DischargeEfficiency <= 1) {
			v.addf("%s: discharge_efficiency %v is not in (0,1]", name(), e.DischargeEfficiency)
		}
		if e.MaxDischargeKWh != nil {
			v.field(name, "max_discharge_kwh", *e.MaxDischargeKWh, true)
		}
	}
}
