package dispatch

import (
	"encoding/json"
	"fmt"
)

// given records whether a JSON key was present with a value other than
// null. The json package leaves a missing or null number at 0, and a 0
// unmet penalty, target or overload penalty is a valid value that changes
// the plan (nobody charges, a limit costs nothing to break): a forgotten
// field must be an error, not a silent zero.
type given bool

// UnmarshalJSON is called for every present key, null included.
func (g *given) UnmarshalJSON(b []byte) error {
	*g = given(string(b) != "null")
	return nil
}

// problemGiven mirrors the required fields of a Problem (docs/dispatch.md,
// "Problem JSON": every field not marked optional).
type problemGiven struct {
	SlotMinutes     given          `json:"slot_minutes"`
	Slots           given          `json:"slots"`
	Price           []given        `json:"price"`
	DegradationCost given          `json:"degradation_cost"`
	UnmetPenalty    given          `json:"unmet_penalty"`
	Feeders         []*feederGiven `json:"feeders"`
	System          *systemGiven   `json:"system"`
	Caps            []*capGiven    `json:"caps"`
	EVs             []*evGiven     `json:"evs"`
}

type feederGiven struct {
	ID              given   `json:"id"`
	BaseKW          []given `json:"base_kw"`
	OverloadPenalty given   `json:"overload_penalty"`
}

type systemGiven struct {
	ImportLimitKW   given `json:"import_limit_kw"`
	OverloadPenalty given `json:"overload_penalty"`
}

type capGiven struct {
	ID      given `json:"id"`
	Scope   given `json:"scope"`
	Start   given `json:"start"`
	End     given `json:"end"`
	MaxKW   given `json:"max_kw"`
	Penalty given `json:"penalty"`
}

type evGiven struct {
	ID                  given `json:"id"`
	Feeder              given `json:"feeder"`
	Arrive              given `json:"arrive"`
	Depart              given `json:"depart"`
	EnergyKWh           given `json:"energy_kwh"`
	CapacityKWh         given `json:"capacity_kwh"`
	MinKWh              given `json:"min_kwh"`
	TargetKWh           given `json:"target_kwh"`
	MaxChargeKW         given `json:"max_charge_kw"`
	MaxDischargeKW      given `json:"max_discharge_kw"`
	ChargeEfficiency    given `json:"charge_efficiency"`
	DischargeEfficiency given `json:"discharge_efficiency"`
}

// need is one required field: its JSON name, whether it was given, and
// what it should hold.
type need struct {
	name  string
	given given
	want  string
}

// missingFields adds an error to v for every required field of the
// Problem in data that is absent or null, naming it by its path (and the
// element's id, as Validate does). data has already decoded as a Problem,
// so its shape is right; p is that Problem, for the ids.
func (v *validator) missingFields(data []byte, p *Problem) error {
	// A missing or null array decodes as nil, an empty one as non-nil.
	// Slices of the decoded Problem's sizes: a fleet's EVs appended one
	// at a time were copied over and over as the slice grew.
	var in problemGiven
	if len(p.EVs) > 0 {
		in.EVs = make([]*evGiven, 0, len(p.EVs))
	}
	if len(p.Feeders) > 0 {
		in.Feeders = make([]*feederGiven, 0, len(p.Feeders))
	}
	if len(p.Caps) > 0 {
		in.Caps = make([]*capGiven, 0, len(p.Caps))
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("check the required fields: %w", err)
	}
	const number, integer, array = "a number", "an integer", "an array"
	v.need(func() string { return "" }, []need{
		{"slot_minutes", in.SlotMinutes, integer},
		{"slots", in.Slots, integer},
		{"price", in.Price != nil, "an array with one number per slot"},
		{"degradation_cost", in.DegradationCost, number},
		{"unmet_penalty", in.UnmetPenalty, number},
		{"feeders", in.Feeders != nil, array + " of feeders"},
		{"evs", in.EVs != nil, array + " of EVs ([] for none)"},
	})
	v.nulls(func() string { return "price" }, in.Price)
	for i, f := range in.Feeders {
		if f == nil {
			v.addf("feeders[%d]: null, want a feeder object", i)
			continue
		}
		name := func() string { return fmt.Sprintf("feeders[%d] %q: ", i, p.Feeders[i].ID) }
		v.need(name, []need{
			{"id", f.ID, "a string"},
			{"base_kw", f.BaseKW != nil, "an array with one number per slot"},
			{"overload_penalty", f.OverloadPenalty, number},
		})
		v.nulls(func() string { return name() + "base_kw" }, f.BaseKW)
	}
	// A system without an import limit needs no penalty; a limit without
	// one would cost nothing to break.
	if s := in.System; s != nil && s.ImportLimitKW {
		v.need(func() string { return "system: " }, []need{{"overload_penalty", s.OverloadPenalty, number + " (the system has an import_limit_kw)"}})
	}
	for j, c := range in.Caps {
		if c == nil {
			v.addf("caps[%d]: null, want a cap object", j)
			continue
		}
		v.need(func() string { return fmt.Sprintf("caps[%d] %q: ", j, p.Caps[j].ID) }, []need{
			{"id", c.ID, "a string"},
			{"scope", c.Scope, `"system" or a feeder id`},
			{"start", c.Start, integer},
			{"end", c.End, integer},
			{"max_kw", c.MaxKW, number},
			{"penalty", c.Penalty, number},
		})
	}
	for i, e := range in.EVs {
		if e == nil {
			v.addf("evs[%d]: null, want an EV object", i)
			continue
		}
		v.need(func() string { return fmt.Sprintf("evs[%d] %q: ", i, p.EVs[i].ID) }, []need{
			{"id", e.ID, "a string"},
			{"feeder", e.Feeder, "a feeder id"},
			{"arrive", e.Arrive, integer},
			{"depart", e.Depart, integer},
			{"energy_kwh", e.EnergyKWh, number},
			{"capacity_kwh", e.CapacityKWh, number},
			{"min_kwh", e.MinKWh, number},
			{"target_kwh", e.TargetKWh, number},
			{"max_charge_kw", e.MaxChargeKW, number},
			{"max_discharge_kw", e.MaxDischargeKW, number + " (0: not bidirectional)"},
			{"charge_efficiency", e.ChargeEfficiency, number + " in (0, 1]"},
			{"discharge_efficiency", e.DischargeEfficiency, number + " in (0, 1]"},
		})
	}
	return nil
}

// need reports each field of fields that was not given, prefixed by the
// name of the element it belongs to. The name is made only for a missing
// field: a fleet's worth of names would be most of the check's time.
func (v *validator) need(name func() string, fields []need) {
	for _, f := range fields {
		if !f.given {
			v.addf("%s%s: missing or null, want %s", name(), f.name, f.want)
		}
	}
}

// nulls reports each null element of the array name: the json package
// reads a null in a []float64 as 0, a free slot in a price series.
func (v *validator) nulls(name func() string, elems []given) {
	for t, g := range elems {
		if !g {
			v.addf("%s[%d]: null, want a number", name(), t)
		}
	}
}
