package adapters

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/v2gdesk/v2gdesk/feeds/jsonwhere"
)

// CheckKeys checks the object keys of the one JSON document in b, at any
// depth (settings objects too). encoding/json keeps the last of two equal
// keys and matches keys to fields without regard to case, so
// {"max_discharge_kw": 0, "max_discharge_kw": 50} or an "MAX_CHARGE_KW"
// beside "max_charge_kw" would silently override a charger's bounds. It
// refuses, naming the key and its byte offset:
//
//   - a key that is not in lower-case ASCII: every key of the formats that
//     use CheckKeys is, so such a key is at best a case variant of one;
//   - a key equal to an earlier key of the same object (with keys in lower
//     case, that is also every pair encoding/json would take as equal);
//   - anything but white space after the document (a second document).
//
// Syntax errors are reported too, with their offset.
func CheckKeys(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := checkValue(dec, b); err != nil {
		return err
	}
	off := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return fmt.Errorf("after the document: %w", syntaxAt(err))
		}
		return fmt.Errorf("at byte %d: a second JSON value follows the document; the file must hold one", jsonwhere.TokenStart(b, off))
	}
	return nil
}

// checkValue reads one value from dec and checks the keys of its objects.
func checkValue(dec *json.Decoder, b []byte) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxAt(err)
	}
	switch tok {
	case json.Delim('{'):
		var keys []string
		for dec.More() {
			before := dec.InputOffset()
			kt, err := dec.Token()
			if err != nil {
				return syntaxAt(err)
			}
			key := kt.(string) // the decoder allows only strings here
			at := jsonwhere.TokenStart(b, before)
			for _, k := range keys {
				switch {
				case k == key:
					return fmt.Errorf("at byte %d: key %q appears twice in one object; the second would override the first", at, key)
				case strings.EqualFold(k, key):
					return fmt.Errorf("at byte %d: key %q is %q but for case, and would override it (keys are matched without regard to case)", at, key, k)
				}
			}
			if !lowerASCII(key) {
				return fmt.Errorf("at byte %d: key %q is not in lower case: keys are matched without regard to case, so it could stand in for another key", at, key)
			}
			keys = append(keys, key)
			if err := checkValue(dec, b); err != nil {
				return err
			}
		}
		_, err = dec.Token() // '}'
		return syntaxAt(err)
	case json.Delim('['):
		for dec.More() {
			if err := checkValue(dec, b); err != nil {
				return err
			}
		}
		_, err = dec.Token() // ']'
		return syntaxAt(err)
	}
	return nil
}

// lowerASCII reports whether s has no upper-case ASCII letter and no
// non-ASCII byte (which could fold to an ASCII letter: U+017F, U+212A).
func lowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// syntaxAt adds the offset to a syntax error.
func syntaxAt(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("at byte %d: %w", syn.Offset, err)
	}
	return err
}
