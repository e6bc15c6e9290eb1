package sim

import (
	"bytes"
	"encoding/json"
	"time"
)

// A client that falls behind gets the latest frame of each charger in
// place of every frame (outbox.go): the Server must then see a telemetry
// batch as its members, and which charger each is of. The Sim writes
// them (encode.go), and a filtered client's are the same members
// re-marshalled (Server.filtered), so the split reads that shape and no
// other: anything it does not recognise is left whole and queued as it
// is, never dropped.

// telemetryFrame is one member of a telemetry batch.
type telemetryFrame struct {
	raw     []byte // the member, as sent
	charger int32  // its charger's index; -1 for a feeder frame
	ts      []byte // its ts, as sent (without the quotes)
}

// The bytes the split recognises: a batch's head, and how a charger and a
// feeder frame start, up to their id's opening quote (frameHeads).
const (
	batchHead     = `{"v":1,"type":"batch","frames":[`
	chargerPrefix = `{"v":1,"type":"charger","id":`
	feederPrefix  = `{"v":1,"type":"feeder","id":`
	tsMember      = `,"ts":"`
)

// chargerIndex finds a charger's index by its id.
type chargerIndex map[string]int32

// newChargerIndex indexes ids by their position.
func newChargerIndex(ids []string) chargerIndex {
	x := make(chargerIndex, len(ids))
	for i, id := range ids {
		x[id] = int32(i)
	}
	return x
}

// split appends msg's members to dst and reports whether msg is a
// telemetry batch: a batch of one or more charger and feeder frames of
// known chargers, and nothing else (no signal). When it is not, dst's
// additions are to be ignored.
func (x chargerIndex) split(msg []byte, dst []telemetryFrame) ([]telemetryFrame, bool) {
	if !bytes.HasPrefix(msg, []byte(batchHead)) {
		return dst, false
	}
	p := len(batchHead)
	if p >= len(msg) || msg[p] != '{' {
		return dst, false // no frames: a signal, or nothing
	}
	for {
		end, ok := objectEnd(msg, p)
		if !ok {
			return dst, false
		}
		f, ok := x.member(msg[p:end])
		if !ok {
			return dst, false
		}
		dst = append(dst, f)
		switch {
		case end < len(msg) && msg[end] == ',':
			p = end + 1
		case len(msg)-end == 2 && msg[end] == ']' && msg[end+1] == '}':
			return dst, true
		default:
			return dst, false // another member after the frames (a signal), or damage
		}
	}
}

// member reads one frame of a batch: a charger frame of a known charger,
// or a feeder frame, with its ts.
func (x chargerIndex) member(raw []byte) (telemetryFrame, bool) {
	f := telemetryFrame{raw: raw, charger: -1}
	var rest []byte
	switch {
	case bytes.HasPrefix(raw, []byte(chargerPrefix)):
		id, after, ok := quoted(raw, len(chargerPrefix))
		if !ok {
			return f, false
		}
		i, known := x[string(id)]
		if !known {
			var plain string
			if json.Unmarshal(raw[len(chargerPrefix):after], &plain) != nil {
				return f, false
			}
			if i, known = x[plain]; !known {
				return f, false
			}
		}
		f.charger, rest = i, raw[after:]
	case bytes.HasPrefix(raw, []byte(feederPrefix)):
		_, after, ok := quoted(raw, len(feederPrefix))
		if !ok {
			return f, false
		}
		rest = raw[after:]
	default:
		return f, false
	}
	if !bytes.HasPrefix(rest, []byte(tsMember)) {
		return f, false
	}
	rest = rest[len(tsMember):]
	end := bytes.IndexByte(rest, '"')
	if end <= 0 {
		return f, false
	}
	f.ts = rest[:end]
	return f, true
}

// quoted reads the JSON string starting at b[at]: its contents (escapes
// left as they are) and the index just after its closing quote.
func quoted(b []byte, at int) (contents []byte, after int, ok bool) {
	if at >= len(b) || b[at] != '"' {
		return nil, 0, false
	}
	for i := at + 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return b[at+1 : i], i + 1, true
		}
	}
	return nil, 0, false
}

// objectEnd returns the index just after the JSON object starting at
// b[at], skipping strings and nested values.
func objectEnd(b []byte, at int) (int, bool) {
	if end, ok := flatObjectEnd(b, at); ok {
		return end, true
	}
	depth := 0
	for i := at; i < len(b); i++ {
		switch b[i] {
		case '"':
			_, after, ok := quoted(b, i)
			if !ok {
				return 0, false
			}
			i = after - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
	}
	return 0, false
}

// flatObjectEnd is objectEnd for what the Sim writes, found with the
// library's vectorised searches rather than a byte at a time (100,000
// frames a step at 100,000 EVs): an object whose first closing brace
// ends it, with no nested value, no escape and its quotes paired before
// that brace. Anything else is left to objectEnd's walk.
func flatObjectEnd(b []byte, at int) (int, bool) {
	rel := bytes.IndexByte(b[at:], '}')
	if rel < 0 {
		return 0, false
	}
	obj := b[at+1 : at+rel]
	if bytes.IndexByte(obj, '\\') >= 0 || bytes.IndexByte(obj, '{') >= 0 || bytes.IndexByte(obj, '[') >= 0 ||
		bytes.Count(obj, []byte{'"'})%2 != 0 {
		return 0, false
	}
	return at + rel + 1, true
}

// parseTS reads a member's ts, as the protocol writes times.
func parseTS(ts []byte) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, string(ts))
	return t, err == nil
}
