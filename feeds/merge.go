package feeds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// ErrMergeRunning is returned by Merger.Run while another Run of the same
// Merger is in progress: the merged topology belongs to one sink.
var ErrMergeRunning = errors.New("feeds: merge is already running")

// NamedSource is one source of a Merger, named in logs and link reports
// (the desk names its feed "feed" and each OCPP central system by its
// adapter name). Names should be distinct.
type NamedSource struct {
	Name   string
	Source Source
}

// MergeOptions configure a Merger. The zero value is usable.
type MergeOptions struct {
	// Logger receives per-source link changes, charger id collisions and
	// synthesised feeders; default: discard.
	Logger *slog.Logger
	// Now stamps the link event the merger reports for a source that ended
	// without saying its link went down; default time.Now.
	Now func() time.Time
}

// MergeStats counts what a Merger changed on the way to its sink, over its
// whole life (every Run).
type MergeStats struct {
	// Collisions counts charger ids that a source declared while an
	// earlier source (in Merge's order) held them: each (charger, losing
	// source) pair once per time it arises.
	Collisions int
	// Shadowed counts charger frames dropped because another source owns
	// the charger. Nothing else is dropped by the merge.
	Shadowed int64
	// Synthesised counts feeders the merge declared because chargers name
	// them and no hello declares them (an OCPP central system knows its
	// chargers' feeders by name only), each once.
	Synthesised int
	// Hellos counts merged hellos sent to the sink.
	Hellos int64
	// AfterEnd counts frames dropped because the merged view had ended
	// (the lead source ended; see Merger): the sink keeps the state at the
	// end.
	AfterEnd int64
	// OffClock counts frames of the other sources left out while the lead
	// source is a simulation or a replay (see Merger): their hellos are
	// kept for when it no longer is, the rest is dropped.
	OffClock int64
}

// SourceLink is what a Merger knows of one of its sources.
type SourceLink struct {
	Name     string
	Up       bool  // its link is up
	Ended    bool  // its Run returned
	Err      error // why its link last went down or why it ended; nil when up or clean
	Hello    bool  // a hello of it has been merged
	Chargers int   // chargers it owns in the merged topology
	Frames   int64 // frames it delivered (hellos and batches count one each)
	Shadowed int64 // of which charger frames dropped for another source's charger
}

// Merger runs several Sources into one Sink as one Source: the telemetry of
// a site whose chargers speak OCPP to the desk directly, next to (or instead
// of) a protocol v1 feed. Make one with Merge.
//
// Topology. A Sink replaces its whole topology with every hello (Fleet
// does), so one source's hello would wipe the chargers and feeders of the
// others. The merger keeps each source's latest hello and sends the sink
// their union instead: feeders by id (the first declaration in Merge's
// order wins), chargers by id, and a feeder with no limit (0: none known)
// for each feeder that chargers name and no hello declares. A later hello
// of a source replaces that source's part only. A source that ends keeps its
// part: its chargers go stale like those of a silent feed.
//
// A charger id declared by two sources goes to the earlier one in Merge's
// order, however their hellos interleave, so the outcome does not depend
// on which connected first; the collision is logged and counted, and the
// other source's frames for that charger are dropped and counted
// (MergeStats.Shadowed), as are its frames for any charger another source
// owns.
// Feeder frames, events and acks pass from every source: a feeder may be
// measured by one source and named by another, and the sink already keeps
// the newest measurement of each.
//
// Calls into the sink are serialised. Fleet is safe for concurrent use, but
// a merged hello must reach the sink before the frames that rely on it, and
// a Sink in general need not be safe; Fleet applies frames under one lock
// anyway, so little parallelism is lost.
//
// Link. The merged link is up while any source is up: one of two sources
// going down is logged with its name and error (and visible in Links), not
// reported to the sink as the desk's feed going down. When the last source
// goes down the sink is told, with every source's error named. A Reset from
// a source (a replay seeking backwards) is passed on: it clears the sink's
// values for every source, which only a merge of replays would meet.
//
// End. The lead source is the one whose hello gives the merged hello its
// site, time zone and mode, and so the sink its clock: the first in Merge's
// order that has said hello (the desk's --feed). When the lead reports
// LinkEvent{End: true} (a simulated day or a replay that is over) the
// merged view has ended, even while other sources are up: the sink is told
// End once, and from then on nothing more reaches it, neither frames
// (counted in MergeStats.AfterEnd) nor link changes, so the sink keeps the
// state at the end instead of reading the end as a lost link, or a later
// link change as the link coming back: the sink's clock has stopped at
// the lead's end, and nothing after it belongs to the view. The other
// sources go on running (Links shows them) until ctx is done. Another
// source reporting End is only that source going down.
//
// Simulated lead. While the lead's hello says mode "simulation" or
// "replay" (a --feed from `v2gdesk sim`), the merge is the lead alone: the
// merged hello is its hello, and the other sources' frames are left out
// (MergeStats.OffClock), as the desk leaves an OCPP central system's
// telemetry out of an in-process simulated day. Their frames are stamped
// with the wall clock, which is not the lead's: one would move the sink's
// data clock to today, emptying the simulated day's charts, and would be
// judged by a clock that is not its own.
type Merger struct {
	srcs []NamedSource
	log  *slog.Logger
	now  func() time.Time

	mu       sync.Mutex
	running  bool
	offClock bool // the lead is simulated: the others are left out
	sink     Sink
	st       []sourceState
	owner    map[string]int     // charger id -> index of the source that owns it
	lost     map[collision]bool // the current collisions
	synth    map[string]bool    // feeders synthesised so far
	anyUp    bool               // what the sink was last told
	over     bool               // the lead source ended: the sink has been told End
	stats    MergeStats
}

// sourceState is the merger's view of one source during a Run.
type sourceState struct {
	up, ended bool
	err       error
	hello     *Hello
	chargers  int
	frames    int64
	shadowed  int64
}

// collision is a charger declared by two sources; winner < loser.
type collision struct {
	charger       string
	winner, loser int
}

// Merge returns a Merger over srcs. The order of srcs decides who owns a
// charger id that two of them declare: the earlier one.
func Merge(srcs []NamedSource, opt MergeOptions) *Merger {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Merger{srcs: append([]NamedSource(nil), srcs...), log: opt.Logger, now: opt.Now,
		synth: map[string]bool{}}
}

// Run implements Source: it runs every source concurrently into sink until
// ctx is done or every source has ended, and returns only after every
// source's Run has returned. It returns ctx.Err() when cancelled, nil when
// every source ended cleanly, else the errors of the sources that failed,
// each named. One source ending or failing does not stop the others.
func (m *Merger) Run(ctx context.Context, sink Sink) error {
	m.mu.Lock()
	if m.running {
		m.mu.Unlock()
		return ErrMergeRunning
	}
	m.running, m.sink, m.anyUp, m.over, m.offClock = true, sink, false, false, false
	m.st = make([]sourceState, len(m.srcs))
	m.owner, m.lost = map[string]int{}, map[collision]bool{}
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		m.running, m.sink = false, nil
		m.mu.Unlock()
	}()

	errs := make([]error, len(m.srcs))
	var wg sync.WaitGroup
	for i, s := range m.srcs {
		wg.Go(func() {
			err := s.Source.Run(ctx, &mergeSink{m: m, i: i})
			m.ended(i, err)
			errs[i] = err
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	var failed []error
	for i, err := range errs {
		if err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", m.srcs[i].Name, err))
		}
	}
	return errors.Join(failed...)
}

// Stats returns what the merge changed so far.
func (m *Merger) Stats() MergeStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stats
}

// Links returns the state of every source, in Merge's order; before the
// first Run every source is down with nothing heard.
func (m *Merger) Links() []SourceLink {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]SourceLink, len(m.srcs))
	for i, s := range m.srcs {
		out[i].Name = s.Name
		if i < len(m.st) {
			st := &m.st[i]
			out[i].Up, out[i].Ended, out[i].Err, out[i].Hello = st.up, st.ended, st.err, st.hello != nil
			out[i].Chargers, out[i].Frames, out[i].Shadowed = st.chargers, st.frames, st.shadowed
		}
	}
	return out
}

// mergeSink is the Sink one source of a Merger writes to.
type mergeSink struct {
	m *Merger
	i int
}

// HandleFrame implements Sink.
func (s *mergeSink) HandleFrame(raw []byte) { s.m.frame(s.i, raw) }

// HandleLink implements Sink.
func (s *mergeSink) HandleLink(ev LinkEvent) { s.m.link(s.i, ev) }

// helloMark is a substring every hello contains unless its JSON escapes it.
var helloMark = []byte(`"hello"`)

// frame passes one frame of source i to the sink, merging hellos and
// dropping frames of chargers another source owns.
func (m *Merger) frame(i int, raw []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sink == nil {
		return // the source outlived its Run; the contract says it must not
	}
	st := &m.st[i]
	st.frames++
	if m.over {
		m.stats.AfterEnd++
		return
	}
	if m.offClock && i != m.leadLocked() {
		m.offClockLocked(i, raw)
		return
	}
	// When source i owns every charger of the merged topology (it is alone,
	// or the others have not said hello yet), its measurements pass without
	// a look inside, unless the frame may be (or hold) a hello. Otherwise
	// each frame is peeked at: a charger frame for another source's charger
	// is dropped, whether the source declared that charger or not.
	if st.chargers == len(m.owner) && !bytes.Contains(raw, helloMark) && bytes.IndexByte(raw, '\\') < 0 {
		m.sink.HandleFrame(raw)
		return
	}
	typ, id, ok := peekFrame(raw)
	switch {
	case !ok:
		m.sink.HandleFrame(raw) // not an object: the sink rejects and counts it
	case typ == TypeHello:
		m.sink.HandleFrame(m.helloLocked(i, raw))
	case typ == TypeBatch:
		m.batchLocked(i, raw)
	case typ == TypeCharger && m.shadowedLocked(i, id):
		m.dropLocked(i, id)
	default:
		m.sink.HandleFrame(raw)
	}
}

// offClockLocked leaves out a frame of source i, which does not lead a
// simulated merge: a hello (alone or in a batch) is recorded for when the
// lead is no longer simulated, without reaching the sink.
func (m *Merger) offClockLocked(i int, raw []byte) {
	m.stats.OffClock++
	if !bytes.Contains(raw, helloMark) && bytes.IndexByte(raw, '\\') < 0 {
		return
	}
	fr, err := Decode(raw)
	if err != nil {
		return
	}
	var members []json.RawMessage
	switch f := fr.(type) {
	case *Hello:
		m.st[i].hello = f
		return
	case *Batch:
		members = f.Frames
	}
	for _, mem := range members {
		if h, err := Decode(mem); err == nil {
			if h, ok := h.(*Hello); ok {
				m.st[i].hello = h
			}
		}
	}
}

// shadowedLocked reports whether another source owns charger id.
func (m *Merger) shadowedLocked(i int, id []byte) bool {
	o, ok := m.owner[string(id)]
	return ok && o != i
}

func (m *Merger) dropLocked(i int, id []byte) {
	m.stats.Shadowed++
	m.st[i].shadowed++
	m.log.Debug("telemetry: charger frame dropped: another source owns the charger",
		"source", m.srcs[i].Name, "charger", string(id), "owner", m.srcs[m.owner[string(id)]].Name)
}

// helloLocked records source i's hello and returns the merged hello to send
// instead. A hello that does not decode is returned as it is, for the sink
// to reject and count: it cannot be merged, and it changes nothing.
func (m *Merger) helloLocked(i int, raw []byte) []byte {
	fr, err := Decode(raw)
	h, ok := fr.(*Hello)
	if err != nil || !ok {
		m.log.Warn("telemetry: hello rejected", "source", m.srcs[i].Name, "err", err)
		return raw
	}
	m.st[i].hello = h
	merged := m.mergeLocked()
	b, err := Encode(merged)
	if err != nil {
		// Decoded hellos hold only finite numbers; this cannot happen, but
		// the source's own hello is better than none.
		m.log.Error("telemetry: merged hello does not encode", "err", err)
		return raw
	}
	m.stats.Hellos++
	return b
}

// batchLocked passes a batch, with hello members merged and members for
// shadowed chargers dropped; an untouched batch passes as it came.
func (m *Merger) batchLocked(i int, raw []byte) {
	fr, err := Decode(raw)
	b, ok := fr.(*Batch)
	if err != nil || !ok {
		m.sink.HandleFrame(raw) // the sink rejects and counts it
		return
	}
	var out []json.RawMessage
	changed := false
	for _, mem := range b.Frames {
		typ, id, ok := peekFrame(mem)
		switch {
		case ok && typ == TypeHello:
			mem, changed = m.helloLocked(i, mem), true
		case ok && typ == TypeCharger && m.shadowedLocked(i, id):
			m.dropLocked(i, id)
			changed = true
			continue
		}
		out = append(out, mem)
	}
	if !changed {
		m.sink.HandleFrame(raw)
		return
	}
	nb, err := Encode(&Batch{Header: NewHeader(TypeBatch), Frames: out})
	if err != nil {
		m.log.Error("telemetry: merged batch does not encode", "source", m.srcs[i].Name, "err", err)
		m.sink.HandleFrame(raw)
		return
	}
	m.sink.HandleFrame(nb)
}

// mergeLocked builds the union of the sources' latest hellos and updates
// charger ownership, collisions and synthesised feeders.
func (m *Merger) mergeLocked() *Hello {
	out := &Hello{Header: NewHeader(TypeHello), Feeders: []FeederInfo{}, Chargers: []ChargerInfo{}}
	lead := m.leadLocked()
	offClock := false
	if h := m.st[lead].hello; h != nil {
		offClock = ModeOf(h.Mode).ownClock()
	}
	if offClock && !m.offClock {
		m.log.Warn("telemetry: the lead source is a simulation or a replay: the other sources' telemetry is left out (their clock is not its)",
			"lead", m.srcs[lead].Name)
	}
	m.offClock = offClock
	first := true
	owner := map[string]int{}
	lost := map[collision]bool{}
	declared := map[string]bool{}
	for i := range m.st {
		st := &m.st[i]
		st.chargers = 0
		h := st.hello
		if h == nil || (offClock && i != lead) {
			continue
		}
		// Site, time zone, mode and site limit come from the first source
		// heard, in Merge's order: the desk puts its feed first, the one
		// that knows the site; an OCPP central system knows only chargers.
		if first {
			out.Site, out.TimeZone, out.Mode, out.System = h.Site, h.TimeZone, h.Mode, h.System
			first = false
		}
		if h.TS.After(out.TS) {
			out.TS = h.TS
		}
		for _, f := range h.Feeders {
			if !declared[f.ID] {
				declared[f.ID] = true
				out.Feeders = append(out.Feeders, f)
			}
		}
		for _, c := range h.Chargers {
			if w, taken := owner[c.ID]; taken {
				lost[collision{c.ID, w, i}] = true
				continue
			}
			owner[c.ID] = i
			st.chargers++
			out.Chargers = append(out.Chargers, c)
		}
	}
	for _, c := range out.Chargers {
		if declared[c.Feeder] {
			continue
		}
		declared[c.Feeder] = true
		out.Feeders = append(out.Feeders, FeederInfo{ID: c.Feeder})
		if !m.synth[c.Feeder] {
			m.synth[c.Feeder] = true
			m.stats.Synthesised++
			m.log.Info("telemetry: feeder named by chargers but declared by no hello: shown without a limit",
				"feeder", c.Feeder, "source", m.srcs[owner[c.ID]].Name)
		}
	}
	for k := range lost {
		if m.lost[k] {
			continue
		}
		m.stats.Collisions++
		m.log.Warn("telemetry: charger declared by two sources; the first keeps it and the other's frames for it are dropped",
			"charger", k.charger, "kept", m.srcs[k.winner].Name, "dropped", m.srcs[k.loser].Name)
	}
	m.owner, m.lost = owner, lost
	return out
}

// link records a link change of source i and tells the sink when the merged
// link changes.
func (m *Merger) link(i int, ev LinkEvent) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sink == nil {
		return
	}
	if ev.End && !ev.Up && i == m.leadLocked() && !m.over {
		m.endLocked(i, ev)
		return
	}
	m.setLinkLocked(i, ev.Up, ev.Err, ev.At, ev.Reset)
}

// leadLocked returns the index of the lead source: the first in Merge's
// order that has said hello, else the first.
func (m *Merger) leadLocked() int {
	for i := range m.st {
		if m.st[i].hello != nil {
			return i
		}
	}
	return 0
}

// endLocked records that the lead source i ended and tells the sink the
// merged view has ended, whatever the other sources' links.
func (m *Merger) endLocked(i int, ev LinkEvent) {
	st := &m.st[i]
	others := 0
	for j := range m.st {
		if j != i && m.st[j].up {
			others++
		}
	}
	m.log.Info("telemetry: the lead source ended: the merged view ends with it", "source", m.srcs[i].Name, "others_up", others)
	st.up, st.err = false, nil
	m.over, m.anyUp = true, false
	m.sink.HandleLink(LinkEvent{At: ev.At, End: true})
}

// ended records that source i's Run returned with err.
func (m *Merger) ended(i int, err error) {
	name := m.srcs[i].Name
	switch {
	case err == nil:
		m.log.Info("telemetry: source ended", "source", name)
	case errors.Is(err, context.Canceled):
		m.log.Debug("telemetry: source stopped", "source", name)
	default:
		m.log.Error("telemetry: source failed", "source", name, "err", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st := &m.st[i]
	st.ended = true
	if st.up {
		// It ended without saying its link went down; say it for it.
		m.setLinkLocked(i, false, err, m.now(), false)
	} else if err != nil {
		st.err = err
	}
}

// setLinkLocked sets source i's link and reports the merged link to the
// sink when it changes (or passes a Reset on).
func (m *Merger) setLinkLocked(i int, up bool, err error, at time.Time, reset bool) {
	st := &m.st[i]
	name := m.srcs[i].Name
	switch {
	case up && !st.up:
		m.log.Info("telemetry: source link up", "source", name)
	case !up && st.up:
		others := 0
		for j := range m.st {
			if j != i && m.st[j].up {
				others++
			}
		}
		lvl := slog.LevelWarn
		if errors.Is(err, context.Canceled) {
			lvl = slog.LevelDebug // shutting down
		}
		m.log.Log(context.Background(), lvl, "telemetry: source link down", "source", name, "err", err, "others_up", others)
	}
	st.up = up
	st.err = nil
	if !up {
		st.err = err
	}
	if m.over {
		return // the merged view has ended: the sink keeps the end
	}
	anyUp := false
	for j := range m.st {
		anyUp = anyUp || m.st[j].up
	}
	if anyUp == m.anyUp && !reset {
		return
	}
	m.anyUp = anyUp
	out := LinkEvent{Up: anyUp, At: at, Reset: reset}
	if !anyUp {
		out.Err = m.downErrLocked()
	}
	m.sink.HandleLink(out)
}

// downErrLocked names why every source is down: each source's error, by
// name; nil when every one went down cleanly.
func (m *Merger) downErrLocked() error {
	var errs []error
	for j := range m.st {
		if err := m.st[j].err; err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", m.srcs[j].Name, err))
		}
	}
	return errors.Join(errs...)
}

// peekFrame returns the type and id of the JSON object raw without decoding
// the rest; ok is false when raw is not an object. typ is "" when absent,
// not a string or not a protocol v1 type; id is nil when absent or not a
// string. It does not allocate for plain (unescaped ASCII) values: every
// frame of a merged feed passes through it.
func peekFrame(raw []byte) (typ FrameType, id []byte, ok bool) {
	return peekMember(raw, "id")
}

// peekMember returns the type of the JSON object raw and the string value
// of its member name, as peekFrame does for "id"; val is nil when absent or
// not a string.
func peekMember(raw []byte, name string) (typ FrameType, val []byte, ok bool) {
	var buf [24]member
	mem, _, err := splitter{fast: true}.object(raw, buf[:0])
	if err == errFallback {
		mem, _, err = splitter{}.object(raw, buf[:0])
	}
	if err != nil {
		return "", nil, false
	}
	// The last of a repeated name counts, as in Decode.
	for _, mb := range mem {
		switch string(mb.key) {
		case "type":
			typ = knownType(stringBytes(mb.val))
		case name:
			val = stringBytes(mb.val)
		}
	}
	return typ, val, true
}
