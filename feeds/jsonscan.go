package feeds

import (
	"encoding/json"
	"errors"
	"fmt"
)

// This file splits JSON objects and arrays into raw member values. There are
// two implementations with the same results: a hand-written scanner (the fast
// path, no allocation) and encoding/json (the fallback). Decoding of the values
// themselves is shared (validate.go), so the two paths can only differ in how
// they split, and decode_test.go checks they never do.

// member is one name/value pair of a JSON object; val is the raw value without
// surrounding whitespace.
type member struct{ key, val []byte }

// errFallback tells the caller the fast scanner declines this input (an
// escaped key, very deep nesting); encoding/json decides instead.
var errFallback = errors.New("fast scanner declines input")

// errNotObject and errNotArray are valid JSON of the wrong kind.
var (
	errNotObject = errors.New("not a JSON object")
	errNotArray  = errors.New("not a JSON array")
)

// maxFastDepth bounds nesting on the fast path; deeper input goes to
// encoding/json, which has its own (larger) limit.
const maxFastDepth = 64

// syntaxError is a JSON syntax error found by the fast scanner.
type syntaxError struct {
	msg string
	off int
}

// Error implements error.
func (e *syntaxError) Error() string { return fmt.Sprintf("invalid JSON at byte %d: %s", e.off, e.msg) }

func synErr(msg string, off int) error { return &syntaxError{msg: msg, off: off} }

// splitter splits objects and arrays. fast selects the hand-written scanner.
type splitter struct{ fast bool }

// object splits the JSON object b into members appended to dst. Duplicate
// names are kept; lookups take the last, as encoding/json does. mayDup is
// false when no name can occur twice, which lets lookups stop at the first
// match.
func (s splitter) object(b []byte, dst []member) (m []member, mayDup bool, err error) {
	if s.fast {
		return fastObject(b, dst)
	}
	m, err = slowObject(b, dst)
	return m, false, err // a map holds each name once
}

// keyBit hashes a member name to one of 64 bits; two names with different
// bits differ. The hash has no collisions among the names of charger and
// feeder frames, the ones that arrive by the hundred thousand.
func keyBit(k []byte) uint64 {
	if len(k) == 0 {
		return 1
	}
	return 1 << ((uint(len(k))*2 + uint(k[0]) + uint(k[len(k)-1])*3) & 63)
}

// array splits the JSON array b into its raw elements appended to dst.
func (s splitter) array(b []byte, dst [][]byte) ([][]byte, error) {
	if s.fast {
		return fastArray(b, dst)
	}
	return slowArray(b, dst)
}

func slowObject(b []byte, dst []member) ([]member, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, errNotObject
		}
		return nil, err
	}
	if m == nil { // the literal null
		return nil, errNotObject
	}
	for k, v := range m {
		dst = append(dst, member{key: []byte(k), val: trimWS(v)})
	}
	return dst, nil
}

func slowArray(b []byte, dst [][]byte) ([][]byte, error) {
	var a []json.RawMessage
	if err := json.Unmarshal(b, &a); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, errNotArray
		}
		return nil, err
	}
	if a == nil {
		return nil, errNotArray
	}
	for _, v := range a {
		dst = append(dst, trimWS(v))
	}
	return dst, nil
}

func isWS(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipWS(b []byte, i int) int {
	for i < len(b) && isWS(b[i]) {
		i++
	}
	return i
}

func trimWS(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isWS(b[i]) {
		i++
	}
	for j > i && isWS(b[j-1]) {
		j--
	}
	return b[i:j]
}

// fastObject scans a complete JSON text that must be one object.
func fastObject(b []byte, dst []member) ([]member, bool, error) {
	m, seen, err := fastObjectBits(b, dst)
	return m, seen == ^uint64(0), err
}

// fastObjectBits is fastObject; its second result has a keyBit per name, or
// all bits set when two names share a bit (a possible duplicate).
func fastObjectBits(b []byte, dst []member) ([]member, uint64, error) {
	var seen uint64
	i := skipWS(b, 0)
	if i >= len(b) {
		return nil, 0, synErr("unexpected end of input", i)
	}
	if b[i] != '{' {
		// Valid JSON of another kind is a type error; anything else a syntax error.
		if end, err := skipValue(b, i, 1); err != nil {
			return nil, 0, err
		} else if skipWS(b, end) != len(b) {
			return nil, 0, synErr("data after the top-level value", end)
		}
		return nil, 0, errNotObject
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		i++
	} else {
		for {
			if i >= len(b) || b[i] != '"' {
				return nil, 0, synErr("expected a member name", i)
			}
			ks := i
			end, esc, err := scanString(b, i)
			if err != nil {
				return nil, 0, err
			}
			if esc {
				return nil, 0, errFallback
			}
			key := b[ks+1 : end-1]
			if bit := keyBit(key); seen&bit != 0 {
				seen = ^uint64(0)
			} else if seen != ^uint64(0) {
				seen |= bit
			}
			i = skipWS(b, end)
			if i >= len(b) || b[i] != ':' {
				return nil, 0, synErr("expected ':'", i)
			}
			i = skipWS(b, i+1)
			vs := i
			if i, err = skipValue(b, i, 2); err != nil {
				return nil, 0, err
			}
			dst = append(dst, member{key: key, val: b[vs:i]})
			i = skipWS(b, i)
			if i >= len(b) {
				return nil, 0, synErr("unexpected end of input", i)
			}
			if b[i] == ',' {
				i = skipWS(b, i+1)
				continue
			}
			if b[i] == '}' {
				i++
				break
			}
			return nil, 0, synErr("expected ',' or '}'", i)
		}
	}
	if i = skipWS(b, i); i != len(b) {
		return nil, 0, synErr("data after the top-level value", i)
	}
	return dst, seen, nil
}

// fastArray scans a complete JSON text that must be one array.
func fastArray(b []byte, dst [][]byte) ([][]byte, error) {
	i := skipWS(b, 0)
	if i >= len(b) {
		return nil, synErr("unexpected end of input", i)
	}
	if b[i] != '[' {
		if end, err := skipValue(b, i, 1); err != nil {
			return nil, err
		} else if skipWS(b, end) != len(b) {
			return nil, synErr("data after the top-level value", end)
		}
		return nil, errNotArray
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		i++
	} else {
		for {
			vs := i
			var err error
			if i, err = skipValue(b, i, 2); err != nil {
				return nil, err
			}
			dst = append(dst, b[vs:i])
			i = skipWS(b, i)
			if i >= len(b) {
				return nil, synErr("unexpected end of input", i)
			}
			if b[i] == ',' {
				i = skipWS(b, i+1)
				continue
			}
			if b[i] == ']' {
				i++
				break
			}
			return nil, synErr("expected ',' or ']'", i)
		}
	}
	if i = skipWS(b, i); i != len(b) {
		return nil, synErr("data after the top-level value", i)
	}
	return dst, nil
}

// skipValue returns the index just after the JSON value starting at b[i].
// depth is the nesting level of that value (the top level is 1).
func skipValue(b []byte, i, depth int) (int, error) {
	if i >= len(b) {
		return i, synErr("unexpected end of input", i)
	}
	switch c := b[i]; {
	case c == '"':
		end, _, err := scanString(b, i)
		return end, err
	case c == '{' || c == '[':
		if depth > maxFastDepth {
			return i, errFallback
		}
		return skipComposite(b, i, depth)
	case c == 't':
		return skipLiteral(b, i, "true")
	case c == 'f':
		return skipLiteral(b, i, "false")
	case c == 'n':
		return skipLiteral(b, i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		return scanNumber(b, i)
	default:
		return i, synErr(fmt.Sprintf("unexpected character %q", c), i)
	}
}

func skipComposite(b []byte, i, depth int) (int, error) {
	obj := b[i] == '{'
	close := byte(']')
	if obj {
		close = '}'
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == close {
		return i + 1, nil
	}
	for {
		var err error
		if obj {
			if i >= len(b) || b[i] != '"' {
				return i, synErr("expected a member name", i)
			}
			if i, _, err = scanString(b, i); err != nil {
				return i, err
			}
			i = skipWS(b, i)
			if i >= len(b) || b[i] != ':' {
				return i, synErr("expected ':'", i)
			}
			i = skipWS(b, i+1)
		}
		if i, err = skipValue(b, i, depth+1); err != nil {
			return i, err
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return i, synErr("unexpected end of input", i)
		}
		if b[i] == ',' {
			i = skipWS(b, i+1)
			continue
		}
		if b[i] == close {
			return i + 1, nil
		}
		return i, synErr("expected ',' or a closing bracket", i)
	}
}

func skipLiteral(b []byte, i int, lit string) (int, error) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return i, synErr("invalid literal", i)
	}
	return i + len(lit), nil
}

// scanString returns the index after the closing quote of the string starting
// at b[i] and whether it contains escapes. Like encoding/json it accepts any
// byte >= 0x20 (invalid UTF-8 is replaced when the value is decoded).
func scanString(b []byte, i int) (end int, esc bool, err error) {
	j := i + 1
	for j < len(b) {
		// Most bytes are plain: skip them without the switch.
		for j < len(b) && plainByte[b[j]] {
			j++
		}
		if j >= len(b) {
			break
		}
		c := b[j]
		switch {
		case c == '"':
			return j + 1, esc, nil
		case c == '\\':
			esc = true
			if j+1 >= len(b) {
				return j, esc, synErr("unexpected end of input in string", j)
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if len(b)-j < 6 {
					return j, esc, synErr("short \\u escape", j)
				}
				for k := j + 2; k < j+6; k++ {
					if !isHex(b[k]) {
						return k, esc, synErr("bad \\u escape", k)
					}
				}
				j += 6
			default:
				return j, esc, synErr("invalid escape", j)
			}
		case c < 0x20:
			return j, esc, synErr("control character in string", j)
		default:
			j++
		}
	}
	return j, esc, synErr("unterminated string", j)
}

// plainByte marks the bytes that stand for themselves inside a JSON string.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNumber checks the JSON number grammar
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and returns its end.
func scanNumber(b []byte, i int) (int, error) {
	start := i
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	default:
		return i, synErr("invalid number", start)
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return i, synErr("invalid number", start)
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return i, synErr("invalid number", start)
		}
		for i < len(b) && isDigit(b[i]) {
			i++
		}
	}
	return i, nil
}
