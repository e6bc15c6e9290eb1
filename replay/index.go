package replay

import (
	"bytes"
	"encoding/json"
	"sort"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// IndexInterval is the spacing of a recording's seek index: every 15
// recorded minutes the index holds the full state (latest hello and latest
// frame of every feeder, charger and event), so a backward seek replays at
// most this much after re-sending it.
const IndexInterval = 15 * time.Minute

// checkpoint is the state after entries[:pos].
type checkpoint struct {
	t     time.Time // time of entries[pos-1]; the recording's start for pos 0
	pos   int
	hello json.RawMessage   // latest hello, nil before the first
	state []json.RawMessage // latest frame per entity, feeders then chargers then events
}

// entityState tracks the latest frame per entity in first-seen order.
type entityState struct {
	keys  []string
	order map[string]int
	frame map[string]json.RawMessage
	hello json.RawMessage
}

func newEntityState() *entityState {
	return &entityState{order: map[string]int{}, frame: map[string]json.RawMessage{}}
}

func (s *entityState) apply(raw json.RawMessage, nested bool) {
	if !nested {
		if members, ok := splitBatch(raw); ok {
			for _, m := range members {
				s.apply(m, true)
			}
			return
		}
	}
	p, ok := peekFast(raw)
	if !ok {
		if p, ok = peek(raw); !ok {
			return
		}
	}
	var key string
	switch p.Type {
	case feeds.TypeBatch:
		if nested {
			return
		}
		for _, m := range p.Frames {
			s.apply(m, true)
		}
		return
	case feeds.TypeHello:
		s.hello = raw
		s.retainDeclared(raw)
		return
	case feeds.TypeFeeder:
		key = "1f:" + p.ID
	case feeds.TypeCharger:
		key = "2c:" + p.ID
	case feeds.TypeEvent:
		key = "3e:" + p.ID
	default:
		return // acks and client frames are history, not state
	}
	if p.ID == "" {
		return
	}
	if _, seen := s.order[key]; !seen {
		s.order[key] = len(s.keys)
		s.keys = append(s.keys, key)
	}
	s.frame[key] = raw
}

// retainDeclared forgets feeders and chargers a new hello no longer declares.
func (s *entityState) retainDeclared(raw json.RawMessage) {
	var h feeds.Hello
	if json.Unmarshal(raw, &h) != nil {
		return
	}
	keep := map[string]bool{}
	for _, f := range h.Feeders {
		keep["1f:"+f.ID] = true
	}
	for _, c := range h.Chargers {
		keep["2c:"+c.ID] = true
	}
	for k := range s.frame {
		if (k[0] == '1' || k[0] == '2') && !keep[k] {
			delete(s.frame, k)
		}
	}
}

func (s *entityState) checkpoint(t time.Time, pos int) checkpoint {
	cp := checkpoint{t: t, pos: pos, hello: s.hello}
	keys := make([]string, 0, len(s.frame))
	for _, k := range s.keys {
		if _, ok := s.frame[k]; ok {
			keys = append(keys, k)
		}
	}
	sort.SliceStable(keys, func(i, j int) bool { return keys[i][0] < keys[j][0] })
	cp.state = make([]json.RawMessage, len(keys))
	for i, k := range keys {
		cp.state[i] = s.frame[k]
	}
	return cp
}

// buildIndex returns checkpoints at pos 0 and then at the first entry at or
// after every interval boundary from the start.
func buildIndex(entries []Entry, interval time.Duration) []checkpoint {
	if len(entries) == 0 {
		return nil
	}
	s := newEntityState()
	start := entries[0].T
	idx := []checkpoint{{t: start, pos: 0}}
	next := start.Add(interval)
	for i, e := range entries {
		if !e.T.Before(next) && i > 0 {
			idx = append(idx, s.checkpoint(entries[i-1].T, i))
			for !e.T.Before(next) {
				next = next.Add(interval)
			}
		}
		s.apply(e.Frame, false)
	}
	return idx
}

// checkpointBefore returns the latest checkpoint whose state is entirely at
// or before t.
func (r *Recording) checkpointBefore(t time.Time) checkpoint {
	i := sort.Search(len(r.index), func(i int) bool { return r.index[i].t.After(t) })
	if i == 0 {
		return r.index[0]
	}
	return r.index[i-1]
}

// stateBatch encodes a checkpoint's state as one batch frame.
func stateBatch(state []json.RawMessage) []byte {
	b := feeds.Batch{Header: feeds.NewHeader(feeds.TypeBatch), Frames: state}
	out, err := json.Marshal(b)
	if err != nil { // only raw messages that were valid JSON reach here
		return nil
	}
	return out
}

var (
	fastHead = []byte(`{"v":1,"type":"`)
	fastID   = []byte(`","id":"`)
)

// peekFast reads type and id of a measurement frame written the canonical
// way (`{"v":1,"type":"charger","id":"CP-1",...`), as the simulator and most
// servers write them, without decoding it; ok is false for anything else,
// which then takes the full decoder.
func peekFast(raw []byte) (p peeked, ok bool) {
	if !bytes.HasPrefix(raw, fastHead) {
		return p, false
	}
	rest := raw[len(fastHead):]
	i := bytes.IndexByte(rest, '"')
	if i <= 0 {
		return p, false
	}
	switch t := feeds.FrameType(rest[:i]); t {
	case feeds.TypeFeeder, feeds.TypeCharger, feeds.TypeEvent:
		p.Type = t
	default:
		return p, false
	}
	rest = rest[i:]
	if !bytes.HasPrefix(rest, fastID) {
		return p, false
	}
	rest = rest[len(fastID):]
	j := bytes.IndexByte(rest, '"')
	if j <= 0 || bytes.IndexByte(rest[:j], '\\') >= 0 {
		return p, false
	}
	p.ID = string(rest[:j])
	return p, true
}

var batchHead = []byte(`{"v":1,"type":"batch","frames":[`)

// splitBatch returns the members of a batch written the canonical way as
// sub-slices of raw (no copies). raw must be valid JSON (the reader checked
// it); ok is false for anything else.
func splitBatch(raw []byte) (members []json.RawMessage, ok bool) {
	if !bytes.HasPrefix(raw, batchHead) || !bytes.HasSuffix(raw, []byte("]}")) {
		return nil, false
	}
	body := raw[len(batchHead) : len(raw)-2]
	depth, start, inStr, esc := 0, -1, false, false
	for i, c := range body {
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			if depth == 0 {
				start = i
			}
			depth++
		case c == '}' || c == ']':
			depth--
			if depth < 0 {
				return nil, false
			}
			if depth == 0 {
				if body[start] != '{' {
					return nil, false
				}
				members = append(members, body[start:i+1])
			}
		case depth == 0 && c != ',' && c != ' ' && c != '\n' && c != '\t' && c != '\r':
			return nil, false // a member that is not an object
		}
	}
	return members, depth == 0 && !inStr
}
