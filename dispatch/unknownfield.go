package dispatch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// unknownFieldPrefix starts the json package's error for a field that
// DisallowUnknownFields rejects. That error is a plain string: it carries
// neither the field's place nor its path.
const unknownFieldPrefix = "json: unknown field "

// whereUnknown finds the first object key in data that decoding into a
// value of type t rejects as unknown, and returns it as "at byte N (line
// L, column C): evs[3]: unknown field "colour"", N the key's first byte counted from 1
// (the byte a syntax error there would name). ok is false when there is
// none (the error came from elsewhere) or data does not scan.
func whereUnknown(data []byte, t reflect.Type) (msg string, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	u, found, err := walkUnknown(dec, t, "")
	if !found || err != nil {
		return "", false
	}
	// The decoder's offset is where the previous token ended: the key
	// starts after the comma and blanks.
	off := u.off
	for off < int64(len(data)) && strings.IndexByte(", \t\r\n", data[off]) >= 0 {
		off++
	}
	return fmt.Sprintf("%s: %s: unknown field %q", at(data, off+1), u.where, u.key), true
}

// unknownKey is where walkUnknown found an unknown key.
type unknownKey struct {
	off        int64
	where, key string
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// walkUnknown reads one value from dec, which has type t (at JSON path
// path), and reports the first unknown key in it.
func walkUnknown(dec *json.Decoder, t reflect.Type, path string) (unknownKey, bool, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) || t.Kind() == reflect.Interface {
		// Read as a whole by its own decoder: no unknown keys here.
		var skip json.RawMessage
		return unknownKey{}, false, dec.Decode(&skip)
	}
	tok, err := dec.Token()
	if err != nil {
		return unknownKey{}, false, err
	}
	switch tok {
	case json.Delim('{'):
		fields := jsonFields(t)
		for dec.More() {
			off := dec.InputOffset()
			kt, err := dec.Token()
			if err != nil {
				return unknownKey{}, false, err
			}
			key, _ := kt.(string)
			var ft reflect.Type
			switch t.Kind() {
			case reflect.Map:
				ft = t.Elem()
			case reflect.Struct:
				ft = fields[strings.ToLower(key)]
				if ft == nil {
					where := path
					if where == "" {
						where = "the problem"
					}
					return unknownKey{off, where, key}, true, nil
				}
			default:
				return unknownKey{}, false, nil // a type error, reported as such
			}
			sub := key
			if path != "" {
				sub = path + "." + key
			}
			if u, found, err := walkUnknown(dec, ft, sub); found || err != nil {
				return u, found, err
			}
		}
		_, err = dec.Token()
		return unknownKey{}, false, err
	case json.Delim('['):
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return unknownKey{}, false, nil
		}
		for i := 0; dec.More(); i++ {
			if u, found, err := walkUnknown(dec, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); found || err != nil {
				return u, found, err
			}
		}
		_, err = dec.Token()
		return unknownKey{}, false, err
	}
	return unknownKey{}, false, nil
}

// jsonFields maps the lower-cased JSON names of struct t's fields (the json
// package matches keys without regard to case) to their types. A field of
// t shadows one of the same name in a struct t embeds.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := map[string]reflect.Type{}
	if t.Kind() != reflect.Struct {
		return fields
	}
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			embedded = append(embedded, f.Type)
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		fields[strings.ToLower(tag)] = f.Type
	}
	for _, e := range embedded {
		for k, v := range jsonFields(e) {
			if _, ok := fields[k]; !ok {
				fields[k] = v
			}
		}
	}
	return fields
}
