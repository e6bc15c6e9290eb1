package feeds

import (
	"log/slog"
	"sync"
	"time"
)

// DefaultStaleAfter is FleetOptions.StaleAfter when unset.
const DefaultStaleAfter = 5 * time.Minute

// DefaultMaxAhead is FleetOptions.MaxAhead when unset.
const DefaultMaxAhead = 24 * time.Hour

// FleetOptions configures a Fleet. The zero value is usable.
type FleetOptions struct {
	// StaleAfter is how long a charger or feeder may go unheard before it
	// is marked stale (default DefaultStaleAfter).
	StaleAfter time.Duration
	// Clock is the fleet clock: wall time for a live feed, the replay or
	// simulation clock otherwise. Staleness, V2G capacity and history
	// windows follow it. When nil, the fleet keeps its own: wall time,
	// except while the latest hello says the feed is a "simulation" or a
	// "replay", when it is the feed's data time (see dataClock).
	Clock func() time.Time
	// CatchingUp, when set, reports how many seeks the source behind Clock
	// has begun (n) and whether it is delivering one's skipped span at
	// once (a replay or simulation catching up to its target): each
	// Snapshot carries both, so the alarm engine can tell hours going by
	// in seconds from hours watched live, even when a short catch-up falls
	// between two snapshots. When nil, the feed's own catch_up signals
	// (Batch.CatchUp) say so, on a simulated or replayed feed only.
	CatchingUp func() (n uint64, active bool)
	// Wall is the wall clock for feed statistics (rates, LastFrame);
	// default time.Now. Tests inject one.
	Wall func() time.Time
	// MaxAhead is how far ahead of Clock a measurement's ts may be before it
	// is rejected with RejectBadTime (default DefaultMaxAhead). A far-future
	// ts would otherwise make every later frame of the entity look older
	// and be ignored.
	MaxAhead time.Duration
	// OnAck and OnEvent are called for each accepted ack and event, after
	// the Fleet's lock is released, on the goroutine that delivered it.
	OnAck   func(AckFrame)
	OnEvent func(EventFrame)
	// OnHello is called for each accepted hello, like OnAck, before the
	// Sink returns from the message that carried it: a guard that bounds
	// chargers by the topology learns of a new charger before the
	// measurements that follow make it plannable. A hello that repeats
	// the one held but for its ts (FeedStats.HelloRepeats) is not passed
	// again: nothing in it is new.
	OnHello func(Hello)
	// OnRestart is called for each restart signal of a simulated feed
	// (Batch.Restart: its simulator started the day over and dropped the
	// setpoints in force), like OnAck: a desk journals it, since its guard
	// and journal still count those setpoints.
	OnRestart func(RestartSignal)
	// SourceRestarts says that the in-process source behind CatchingUp
	// starts its day over itself and says so with restart signals of its
	// own (the simulator a desk runs in process, on a :seek back): they
	// are taken as a feed's are (Snapshot.Stats.Restarts, OnRestart).
	// Without it an in-process source's restart signals are copies (a
	// replay of a recorded feed) and are not taken: the replay dropped
	// no setpoint.
	SourceRestarts bool
	// Location is the site's time zone until a hello names one (default
	// UTC): a replay whose hello was lost with a damaged part of the file
	// knows it from the file's header, and its times must not read in UTC.
	Location *time.Location
	// Logger receives warnings (unknown time zone) and, at debug level,
	// every reject; default: discard.
	Logger *slog.Logger
}

// Fleet is the latest state of a site, fed by a Source: it implements Sink.
// It keeps the latest value of each charger and feeder, per-minute history,
// DR events, acks and feed statistics, and hands out immutable Snapshots.
// It is safe for concurrent use.
type Fleet struct {
	opt FleetOptions

	snapMu sync.Mutex // serialises Snapshot so concurrent callers share work

	mu       sync.Mutex
	topo     *topology
	chargers chargerStore
	feeders  []feederLive
	events   map[string]EventFrame
	stats    feedCounters
	dirty    bool
	seq      uint64
	last     *Snapshot
	histVer  uint64 // bumped on every history write and topology change
	histGen  uint64 // bumped when the set of feeder histories changes (hello, reset)

	// The data clock (dataClock): whether the latest hello names a
	// simulation or replay, the newest measurement time and when it came.
	simulated        bool
	dataTS, dataWall time.Time
	// catch is the catch-up the feed signals (catchup.go).
	catch catchUpTrack
	// pause is the pause the feed signals (pause.go).
	pause pauseTrack
	// conflate is the conflated sets the feed sends (conflate.go).
	conflate conflateTrack
	// eventHeard is when each of events was first heard, in data time
	// (eventheard.go).
	eventHeard map[string]time.Time

	// speed is the speed of its clock the feed last signalled, 0 when it
	// has not on this connection (clockspeed.go).
	speed float64

	// helloSum is the digest of the hello the topology came from, when
	// haveHello: a hello with the same digest is a repeat (repeatHello).
	// A topology from a hello built in Go (Apply) or in a batch has none.
	helloSum  helloDigest
	haveHello bool

	// Guarded by snapMu: the last system history and its blocks.
	sysCache  histCache
	sysBlocks map[int64]*histBlock
	sysGen    uint64
}

// feederLive is a feeder's latest measurement and history.
type feederLive struct {
	seen     bool
	ts       time.Time
	kw       float64
	limit    float64
	hasLimit bool
	heard    int64
	hist     *minuteRing
	cache    histCache
}

// histCache remembers the last History view built so an unchanged series is
// not copied again.
type histCache struct {
	ver uint64
	end int64
	h   History
	ok  bool
}

// NewFleet returns an empty Fleet: no topology until the first hello.
func NewFleet(opt FleetOptions) *Fleet {
	if opt.StaleAfter <= 0 {
		opt.StaleAfter = DefaultStaleAfter
	}
	if opt.Wall == nil {
		opt.Wall = time.Now
	}
	if opt.MaxAhead <= 0 {
		opt.MaxAhead = DefaultMaxAhead
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	fl := &Fleet{opt: opt, events: make(map[string]EventFrame), dirty: true}
	if opt.Clock == nil {
		fl.opt.Clock = fl.dataClock
	}
	return fl
}

// Now returns the fleet clock: what a consumer that must agree with the
// fleet on time (a guard checking a setpoint's validity, set in the feed's
// time) should use.
func (fl *Fleet) Now() time.Time {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	return fl.opt.Clock()
}

// DataNow returns the fleet clock while the feed runs on a clock of its
// own, its latest hello naming a "simulation" or a "replay", and the zero
// time while it is live (its clock is the wall's): the time the desk's
// screen shows that a record stamped with wall time alone does not
// (adapters.Journal.SetDataClock).
func (fl *Fleet) DataNow() time.Time {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if !fl.simulated || fl.dataTS.IsZero() {
		return time.Time{}
	}
	return fl.dataTimeLocked(fl.opt.Clock())
}

// DataTime is t as a record's data time is written (adapters.Record.DataTS,
// docs/adapters.md): in the site's time zone and to the second, as the
// desk's clock shows it. A feed desk's fleet clock runs on from the newest
// measurement by the wall's nanoseconds, in UTC, and its records read
// "2024-01-17T10:20:00.449550206Z" where a scenario desk's, on the same
// day, read "2024-01-17T18:20:00+08:00". The zero time stays zero.
func (fl *Fleet) DataTime(t time.Time) time.Time {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	return fl.dataTimeLocked(t)
}

// dataTimeLocked is DataTime. Called with fl.mu held.
func (fl *Fleet) dataTimeLocked(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(fl.siteLocLocked()).Truncate(time.Second)
}

// dataClock is the default fleet clock. For a live feed it is the wall
// clock. For a feed whose hello says "simulation" or "replay" it is the
// newest measurement time seen, run on by the wall time since that
// measurement arrived (while the link is down, at the speed the feed last
// said, estimated: clockspeed.go): a simulated day at 60x stamps its frames with
// simulated time, and judging them by the wall clock would make every
// departure look long past. Running on by wall time means a feed that stops
// still goes stale. A feed that has ended (LinkEvent.End: the simulated day
// is over) stops its clock at its last data time instead, as the in-process
// simulator's clock stops at the end of its day: the figures are the day's
// last, not a silence. Called with fl.mu held.
func (fl *Fleet) dataClock() time.Time {
	wall := fl.opt.Wall()
	if !fl.simulated || fl.dataTS.IsZero() {
		return wall
	}
	if fl.stats.ended || fl.pausedLocked() {
		return fl.dataTS
	}
	if fl.clockEstimatedLocked() {
		if fl.pause.downPaused {
			return fl.dataTS
		}
		return fl.dataTS.Add(scaled(wall.Sub(fl.dataWall), fl.speed))
	}
	return fl.dataTS.Add(wall.Sub(fl.dataWall))
}

// advanceData moves the data clock to ts when ts is newer. Called with
// fl.mu held, for accepted measurements and hellos.
func (fl *Fleet) advanceData(ts time.Time) {
	if fl.catchUpHoldLocked(ts) || fl.conflatedHoldLocked(ts) {
		return
	}
	if ts.After(fl.dataTS) {
		fl.noteResetToLocked(ts)
		fl.dataTS, fl.dataWall = ts, fl.opt.Wall()
	}
}

// noteResetToLocked records ts, a data time the clock is about to take,
// as where the latest reset went (FeedStats.ResetTo) when it is the first
// since the reset. Called with fl.mu held, before every move of dataTS.
func (fl *Fleet) noteResetToLocked(ts time.Time) {
	if fl.dataTS.IsZero() && fl.stats.resets > 0 && fl.stats.resetTo.IsZero() {
		fl.stats.resetTo = ts
	}
}

// hooks collects the callbacks owed for one message, run after unlocking.
type hooks struct {
	acks     []AckFrame
	events   []EventFrame
	hellos   []Hello
	restarts []RestartSignal
}

// HandleFrame implements Sink: it decodes one message (a batch member by
// member) and applies what is valid. Every frame is counted: accepted,
// ignored (older than what is held) or rejected by reason.
func (fl *Fleet) HandleFrame(raw []byte) {
	wall := fl.opt.Wall()
	// Hashed outside the lock, as decoding is: a hello the fleet holds
	// already is neither decoded nor applied again.
	sum, ts, hello := digestHello(raw)
	if hello && fl.repeatHello(wall, len(raw), sum, ts) {
		return
	}
	fr, err := Decode(raw)
	if b, ok := fr.(*Batch); ok && err == nil {
		fl.handleBatch(wall, len(raw), b)
		return
	}
	var h hooks
	fl.mu.Lock()
	fl.dirty = true
	fl.stats.received(wall, len(raw))
	if err != nil {
		fl.rejectLocked(err)
	} else if rerr := fl.applyLocked(fr, fl.opt.Clock(), wall, &h); rerr == nil && hello {
		if _, ok := fr.(*Hello); ok {
			fl.helloSum, fl.haveHello = sum, true
		}
	}
	fl.mu.Unlock()
	fl.runHooks(&h)
}

// handleBatch decodes the members outside the lock, then applies them in order.
func (fl *Fleet) handleBatch(wall time.Time, n int, b *Batch) {
	type decoded struct {
		fr  Frame
		err error
	}
	ms := make([]decoded, len(b.Frames))
	for i, raw := range b.Frames {
		fr, err := Decode(raw)
		if _, nested := fr.(*Batch); nested {
			fr, err = nil, reject(RejectNestedBatch, "batch member %d is itself a batch", i)
		}
		ms[i] = decoded{fr, err}
	}
	var h hooks
	fl.mu.Lock()
	fl.dirty = true
	fl.stats.received(wall, n)
	// A catch-up begins before the frames of the batch that says so and
	// ends after them.
	if cu := b.CatchUp; cu != nil && !cu.Done {
		fl.catchUpBeginLocked(cu)
	}
	if cf := b.Conflated; cf != nil && !cf.Done {
		fl.conflatedBeginLocked(cf)
	}
	now := fl.opt.Clock()
	for _, m := range ms {
		if m.err != nil {
			fl.rejectLocked(m.err)
			continue
		}
		fl.applyLocked(m.fr, now, wall, &h)
	}
	if cf := b.Conflated; cf != nil && cf.Done {
		fl.conflatedDoneLocked(cf)
	}
	if cu := b.CatchUp; cu != nil && cu.Done {
		fl.catchUpDoneLocked(cu)
	}
	if b.Pause != nil {
		fl.pauseLocked(b.Pause)
	}
	if b.Clock != nil {
		fl.clockLocked(b.Clock)
	}
	if b.Restart != nil && (fl.signalled() || fl.opt.SourceRestarts) && fl.simulated {
		// Noted only: the restart's hello has reset the fleet already.
		r := *b.Restart
		if fl.topo != nil && fl.topo.loc != nil {
			r.At = r.At.In(fl.topo.loc) // in the site's zone, as the desk shows times
		}
		fl.stats.restarts++
		fl.stats.lastRestart = r
		h.restarts = append(h.restarts, r)
	}
	fl.mu.Unlock()
	fl.runHooks(&h)
}

// Apply validates (Validate) and applies one frame built in Go, as
// HandleFrame does after decoding; an in-process source (the simulator,
// adapter results) uses it to skip JSON. A *Batch is applied member by
// member. It returns the *RejectError when the frame was rejected, and
// counts the frame either way.
func (fl *Fleet) Apply(fr Frame) error {
	if b, ok := fr.(*Batch); ok && b != nil {
		fl.handleBatch(fl.opt.Wall(), 0, b)
		return nil
	}
	var h hooks
	wall := fl.opt.Wall()
	fl.mu.Lock()
	fl.dirty = true
	fl.stats.received(wall, 0) // no bytes: it never was JSON
	var err *RejectError
	if verr := validateFrame(fr); verr != nil {
		fl.rejectLocked(verr)
		err = verr
	} else {
		err = fl.applyLocked(fr, fl.opt.Clock(), wall, &h)
	}
	fl.mu.Unlock()
	fl.runHooks(&h)
	if err != nil {
		return err
	}
	return nil
}

func (fl *Fleet) runHooks(h *hooks) {
	if fl.opt.OnHello != nil {
		for _, hl := range h.hellos {
			fl.opt.OnHello(hl)
		}
	}
	if fl.opt.OnAck != nil {
		for _, a := range h.acks {
			fl.opt.OnAck(a)
		}
	}
	if fl.opt.OnEvent != nil {
		for _, e := range h.events {
			fl.opt.OnEvent(e)
		}
	}
	if fl.opt.OnRestart != nil {
		for _, r := range h.restarts {
			fl.opt.OnRestart(r)
		}
	}
}

func (fl *Fleet) rejectLocked(err error) {
	r, ok := ReasonOf(err)
	if !ok {
		r = RejectBadJSON
	}
	fl.stats.rejected(r, err.Error())
	fl.opt.Logger.Debug("frame rejected", "reason", string(r), "err", err)
}

// applyLocked applies a valid frame; it returns the reject, already counted.
func (fl *Fleet) applyLocked(fr Frame, now, wall time.Time, h *hooks) *RejectError {
	rerr := fl.apply(fr, now, h)
	switch {
	case rerr == errIgnored:
		fl.stats.ignored++
		return nil
	case rerr != nil:
		fl.rejectLocked(rerr)
		return rerr
	}
	fl.stats.accepted(wall)
	return nil
}

// errIgnored marks a valid frame older than what is held.
var errIgnored = &RejectError{Reason: "ignored", Detail: "older than the latest for the same entity"}

func (fl *Fleet) apply(fr Frame, now time.Time, h *hooks) *RejectError {
	switch f := fr.(type) {
	case *Hello:
		if rerr := fl.applyHello(f); rerr != nil {
			return rerr
		}
		fl.haveHello = false // HandleFrame sets it for the hello it applied
		h.hellos = append(h.hellos, *f)
		return nil
	case *Subscribe, *SetpointFrame:
		return reject(RejectWrongDirection, "%s frame: sent by clients, not by a feed", fr.FrameType())
	case *Batch:
		return reject(RejectNestedBatch, "batch inside a batch")
	}
	if fl.topo == nil {
		return reject(RejectNoTopology, "%s frame before any hello", fr.FrameType())
	}
	switch f := fr.(type) {
	case *ChargerFrame:
		i, ok := fl.topo.chargerIdx[f.ID]
		if !ok {
			return reject(RejectUnknownCharger, "charger %q: not in the topology of %q", f.ID, fl.topo.site)
		}
		if rerr := fl.checkAhead("charger", f.ID, f.TS, now); rerr != nil {
			return rerr
		}
		if k, j := fl.chargers.at(i); k.hot[j].seen && f.TS.Before(k.cold[j].ts) {
			return errIgnored
		}
		k, j := fl.chargers.mut(i)
		k.set(j, f, fl.heardAt(f.TS, now))
		fl.advanceData(f.TS)
	case *FeederFrame:
		i, ok := fl.topo.feederIdx[f.ID]
		if !ok {
			return reject(RejectUnknownFeeder, "feeder %q: not in the topology of %q", f.ID, fl.topo.site)
		}
		if rerr := fl.checkAhead("feeder", f.ID, f.TS, now); rerr != nil {
			return rerr
		}
		fd := &fl.feeders[i]
		if fd.seen && f.TS.Before(fd.ts) {
			return errIgnored
		}
		fd.seen, fd.ts, fd.kw, fd.heard = true, f.TS, f.KW, fl.heardAt(f.TS, now).UnixNano()
		fd.hasLimit = f.LimitKW != nil
		fd.limit = 0
		if fd.hasLimit {
			fd.limit = *f.LimitKW
		}
		fd.hist.add(f.TS, f.KW)
		fl.histVer++
		fl.advanceData(f.TS)
	case *EventFrame:
		if f.Scope != ScopeSystem {
			if _, ok := fl.topo.feederIdx[f.Scope]; !ok {
				return reject(RejectUnknownFeeder, "event %q: scope %q is neither %q nor a feeder of %q", f.ID, f.Scope, ScopeSystem, fl.topo.site)
			}
		}
		fl.events[f.ID] = *f
		fl.noteEventLocked(f.ID, now)
		h.events = append(h.events, *f)
	case *AckFrame:
		if f.Charger != "" {
			i, ok := fl.topo.chargerIdx[f.Charger]
			if !ok {
				return reject(RejectUnknownCharger, "ack %q: charger %q not in the topology of %q", f.ID, f.Charger, fl.topo.site)
			}
			a := *f
			k, j := fl.chargers.mut(i)
			k.cold[j].ack = &a
		}
		h.acks = append(h.acks, *f)
	}
	return nil
}

// heardAt is when a measurement stamped ts, arriving at fleet clock now,
// counts as heard for staleness: now, except that on a feed with its own
// clock (simulation, replay) a measurement stamped ahead of the clock
// counts from its stamp. Such a feed tells the time with its frames: a
// simulator that seeks delivers the state as of its new time before its
// clock moves there (sim.Sim.Seek), and every charger must then be fresh
// once the clock arrives, not already silent for the length of the jump.
// A live feed's stamps are device clocks, which may run ahead: there only
// arrival counts. Called with fl.mu held.
func (fl *Fleet) heardAt(ts, now time.Time) time.Time {
	if fl.simulated && ts.After(now) {
		return ts
	}
	return now
}

func (fl *Fleet) checkAhead(kind, id string, ts, now time.Time) *RejectError {
	if ts.Sub(now) > fl.opt.MaxAhead {
		return reject(RejectBadTime, "%s %q: ts %s is more than %v ahead of the fleet clock (%s)",
			kind, id, ts.Format(time.RFC3339), fl.opt.MaxAhead, now.UTC().Format(time.RFC3339))
	}
	return nil
}

// RestartBack is how far before the data a fleet holds a simulated feed's
// hello must be for the fleet to take it as a new day (applyHello): less
// is within a frame's minute, as a repeated hello can be.
const RestartBack = time.Minute

// applyHello replaces the topology. Chargers and feeders that survive keep
// their values, acks and history; the rest are forgotten. A hello that
// makes a live fleet simulated (a merged OCPP central system said hello
// before the simulated --feed did) forgets every value first, as a Reset
// does: they were measured on the wall clock, and the newest of them would
// hold the simulated day's data clock at today and shadow its older
// measurements. So does a simulated feed's hello from over RestartBack
// before the data held: the simulator was restarted at an earlier hour
// (the same --start, once the desk had got past it), and every frame of
// its new day would be ignored as older until it caught up, while the link
// reads up.
func (fl *Fleet) applyHello(hl *Hello) *RejectError {
	t, rerr := buildTopology(hl, fl.opt.Logger)
	if rerr != nil {
		return rerr
	}
	if fl.helloResetsLocked(t.mode, hl.TS) {
		fl.resetLocked()
	}
	old := fl.topo
	chargers := newChargerStore(len(t.chargers))
	feeders := make([]feederLive, len(t.feeders))
	for i, f := range t.feeders {
		if old != nil {
			if j, ok := old.feederIdx[f.ID]; ok {
				feeders[i] = fl.feeders[j]
				feeders[i].cache = histCache{}
				continue
			}
		}
		feeders[i].hist = newMinuteRing()
	}
	if old != nil {
		for i, c := range t.chargers {
			if j, ok := old.chargerIdx[c.ID]; ok {
				chargers.copyFrom(i, &fl.chargers, j)
			}
		}
	}
	fl.topo, fl.chargers, fl.feeders = t, chargers, feeders
	fl.histVer++
	fl.histGen++
	fl.simulated = t.mode.ownClock()
	if !fl.simulated {
		fl.catchUpDropLocked() // a live feed never catches up
		fl.conflatedDropLocked()
		fl.pauseDropLocked() // nor pauses
		fl.speed = 0         // nor runs at a speed of its own
	}
	fl.advanceData(hl.TS)
	return nil
}

// helloResetsLocked reports whether a hello saying mode, sent at ts, makes
// the fleet forget every value it holds before it applies (applyHello):
// it turns a live fleet simulated, or is a simulated feed's from over
// RestartBack before the data held. Callers hold fl.mu.
func (fl *Fleet) helloResetsLocked(mode Mode, ts time.Time) bool {
	return mode.ownClock() && !fl.dataTS.IsZero() &&
		(!fl.simulated || !ts.IsZero() && ts.Before(fl.dataTS.Add(-RestartBack)))
}

// HandleLink implements Sink: it records the link state for FeedStats and,
// on ev.Reset, forgets every value, ack, event and history (the topology and
// the feed counters stay) so a replay can seek backwards.
func (fl *Fleet) HandleLink(ev LinkEvent) {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	fl.dirty = true
	// A catch-up does not outlive its connection: one cut short is over,
	// and the next connection numbers its seeks anew.
	fl.catchUpDropLocked()
	fl.conflatedDropLocked()
	// A pause ends with its link, but the clock's estimate while the link
	// is down stands at it, through every failed reconnection (pause.go).
	stands := !ev.Up && !ev.Reset && (fl.pausedLocked() || fl.pause.downPaused)
	fl.pauseDropLocked()
	fl.pause.downPaused = stands
	if ev.Up || ev.Reset {
		// The next connection's server says its speed again on
		// subscribing; until then the speed is not known (it may have
		// changed meanwhile). While the link is down the last one said
		// is kept: the data clock runs on at it, estimated
		// (clockspeed.go).
		fl.speed = 0
	}
	if ev.Reset {
		fl.resetLocked()
	}
	if ev.Up {
		if fl.stats.everUp && !fl.stats.connected {
			fl.stats.reconnects++
		}
		fl.stats.connected, fl.stats.everUp = true, true
		fl.stats.ended, fl.stats.endedAt = false, time.Time{}
		return
	}
	fl.stats.connected = false
	if ev.End {
		at := ev.At
		if fl.simulated && !fl.dataTS.IsZero() {
			// A simulated or replayed feed ends on its own clock: its
			// last data time, whatever clock stamped the link event (a
			// websocket Subscriber knows only the wall clock).
			at = fl.dataTS
		}
		fl.stats.ended, fl.stats.endedAt = true, at
	}
	if ev.Err != nil {
		fl.stats.lastErr = ev.Err.Error()
	}
}

// resetLocked forgets all values but keeps the topology.
func (fl *Fleet) resetLocked() {
	fl.stats.resets++
	fl.stats.resetTo = time.Time{}
	fl.catchUpDropLocked()
	fl.conflatedDropLocked()
	fl.pauseDropLocked()
	clear(fl.events)
	clear(fl.eventHeard)
	fl.dataTS, fl.dataWall = time.Time{}, time.Time{}
	fl.histVer++
	fl.histGen++
	if fl.topo == nil {
		return
	}
	fl.chargers = newChargerStore(len(fl.topo.chargers))
	for i := range fl.feeders {
		fl.feeders[i] = feederLive{hist: newMinuteRing()}
	}
}
