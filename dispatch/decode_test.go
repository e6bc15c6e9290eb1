package dispatch

import (
	"errors"
	"strings"
	"testing"
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
		`"feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":[5,-1]}]}`:                                              {`feeders[0] "F": import_limit_kw[1]: -1 is negative`},
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
	ok := head + `"feeders":[{"id":"F","base_kw":[1,2],"import_limit_kw":[5,6]}],"system":{"overload_penalty":2}}`
	p, err := DecodeProblem(strings.NewReader(ok))
	if err != nil {
		t.Fatal(err)
	}
	if p.Feeders[0].ExportLimitKW != nil || p.System.ImportLimitKW != nil || p.Feeders[0].ImportLimitKW.At(1) != 6 || p.System.OverloadPenalty != 2 {
		t.Errorf("decoded %+v, system %+v", p.Feeders[0], *p.System)
	}
}
