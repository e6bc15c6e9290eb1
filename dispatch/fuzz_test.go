package dispatch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// FuzzDecodeProblem feeds arbitrary bytes to DecodeProblem. Whatever it
// accepts must be solvable, exportable and enveloped without a panic, and
// the schedule must respect the hard bounds.
func FuzzDecodeProblem(f *testing.F) {
	for _, o := range []GenOptions{
		{EVs: 3, Slots: 6, Seed: 1},
		{EVs: 4, Feeders: 2, Slots: 8, Seed: 2, V2GShare: 1, WearShare: 1, Caps: 2, NegativeCaps: 1, SystemLimit: true, MinEfficiency: 0.9},
	} {
		b, err := json.Marshal(Generate(o))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	b, _ := json.Marshal(validProblem())
	f.Add(b)
	// Keys the json package matches without regard to case, and ones it
	// does not know, for the unknown-key check below to start from.
	f.Add(bytes.Replace(b, []byte(`"id":`), []byte(`"ID":"a","iD\u0000":1,"id":`), 1))
	f.Add(bytes.Replace(b, []byte(`"slots":`), []byte(`"Slots":1,"slot\u017f":2,"slots":`), 1))
	f.Add([]byte(`{"slot_minutes":15,"slots":1,"price":[0],"degradation_cost":0,"unmet_penalty":0,"feeders":[{"id":"F","base_kw":[0],"import_limit_kw":0,"overload_penalty":0}],"evs":[]}`))
	f.Add([]byte(`{"slot_minutes":-1,"slots":99999999999,"price":null}`))
	f.Add([]byte(`{"evs":[{"id":"x","arrive":5,"depart":2}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodeProblem(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		// Unknown keys are found by a scan of the bytes (decode_keys.go),
		// not by the json package: whatever DecodeProblem accepts, a
		// json.Decoder with DisallowUnknownFields must find no unknown
		// key in (the scan may be the stricter, never the looser).
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var in problemIn
		if err := dec.Decode(&in); err != nil && strings.HasPrefix(err.Error(), "json: unknown field ") {
			t.Fatalf("accepted a Problem with an unknown key: %v", err)
		}
		if err := WriteMPS(io.Discard, p); err != nil {
			t.Fatal(err)
		}
		if _, err := FleetEnvelope(p); err != nil {
			t.Fatal(err)
		}
		if len(p.EVs)*p.Slots > 5000 || len(p.Feeders)*p.Slots > 5000 {
			return // keep each fuzz input fast
		}
		r, err := Solve(context.Background(), p, Options{MaxIterations: 40})
		if err != nil {
			t.Fatal(err)
		}
		if r.MaxViolation > 1e-6 {
			t.Fatalf("hard-bound violation %g", r.MaxViolation)
		}
		if r.LowerBound > r.Objective {
			t.Fatalf("bound %g above objective %g", r.LowerBound, r.Objective)
		}
	})
}
