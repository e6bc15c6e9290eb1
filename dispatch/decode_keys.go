package dispatch

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// keyScanner finds the first object key of a JSON document that decoding
// into a Go type would reject as unknown, reading the bytes in place.
// DecodeProblem used json.Decoder's DisallowUnknownFields, and the
// decoder keeps its own copy of the whole input, grown by doubling: with
// the copy DecodeProblem keeps for its messages, a 100 MB Problem took
// some 500 MB and seconds of copying before a word of validation. The
// scanner allocates nothing but the field maps of the types it meets.
//
// The document must be valid JSON (json.Unmarshal has checked it): the
// scanner does not look for syntax errors, and stops, reporting nothing,
// at anything it cannot read.
type keyScanner struct {
	data   []byte
	pos    int
	fields map[reflect.Type]map[string]reflect.Type
	path   []pathPart // where the scanner is, for the message
	// lengths counts the elements of each array directly under the top
	// object, by key: the decoding is given slices of that capacity, as
	// growing a fleet's []EV one append at a time copied it over and over.
	lengths map[string]int
}

// maxScanDepth is how deeply nested the scan follows the input, as the
// json package's own limit: the scan runs before the decoding has checked
// the syntax, and its recursion must not exhaust the stack on a file of
// ten million opening brackets.
const maxScanDepth = 10000

// pathPart is one step of a JSON path: a key, or an index when key is nil.
type pathPart struct {
	key   []byte
	index int
}

// scanKeys returns the first key in data that decoding into a value of
// type t rejects as unknown (found false when there is none): the byte
// offset of its opening quote, its path ("evs[3]", "the problem" at the
// top) and the key. lengths holds the number of elements of each array
// directly under the top object, by its key, up to the unknown key. On
// data that is not valid JSON the answers mean nothing, but the scan ends:
// every step reads at least one byte, and it goes no deeper than
// maxScanDepth.
func scanKeys(data []byte, t reflect.Type) (u unknownKey, found bool, lengths map[string]int) {
	s := &keyScanner{data: data, fields: map[reflect.Type]map[string]reflect.Type{}, lengths: map[string]int{}}
	s.space()
	u, found = s.value(t)
	return u, found, s.lengths
}

// value reads one value of type t (nil: a type without fields to check)
// and reports the first unknown key in it.
func (s *keyScanner) value(t reflect.Type) (unknownKey, bool) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && (t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) || t.Kind() == reflect.Interface) {
		t = nil // read as a whole by its own decoder: no unknown keys here
	}
	if s.pos >= len(s.data) || len(s.path) > maxScanDepth {
		s.pos = len(s.data)
		return unknownKey{}, false
	}
	switch s.data[s.pos] {
	case '{':
		return s.object(t)
	case '[':
		return s.array(t)
	case '"':
		s.str()
	default:
		s.literal()
	}
	return unknownKey{}, false
}

// object reads an object of type t from its opening brace.
func (s *keyScanner) object(t reflect.Type) (unknownKey, bool) {
	var fields map[string]reflect.Type
	if t != nil && t.Kind() == reflect.Struct {
		fields = s.fieldsOf(t)
	}
	s.pos++ // {
	for s.space(); s.pos < len(s.data) && s.data[s.pos] != '}'; s.space() {
		start := s.pos
		key, ok := s.key()
		if !ok {
			return unknownKey{}, false
		}
		var ft reflect.Type
		switch {
		case t == nil:
		case t.Kind() == reflect.Map:
			ft = t.Elem()
		case t.Kind() == reflect.Struct:
			ft = lookupField(fields, key)
			if ft == nil {
				return unknownKey{off: int64(start), where: s.where(), key: string(key)}, true
			}
		}
		// Anything else is an object where t is not read from one: a
		// type error, which the decoding reports as such.
		s.space()
		s.pos++ // :
		s.space()
		s.path = append(s.path, pathPart{key: key})
		u, found := s.value(ft)
		s.path = s.path[:len(s.path)-1]
		if found {
			return u, true
		}
		s.space()
		if s.pos < len(s.data) && s.data[s.pos] == ',' {
			s.pos++
		}
	}
	s.pos++ // }
	return unknownKey{}, false
}

// array reads an array of type t from its opening bracket.
func (s *keyScanner) array(t reflect.Type) (unknownKey, bool) {
	var et reflect.Type
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		et = t.Elem()
	}
	s.pos++ // [
	for i := 0; ; i++ {
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] == ']' {
			break
		}
		s.path = append(s.path, pathPart{index: i})
		u, found := s.value(et)
		s.path = s.path[:len(s.path)-1]
		if found {
			return u, true
		}
		s.space()
		if s.pos < len(s.data) && s.data[s.pos] == ',' {
			s.pos++
		}
		if len(s.path) == 1 {
			s.lengths[string(s.path[0].key)] = i + 1
		}
	}
	s.pos++ // ]
	return unknownKey{}, false
}

// key reads an object key and returns it unquoted. It is a slice of the
// input unless it has escapes, so a fleet's keys cost no allocation.
func (s *keyScanner) key() ([]byte, bool) {
	start := s.pos
	s.str()
	if s.pos > len(s.data) || s.pos-start < 2 {
		return nil, false
	}
	raw := s.data[start:s.pos]
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1], true
	}
	var k string
	if err := json.Unmarshal(raw, &k); err != nil {
		return nil, false
	}
	return []byte(k), true
}

// lookupField is the type of the field key names in fields, the json
// package's case-insensitive match as jsonFields keys it; nil when there is
// none.
func lookupField(fields map[string]reflect.Type, key []byte) reflect.Type {
	for _, c := range key {
		if c >= 'A' && c <= 'Z' || c >= 0x80 {
			return fields[strings.ToLower(string(key))]
		}
	}
	return fields[string(key)] // no allocation: the compiler reads key in place
}

// str skips a string from its opening quote.
func (s *keyScanner) str() {
	s.pos++ // "
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\\':
			s.pos += 2
		case '"':
			s.pos++
			return
		default:
			s.pos++
		}
	}
}

// literal skips a number, true, false or null.
func (s *keyScanner) literal() {
	start := s.pos
	for ; s.pos < len(s.data); s.pos++ {
		switch s.data[s.pos] {
		case ',', ']', '}', ' ', '\t', '\r', '\n':
			if s.pos == start {
				// Not a value at all (the input is not JSON): step
				// over it, so that every loop of the scan moves on.
				s.pos++
			}
			return
		}
	}
}

// space skips JSON white space.
func (s *keyScanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

// fieldsOf is jsonFields(t), made once per type.
func (s *keyScanner) fieldsOf(t reflect.Type) map[string]reflect.Type {
	f, ok := s.fields[t]
	if !ok {
		f = jsonFields(t)
		s.fields[t] = f
	}
	return f
}

// where is the path of the object the scanner is in ("evs[3]"), "the
// problem" at the top.
func (s *keyScanner) where() string {
	if len(s.path) == 0 {
		return "the problem"
	}
	return s.pathString()
}

// pathString is the JSON path of where the scanner is ("evs[3].arrive"),
// "" at the top.
func (s *keyScanner) pathString() string {
	var b strings.Builder
	for i, p := range s.path {
		switch {
		case p.key == nil:
			b.WriteString("[" + strconv.Itoa(p.index) + "]")
		case i > 0:
			b.WriteString("." + string(p.key))
		default:
			b.Write(p.key)
		}
	}
	return b.String()
}
