package dispatch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestFairnessUnderBindingFeeder(t *testing.T) {
	const n, T = 20, 8
	p := &Problem{SlotMinutes: 60, Slots: T, Price: []float64{0.3, 0.3, 0.3, 1, 1, 1, 0.6, 0.6},
		DegradationCost: 0.03, UnmetPenalty: 1.5,
		Feeders: []Feeder{{ID: "F", BaseKW: make([]float64, T), ImportLimitKW: Constant(60), OverloadPenalty: 10}}}
	for i := 0; i < n; i++ {
		p.EVs = append(p.EVs, EV{ID: string(rune('A' + i)), Feeder: "F", Arrive: 0, Depart: T,
			EnergyKWh: 10, CapacityKWh: 60, MinKWh: 5, TargetKWh: 50, MaxChargeKW: 11,
			ChargeEfficiency: 0.95, DischargeEfficiency: 0.95})
	}
	r, err := Solve(context.Background(), p, Options{Gap: 1e-8})
	if err != nil {
		t.Fatal(err)
	}
	// The limit must bind, or fairness would be trivial.
	if r.Feeders[0].KW[0] < 60-1e-3 {
		t.Fatalf("feeder load %.3f kW in slot 0: limit 60 does not bind", r.Feeders[0].KW[0])
	}
	for s := 0; s < T; s++ {
		mean := r.Feeders[0].KW[s] / n
		for _, ev := range r.EVs {
			if math.Abs(ev.KW[s]-mean) > 0.01*math.Max(math.Abs(mean), 1e-3) {
				t.Errorf("slot %d: %s gets %.6f kW, mean %.6f", s, ev.ID, ev.KW[s], mean)
			}
		}
	}
}

func TestSolveResultIsConsistent(t *testing.T) {
	p := Generate(GenOptions{EVs: 40, Feeders: 3, Slots: 48, Seed: 11, V2GShare: 0.5, MinEfficiency: 0.9,
		Tightness: 0.9, Caps: 3, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true})
	r, err := Solve(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusWithinGap && r.Status != StatusOptimal {
		t.Errorf("status %s", r.Status)
	}
	if r.Gap > 1e-4 || r.Gap < 0 || r.LowerBound > r.Objective {
		t.Errorf("gap %g, bound %g, objective %g", r.Gap, r.LowerBound, r.Objective)
	}
	if want := (r.Objective - r.LowerBound) / math.Max(1, math.Abs(r.Objective)); math.Abs(want-r.Gap) > 1e-15 {
		t.Errorf("gap %g, want %g", r.Gap, want)
	}
	if r.MaxViolation > 1e-9 {
		t.Errorf("hard-bound violation %g", r.MaxViolation)
	}
	c := r.Costs
	if sum := c.Energy + c.Degradation + c.Unmet + c.Overload + c.Caps; math.Abs(sum-r.Objective) > 1e-9*math.Abs(sum) {
		t.Errorf("cost terms sum to %g, objective %g", sum, r.Objective)
	}
	for t0 := 0; t0 < p.Slots; t0++ {
		sys := 0.0
		for _, f := range r.Feeders {
			sys += f.KW[t0]
		}
		if math.Abs(sys-r.SystemKW[t0]) > 1e-9 {
			t.Errorf("slot %d: feeders sum to %g, system %g", t0, sys, r.SystemKW[t0])
		}
	}
	for i, ev := range r.EVs {
		if got := math.Max(0, p.EVs[i].TargetKWh-ev.FinalKWh); math.Abs(got-ev.UnmetKWh) > 1e-12 {
			t.Errorf("%s: unmet %g, want %g", ev.ID, ev.UnmetKWh, got)
		}
	}
}

func TestSolveTimeLimitReturnsFeasibleSchedule(t *testing.T) {
	p := Generate(GenOptions{EVs: 30, Feeders: 2, Seed: 5, V2GShare: 0.5, MinEfficiency: 0.9, Tightness: 0.9, Caps: 2})
	r, err := Solve(context.Background(), p, Options{TimeLimit: 1}) // 1ns: stops at the first check
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusTimeLimit {
		t.Errorf("status %s, want %s", r.Status, StatusTimeLimit)
	}
	if r.MaxViolation > 1e-9 || len(r.EVs) != len(p.EVs) {
		t.Errorf("violation %g, %d EVs", r.MaxViolation, len(r.EVs))
	}
	if !(r.LowerBound <= r.Objective) || r.Gap < 0 {
		t.Errorf("bound %g objective %g gap %g", r.LowerBound, r.Objective, r.Gap)
	}
}

func TestSolveIterationLimit(t *testing.T) {
	p := Generate(GenOptions{EVs: 30, Feeders: 2, Seed: 5, V2GShare: 0.5, Tightness: 0.9})
	r, err := Solve(context.Background(), p, Options{MaxIterations: 2, Gap: 1e-12})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusIterationLimit || r.Iterations != 2 || r.MaxViolation > 1e-9 {
		t.Errorf("status %s after %d iterations, violation %g", r.Status, r.Iterations, r.MaxViolation)
	}
}

func TestSolveCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Solve(ctx, Generate(GenOptions{EVs: 10}), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

func TestSolveInvalid(t *testing.T) {
	p := validProblem()
	p.Slots = -1
	r, err := Solve(context.Background(), p, Options{})
	if !errors.Is(err, ErrInvalid) || r == nil || r.Status != StatusInvalid {
		t.Errorf("result %v, err %v", r, err)
	}
}

func TestSolveWithoutEVs(t *testing.T) {
	p := validProblem()
	p.EVs = nil
	p.Feeders[0].BaseKW = []float64{5, 40, 7, 5} // 10 kW over the limit in slot 1
	r, err := Solve(context.Background(), p, Options{Gap: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	// Base load is not priced; only the overloads are: import 10 kW at 5,
	// cap 30 kW at 3 in slot 1 (40 > 10) and 0 in slot 2 (7 < 10).
	want := 10*5.0 + 30*3.0
	if math.Abs(r.Objective-want) > 1e-6 || math.Abs(r.LowerBound-want) > 1e-6 {
		t.Errorf("objective %g, bound %g, want %g", r.Objective, r.LowerBound, want)
	}
}

func TestDecodeProblemRoundTrip(t *testing.T) {
	p := Generate(GenOptions{EVs: 5, Feeders: 2, Slots: 24, Seed: 1, V2GShare: 1, WearShare: 1, Caps: 2, SystemLimit: true})
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := DecodeProblem(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Error("problem changed in a JSON round trip")
	}
	if !bytes.Contains(b, []byte(`"import_limit_kw":`)) {
		t.Errorf("no import limit in %s", b[:200])
	}
}

func TestDecodeProblemSeriesForms(t *testing.T) {
	in := `{"slot_minutes":60,"slots":2,"price":[1,2],"degradation_cost":0,"unmet_penalty":1,
	 "feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":[5,6],"export_limit_kw":3,"overload_penalty":1}],
	 "evs":[]}`
	p, err := DecodeProblem(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	f := p.Feeders[0]
	if f.ImportLimitKW.At(1) != 6 || f.ExportLimitKW.At(0) != 3 || f.ExportLimitKW.At(1) != 3 {
		t.Errorf("series decoded as %+v, %+v", f.ImportLimitKW, *f.ExportLimitKW)
	}
}

func TestDecodeProblemRejects(t *testing.T) {
	for _, in := range []string{
		``, `[]`, `{"slots": "many"}`, `{"unknown_field": 1}`, `{"slot_minutes":15} {}`,
		`{"slot_minutes":60,"slots":1,"price":[1],"feeders":[{"id":"F","base_kw":[1],"import_limit_kw":"x"}],"evs":[]}`,
	} {
		if _, err := DecodeProblem(strings.NewReader(in)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: err %v, want ErrInvalid", in, err)
		}
	}
}

// TestDecodeProblemSaysWhere: a decoding error says where the input went
// wrong, or that it is empty or cut short.
func TestDecodeProblemSaysWhere(t *testing.T) {
	for in, want := range map[string]string{
		``:                                  "the input is empty",
		`{"slots": 8x}`:                     "at byte 12 (line 1, column 12): invalid character 'x'",
		`{"slots": "x"}`:                    "at byte 13 (line 1, column 13): slots: string, want an integer",
		`[]`:                                "at byte 1 (line 1, column 1): the problem: array, want an object",
		`{"evs": [{"arrive": 1.5}]}`:        "at byte 23 (line 1, column 23): evs[0].arrive: number 1.5, want an integer",
		`{"feeders": [{"base_kw": ["x"]}]}`: "at byte 29 (line 1, column 29): feeders[0].base_kw[0]: string, want a number",
		// Which EV: the json package names only "evs.max_charge_kw".
		`{"evs": [{"id": "a", "max_charge_kw": 7}, {"id": "b", "max_charge_kw": "7"}]}`: "evs[1].max_charge_kw: string, want a number",
		`{"evs": {"a": 1}}`:       "at byte 9 (line 1, column 9): evs: object, want an array",
		`{"feeders": [1]}`:        "at byte 14 (line 1, column 14): feeders[0]: number, want an object",
		`{"slots": 4, "price": [`: "the input ends in the middle of the JSON",
		`{"colour": 1}`:           "at byte 2 (line 1, column 2): the problem: unknown field \"colour\"",
		`{"evs": [{"id": "a"}, {"id": "b", "Colour": "red"}]}`:              "at byte 35 (line 1, column 35): evs[1]: unknown field \"Colour\"",
		`{"feeders": [{"id": "F", "import_limit_kw": [1], "x": 2}]}`:        "feeders[0]: unknown field \"x\"",
		`{"system": {"import_limit_kw": 5, "overload_penalty": 1, "y": 0}}`: "system: unknown field \"y\"",
	} {
		_, err := DecodeProblem(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want it to contain %q", in, err, want)
		}
	}
}

func TestGenerateIsReproducible(t *testing.T) {
	o := GenOptions{EVs: 50, Feeders: 4, Seed: 9, V2GShare: 0.5, MinEfficiency: 0.85, Caps: 3, NegativeCaps: 1, WearShare: 0.5, SystemLimit: true}
	a, b := Generate(o), Generate(o)
	if !reflect.DeepEqual(a, b) {
		t.Error("same options gave different problems")
	}
	if err := a.Validate(); err != nil {
		t.Error(err)
	}
	o.Seed++
	if reflect.DeepEqual(a, Generate(o)) {
		t.Error("different seeds gave the same problem")
	}
}

func TestWriteMPSStructure(t *testing.T) {
	p := validProblem()
	var b bytes.Buffer
	if err := WriteMPS(&b, p); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{
		"NAME dispatch\nROWS\n N obj\n",
		" E d0_0\n", " G t0\n", " L w0\n", " L fi0_3\n", " L fe0_0\n", " L s_0\n", " L k0_1\n",
		" c0_2 obj 1\n",        // Δ·price = 1 h · 1.0
		" c0_0 d0_0 -0.95\n",   // -Δηc
		" rhs d0_0 20\n",       // E0
		" rhs fi0_1 24\n",      // 30 - 6
		" rhs k0_2 3\n",        // 10 - 7
		" UP bounds e0_3 60\n", // capacity
		" LO bounds e0_3 10\n", // minimum
		" u0 obj 1.5\n", "ENDATA\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("MPS lacks %q", want)
		}
	}
	if strings.Contains(s, " L k0_0\n") || strings.Contains(s, " L k0_3\n") {
		t.Error("cap rows outside the cap window")
	}
}

// TestSolveWithoutInterior covers EVs whose feasible set has no interior
// (an interior point method's weak spot): SoC pinned at a bound with no
// power to leave it, and a one-slot stay.
func TestSolveWithoutInterior(t *testing.T) {
	tests := []struct {
		name string
		edit func(ev *EV)
	}{
		{"no power at min SoC", func(ev *EV) { ev.MaxChargeKW, ev.MaxDischargeKW, ev.EnergyKWh = 0, 0, ev.MinKWh }},
		{"discharge only at min SoC", func(ev *EV) { ev.MaxChargeKW, ev.EnergyKWh = 0, ev.MinKWh }},
		{"charge only at capacity", func(ev *EV) { ev.EnergyKWh, ev.MaxDischargeKW = ev.CapacityKWh, 0 }},
		{"one slot", func(ev *EV) { ev.Arrive, ev.Depart = 3, 4 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProblem()
			p.EVs = append(p.EVs, EV{ID: "EV2", Feeder: "F01", Arrive: 1, Depart: 3, EnergyKWh: 20, CapacityKWh: 40,
				MinKWh: 5, TargetKWh: 35, MaxChargeKW: 7, ChargeEfficiency: 0.9, DischargeEfficiency: 0.9})
			tt.edit(&p.EVs[0])
			r, err := Solve(context.Background(), p, Options{Gap: 1e-9})
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != StatusOptimal || r.MaxViolation > 1e-9 {
				t.Errorf("status %s, gap %g, violation %g", r.Status, r.Gap, r.MaxViolation)
			}
		})
	}
}
