// Package jsonwhere places an error of decoding a JSON document in the
// document, for the person who edits it: the byte where it starts and the
// path of the value at fault (chargers[3].max_charge_kw, where
// encoding/json names a Go struct path, chargers.max_charge_kw, that does
// not say which charger), and words an empty or cut-short input, which
// encoding/json calls "EOF" and "unexpected EOF".
//
// The adapters' configuration files, their register maps and the
// simulator's scenario files are read with it, and the telemetry
// decoder names kinds with Kind. It imports nothing of this module, so
// that a data package such as replay/scenario can use it. (The dispatch
// package, which imports nothing of this module by design, has its own.)
package jsonwhere

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Explain words err, an error of decoding the document b (one JSON value,
// decoded with DisallowUnknownFields or not): "the file is empty", "the
// file ends at byte N in the middle of the JSON (cut short?)", "at byte N:
// invalid character ...", "at byte N: chargers[3].max_charge_kw: a string,
// want a number", "at byte N: chargers[0]: unknown field \"colour\"".
// Any other error is returned as it is. A document that does not start as
// JSON does (a CSV, a log, a README given for the file) is said to be none,
// quoting how it starts, before the place: "at byte 0: a string, want an
// object" of a CSV whose first field is quoted left the reader to guess
// that the whole file was the wrong one.
func Explain(b []byte, err error) error {
	explained := explain(b, err)
	if errors.Is(err, io.EOF) {
		return explained
	}
	body := bytes.TrimLeft(b, " \t\r\n")
	if len(body) == 0 || body[0] == '{' || body[0] == '[' || bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		return explained
	}
	if bytes.HasPrefix(body, []byte("\x1f\x8b")) {
		// Quoted, its start is escaped binary that says nothing.
		return fmt.Errorf("not a JSON document (one object, {…}): it is gzip-compressed (a .v2grec recording?): %w", explained)
	}
	return fmt.Errorf("not a JSON document (one object, {…}): it starts with %s: %w", startOf(body), explained)
}

// maxStartShown is how many characters of a document's first line
// Explain quotes when the document is not JSON.
const maxStartShown = 40

// startOf quotes the start of body's first line, at most maxStartShown
// characters, "…" where it is cut.
func startOf(body []byte) string {
	line := body
	if i := bytes.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	if r := []rune(string(line)); len(r) > maxStartShown {
		q := strconv.Quote(string(r[:maxStartShown]))
		return q[:len(q)-1] + `…"`
	}
	return strconv.Quote(string(line))
}

// explain is Explain without the word on a document that is not JSON.
func explain(b []byte, err error) error {
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
		if _, _, ok := At(b, typ.Offset); !ok {
			return fmt.Errorf("at byte %d: %s: %s, want %s", typ.Offset, typ.Field, typ.Value, Want(typ.Type))
		}
	}
	if at, ok := Locate(b, err); ok {
		return fmt.Errorf("at byte %d: %s", at.Start, at)
	}
	return err
}

// Location is a decoding error placed in its document: the path of the
// value at fault, where it starts, and what is wrong with it.
type Location struct {
	Path  string // chargers[1].max_charge_kw; "" for the document itself
	Start int64
	What  string
}

// String is "path: what", or what alone for the document itself.
func (l Location) String() string {
	if l.Path == "" {
		return l.What
	}
	return l.Path + ": " + l.What
}

// Locate finds in b the value an error of decoding b is about: a value of
// the wrong type (by the decoder's offset) or an unknown field (by its key:
// the decoder's error names only the key). Each is the first in b, as the
// decoder's error is its first. ok is false for any other error.
func Locate(b []byte, err error) (Location, bool) {
	// Only the decoder's own type error: one wrapped in a field's
	// UnmarshalJSON has offsets of its own small document.
	if typ, isType := err.(*json.UnmarshalTypeError); isType {
		path, start, ok := At(b, typ.Offset)
		return Location{path, start, fmt.Sprintf("%s, want %s", kindAt(b, start), Want(typ.Type))}, ok
	}
	if key, isUnknown := unknownField(err); isUnknown {
		path, start, ok := Find(b, func(s []byte, isKey bool) bool {
			var k string
			return isKey && json.Unmarshal(s, &k) == nil && k == key
		})
		return Location{path, start, fmt.Sprintf("unknown field %q", key)}, ok
	}
	return Location{}, false
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

// Find finds the first key or scalar value of b whose bytes as written
// satisfy match, and returns the path of the value (for a key, of its
// object) and the offset where it starts. It places what the decoder
// gives no offset for, such as a field's own UnmarshalJSON error.
func Find(b []byte, match func(written []byte, isKey bool) bool) (path string, start int64, ok bool) {
	ok = walk(b, func(stack []pathStep, tok json.Token, at, end int64, isKey bool) bool {
		if _, isDelim := tok.(json.Delim); isDelim || !match(b[at:end], isKey) {
			return false
		}
		path, start = pathString(stack), at
		return true
	})
	return path, start, ok
}

// Join puts a path under a parent: settings + connector is
// settings.connector, settings + [0] is settings[0].
func Join(parent, path string) string {
	switch {
	case path == "":
		return parent
	case strings.HasPrefix(path, "["):
		return parent + path
	}
	return parent + "." + path
}

// pathStep is one level of walk: an object's key or an
// array's index.
type pathStep struct {
	array bool
	index int
	key   string
}

// At finds the value of the document b that the decoder's offset off
// falls in (the decoder reports the end of a scalar and the byte after a
// container's opening bracket) and returns its path (adapters[0].workers)
// and the offset where it starts.
func At(b []byte, off int64) (path string, start int64, ok bool) {
	ok = walk(b, func(stack []pathStep, tok json.Token, at, end int64, isKey bool) bool {
		_, isDelim := tok.(json.Delim)
		switch {
		case isKey, !isDelim && !(at < off && off <= end), isDelim && off > end:
			return false
		}
		path, start = pathString(stack), at
		return true
	})
	return path, start, ok
}

// walk reads the tokens of b in order and calls visit with each key,
// scalar and opening bracket: stack is the path to the token's container
// (a key's own object, before the key is taken), at and end bound its
// bytes, and isKey says it is an object's key (the decoder alternates key
// and value, which the walk follows with key != ""). It stops when visit
// returns true, and reports whether one did; a document that does not
// decode ends the walk there.
func walk(b []byte, visit func(stack []pathStep, tok json.Token, at, end int64, isKey bool) bool) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	var stack []pathStep
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		n := len(stack)
		d, isDelim := tok.(json.Delim)
		if isDelim && (d == '}' || d == ']') {
			stack = stack[:n-1]
			endValue(stack)
			continue
		}
		s, isStr := tok.(string)
		isKey := isStr && n > 0 && !stack[n-1].array && stack[n-1].key == ""
		if visit(stack, tok, TokenStart(b, before), dec.InputOffset(), isKey) {
			return true
		}
		switch {
		case isKey:
			stack[n-1].key = s
		case isDelim:
			stack = append(stack, pathStep{array: d == '['})
		default:
			endValue(stack)
		}
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
	return Kind(b[at:])
}

// Want names what a Go type accepts, in JSON's words: float64 takes "a
// number".
func Want(t reflect.Type) string {
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

// TokenStart is the offset of the token that starts at or after off: the
// decoder's offset is before the separators (',', ':', white space).
func TokenStart(b []byte, off int64) int64 {
	for off < int64(len(b)) {
		switch b[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// Kind names the kind of the JSON value v starts with, for messages: "a
// string", "an object", "an array", "a boolean", "null", "a number";
// "nothing" when v is empty.
func Kind(v []byte) string {
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
