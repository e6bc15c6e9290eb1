package dispatch

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// unknownKey is a key that decoding would reject as unknown, as
// firstUnknownKey found it: the json package's own error carries neither
// the field's place nor its path.
type unknownKey struct {
	off        int64 // of the key's opening quote
	where, key string
}

// message says where the key is, as "at byte N (line L, column C):
// evs[3]: unknown field "colour"", N the key's first byte counted from 1
// (the byte a syntax error there would name).
func (u unknownKey) message(data []byte) string {
	return fmt.Sprintf("%s: %s: unknown field %q", at(data, u.off+1), u.where, u.key)
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

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
