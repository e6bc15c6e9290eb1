package dispatch

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// pathAt returns the JSON path ("evs[1].max_charge_kw") of the value of
// data at byte offset off, where the json package puts a type error: the
// end of a number, string or literal, or just past the opening bracket of
// an object or array. Its error names the field by the Go struct path
// ("evs.max_charge_kw"), which does not say which of a thousand EVs it is.
// ok is false when data does not scan up to off.
func pathAt(data []byte, off int64) (path string, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	path, found, err := walkToOffset(dec, off, "")
	return path, found && err == nil
}

// walkToOffset reads one value from dec, at JSON path path, and returns
// the path of the first value in it that reaches off: a scalar that ends
// there or after, a container whose opening bracket does (found false
// when the whole value lies before off).
func walkToOffset(dec *json.Decoder, off int64, path string) (string, bool, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", false, err
	}
	if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') && dec.InputOffset() >= off {
		return path, true, nil
	}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return "", false, err
			}
			key, _ := kt.(string)
			sub := key
			if path != "" {
				sub = path + "." + key
			}
			if p, found, err := walkToOffset(dec, off, sub); found || err != nil {
				return p, found, err
			}
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if p, found, err := walkToOffset(dec, off, fmt.Sprintf("%s[%d]", path, i)); found || err != nil {
				return p, found, err
			}
		}
	default:
		return path, dec.InputOffset() >= off, nil
	}
	_, err = dec.Token()
	return "", false, err
}
