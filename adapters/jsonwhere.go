package adapters

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// decodeError words an error of decoding a --adapters file for the person
// editing it: where in the file, which element (chargers[3].max_charge_kw,
// not Go's ChargerConfig.chargers.max_charge_kw, which names no charger) and
// what was there. encoding/json says "EOF" for an empty file and
// "unexpected EOF" for one cut short, naming neither.
func decodeError(b []byte, err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("the file is empty: want one JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the file ends at byte %d in the middle of the JSON (cut short?)", len(b))
	case errors.As(err, &syn):
		return fmt.Errorf("at byte %d: %w", syn.Offset, err)
	}
	if typ, isType := err.(*json.UnmarshalTypeError); isType {
		if _, _, ok := valueAt(b, typ.Offset); !ok {
			return fmt.Errorf("at byte %d: %s: %s, want %s", typ.Offset, typ.Field, typ.Value, wantKind(typ.Type))
		}
	}
	if at, ok := locate(b, err); ok {
		return fmt.Errorf("at byte %d: %s", at.start, at)
	}
	return err
}

// DecodeDocument decodes the JSON document b (a file of its own, such as a
// Modbus register map) into v, refusing unknown fields, with errors that
// say where in b as decodeError does (at byte 40: setpoint.scale: a
// string, want a number).
func DecodeDocument(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(b, err)
	}
	return nil
}

// DecodeSettings decodes a kind's settings (an adapter's or a charger's)
// into v, refusing unknown fields. Its errors name the field as the file
// reads (settings.connector: a string, want a number), where Go's would
// say "Go struct field ChargerSettings.connector of type int" or, for a
// duration, name no field at all. Absent or empty settings leave v as it is.
func DecodeSettings(raw json.RawMessage, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	// The offsets are within the settings object, not the file: the
	// caller names the adapter or charger, this the field.
	if at, ok := locate(raw, err); ok {
		at.path = pathJoin("settings", at.path)
		return errors.New(at.String())
	}
	return fmt.Errorf("settings: %w", err)
}

// located is a decoding error placed in its document: the path of the
// value at fault, where it starts, and what is wrong with it.
type located struct {
	path  string // chargers[1].max_charge_kw; "" for the document itself
	start int64
	what  string
}

func (l located) String() string {
	if l.path == "" {
		return l.what
	}
	return l.path + ": " + l.what
}

// locate finds in b the value an error of decoding b is about: a value of
// the wrong type (by the decoder's offset), a duration that does not parse
// (by its bytes, as the decoder gives a field's UnmarshalJSON no offset),
// or an unknown field (by its key: the decoder's error names only the key).
// Each is the first in b, as the decoder's error is its first.
func locate(b []byte, err error) (located, bool) {
	// Only the decoder's own type error: one wrapped in a field's
	// UnmarshalJSON has offsets of its own small document.
	if typ, isType := err.(*json.UnmarshalTypeError); isType {
		path, start, ok := valueAt(b, typ.Offset)
		return located{path, start, fmt.Sprintf("%s, want %s", kindAt(b, start), wantKind(typ.Type))}, ok
	}
	var dur *DurationError
	if errors.As(err, &dur) {
		path, start, ok := tokenWhere(b, func(s []byte, isKey bool) bool { return !isKey && bytes.Equal(s, dur.Raw) })
		return located{path, start, dur.Error()}, ok
	}
	if key, isUnknown := unknownField(err); isUnknown {
		path, start, ok := tokenWhere(b, func(s []byte, isKey bool) bool {
			var k string
			return isKey && json.Unmarshal(s, &k) == nil && k == key
		})
		return located{path, start, fmt.Sprintf("unknown field %q", key)}, ok
	}
	return located{}, false
}

// unknownField returns the key of encoding/json's error for a field no
// struct field takes (under DisallowUnknownFields): it has no type of its
// own, only the message `json: unknown field "KEY"`.
func unknownField(err error) (string, bool) {
	rest, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return "", false
	}
	key, uerr := strconv.Unquote(rest)
	return key, uerr == nil
}

// tokenWhere finds the first key or scalar value of b whose bytes as
// written satisfy match, and returns the path of the value (for a key,
// of its object) and the offset where it starts.
func tokenWhere(b []byte, match func(written []byte, isKey bool) bool) (path string, start int64, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var stack []pathStep
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "", 0, false
		}
		at := tokenStart(b, before)
		written := b[at:dec.InputOffset()]
		n := len(stack)
		if d, isDelim := tok.(json.Delim); isDelim {
			if d == '{' || d == '[' {
				stack = append(stack, pathStep{array: d == '['})
			} else {
				stack = stack[:n-1]
				endValue(stack)
			}
			continue
		}
		// In an object the decoder alternates key and value, which the
		// walk follows with key != "" (as valueAt does).
		if s, isStr := tok.(string); isStr && n > 0 && !stack[n-1].array && stack[n-1].key == "" {
			if match(written, true) {
				return pathString(stack), at, true
			}
			stack[n-1].key = s
			continue
		}
		if match(written, false) {
			return pathString(stack), at, true
		}
		endValue(stack)
	}
}

// pathJoin puts a path under a parent: settings + connector is
// settings.connector, settings + [0] is settings[0].
func pathJoin(parent, path string) string {
	switch {
	case path == "":
		return parent
	case strings.HasPrefix(path, "["):
		return parent + path
	}
	return parent + "." + path
}

// pathStep is one level of the walk of valueAt: an object's key or an
// array's index.
type pathStep struct {
	array bool
	index int
	key   string
}

// valueAt finds the value of the document b that the decoder's offset off
// falls in (the decoder reports the end of a scalar and the byte after a
// container's opening bracket) and returns its path (adapters[0].workers)
// and the offset where it starts.
func valueAt(b []byte, off int64) (path string, start int64, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var stack []pathStep
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "", 0, false
		}
		isKey := false
		if n := len(stack); n > 0 && !stack[n-1].array {
			// In an object a string token is a key when the previous
			// value (or the opening brace) has been read: the decoder
			// alternates key and value, which we follow with key != "".
			if s, isStr := tok.(string); isStr && stack[n-1].key == "" {
				stack[n-1].key = s
				isKey = true
			}
		}
		if isKey {
			continue
		}
		if d, isDelim := tok.(json.Delim); isDelim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			endValue(stack)
			continue
		}
		at := tokenStart(b, before)
		if d, isDelim := tok.(json.Delim); isDelim {
			if off <= dec.InputOffset() {
				return pathString(stack), at, true
			}
			stack = append(stack, pathStep{array: d == '['})
			continue
		}
		if at < off && off <= dec.InputOffset() {
			return pathString(stack), at, true
		}
		endValue(stack)
	}
}

// endValue moves the innermost level past the value just read: the next
// index of an array, the next key of an object.
func endValue(stack []pathStep) {
	if n := len(stack); n > 0 {
		if stack[n-1].array {
			stack[n-1].index++
		} else {
			stack[n-1].key = ""
		}
	}
}

// pathString writes the path of the value the walk is at, as the file
// reads: chargers[1].max_charge_kw.
func pathString(stack []pathStep) string {
	var s string
	for _, st := range stack {
		switch {
		case st.array:
			s += "[" + strconv.Itoa(st.index) + "]"
		case st.key == "":
			// An object before its first key: a key of its own is
			// being looked at, and the path is the object's.
		case s == "":
			s = st.key
		default:
			s += "." + st.key
		}
	}
	return s
}

// kindAt names the kind of the JSON value starting at b[at]: "nothing"
// past the end.
func kindAt(b []byte, at int64) string {
	if at >= int64(len(b)) {
		return "nothing"
	}
	return feeds.JSONKind(b[at:])
}

// wantKind names what a Go type accepts, in JSON's words.
func wantKind(t reflect.Type) string {
	if t == nil {
		return "another kind of value"
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return t.String()
}
