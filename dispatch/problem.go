package dispatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Problem is one dispatch instance in the JSON form read by
// `v2gdesk solve --problem`. Powers are in kW (positive = import from the
// grid), energies in kWh. docs/dispatch.md states the model exactly.
type Problem struct {
	SlotMinutes     int       `json:"slot_minutes"`
	Slots           int       `json:"slots"`
	Start           string    `json:"start,omitempty"`
	Price           []float64 `json:"price"`
	DegradationCost float64   `json:"degradation_cost"`
	UnmetPenalty    float64   `json:"unmet_penalty"`
	Feeders         []Feeder  `json:"feeders"`
	System          *System   `json:"system,omitempty"`
	Caps            []Cap     `json:"caps,omitempty"`
	EVs             []EV      `json:"evs"`
}

// Feeder is a distribution feeder (or transformer) with its uncontrolled
// base load and soft import and export limits.
type Feeder struct {
	ID              string    `json:"id"`
	BaseKW          []float64 `json:"base_kw"`
	ImportLimitKW   Series    `json:"import_limit_kw"`
	ExportLimitKW   *Series   `json:"export_limit_kw,omitempty"`
	OverloadPenalty float64   `json:"overload_penalty"`
}

// System is the optional soft import limit on the sum of all feeder loads.
type System struct {
	ImportLimitKW   *Series `json:"import_limit_kw,omitempty"`
	OverloadPenalty float64 `json:"overload_penalty"`
}

// Cap is a demand-response cap: for slots Start <= t < End the load of its
// scope ("system" or a feeder id) should not exceed MaxKW. A negative MaxKW
// asks for net export.
type Cap struct {
	ID      string  `json:"id"`
	Scope   string  `json:"scope"`
	Start   int     `json:"start"`
	End     int     `json:"end"`
	MaxKW   float64 `json:"max_kw"`
	Penalty float64 `json:"penalty"`
}

// ScopeSystem is the Cap scope that means the whole system.
const ScopeSystem = "system"

// EV is one plugged-in vehicle, present in slots Arrive <= t < Depart.
type EV struct {
	ID                  string   `json:"id"`
	Feeder              string   `json:"feeder"`
	Arrive              int      `json:"arrive"`
	Depart              int      `json:"depart"`
	EnergyKWh           float64  `json:"energy_kwh"`
	CapacityKWh         float64  `json:"capacity_kwh"`
	MinKWh              float64  `json:"min_kwh"`
	TargetKWh           float64  `json:"target_kwh"`
	MaxChargeKW         float64  `json:"max_charge_kw"`
	MaxDischargeKW      float64  `json:"max_discharge_kw"`
	ChargeEfficiency    float64  `json:"charge_efficiency"`
	DischargeEfficiency float64  `json:"discharge_efficiency"`
	MaxDischargeKWh     *float64 `json:"max_discharge_kwh,omitempty"`
}

// Series is a per-slot quantity that JSON may give either as an array with
// one number per slot or as a single number that holds for every slot.
type Series struct {
	// Values holds one number per slot; nil when the series is constant.
	Values []float64
	// Const is the value of every slot when Values is nil.
	Const float64
}

// Constant returns a Series with the value v in every slot.
func Constant(v float64) Series { return Series{Const: v} }

// At returns the value of slot t.
func (s Series) At(t int) float64 {
	if s.Values != nil {
		return s.Values[t]
	}
	return s.Const
}

// MarshalJSON writes a constant series as a number and otherwise an array.
func (s Series) MarshalJSON() ([]byte, error) {
	if s.Values != nil {
		return json.Marshal(s.Values)
	}
	return json.Marshal(s.Const)
}

// UnmarshalJSON accepts a number or an array of numbers.
func (s *Series) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var v []float64
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		if v == nil {
			v = []float64{}
		}
		*s = Series{Values: v}
		return nil
	}
	var c float64
	if err := json.Unmarshal(b, &c); err != nil {
		return fmt.Errorf("want a number or an array of numbers: %w", err)
	}
	*s = Series{Const: c}
	return nil
}

// DecodeProblem reads one Problem from JSON, rejecting unknown fields and
// trailing data, and validates it. Every error wraps ErrInvalid.
func DecodeProblem(r io.Reader) (*Problem, error) {
	var in problemIn
	// The input is read whole, once, and decoded in place: a
	// json.Decoder kept a second copy, grown by doubling, which with
	// io.ReadAll's made a 100 MB Problem take some 500 MB and seconds of
	// copying before validation said a word.
	data, err := readInput(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := decodeProblemIn(data, &in); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	p, v := in.problem()
	nlimit := len(v.errs)
	if err := v.missingFields(data, p); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if len(v.errs) > nlimit {
		// Validating the zeros read in place of missing fields would
		// only add errors about values nobody wrote.
		return nil, fmt.Errorf("%w: %w", ErrInvalid, errors.Join(v.errs...))
	}
	if len(v.errs) > 0 {
		// The limits could not be read: report that, and what else is
		// wrong, rather than validating zeros in their place.
		p.validate(v)
		return nil, fmt.Errorf("%w: %w", ErrInvalid, errors.Join(v.errs...))
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeProblemIn decodes data into in, as a json.Decoder with
// DisallowUnknownFields would, one value and nothing after it, each error
// saying where it is: an unknown key, a value of the wrong type, a syntax
// error, an input empty or cut short, trailing data.
func decodeProblemIn(data []byte, in *problemIn) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("the input is empty")
	}
	// Unknown keys are found in place, and the fleet's arrays counted, so
	// the decoding appends into slices of their size.
	u, unknown, lengths := scanKeys(data, reflect.TypeFor[problemIn]())
	// An empty or absent array is left to the decoding, which tells them
	// apart (nil when absent).
	if n := lengths["evs"]; n > 0 {
		in.EVs = make([]EV, 0, n)
	}
	if n := lengths["feeders"]; n > 0 {
		in.Feeders = make([]*feederIn, 0, n)
	}
	if n := lengths["caps"]; n > 0 {
		in.Caps = make([]Cap, 0, n)
	}
	err := json.Unmarshal(data, in)
	if syn, ok := errors.AsType[*json.SyntaxError](err); ok {
		if e, ok := notProblemJSON(data, syn); ok {
			return e
		}
		switch {
		case strings.HasSuffix(syn.Error(), "after top-level value"):
			return errors.New("trailing data after the problem object")
		case syn.Offset >= int64(len(data)) && strings.HasPrefix(syn.Error(), "unexpected end of JSON input"):
			return jsonWhere(data, io.ErrUnexpectedEOF)
		}
		return jsonWhere(data, err)
	}
	// The syntax is sound, so the scan's unknown key is one. The json
	// package reports the first of its errors in the input's order, an
	// unknown key before a type error after it.
	if typ, ok := errors.AsType[*json.UnmarshalTypeError](err); unknown && (err == nil || ok && u.off < typ.Offset) {
		return errors.New(u.message(data))
	}
	if err != nil {
		return jsonWhere(data, err)
	}
	return nil
}

// readInput reads all of r. A file (anything with a Stat, as an *os.File
// has) is read into one buffer of its size: io.ReadAll's doubling copied a
// 100 MB Problem twice over and left as much again of garbage beside the
// decoder's own copy, seconds and hundreds of MB before a word of
// validation.
func readInput(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 && fi.Size() < math.MaxInt32 {
			buf.Grow(int(fi.Size()) + bytes.MinRead)
		}
	}
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// problemIn is the JSON form of a Problem with the limit series kept raw:
// a Series decoded by the json package cannot tell a missing or null limit
// from 0 kW, and its errors can name neither the feeder nor the place in
// the input. The outer fields shadow the embedded ones of the same name.
type problemIn struct {
	Problem
	Feeders []*feederIn `json:"feeders"`
	System  *systemIn   `json:"system"`
}

type feederIn struct {
	Feeder
	ImportLimitKW json.RawMessage `json:"import_limit_kw"`
	ExportLimitKW json.RawMessage `json:"export_limit_kw"`
}

type systemIn struct {
	System
	ImportLimitKW json.RawMessage `json:"import_limit_kw"`
}

// problem returns the Problem in, with a validator holding the errors of
// its limit series (each naming its feeder and field).
func (in *problemIn) problem() (*Problem, *validator) {
	v := &validator{}
	p := in.Problem
	p.Feeders = make([]Feeder, len(in.Feeders))
	for i, fi := range in.Feeders {
		if fi == nil {
			continue // a null feeder: missingFields names it
		}
		f := fi.Feeder
		name := fmt.Sprintf("feeders[%d] %q: ", i, f.ID)
		if s, ok := v.rawSeries(name+"import_limit_kw", fi.ImportLimitKW, true); ok {
			f.ImportLimitKW = *s
		}
		f.ExportLimitKW, _ = v.rawSeries(name+"export_limit_kw", fi.ExportLimitKW, false)
		p.Feeders[i] = f
	}
	if in.System != nil {
		s := in.System.System
		s.ImportLimitKW, _ = v.rawSeries("system: import_limit_kw", in.System.ImportLimitKW, false)
		p.System = &s
	}
	return &p, v
}

// rawSeries reads a limit given as a number or an array of numbers. It
// returns nil for an absent or null one, an error if it is required.
func (v *validator) rawSeries(name string, raw json.RawMessage, required bool) (*Series, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		if required {
			v.addf("%s: missing (a number, or an array with one number per slot)", name)
			return nil, false
		}
		return nil, true
	}
	if raw[0] != '[' {
		c, ok := v.rawNumber(name, raw)
		return &Series{Const: c}, ok
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		v.addf("%s: %w", name, err)
		return nil, false
	}
	s := &Series{Values: make([]float64, len(elems))}
	ok := true
	for t, e := range elems {
		var eok bool
		s.Values[t], eok = v.rawNumber(fmt.Sprintf("%s[%d]", name, t), bytes.TrimSpace(e))
		ok = ok && eok
	}
	return s, ok
}

// rawNumber reads one JSON number, naming the kind of anything else.
func (v *validator) rawNumber(name string, raw json.RawMessage) (float64, bool) {
	kind := "a number"
	switch raw[0] {
	case '"':
		kind = "a string"
	case '{':
		kind = "an object"
	case '[':
		kind = "an array"
	case 't', 'f':
		kind = "a boolean"
	case 'n':
		kind = "null"
	}
	if kind != "a number" {
		v.addf("%s: %s, want a number", name, kind)
		return 0, false
	}
	x, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		v.addf("%s: %s is not a finite number", name, raw)
		return 0, false
	}
	return x, true
}

// jsonWhere says where in the input data a decoding error is, which the
// json package's messages leave out, and names an empty or cut-short input.
func jsonWhere(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("the input is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the input ends in the middle of the JSON (cut short?): %w", err)
	case errors.As(err, &syn):
		return fmt.Errorf("%s: %w%s", at(data, syn.Offset), err, syntaxHint(data, syn.Offset))
	case errors.As(err, &typ):
		field, ok := pathAt(data, typ.Offset)
		if !ok || field == "" {
			field = typeErrorField(typ.Field)
		}
		return fmt.Errorf("%s: %s: %s, want %s", at(data, typ.Offset), field, typ.Value, jsonKind(typ.Type))
	}
	return err
}

// syntaxHint names the likely cause of a syntax error at byte off (from
// 1) that the json package's "invalid character" leaves a reader to
// guess: a NaN or Infinity written by a spreadsheet or a Python script,
// or a byte order mark an editor saved.
func syntaxHint(data []byte, off int64) string {
	if off < 1 || off > int64(len(data)) {
		return ""
	}
	if off == 1 && bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return " (the file starts with a byte order mark: save it as UTF-8 without one)"
	}
	// "nan" fails at its "a" (read as the start of null), the others at
	// their first letter.
	for _, from := range []int64{off - 1, off - 2} {
		if from < 0 {
			continue
		}
		for _, word := range []string{"NaN", "nan", "Infinity", "inf", "Inf"} {
			if bytes.HasPrefix(data[from:], []byte(word)) {
				return " (JSON has no NaN or Infinity: give a finite number)"
			}
		}
	}
	return ""
}

// typeErrorField is the JSON path of a type error's field (evs.arrive),
// without the Go names of the embedded structs decoding goes through.
func typeErrorField(path string) string {
	var keep []string
	for _, part := range strings.Split(path, ".") {
		switch part {
		case "", "Problem", "Feeder", "System":
		default:
			keep = append(keep, part)
		}
	}
	if len(keep) == 0 {
		return "the problem"
	}
	return strings.Join(keep, ".")
}

// jsonKind names what JSON a Go type is read from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64:
		return "an integer"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// Hours returns the slot length Δ in hours.
func (p *Problem) Hours() float64 { return float64(p.SlotMinutes) / 60 }
