package dispatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestDecodeProblemLimitSeries: a feeder's import limit must be given (a
// missing or null one read as a 0 kW limit, so every kW was overload), and
// a limit of the wrong kind is named by its feeder and field, not by a
// byte offset counted from the start of the limit's own value.
func TestDecodeProblemLimitSeries(t *testing.T) {
	const head = `{"slot_minutes":60,"slots":2,"price":[1,2],"degradation_cost":0,"unmet_penalty":1,"evs":[],`
	for in, want := range map[string][]string{
		`"feeders":[{"id":"F","base_kw":[1,2],"overload_penalty":1}]}`:                                                  {`feeders[0] "F": import_limit_kw: missing`},
		`"feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":null,"overload_penalty":1}]}`:                           {`feeders[0] "F": import_limit_kw: missing`},
		`"feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":5},{"id":"G","base_kw":[1,2],"import_limit_kw":"50"}]}`: {`feeders[1] "G": import_limit_kw: a string`},
		`"feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":5,"export_limit_kw":[1,"a"]}]}`:                         {`feeders[0] "F": export_limit_kw[1]: a string`},
		`"feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":{}}]}`:                                                  {`feeders[0] "F": import_limit_kw: an object`},
		`"feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":1e400}]}`:                                               {`feeders[0] "F": import_limit_kw: 1e400 is not a finite number`},
		`"feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":5}],"system":{"import_limit_kw":true}}`:                 {`system: import_limit_kw: a boolean`},
		`"feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":[5,-1],"overload_penalty":1}]}`:                         {`feeders[0] "F": import_limit_kw[1]: -1 is negative`},
	} {
		_, err := DecodeProblem(strings.NewReader(head + in))
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err %v, want ErrInvalid", in, err)
			continue
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s:\n err %v\n want it to contain %q", in, err, w)
			}
		}
		if strings.Contains(err.Error(), "at byte") {
			t.Errorf("%s: err %v gives a byte offset within the value", in, err)
		}
	}
	// A feeder without an export limit and a system without an import
	// limit are still fine: both are optional.
	ok := head + `"feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":[5,6],"overload_penalty":1}],"system":{"overload_penalty":2}}`
	p, err := DecodeProblem(strings.NewReader(ok))
	if err != nil {
		t.Fatal(err)
	}
	if p.Feeders[0].ExportLimitKW != nil || p.System.ImportLimitKW != nil || p.Feeders[0].ImportLimitKW.At(1) != 6 || p.System.OverloadPenalty != 2 {
		t.Errorf("decoded %+v, system %+v", p.Feeders[0], *p.System)
	}
}

// TestDecodeProblemMissingFields: a required field left out or null is an
// error naming it, not a zero. Read as 0, a missing unmet_penalty or
// target_kwh had nobody charge, and a missing overload_penalty made a
// feeder limit free to break, with exit 0 and a plausible plan.
func TestDecodeProblemMissingFields(t *testing.T) {
	if _, err := DecodeProblem(strings.NewReader(docExample(t))); err != nil {
		t.Fatalf("the full example: %v", err)
	}
	// Each required field by the array it is in ("" for the top level)
	// and the element name its error starts with.
	type field struct{ in, key, elem string }
	var cases []field
	for _, k := range []string{"slot_minutes", "slots", "price", "degradation_cost", "unmet_penalty", "feeders", "evs"} {
		cases = append(cases, field{"", k, ""})
	}
	for _, k := range []string{"base_kw", "overload_penalty"} {
		cases = append(cases, field{"feeders", k, `feeders[0] "F01": `})
	}
	for _, k := range []string{"id", "scope", "start", "end", "max_kw", "penalty"} {
		cases = append(cases, field{"caps", k, `caps[0] `})
	}
	for _, k := range []string{"id", "feeder", "arrive", "depart", "energy_kwh", "capacity_kwh", "min_kwh", "target_kwh",
		"max_charge_kw", "max_discharge_kw", "charge_efficiency", "discharge_efficiency"} {
		cases = append(cases, field{"evs", k, `evs[0] `})
	}
	example := docExample(t)
	for _, c := range cases {
		for _, null := range []bool{false, true} {
			var m map[string]any
			if err := json.Unmarshal([]byte(example), &m); err != nil {
				t.Fatal(err)
			}
			obj := m
			if c.in != "" {
				obj = m[c.in].([]any)[0].(map[string]any)
			}
			if null {
				obj[c.key] = nil
			} else {
				delete(obj, c.key)
			}
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			_, err = DecodeProblem(bytes.NewReader(b))
			want := c.key + ": missing or null"
			if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "invalid problem: "+c.elem) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s left out (null %v): err %v, want ErrInvalid naming %q%q", c.key, null, err, c.elem, want)
				continue
			}
			// Only what is missing: no errors about the zero read in its place.
			if n := strings.Count(err.Error(), "\n") + 1; n != 1 {
				t.Errorf("%s left out (null %v): %d errors, want 1:\n%v", c.key, null, n, err)
			}
		}
	}
	// The optional fields may be left out; a system limit needs its penalty.
	var m map[string]any
	if err := json.Unmarshal([]byte(docExample(t)), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "caps")
	delete(m, "start")
	m["system"] = map[string]any{"import_limit_kw": 100}
	b, _ := json.Marshal(m)
	if _, err := DecodeProblem(bytes.NewReader(b)); err == nil || !strings.Contains(err.Error(), "system: overload_penalty: missing or null") {
		t.Errorf("system limit without a penalty: err %v", err)
	}
	m["system"] = map[string]any{"import_limit_kw": 100, "overload_penalty": 3}
	b, _ = json.Marshal(m)
	if _, err := DecodeProblem(bytes.NewReader(b)); err != nil {
		t.Errorf("without caps and start: %v", err)
	}
}

// docExample returns the whole Problem of docs/dispatch.md ("Problem JSON").
func docExample(t *testing.T) string {
	t.Helper()
	return docstest.Read(t, "docs/dispatch.md").Section(t, "## Problem JSON").Block(t, "json")
}

// TestDecodeProblemSaysLineAndColumn: an error in a hand-edited, indented
// file gives the line and column an editor shows besides the byte
// (columns in characters: "é" is two bytes and one column). Only the byte
// was given, so a dispatcher counted characters.
func TestDecodeProblemSaysLineAndColumn(t *testing.T) {
	for in, want := range map[string]string{
		"{\n  \"slots\": 4,\n  \"evs\": [\n    {\"arrive\": 1.5}\n  ]\n}": "at byte 45 (line 4, column 18): evs[0].arrive: number 1.5, want an integer",
		"{\n  \"slots\": 4,\n  \"colour\": 1\n}":                          "at byte 19 (line 3, column 3): the problem: unknown field \"colour\"",
		"{\n\"start\": \"é\",\n \"slots\": x}":                            "at byte 28 (line 3, column 11): invalid character 'x'",
		"{\"start\": \"é\", \"slots\": x}":                                "at byte 26 (line 1, column 25): invalid character 'x'",
	} {
		_, err := DecodeProblem(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want it to contain %q", in, err, want)
		}
	}
}

// TestDecodeProblemSyntaxHints: a NaN or Infinity (which JSON does not
// have) and a byte order mark are named as such; "invalid character 'N'"
// and "invalid character 'ï'" left the reader to guess.
func TestDecodeProblemSyntaxHints(t *testing.T) {
	for in, want := range map[string]string{
		`{"degradation_cost": NaN}`:        "JSON has no NaN or Infinity",
		`{"price": [1, Infinity]}`:         "JSON has no NaN or Infinity",
		`{"price": [1, -Infinity]}`:        "JSON has no NaN or Infinity",
		`{"price": [nan]}`:                 "JSON has no NaN or Infinity",
		"\ufeff{\"slots\": 4}":             "byte order mark",
		`{"slots": 8x}`:                    "invalid character 'x'",
		`{"degradation_cost": "NaN", "x"}`: "invalid character '}'",
	} {
		_, err := DecodeProblem(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want it to contain %q", in, err, want)
		}
		if strings.Contains(want, "invalid character") && strings.Contains(err.Error(), "(JSON has no") {
			t.Errorf("%q: err %v gives a hint for a NaN that is not there", in, err)
		}
	}
}

// TestDecodeProblemNullInAnArray: a null among a price or base load series
// is an error naming the slot (the json package read it as 0: a free slot
// the plan charged in), and a null feeder, cap or EV is named as null, not
// as a dozen missing fields.
func TestDecodeProblemNullInAnArray(t *testing.T) {
	example := docExample(t)
	for _, c := range []struct{ from, to, want string }{
		{`"price": [1.05, 0.9,`, `"price": [1.05, null,`, "price[1]: null, want a number"},
		{`"base_kw": [40, 38, 30, 20]`, `"base_kw": [40, 38, null, 20]`, `feeders[0] "F01": base_kw[2]: null, want a number`},
		{`"caps": [{`, `"caps": [null, {`, "caps[0]: null, want a cap object"},
		{`"evs": [{`, `"evs": [null, {`, "evs[0]: null, want an EV object"},
		{`"feeders": [{`, `"feeders": [null, {`, "feeders[0]: null, want a feeder object"},
	} {
		in := strings.Replace(example, c.from, c.to, 1)
		if in == example {
			t.Fatalf("%q is not in the example", c.from)
		}
		_, err := DecodeProblem(strings.NewReader(in))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want ErrInvalid and %q", c.to, err, c.want)
			continue
		}
		if n := strings.Count(err.Error(), "\n") + 1; n != 1 {
			t.Errorf("%s: %d errors, want 1:\n%v", c.to, n, err)
		}
	}
}

// TestDecodeProblemNotJSON: a file that is not JSON at all (a CSV given as
// --problem) read only "invalid character 'i' looking for beginning of
// value". It is said not to be a Problem JSON document, with what it
// starts with and the byte, the syntax error kept in the chain; a
// document that starts as JSON keeps its own error.
func TestDecodeProblemNotJSON(t *testing.T) {
	long := strings.Repeat("abcdefghij", 6) + "\n1,2\n"
	for in, want := range map[string]string{
		"id,kw,soc\nEV-1,11,0.5\n":         `not a Problem JSON document (one object, {…}): it starts with "id,kw,soc": at byte 1 (line 1, column 1): invalid character 'i'`,
		"  \n2024-01-17,3\n":               `it starts with "2024-01-17,3": at byte 8 (line 2, column 5)`,
		"name,kw\r\nF1,3\r\n":              `it starts with "name,kw": at byte 2 (line 1, column 2)`,
		long:                               `it starts with "` + strings.Repeat("abcdefghij", 4) + `…": at byte 1`,
		"\x1f\x8b\x08\x00\x00\x00\x00\x00": `not a Problem JSON document (one object, {…}): it is gzip-compressed (a .v2grec recording, or a Problem to gunzip first?): at byte 1`,
	} {
		_, err := DecodeProblem(strings.NewReader(in))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want ErrInvalid and %q", in, err, want)
		}
		if _, ok := errors.AsType[*json.SyntaxError](err); !ok {
			t.Errorf("%q: err %v does not keep the syntax error", in, err)
		}
	}
	for _, in := range []string{`{"slots": 8x}`, `[1, 2]`, "\ufeff{\"slots\": 4}"} {
		if _, err := DecodeProblem(strings.NewReader(in)); err == nil || strings.Contains(err.Error(), "not a Problem JSON document") {
			t.Errorf("%q: err %v; want its own error, not 'not a Problem JSON document'", in, err)
		}
	}
}
