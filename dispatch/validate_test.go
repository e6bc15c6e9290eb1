package dispatch

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

func validProblem() *Problem {
	wear := 5.0
	exp := Constant(10)
	sys := Constant(100)
	return &Problem{
		SlotMinutes: 60, Slots: 4, Start: "2024-02-04T00:00:00+08:00",
		Price: []float64{0.3, 0.6, 1.0, 0.3}, DegradationCost: 0.03, UnmetPenalty: 1.5,
		Feeders: []Feeder{{ID: "F01", BaseKW: []float64{5, 6, 7, 5}, ImportLimitKW: Constant(30),
			ExportLimitKW: &exp, OverloadPenalty: 5}},
		System: &System{ImportLimitKW: &sys, OverloadPenalty: 6},
		Caps:   []Cap{{ID: "DR-1", Scope: "F01", Start: 1, End: 3, MaxKW: 10, Penalty: 3}},
		EVs: []EV{{ID: "EV1", Feeder: "F01", Arrive: 0, Depart: 4, EnergyKWh: 20, CapacityKWh: 60,
			MinKWh: 10, TargetKWh: 50, MaxChargeKW: 11, MaxDischargeKW: 7,
			ChargeEfficiency: 0.95, DischargeEfficiency: 0.95, MaxDischargeKWh: &wear}},
	}
}

func TestValidateAcceptsValid(t *testing.T) {
	if err := validProblem().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateRejects(t *testing.T) {
	neg := -1.0
	tests := []struct {
		name string
		edit func(p *Problem)
		want string
	}{
		{"slot minutes", func(p *Problem) { p.SlotMinutes = 0 }, "slot_minutes: 0"},
		{"slots", func(p *Problem) { p.Slots = 0 }, "slots: 0"},
		// Printed as a slot length and overflowed the horizon before.
		{"slot minutes huge", func(p *Problem) { p.SlotMinutes = math.MaxInt64 }, "slot_minutes: 9223372036854775807 is more than a day"},
		// 20,000 slots on one feeder: 3.2 GB of dense block.
		{"slots beyond memory", func(p *Problem) { p.Slots = 20000 }, "slots: 20000 slots x 1 feeders need 3.2 GB"},
		{"start", func(p *Problem) { p.Start = "yesterday" }, `start: "yesterday"`},
		{"price length", func(p *Problem) { p.Price = p.Price[:3] }, "price: has 3 values, want one per slot (4)"},
		{"price NaN", func(p *Problem) { p.Price[2] = math.NaN() }, "price[2]: NaN is not a finite number"},
		{"price huge", func(p *Problem) { p.Price[1] = 1e300 }, "price[1]: 1e+300 is beyond"},
		{"degradation cost", func(p *Problem) { p.DegradationCost = -0.1 }, "degradation_cost: -0.1 is negative"},
		{"unmet penalty", func(p *Problem) { p.UnmetPenalty = -1 }, "unmet_penalty: -1 is negative"},
		{"no feeders", func(p *Problem) { p.Feeders = nil; p.Caps = nil }, "feeders: at least one"},
		{"feeder id empty", func(p *Problem) { p.Feeders[0].ID = "" }, "feeders[0]: id is empty"},
		{"feeder id system", func(p *Problem) { p.Feeders[0].ID = "system" }, `feeders[0] "system": id "system" is reserved`},
		{"feeder id duplicate", func(p *Problem) { p.Feeders = append(p.Feeders, p.Feeders[0]) }, `feeders[1] "F01": duplicate id`},
		{"base length", func(p *Problem) { p.Feeders[0].BaseKW = []float64{1} }, `feeders[0] "F01": base_kw: has 1 values`},
		{"import limit negative", func(p *Problem) { p.Feeders[0].ImportLimitKW = Constant(-1) }, `feeders[0] "F01": import_limit_kw: -1 is negative`},
		{"import limit length", func(p *Problem) { p.Feeders[0].ImportLimitKW = Series{Values: []float64{1, 2}} }, `import_limit_kw: has 2 values`},
		{"export limit negative", func(p *Problem) { s := Series{Values: []float64{1, -2, 1, 1}}; p.Feeders[0].ExportLimitKW = &s }, `export_limit_kw[1]: -2 is negative`},
		{"overload penalty", func(p *Problem) { p.Feeders[0].OverloadPenalty = -5 }, `feeders[0] "F01": overload_penalty: -5 is negative`},
		{"system limit", func(p *Problem) { s := Constant(-3); p.System.ImportLimitKW = &s }, "system: import_limit_kw: -3 is negative"},
		{"system penalty", func(p *Problem) { p.System.OverloadPenalty = -6 }, "system: overload_penalty: -6 is negative"},
		{"cap id empty", func(p *Problem) { p.Caps[0].ID = "" }, "caps[0]: id is empty"},
		{"cap id duplicate", func(p *Problem) { p.Caps = append(p.Caps, p.Caps[0]) }, `caps[1] "DR-1": duplicate id`},
		{"cap scope", func(p *Problem) { p.Caps[0].Scope = "F99" }, `caps[0] "DR-1": scope "F99" is neither`},
		{"cap empty window", func(p *Problem) { p.Caps[0].End = 1 }, `caps[0] "DR-1": window start 1, end 1`},
		{"cap window past horizon", func(p *Problem) { p.Caps[0].End = 5 }, `window start 1, end 5 is not within`},
		{"cap window negative", func(p *Problem) { p.Caps[0].Start = -1 }, `window start -1`},
		{"cap max NaN", func(p *Problem) { p.Caps[0].MaxKW = math.Inf(1) }, `caps[0] "DR-1": max_kw: +Inf`},
		{"cap penalty", func(p *Problem) { p.Caps[0].Penalty = -3 }, `caps[0] "DR-1": penalty: -3 is negative`},
		{"ev id empty", func(p *Problem) { p.EVs[0].ID = "" }, "evs[0]: id is empty"},
		{"ev id duplicate", func(p *Problem) { p.EVs = append(p.EVs, p.EVs[0]) }, `evs[1] "EV1": duplicate id`},
		{"ev feeder", func(p *Problem) { p.EVs[0].Feeder = "F02" }, `evs[0] "EV1": feeder "F02" is not a feeder id`},
		{"arrive negative", func(p *Problem) { p.EVs[0].Arrive = -1 }, `evs[0] "EV1": arrive -1 is outside`},
		{"depart before arrive", func(p *Problem) { p.EVs[0].Arrive, p.EVs[0].Depart = 2, 2 }, `evs[0] "EV1": depart 2 <= arrive 2`},
		{"depart past horizon", func(p *Problem) { p.EVs[0].Depart = 5 }, `evs[0] "EV1": depart 5 is after the horizon end 4`},
		{"capacity negative", func(p *Problem) { p.EVs[0].CapacityKWh = -60 }, `capacity_kwh: -60 is negative`},
		{"min not below capacity", func(p *Problem) { p.EVs[0].MinKWh = 60 }, `min_kwh 60 >= capacity_kwh 60`},
		{"min negative", func(p *Problem) { p.EVs[0].MinKWh = -1 }, `min_kwh: -1 is negative`},
		{"energy below min", func(p *Problem) { p.EVs[0].EnergyKWh = 5 }, `energy_kwh 5 is outside min_kwh 10 .. capacity_kwh 60`},
		{"energy above capacity", func(p *Problem) { p.EVs[0].EnergyKWh = 61 }, `energy_kwh 61 is outside`},
		{"target above capacity", func(p *Problem) { p.EVs[0].TargetKWh = 70 }, `target_kwh 70 > capacity_kwh 60`},
		{"target negative", func(p *Problem) { p.EVs[0].TargetKWh = -1 }, `target_kwh: -1 is negative`},
		{"charge power", func(p *Problem) { p.EVs[0].MaxChargeKW = -11 }, `max_charge_kw: -11 is negative`},
		{"discharge power", func(p *Problem) { p.EVs[0].MaxDischargeKW = -7 }, `max_discharge_kw: -7 is negative`},
		{"charge efficiency zero", func(p *Problem) { p.EVs[0].ChargeEfficiency = 0 }, `charge_efficiency 0 is not in (0,1]`},
		{"charge efficiency above one", func(p *Problem) { p.EVs[0].ChargeEfficiency = 1.1 }, `charge_efficiency 1.1 is not in (0,1]`},
		{"discharge efficiency", func(p *Problem) { p.EVs[0].DischargeEfficiency = math.NaN() }, `discharge_efficiency NaN is not in (0,1]`},
		{"wear budget", func(p *Problem) { p.EVs[0].MaxDischargeKWh = &neg }, `max_discharge_kwh: -1 is negative`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProblem()
			tt.edit(p)
			err := p.Validate()
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestValidateReportsEveryField(t *testing.T) {
	p := validProblem()
	p.SlotMinutes = 0
	p.EVs[0].ChargeEfficiency = 2
	p.Caps[0].Scope = "nowhere"
	err := p.Validate()
	for _, want := range []string{"slot_minutes", "charge_efficiency", "scope"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not name %s", err, want)
		}
	}
}

// TestValidateStartSaysWhatAStartLooksLike: a start that is not an RFC
// 3339 time (a missing offset is the usual slip) is answered with an
// example, not Go's reference layout ("cannot parse \"yesterday\" as
// \"2006\"", which reads as a wrong year).
func TestValidateStartSaysWhatAStartLooksLike(t *testing.T) {
	for _, start := range []string{"yesterday", "2024-02-04T18:00:00", "2024-02-04 18:00"} {
		p := validProblem()
		p.Start = start
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("start: %q is not an RFC 3339 time: want a date, a time and an offset, e.g. 2024-02-04T18:00:00+08:00", start)) {
			t.Errorf("start %q: err %v", start, err)
		}
		if err != nil && strings.Contains(err.Error(), "2006") {
			t.Errorf("start %q: err %v names Go's reference layout", start, err)
		}
	}
}
