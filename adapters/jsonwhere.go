package adapters

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// decodeError words an error of decoding a --adapters file for the person
// editing it: where in the file, which element (chargers[3].max_charge_kw,
// not Go's ChargerConfig.chargers.max_charge_kw, which names no charger) and
// what was there. encoding/json says "EOF" for an empty file and
// "unexpected EOF" for one cut short, naming neither.
func decodeError(b []byte, err error) error {
	var syn *json.SyntaxError
	// Only the decoder's own type error: one wrapped in a field's
	// UnmarshalJSON (Duration's) has offsets of its own small document.
	typ, isType := err.(*json.UnmarshalTypeError)
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("the file is empty: want one JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the file ends at byte %d in the middle of the JSON (cut short?)", len(b))
	case errors.As(err, &syn):
		return fmt.Errorf("at byte %d: %w", syn.Offset, err)
	case isType:
		path, start, ok := valueAt(b, typ.Offset)
		if !ok {
			return fmt.Errorf("at byte %d: %s: %s, want %s", typ.Offset, typ.Field, typ.Value, wantKind(typ.Type))
		}
		return fmt.Errorf("at byte %d: %s: %s, want %s", start, path, kindAt(b, start), wantKind(typ.Type))
	}
	return err
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
