package feeds

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/v2gdesk/v2gdesk/feeds/jsonwhere"
)

// fields reads the members of one JSON object with sticky errors: after the
// first problem every read returns a zero value, and err holds that problem.
// Reading fields in a fixed order makes the reported problem deterministic.
type fields struct {
	kind string // names the object in messages: "charger", "hello feeders[2]"
	id   string // the object's id once read, to name it in messages
	m    []member
	// mayDup: a name may occur twice, so lookups must scan to the end.
	// Otherwise they start after the previous hit: frames list their
	// fields in the order they are read, so most lookups take one compare.
	mayDup bool
	cur    int
	sp     splitter
	errp   **RejectError // the first problem; shared with nested objects
}

// errFallbackReject is recorded when a nested value makes the fast scanner
// decline; decodeWith then starts over on encoding/json.
var errFallbackReject = &RejectError{Reason: RejectBadJSON, Detail: "fast scanner declined"}

// fail records the first problem, naming the object it was found in.
func (f *fields) fail(r RejectReason, format string, args ...any) {
	if *f.errp != nil {
		return
	}
	// Concatenation, not fmt, for the name: passing f's own fields to fmt
	// would make escape analysis move every decoder's member buffer to the heap.
	what := f.kind + ": "
	if f.id != "" {
		what = f.kind + " " + strconv.Quote(f.id) + ": "
	}
	*f.errp = &RejectError{Reason: r, Detail: what + fmt.Sprintf(format, args...)}
}

// splitErr records a failure to split a nested value.
func (f *fields) splitErr(key string, err error) {
	if err == errFallback {
		if *f.errp == nil {
			*f.errp = errFallbackReject
		}
		return
	}
	f.fail(RejectBadJSON, "%s: %v", key, err)
}

// get returns the raw value of key (the last one when repeated), or nil when
// it is absent or null: protocol v1 treats null like an absent field.
func (f *fields) get(key string) []byte {
	var v []byte
	if f.mayDup {
		for i := range f.m {
			if string(f.m[i].key) == key {
				v = f.m[i].val
			}
		}
	} else {
		n := len(f.m)
		for k := 0; k < n; k++ {
			i := f.cur + k
			if i >= n {
				i -= n
			}
			if string(f.m[i].key) == key {
				v = f.m[i].val
				if f.cur = i + 1; f.cur == n {
					f.cur = 0
				}
				break
			}
		}
	}
	if len(v) == 4 && string(v) == "null" {
		return nil
	}
	return v
}

// str reads a string. required: absent or "" is RejectMissingField.
func (f *fields) str(key string, required bool) string {
	if *f.errp != nil {
		return ""
	}
	v := f.get(key)
	if v == nil {
		if required {
			f.fail(RejectMissingField, "%s missing", key)
		}
		return ""
	}
	s, ok := decodeString(v)
	if !ok {
		f.fail(RejectBadJSON, "%s: want a string, got %s", key, JSONKind(v))
		return ""
	}
	if required && s == "" {
		f.fail(RejectMissingField, "%s empty", key)
	}
	return s
}

// rawStr returns the string's bytes without allocating when it has no
// escapes, for values compared against a fixed set (state, kind, status).
func (f *fields) rawStr(key string) ([]byte, bool) {
	if *f.errp != nil {
		return nil, false
	}
	v := f.get(key)
	if v == nil {
		f.fail(RejectMissingField, "%s missing", key)
		return nil, false
	}
	if v[0] != '"' {
		f.fail(RejectBadJSON, "%s: want a string, got %s", key, JSONKind(v))
		return nil, false
	}
	if plainString(v) {
		return v[1 : len(v)-1], true
	}
	s, _ := decodeString(v)
	return []byte(s), true
}

// num reads a power, energy or price: a finite number of magnitude at most
// MaxMagnitude. It reports whether the field was present; a required absent
// field is RejectMissingField.
func (f *fields) num(key string, required bool) (float64, bool) {
	x, ok := f.float(key, required)
	if ok && math.Abs(x) > MaxMagnitude {
		f.fail(RejectOutOfRange, "%s %v is beyond ±%g", key, x, float64(MaxMagnitude))
		return 0, false
	}
	return x, ok
}

// float reads any finite number, for the counts whose callers bound them.
func (f *fields) float(key string, required bool) (float64, bool) {
	if *f.errp != nil {
		return 0, false
	}
	v := f.get(key)
	if v == nil {
		if required {
			f.fail(RejectMissingField, "%s missing", key)
		}
		return 0, false
	}
	if c := v[0]; c != '-' && (c < '0' || c > '9') {
		f.fail(RejectBadJSON, "%s: want a number, got %s", key, JSONKind(v))
		return 0, false
	}
	x := parseNumber(v)
	if math.IsInf(x, 0) || math.IsNaN(x) {
		f.fail(RejectOutOfRange, "%s %s is not a finite float64", key, v)
		return 0, false
	}
	return x, true
}

// numMin reads a number that must be at least lo.
func (f *fields) numMin(key string, required bool, lo float64) (float64, bool) {
	x, ok := f.num(key, required)
	if ok && x < lo {
		f.fail(RejectOutOfRange, "%s %v below %v", key, x, lo)
		return 0, false
	}
	return x, ok
}

// numIn reads a number that must lie in lo..hi.
func (f *fields) numIn(key string, required bool, lo, hi float64) (float64, bool) {
	x, ok := f.num(key, required)
	if ok && (x < lo || x > hi) {
		f.fail(RejectOutOfRange, "%s %v not in %v..%v", key, x, lo, hi)
		return 0, false
	}
	return x, ok
}

// boolean reads true or false.
func (f *fields) boolean(key string, required bool) bool {
	if *f.errp != nil {
		return false
	}
	v := f.get(key)
	switch {
	case v == nil:
		if required {
			f.fail(RejectMissingField, "%s missing", key)
		}
		return false
	case string(v) == "true":
		return true
	case string(v) == "false":
		return false
	}
	f.fail(RejectBadJSON, "%s: want true or false, got %s", key, JSONKind(v))
	return false
}

// time reads an RFC 3339 timestamp. Every timestamp problem, absence
// included, is RejectBadTime.
func (f *fields) time(key string, required bool) (time.Time, bool) {
	if *f.errp != nil {
		return time.Time{}, false
	}
	v := f.get(key)
	if v == nil {
		if required {
			f.fail(RejectBadTime, "%s missing", key)
		}
		return time.Time{}, false
	}
	if v[0] != '"' {
		f.fail(RejectBadJSON, "%s: want an RFC 3339 string, got %s", key, JSONKind(v))
		return time.Time{}, false
	}
	b := v[1 : len(v)-1]
	if !plainString(v) {
		s, _ := decodeString(v)
		b = []byte(s)
	}
	t, err := parseRFC3339(b)
	if err != nil {
		f.fail(RejectBadTime, "%s %q: %v", key, b, err)
		return time.Time{}, false
	}
	return t, true
}

// object returns the fields of a nested object (sharing f's error), or
// false when absent.
func (f *fields) object(key string) (fields, bool) {
	if *f.errp != nil {
		return fields{}, false
	}
	v := f.get(key)
	if v == nil {
		return fields{}, false
	}
	if v[0] != '{' {
		f.fail(RejectBadJSON, "%s: want an object, got %s", key, JSONKind(v))
		return fields{}, false
	}
	m, mayDup, err := f.sp.object(v, nil)
	if err != nil {
		f.splitErr(key, err)
		return fields{}, false
	}
	return fields{kind: f.kind + " " + key, m: m, mayDup: mayDup, sp: f.sp, errp: f.errp}, true
}

// array returns the raw elements of a nested array. required: absent is
// RejectMissingField (an empty array is fine).
func (f *fields) array(key string, required bool) ([][]byte, bool) {
	if *f.errp != nil {
		return nil, false
	}
	v := f.get(key)
	if v == nil {
		if required {
			f.fail(RejectMissingField, "%s missing", key)
		}
		return nil, false
	}
	if v[0] != '[' {
		f.fail(RejectBadJSON, "%s: want an array, got %s", key, JSONKind(v))
		return nil, false
	}
	a, err := f.sp.array(v, nil)
	if err != nil {
		f.splitErr(key, err)
		return nil, false
	}
	return a, true
}

// JSONKind names the kind of the JSON value v starts with, for messages
// (jsonwhere.Kind): "a string", "an object", "an array", "a boolean",
// "null", "a number"; "nothing" when v is empty.
func JSONKind(v []byte) string { return jsonwhere.Kind(v) }

// plainString reports whether the raw JSON string v can be used as is: no
// escapes and only ASCII, so no decoding or UTF-8 repair is needed.
func plainString(v []byte) bool {
	for _, c := range v[1 : len(v)-1] {
		if c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// decodeString decodes the raw JSON string v; ok is false when v is not a
// string. Escapes and invalid UTF-8 are handled by encoding/json (invalid
// bytes become U+FFFD) on both paths.
func decodeString(v []byte) (string, bool) {
	if v[0] != '"' {
		return "", false
	}
	if plainString(v) {
		return string(v[1 : len(v)-1]), true
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", false
	}
	return s, true
}

// pow10 holds the powers of ten that are exact in float64.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseNumber converts a raw JSON number (grammar already checked) to
// float64. Plain decimals with at most 15 significant digits take the exact
// fast path (an exact integer divided by an exact power of ten is correctly
// rounded); everything else goes to strconv. Overflow gives ±Inf.
func parseNumber(v []byte) float64 {
	i, neg := 0, false
	if v[0] == '-' {
		neg, i = true, 1
	}
	var mant uint64
	digits, frac, dot := 0, 0, false
	for ; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			if digits > 0 || c != '0' {
				digits++
			}
			mant = mant*10 + uint64(c-'0')
			if dot {
				frac++
			}
		case c == '.':
			dot = true
		default: // exponent
			digits = 99
		}
		if digits > 15 || frac >= len(pow10) {
			x, _ := strconv.ParseFloat(string(v), 64)
			return x
		}
	}
	x := float64(mant) / pow10[frac]
	if neg {
		x = -x
	}
	return x
}

// parseRFC3339 parses YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM), the profile of
// RFC 3339 protocol v1 uses (upper-case T and Z; 1 to 9 fraction digits). The
// result is in UTC: only the instant matters to v2gdesk. Times before the
// year 2000 are rejected as a device clock that was never set.
func parseRFC3339(b []byte) (time.Time, error) {
	if len(b) < 20 {
		return time.Time{}, errBadTimeFormat
	}
	num := func(i, n int) int {
		x := 0
		for k := i; k < i+n; k++ {
			c := b[k]
			if c < '0' || c > '9' {
				return -1
			}
			x = x*10 + int(c-'0')
		}
		return x
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || sec < 0 ||
		b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, errBadTimeFormat
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, errBadTimeValue
	}
	i, nsec := 19, 0
	if b[i] == '.' {
		i++
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if n < 9 {
				nsec = nsec*10 + int(b[i]-'0')
			}
			n++
			i++
		}
		if n == 0 || n > 9 {
			return time.Time{}, errBadTimeFormat
		}
		for ; n < 9; n++ {
			nsec *= 10
		}
	}
	var off int
	switch {
	case i == len(b)-1 && b[i] == 'Z':
	case i == len(b)-6 && (b[i] == '+' || b[i] == '-') && b[i+3] == ':':
		oh, om := num(i+1, 2), num(i+4, 2)
		if oh < 0 || om < 0 {
			return time.Time{}, errBadTimeFormat
		}
		if oh > 23 || om > 59 {
			return time.Time{}, errBadTimeValue
		}
		off = (oh*60 + om) * 60
		if b[i] == '-' {
			off = -off
		}
	default:
		return time.Time{}, errBadTimeFormat
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC).Add(-time.Duration(off) * time.Second)
	if t.Year() < 2000 {
		return time.Time{}, errTimeTooEarly
	}
	return t, nil
}

var (
	errBadTimeFormat = fmt.Errorf("not RFC 3339 (want e.g. 2024-02-04T18:00:00+08:00)")
	errBadTimeValue  = fmt.Errorf("a date or time field is out of range")
	errTimeTooEarly  = fmt.Errorf("before the year 2000 (a clock that was never set?)")
)

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
