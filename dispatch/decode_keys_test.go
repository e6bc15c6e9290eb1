package dispatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// TestDecodeProblemUnknownKeysAsTheDecoderFound: DecodeProblem no longer
// decodes through a json.Decoder with DisallowUnknownFields (which kept a
// second copy of the input); the keys it refuses, and where it says they
// are, are the same.
func TestDecodeProblemUnknownKeysAsTheDecoderFound(t *testing.T) {
	for in, want := range map[string]string{
		// The json package matches keys whatever their case, and reads
		// escapes in them: none of these is unknown.
		`{"SLOTS": 4, "Slot_Minutes": 15, "\u0065vs": [], "caps": [{"ID": "c"}]}`: "",
		// A limit kept raw is read by its own decoder: an object in it is
		// a type error, never an unknown key.
		`{"feeders": [{"id": "F", "import_limit_kw": {"colour": 1}}]}`:               "",
		`{"caps": [{"id": "c", "scope": "system", "colour": 1}]}`:                    "at byte 42 (line 1, column 42): caps[0]: unknown field \"colour\"",
		`{"evs": [{"id": "a"}, {"id": "b", "max_discharge_kwh": 1, "c\"olour": 2}]}`: "at byte 59 (line 1, column 59): evs[1]: unknown field \"c\\\"olour\"",
		`{"system": {"import_limit_kw": [1, 2], "y": 0}}`:                            "at byte 40 (line 1, column 40): system: unknown field \"y\"",
		// The first error in the input's order: an unknown key before a
		// type error, a type error before an unknown key.
		`{"colour": 1, "slots": "x"}`: "at byte 2 (line 1, column 2): the problem: unknown field \"colour\"",
		`{"slots": "x", "colour": 1}`: "at byte 13 (line 1, column 13): slots: string, want an integer",
		// Trailing data, an input cut short, nothing at all.
		`{"slots": 4} {"slots": 5}`: "trailing data after the problem object",
		`{"slots": 4`:               "the input ends in the middle of the JSON (cut short?)",
		" \n ":                      "the input is empty",
	} {
		_, err := DecodeProblem(strings.NewReader(in))
		if want == "" {
			if err != nil && strings.Contains(err.Error(), "unknown field") {
				t.Errorf("%s: %v, want no unknown field", in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want it to contain %q", in, err, want)
		}
	}
}

// TestScanKeysAgreesWithTheDecoder: on every document of a set, the scan
// finds an unknown key exactly when json.Decoder with
// DisallowUnknownFields refuses one.
func TestScanKeysAgreesWithTheDecoder(t *testing.T) {
	docs := []string{
		`{"slots": 1}`,
		`{"evs": [{"id": "a", "colour": 1}]}`,
		`{"feeders": [{"id": "F", "base_kw": [1, 2], "import_limit_kw": [1, {"a": 1}], "export_limit_kw": 3, "overload_penalty": 1}]}`,
		`{"feeders": [{"id": "F", "Base_KW": [1], "x": null}]}`,
		`{"system": {"import_limit_kw": 5, "overload_penalty": 1}, "caps": []}`,
		`{"caps": [{"id": "c\\d", "max_kw": -1e3}], "start": "2024-01-01T00:00:00Z", "z": [1, "]", {"}": "{"}]}`,
		`{"price": [1, 2, 3], "evs": [], "feeders": [], "evs": [{"min_kwh": 1, "w": true}]}`,
	}
	for _, d := range docs {
		dec := json.NewDecoder(strings.NewReader(d))
		dec.DisallowUnknownFields()
		var in problemIn
		err := dec.Decode(&in)
		decoderSays := err != nil && strings.HasPrefix(err.Error(), "json: unknown field ")
		u, found, _ := scanKeys([]byte(d), reflect.TypeFor[problemIn]())
		if found != decoderSays {
			t.Errorf("%s: scan found %v (%+v), the decoder: %v", d, found, u, err)
		}
		if found && err.Error() != "json: unknown field "+strconvQuote(u.key) {
			t.Errorf("%s: scan found %q, the decoder: %v", d, u.key, err)
		}
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestScanKeysLengths: the top object's arrays are counted, so the
// decoding appends into slices of their size.
func TestScanKeysLengths(t *testing.T) {
	_, _, n := scanKeys([]byte(`{"price": [1, 2, 3], "evs": [{"id": "a"}, {"id": "b"}], "caps": [], "feeders": [{"base_kw": [1, 2, 3, 4]}]}`), reflect.TypeFor[problemIn]())
	if want := map[string]int{"price": 3, "evs": 2, "feeders": 1}; !reflect.DeepEqual(n, want) {
		t.Errorf("lengths %v, want %v", n, want)
	}
	// An absent or empty array stays as the json package leaves it.
	p, err := DecodeProblem(strings.NewReader(`{"slot_minutes": 60, "slots": 1, "price": [1], "degradation_cost": 0, "unmet_penalty": 1,
		"feeders": [{"id": "F", "base_kw": [0], "import_limit_kw": 10, "overload_penalty": 1}], "evs": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.EVs == nil || len(p.EVs) != 0 || p.Caps != nil {
		t.Errorf("evs %#v (want empty, not nil), caps %#v (want nil)", p.EVs, p.Caps)
	}
}

// TestDecodeProblemMemoryIsProportionate: decoding a Problem file
// allocates about twice its size (at most four times), also to name where
// a type error is. A
// json.Decoder's own copy of the input (grown by doubling), io.ReadAll's
// growing and the fleet's slices grown one EV at a time made it eight
// times: a 100 MB file took 500-600 MB and seconds of copying before
// validation said a word; a json.Decoder's tokens, to find the path of a
// type error, as much again.
func TestDecodeProblemMemoryIsProportionate(t *testing.T) {
	b, err := json.Marshal(Generate(GenOptions{EVs: 20000, Feeders: 10, Seed: 3}))
	if err != nil {
		t.Fatal(err)
	}
	// One field of the last EV made wrong: the decoding must read
	// everything, and refuse.
	spoil := func(key, value string) []byte {
		i := bytes.LastIndex(b, []byte(`"`+key+`":`))
		j := i + bytes.IndexByte(b[i:], ',')
		return append(append(append([]byte{}, b[:i]...), `"`+key+`":`+value...), b[j:]...)
	}
	for _, tt := range []struct {
		name, want string
		doc        []byte
	}{
		{"invalid value", `evs[19999] "EV20000": charge_efficiency 1.5`, spoil("charge_efficiency", "1.5")},
		{"type error", `evs[19999].arrive: string, want an integer`, spoil("arrive", `"7"`)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "big.json")
			if err := os.WriteFile(file, tt.doc, 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err = DecodeProblem(f)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
			ratio := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(tt.doc))
			t.Logf("%d bytes of JSON, %.2f times that allocated", len(tt.doc), ratio)
			// 1.7-2.0 in a plain build, 3.1 under the race detector; the
			// old decoding's 8 (17 to name a type error's place) fails.
			if ratio > 4 {
				t.Errorf("decoding allocated %.1f times the file's %d bytes, want at most 4", ratio, len(tt.doc))
			}
		})
	}
}

// TestScanKeysEndsOnAnyInput: the scan runs before the decoding has
// checked the syntax, so it must end on anything. A value missing after
// a key (`"slots"0`, no colon, `"base_kw":[,`) left it reading nothing
// for ever, found by FuzzDecodeProblem; a file of opening brackets must
// not exhaust the stack.
func TestScanKeysEndsOnAnyInput(t *testing.T) {
	for _, in := range []string{
		`{"slot_minutes"0,"slots"8,"price":[]"x"3}`,
		`{"feeders":[{"id"01,"base_kw":[,"import_limit_kw":1}]`,
		`{"a":]}`, `[}`, `{,}`, `{"evs":[:]}`, `"`, `{"\`, `[1,,2]`, `}`, `:`,
		strings.Repeat("[", 1_000_000),
		strings.Repeat(`{"evs":[`, 200_000),
	} {
		scanKeys([]byte(in), reflect.TypeFor[problemIn]())
		if _, err := DecodeProblem(strings.NewReader(in)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%.40s: err %v, want ErrInvalid", in, err)
		}
	}
}
