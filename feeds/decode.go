package feeds

import (
	"encoding/json"
	"errors"
	"fmt"
)

// RejectError is why Decode or a Fleet refused a frame. Detail names the
// frame and the field, e.g. `charger "CP-1": soc 1.4 not in 0..1`.
type RejectError struct {
	Reason RejectReason
	Detail string
}

// Error implements error.
func (e *RejectError) Error() string { return string(e.Reason) + ": " + e.Detail }

// ReasonOf returns the RejectReason carried by err, if any.
func ReasonOf(err error) (RejectReason, bool) {
	var re *RejectError
	if errors.As(err, &re) {
		return re.Reason, true
	}
	return "", false
}

func reject(r RejectReason, format string, args ...any) *RejectError {
	return &RejectError{Reason: r, Detail: fmt.Sprintf(format, args...)}
}

// Decode parses and validates one protocol v1 frame. It checks, in order:
// size (MaxFrameBytes, or MaxHelloBytes for a hello; a larger message is
// only scanned for its type), JSON syntax, "v", "type", then each field of the
// type (presence, JSON kind, finite numbers, ranges, state names,
// timestamps). Unknown fields are ignored. On failure the error is a
// *RejectError. Decode is safe for concurrent use.
//
// Decode does not know the topology or the clock: unknown ids, measurements
// before a hello and timestamps far in the future are the Fleet's checks.
// A *Batch is returned with its members undecoded (Batch.Frames alias raw);
// decode each member with Decode. All times are returned in UTC.
func Decode(raw []byte) (Frame, error) {
	f, err := decodeWith(raw, splitter{fast: true})
	if err == errFallback {
		return decodeWith(raw, splitter{})
	}
	return f, err
}

// decodeWith is Decode on one splitter; it returns errFallback when the fast
// splitter declines the input.
func decodeWith(raw []byte, sp splitter) (Frame, error) {
	if len(raw) > MaxFrameBytes && (len(raw) > MaxHelloBytes || !isHello(raw)) {
		return nil, reject(RejectTooLarge, "frame exceeds the %d-byte limit (%d bytes read; only a hello may be larger, up to %d bytes)",
			MaxFrameBytes, len(raw), MaxHelloBytes)
	}
	var buf [24]member
	m, mayDup, err := sp.object(raw, buf[:0])
	switch {
	case err == errFallback:
		return nil, err
	case err != nil:
		return nil, reject(RejectBadJSON, "frame: %v", err)
	}
	// The problem found goes to rerr, outside f: returning a field of f
	// would make escape analysis move buf to the heap.
	var rerr *RejectError
	f := fields{kind: "frame", m: m, mayDup: mayDup, sp: sp, errp: &rerr}
	typ, herr := header(&f)
	if herr != nil {
		return nil, herr
	}
	var fr Frame
	switch typ {
	case TypeCharger:
		fr = decodeCharger(&f)
	case TypeFeeder:
		fr = decodeFeeder(&f)
	case TypeHello:
		fr = decodeHello(&f)
	case TypeEvent:
		fr = decodeEvent(&f)
	case TypeAck:
		fr = decodeAck(&f)
	case TypeBatch:
		fr = decodeBatch(&f)
	case TypeSubscribe:
		fr = decodeSubscribe(&f)
	case TypeSetpoint:
		fr = decodeSetpoint(&f)
	}
	if rerr == errFallbackReject {
		return nil, errFallback
	}
	if rerr != nil {
		return nil, rerr
	}
	return fr, nil
}

// isHello reports whether raw is a JSON object whose "type" is "hello": the
// one frame allowed past MaxFrameBytes. Anything that does not parse is
// not, so an oversize message is too_large before it is anything else.
func isHello(raw []byte) bool {
	typ, _, ok := peekMember(raw, "type")
	return ok && typ == TypeHello
}

// header checks "v" and "type" and returns the frame type.
func header(f *fields) (FrameType, *RejectError) {
	v := f.get("v")
	switch {
	case v == nil:
		return "", reject(RejectVersion, "frame: v missing (want %d)", ProtocolVersion)
	case v[0] != '-' && (v[0] < '0' || v[0] > '9'):
		return "", reject(RejectVersion, "frame: v is %s, want the number %d", JSONKind(v), ProtocolVersion)
	case parseNumber(v) != ProtocolVersion:
		return "", reject(RejectVersion, "frame: v %s not supported (want %d)", v, ProtocolVersion)
	}
	t := f.get("type")
	if t == nil {
		return "", reject(RejectUnknownType, "frame: type missing")
	}
	if t[0] != '"' {
		return "", reject(RejectUnknownType, "frame: type is %s, want a string", JSONKind(t))
	}
	s := t[1 : len(t)-1]
	if !plainString(t) {
		s = unescaped(t)
	}
	if k := knownType(s); k != "" {
		return k, nil
	}
	return "", reject(RejectUnknownType, "frame: type %q is not a protocol v%d frame type", s, ProtocolVersion)
}

// knownType returns the frame type named b, or "" for none.
func knownType(b []byte) FrameType {
	for _, k := range [...]FrameType{TypeCharger, TypeFeeder, TypeHello, TypeEvent, TypeAck, TypeBatch, TypeSubscribe, TypeSetpoint} {
		if string(b) == string(k) {
			return k
		}
	}
	return ""
}

// stringBytes returns the bytes of the raw JSON string v, decoded; nil when
// v is not a string or does not decode.
func stringBytes(v []byte) []byte {
	if v[0] != '"' {
		return nil
	}
	if plainString(v) {
		return v[1 : len(v)-1]
	}
	return unescaped(v)
}

// unescaped is the decoded bytes of the raw JSON string v, which has
// escapes; nil when it does not decode.
func unescaped(v []byte) []byte {
	s, ok := decodeString(v)
	if !ok {
		return nil
	}
	return []byte(s)
}

// Encode returns the JSON of a frame as protocol v1 writes it.
func Encode(f Frame) ([]byte, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encode %s frame: %w", f.FrameType(), err)
	}
	return b, nil
}
