package adapters

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// lineDecoder decodes journal lines laid out as Append writes them
// (json.Marshal of a Record: no white space, known keys, strings without
// escapes) without encoding/json, which was 83 % of opening a month's
// journal. It is only a fast path: for any line it is not certain of
// (an escape, a key it does not know or meets twice, white space, null,
// a number or time that does not parse, damage of any kind) it says so
// and the caller decodes the line with json.Unmarshal, which then
// accepts or reports it exactly as before. When it accepts a line, the
// Record is the one json.Unmarshal would have made of it
// (FuzzLineDecoderIsUnmarshal, TestLineDecoderOnEveryFixture).
//
// A lineDecoder is used by one scan at a time.
type lineDecoder struct {
	// skimming checks every field as decode does but keeps only seq, ts
	// and kind (skim): a record the reader will not look at costs no
	// allocation.
	skimming bool
	// last is, per field, the string the line before held there: a batch
	// of a thousand records repeats its kind, operator, event, reason and
	// adapter, and reusing it saves an allocation and a map look-up.
	last [numFields]string
	// known holds the strings met in earlier lines (chargers, mostly):
	// a month repeats a few thousand names millions of times, and one
	// copy of each saves an allocation per field.
	known map[string]string
	// lastTime is, per time field, the bytes and time of the line
	// before: a batch's records share their times.
	lastTime [numFields]struct {
		raw []byte
		t   time.Time
	}
}

// pointees holds what one record's pointer fields point at, allocated
// once for the record rather than once a field: the times of a setpoint
// record, the floats of a setpoint or result.
type pointees struct {
	times  *[3]time.Time // data_ts, valid_from, valid_until
	floats *[3]float64   // kw, requested_kw, applied_kw
}

// maxKnownStrings bounds lineDecoder.known, so a journal of unique
// reasons cannot make it grow with the file.
const maxKnownStrings = 4096

// The fields of a Record a line may hold, by bit.
const (
	fSeq = iota
	fTS
	fDataTS
	fKind
	fOperator
	fEvent
	fReason
	fCharger
	fSetpoint
	fAdapter
	fKW
	fRequestedKW
	fValidFrom
	fValidUntil
	fStatus
	fAppliedKW
	fDetail
	fDryRun
	numFields
)

// fieldOf returns the field a key names exactly as json.Marshal writes
// it, or -1: encoding/json matches keys without regard to case and
// ignores unknown ones, which the fast path leaves to it.
func fieldOf(key []byte) int {
	switch string(key) {
	case "seq":
		return fSeq
	case "ts":
		return fTS
	case "data_ts":
		return fDataTS
	case "kind":
		return fKind
	case "operator":
		return fOperator
	case "event":
		return fEvent
	case "reason":
		return fReason
	case "charger":
		return fCharger
	case "setpoint":
		return fSetpoint
	case "adapter":
		return fAdapter
	case "kw":
		return fKW
	case "requested_kw":
		return fRequestedKW
	case "valid_from":
		return fValidFrom
	case "valid_until":
		return fValidUntil
	case "status":
		return fStatus
	case "applied_kw":
		return fAppliedKW
	case "detail":
		return fDetail
	case "dry_run":
		return fDryRun
	}
	return -1
}

// decode decodes line, a complete journal line with its newline, into
// rec and reports whether it could be certain of it. When it reports
// false, rec is to be thrown away and the line decoded by json.Unmarshal.
func (d *lineDecoder) decode(line []byte, rec *Record) bool {
	n := len(line)
	if n < 3 || line[n-1] != '\n' || line[0] != '{' || line[n-2] != '}' {
		return false
	}
	b := line[:n-1]
	last := len(b) - 1 // the closing brace
	*rec = Record{}
	i := 1
	if i == last {
		return true // {}: decoded as json.Unmarshal does, refused by notRecord
	}
	var seen uint32
	var p pointees // each allocated with its first field
	for {
		key, next, ok := plainString(b, i)
		if !ok || next >= last || b[next] != ':' {
			return false
		}
		f := fieldOf(key)
		if f < 0 || seen&(1<<f) != 0 {
			return false
		}
		seen |= 1 << f
		if i, ok = d.value(b, next+1, f, rec, &p); !ok || i > last {
			return false
		}
		switch b[i] {
		case ',':
			i++
		case '}':
			return i == last
		default:
			return false
		}
	}
}

// float returns the record's floats, allocated on first use.
func (p *pointees) float() *[3]float64 {
	if p.floats == nil {
		p.floats = new([3]float64)
	}
	return p.floats
}

// time returns the record's times, allocated on first use.
func (p *pointees) time() *[3]time.Time {
	if p.times == nil {
		p.times = new([3]time.Time)
	}
	return p.times
}

// skim is decode keeping only rec's Seq, TS and Kind: it accepts exactly
// the lines decode accepts, for a reader that wants the rest of the
// record only when its time is right (ScanJournalFrom).
func (d *lineDecoder) skim(line []byte, rec *Record) bool {
	d.skimming = true
	defer func() { d.skimming = false }()
	return d.decode(line, rec)
}

// skimValue checks the value of field f at b[i] as value does, keeping
// nothing, and returns the index just past it.
func (d *lineDecoder) skimValue(b []byte, i, f int) (int, bool) {
	switch f {
	case fDryRun:
		var v bool
		return boolValue(b, i, &v)
	case fKW, fRequestedKW, fAppliedKW:
		var v float64
		return floatValue(b, i, &v)
	case fDataTS, fValidFrom, fValidUntil:
		var t time.Time
		return d.timeValue(b, i, f, &t)
	}
	_, next, ok := plainString(b, i)
	return next, ok
}

// value decodes the value of field f starting at b[i] into rec, pointer
// fields into p, and returns the index just past it.
func (d *lineDecoder) value(b []byte, i, f int, rec *Record, p *pointees) (int, bool) {
	if d.skimming && f != fSeq && f != fTS && f != fKind {
		return d.skimValue(b, i, f)
	}
	switch f {
	case fSeq:
		return uintValue(b, i, &rec.Seq)
	case fDryRun:
		return boolValue(b, i, &rec.DryRun)
	case fKW:
		rec.KW = &p.float()[0]
		return floatValue(b, i, rec.KW)
	case fRequestedKW:
		rec.RequestedKW = &p.float()[1]
		return floatValue(b, i, rec.RequestedKW)
	case fAppliedKW:
		rec.AppliedKW = &p.float()[2]
		return floatValue(b, i, rec.AppliedKW)
	case fTS:
		return d.timeValue(b, i, f, &rec.TS)
	case fDataTS:
		rec.DataTS = &p.time()[0]
		return d.timeValue(b, i, f, rec.DataTS)
	case fValidFrom:
		rec.ValidFrom = &p.time()[1]
		return d.timeValue(b, i, f, rec.ValidFrom)
	case fValidUntil:
		rec.ValidUntil = &p.time()[2]
		return d.timeValue(b, i, f, rec.ValidUntil)
	}
	s, next, ok := plainString(b, i)
	if !ok {
		return 0, false
	}
	switch f {
	case fKind:
		rec.Kind = RecordKind(d.str(f, s))
	case fOperator:
		rec.Operator = d.str(f, s)
	case fEvent:
		rec.Event = d.str(f, s)
	case fReason:
		rec.Reason = d.str(f, s)
	case fCharger:
		rec.Charger = d.str(f, s)
	case fSetpoint:
		rec.Setpoint = string(s) // unique to its setpoint and result: not worth keeping
	case fAdapter:
		rec.Adapter = d.str(f, s)
	case fStatus:
		rec.Status = Status(d.str(f, s))
	case fDetail:
		rec.Detail = d.str(f, s)
	default:
		return 0, false
	}
	return next, true
}

// str returns s, the contents of field f, as a string: the one the line
// before held there, or one met before, when s is the same.
func (d *lineDecoder) str(f int, s []byte) string {
	if d.last[f] == string(s) {
		return d.last[f]
	}
	v, ok := d.known[string(s)]
	if !ok {
		v = string(s)
		if d.known == nil {
			d.known = make(map[string]string)
		}
		if len(d.known) < maxKnownStrings {
			d.known[v] = v
		}
	}
	d.last[f] = v
	return v
}

// plainString returns the contents of the JSON string at b[i] and the
// index past its closing quote, when it holds no escape and no control
// byte and is valid UTF-8: then its contents are its bytes, as
// encoding/json would decode them (it replaces invalid UTF-8, so such a
// string is left to it).
func plainString(b []byte, i int) (s []byte, next int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, 0, false
	}
	ascii := true
	j := i + 1
	for {
		for j < len(b) && plainASCII[b[j]] {
			j++
		}
		if j == len(b) {
			return nil, 0, false
		}
		c := b[j]
		if c < utf8.RuneSelf {
			break // a quote, a backslash or a control byte
		}
		ascii = false
		j++
	}
	if b[j] != '"' {
		return nil, 0, false
	}
	s = b[i+1 : j]
	if !ascii && !utf8.Valid(s) {
		return nil, 0, false
	}
	return s, j + 1, true
}

// plainASCII says which bytes a JSON string holds as they are, one byte
// one character: ASCII but control bytes, the quote and the backslash.
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// uintValue decodes a JSON number that is a plain decimal integer (what
// encoding/json puts in a uint64) at b[i].
func uintValue(b []byte, i int, v *uint64) (int, bool) {
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j == i || (b[i] == '0' && j > i+1) {
		return 0, false // no digit, or a leading zero JSON does not allow
	}
	n, err := strconv.ParseUint(string(b[i:j]), 10, 64)
	if err != nil {
		return 0, false
	}
	*v = n
	return j, true
}

// floatValue decodes a JSON number at b[i] as encoding/json does into a
// float64: checked against JSON's grammar, then strconv.ParseFloat.
func floatValue(b []byte, i int, v *float64) (int, bool) {
	j, ok := jsonNumberEnd(b, i)
	if !ok {
		return 0, false
	}
	x, err := strconv.ParseFloat(string(b[i:j]), 64)
	if err != nil {
		return 0, false
	}
	*v = x
	return j, true
}

// jsonNumberEnd returns the index past the JSON number at b[i]:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumberEnd(b []byte, i int) (int, bool) {
	digits := func(j int) int {
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j
	}
	j := i
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case j < len(b) && b[j] >= '1' && b[j] <= '9':
		j = digits(j)
	default:
		return 0, false
	}
	if j < len(b) && b[j] == '.' {
		k := digits(j + 1)
		if k == j+1 {
			return 0, false
		}
		j = k
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		k := digits(j)
		if k == j {
			return 0, false
		}
		j = k
	}
	return j, true
}

// boolValue decodes the JSON literal true or false at b[i].
func boolValue(b []byte, i int, v *bool) (int, bool) {
	switch {
	case hasAt(b, i, "true"):
		*v = true
		return i + len("true"), true
	case hasAt(b, i, "false"):
		*v = false
		return i + len("false"), true
	}
	return 0, false
}

// hasAt reports whether b holds lit at i.
func hasAt(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

// timeValue decodes the JSON string at b[i], the value of field f, with
// time.Time's own UnmarshalJSON, which is what encoding/json calls with
// the same bytes; the same bytes as the line before give the same time.
func (d *lineDecoder) timeValue(b []byte, i, f int, t *time.Time) (int, bool) {
	_, next, ok := plainString(b, i)
	if !ok {
		return 0, false
	}
	raw := b[i:next]
	c := &d.lastTime[f]
	if c.raw != nil && string(c.raw) == string(raw) {
		*t = c.t
		return next, true
	}
	if err := t.UnmarshalJSON(raw); err != nil {
		return 0, false
	}
	c.raw = append(c.raw[:0], raw...)
	c.t = *t
	return next, true
}
