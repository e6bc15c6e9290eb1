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
	// chargers is the chargers' share of state: what a backward seek sends
	// after the history (historyPart), which carries all the rest.
	chargers []json.RawMessage
	// chargersFrom is the recorded time of the oldest of chargers: the
	// player's clock reads it while the sink takes them, so a fleet hears
	// each at its own time (a charger silent since 16:17 is as stale as a
	// play leaves it), not all at t.
	chargersFrom time.Time
}

// historyPart is entry pos's share of what a fleet builds on from the
// recording's start rather than holding only the latest of: every frame but
// charger measurements (feeder loads make the day curves; hellos, events and
// acks are few and kept in order so topology changes and acks play out as
// they did). Charger measurements are most of a recording and a fleet keeps
// only the latest, which the index holds.
type historyPart struct {
	pos     int
	whole   bool              // entry pos has no charger measurement: send it as it is
	members []json.RawMessage // else its other members, in order (sub-slices of the entry)
}

// entityState tracks the latest frame per entity in first-seen order.
type entityState struct {
	keys  []string
	order map[string]int
	frame map[string]heldFrame
	hello json.RawMessage
}

// heldFrame is an entity's latest frame and the recorded time of its entry.
type heldFrame struct {
	raw json.RawMessage
	at  time.Time
}

func newEntityState() *entityState {
	return &entityState{order: map[string]int{}, frame: map[string]heldFrame{}}
}

// apply takes one recorded message, recorded at t, into the state and
// returns its members that are not charger measurements, and whether that
// is all of it.
func (s *entityState) apply(raw json.RawMessage, t time.Time) (history []json.RawMessage, whole bool) {
	members, ok := splitBatch(raw)
	if !ok {
		p, ok := peekFast(raw)
		if !ok {
			p, ok = peek(raw)
		}
		if !ok || p.Type != feeds.TypeBatch {
			return nil, !s.applyOne(raw, t, p, ok)
		}
		members = p.Frames
	}
	whole = true
	for _, m := range members {
		p, ok := peekFast(m)
		if !ok {
			p, ok = peek(m)
		}
		if s.applyOne(m, t, p, ok) {
			whole = false
			continue
		}
		history = append(history, m)
	}
	return history, whole
}

// applyOne takes one frame (not a batch's own envelope) into the state; it
// reports whether it is a charger measurement. A batch inside a batch is
// not state (a fleet rejects it).
func (s *entityState) applyOne(raw json.RawMessage, t time.Time, p peeked, ok bool) (charger bool) {
	if !ok {
		return false
	}
	var key string
	switch p.Type {
	case feeds.TypeHello:
		s.hello = raw
		s.retainDeclared(raw)
		return false
	case feeds.TypeFeeder:
		key = "1f:" + p.ID
	case feeds.TypeCharger:
		key = "2c:" + p.ID
		charger = true
	case feeds.TypeEvent:
		key = "3e:" + p.ID
	default:
		return false // acks and client frames are history, not state
	}
	if p.ID == "" {
		return charger
	}
	if _, seen := s.order[key]; !seen {
		s.order[key] = len(s.keys)
		s.keys = append(s.keys, key)
	}
	s.frame[key] = heldFrame{raw: raw, at: t}
	return charger
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
	from, to := -1, 0
	for i, k := range keys {
		f := s.frame[k]
		cp.state[i] = f.raw
		if k[0] == '2' {
			if from < 0 {
				from = i
			}
			to = i + 1
			if cp.chargersFrom.IsZero() || f.at.Before(cp.chargersFrom) {
				cp.chargersFrom = f.at
			}
		}
	}
	if from >= 0 {
		cp.chargers = cp.state[from:to]
	}
	return cp
}

// indexer builds a recording's seek index entry by entry, as the entries
// are read: checkpoints at pos 0 and then at the first entry at or after
// every interval boundary from the start, and every entry's history part
// (those that have one). What it has appended is never changed after, so a
// prefix of idx and history can be handed to another goroutine while it
// goes on (see growth).
type indexer struct {
	interval time.Duration
	s        *entityState
	next     time.Time
	prev     time.Time // the time of the entry added last
	n        int       // entries added
	idx      []checkpoint
	history  []historyPart
}

func newIndexer(interval time.Duration) *indexer {
	return &indexer{interval: interval, s: newEntityState()}
}

// add takes entry i (i == the number added before) into the index.
func (x *indexer) add(i int, e Entry) {
	if i == 0 {
		x.idx = append(x.idx, checkpoint{t: e.T, pos: 0})
		x.next = e.T.Add(x.interval)
	} else if !e.T.Before(x.next) {
		x.idx = append(x.idx, x.s.checkpoint(x.prev, i))
		for !e.T.Before(x.next) {
			x.next = x.next.Add(x.interval)
		}
	}
	switch members, whole := x.s.apply(e.Frame, e.T); {
	case whole:
		x.history = append(x.history, historyPart{pos: i, whole: true})
	case len(members) > 0:
		x.history = append(x.history, historyPart{pos: i, members: members})
	}
	x.prev, x.n = e.T, i+1
}

// buildIndex returns the seek index of entries (see indexer).
func buildIndex(entries []Entry, interval time.Duration) ([]checkpoint, []historyPart) {
	x := newIndexer(interval)
	for i, e := range entries {
		x.add(i, e)
	}
	return x.idx, x.history
}

// historyFrames calls send with the history of entries[:pos] in order, each
// with its entry's time: an
// entry without charger measurements as it is, the other members of one
// with them as one batch (smaller than the entry, so within its size).
func (r view) historyFrames(pos int, send func(t time.Time, frame []byte)) {
	var buf []byte
	for _, h := range r.history {
		if h.pos >= pos {
			return
		}
		if h.whole {
			send(r.entries[h.pos].T, r.entries[h.pos].Frame)
			continue
		}
		buf = append(buf[:0], batchHead...)
		for i, m := range h.members {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, m...)
		}
		buf = append(buf, "]}"...)
		send(r.entries[h.pos].T, buf)
	}
}

// checkpointBefore returns the latest checkpoint whose state is entirely at
// or before t, among those read.
func (r view) checkpointBefore(t time.Time) checkpoint {
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
