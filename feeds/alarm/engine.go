package alarm

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// Options tunes an Engine. The zero value gives the documented defaults.
type Options struct {
	// Clock is the wall clock for operator actions and shelving expiry;
	// time.Now when nil.
	Clock func() time.Time
	// WarnPct and HighPct are the loading thresholds in percent of a
	// feeder's import limit (defaults 90 and 100).
	WarnPct, HighPct float64
	// DeadbandPct is how far below a threshold the loading must fall before
	// the alarm at that level clears (default 3 points).
	DeadbandPct float64
	// DelayOn is how long (snapshot clock) loading must stay at or over a
	// threshold before the alarm is raised or escalated (default 30 s;
	// negative means no delay).
	DelayOn time.Duration
	// FeedStaleAfter raises a stale-feed alarm when the link is up but no
	// frame has arrived for this long by the wall clock. Zero disables it:
	// a paused replay is silent on purpose, so only live desks set it.
	FeedStaleAfter time.Duration
	// Conditions, when set, gives the conditions other parts of the desk
	// hold (a DR cap missed for too long): each Observe raises them like its
	// own, and an alarm whose condition is no longer listed returns to
	// normal. It is called with the engine's lock held and must not call
	// back into the Engine.
	Conditions func() []Condition
	// Logger receives the one warning each catch-up that skipped
	// conditions writes (CatchUp); default: discard.
	Logger *slog.Logger
	// OnCatchUp, when set, is told once of each catch-up that skipped
	// conditions (len(c.Missed) > 0), as it arrives: a desk with an audit
	// journal records it there, since the log is named only when the desk
	// ends. s is the snapshot it arrived at (s.Location: the site's time
	// zone). It is called by the Observe that saw the arrival with the
	// engine's lock held, before LastCatchUp returns the summary, so that
	// it is on the record before any desk shows it (and before the next
	// seek's clock_seek); it must not call back into the Engine.
	OnCatchUp func(c CatchUp, s *feeds.Snapshot)
}

// Condition is an alarm condition held outside the alarm engine.
type Condition struct {
	Kind     Kind
	Source   string // what the alarm is about (the DR event's id)
	Feeder   string // the feeder concerned, "" for the system
	Severity Severity
	Value    float64 // shown with the alarm (kW over the cap)
}

// Engine keeps the alarm list of one fleet. It is safe for concurrent use.
type Engine struct {
	opts Options

	mu      sync.Mutex
	seen    bool
	lastSeq uint64
	lastAt  time.Time // snapshot clock of the last Observe
	gen     uint64    // generation of the Observe in progress
	seq     uint64    // attention counter for Alarm.Seq
	version uint64    // bumped on every change; Board caches by it
	wasUp   bool      // the feed has been connected at least once
	alarms  map[string]*entry
	pending map[string]*pending
	// under holds the feeders whose latest fresh reading was under their
	// loading thresholds: an overload that follows one was seen to begin.
	under    map[string]bool
	timed    map[string]time.Time // shelved alarms with an expiry, by id
	board    *Board
	boardVer uint64
	// catch is the catch-up under way (nil: none); catchSeen is the
	// snapshots' count of catch-ups begun, as last observed; catchUps and
	// last count and summarise those that have arrived.
	catch     *catchUpState
	catchSeen uint64
	catchUps  uint64
	last      CatchUp
	resets    uint64 // the snapshots' Stats.Resets, as last observed
	// looked: a snapshot observed so far held a feeder's figures. Until
	// then the engine has watched nothing, and a catch-up's span is the
	// history the fleet holds, not from the empty snapshot's clock.
	looked bool
	// topo is the topology dropLeft last took the list against.
	topo feeds.TopologyID
}

type entry struct {
	Alarm
	gen uint64 // last generation the condition held
	// held marks a condition that appeared during a catch-up: unlisted
	// until the arrival, when it is raised if it still holds.
	held bool
	peak Severity // the most severe it has been, for a held one's summary
}

// pending tracks how long a feeder's loading has been at or over each
// threshold, for delay-on.
type pending struct {
	warnSince, highSince time.Time
	// unseen: the first reading over the threshold came with no reading
	// under it before (Alarm.BeganUnseen).
	unseen bool
}

// NewEngine returns an Engine with an empty alarm list.
func NewEngine(opts Options) *Engine {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.WarnPct == 0 {
		opts.WarnPct = DefaultWarnPct
	}
	if opts.HighPct == 0 {
		opts.HighPct = DefaultHighPct
	}
	if opts.DeadbandPct == 0 {
		opts.DeadbandPct = defaultDeadbandPct
	}
	if opts.DelayOn == 0 {
		opts.DelayOn = defaultDelayOn
	} else if opts.DelayOn < 0 {
		opts.DelayOn = 0
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Engine{
		opts:    opts,
		alarms:  make(map[string]*entry),
		pending: make(map[string]*pending),
		under:   make(map[string]bool),
		timed:   make(map[string]time.Time),
	}
}

// Thresholds returns the loading warning and high thresholds in percent.
func (e *Engine) Thresholds() (warn, high float64) { return e.opts.WarnPct, e.opts.HighPct }

// Observe evaluates every condition against s. A snapshot whose Seq is not
// newer than the last one observed is ignored and Observe returns false, so
// several sessions may all pass the snapshots they receive.
func (e *Engine) Observe(s *feeds.Snapshot) bool {
	if s == nil {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.seen && s.Seq <= e.lastSeq {
		return false
	}
	wasSeen, prevAt := e.seen, e.lastAt
	e.seen, e.lastSeq = true, s.Seq
	e.gen++
	now := s.At
	reset := wasSeen && s.Stats.Resets != e.resets
	e.resets = s.Stats.Resets
	// A first snapshot after a seek already delivered (a desk's first
	// look may come after a fast --start's catch-up) is a catch-up too.
	began := s.CatchingUp || s.CatchUps != e.catchSeen
	e.catchSeen = s.CatchUps
	switch {
	case reset:
		// The fleet forgot every value: a replay sought backwards (or
		// looped) and rebuilds from an earlier time.
		e.restart()
	case wasSeen && now.Before(prevAt):
		// The clock stepped back otherwise (a wall clock set back, a
		// rebuild's chargers heard at their own times): the alarms
		// stand, but delay-on timers started in the future would hold
		// every loading alarm back until then.
		clear(e.pending)
	}
	switch {
	case reset && (began || e.catch != nil):
		// A backward seek rebuilds the day from the recording's start:
		// the span is all the fleet's history holds (zero from).
		e.beginCatchUp(time.Time{})
	case began && e.catch == nil:
		// Nothing seen before: the span is the history the fleet holds.
		// A desk's first look may come before any data (a --start
		// simulator's clock already reads the start time), and must not
		// make the span start there: it skipped nothing, seeing nothing.
		var from time.Time
		if wasSeen && e.looked {
			from = now
			if prevAt.Before(now) {
				from = prevAt
			}
		}
		e.beginCatchUp(from)
	}
	e.lastAt = now
	for i := range s.Feeders {
		if s.Feeders[i].Seen {
			e.looked = true
			break
		}
	}
	wall := e.opts.Clock()
	e.expireShelves(wall)

	if s.Stats.Connected {
		e.wasUp = true
	}
	// feedLost: the whole link is down or silent. Every feeder and charger
	// then goes stale with it; one alarm says why, instead of a flood of
	// thousands that buries it (ISA-18.2 state-based suppression). A source
	// that has ended (the scenario day is over) has no link to lose: the
	// desk says it ended, and the staleness that follows raises nothing.
	feedLost := s.Stats.Ended
	if e.wasUp && !s.Stats.Connected && !s.Stats.Ended {
		e.raise(KindFeedDown, feedSource, "", SevStale, 0, now)
		feedLost = true
	}
	// A feed whose server says it is paused (feeds.Snapshot.Paused) is
	// silent on purpose, as a paused in-process replay is.
	if e.opts.FeedStaleAfter > 0 && s.Stats.Connected && !s.Paused && !s.Stats.LastFrame.IsZero() {
		if age := wall.Sub(s.Stats.LastFrame); age > e.opts.FeedStaleAfter {
			e.raise(KindStaleFeed, feedSource, "", SevStale, age.Seconds(), now)
			feedLost = true
		}
	}
	arriving := e.catch != nil && !s.CatchingUp
	if arriving {
		e.readHistories(s, now)
	}
	for i := range s.Feeders {
		f := &s.Feeders[i]
		if f.Stale && !feedLost {
			e.raise(KindStaleFeed, f.ID, f.ID, SevStale, now.Sub(f.TS).Seconds(), now)
		}
		e.loading(f, now)
	}
	// Walking 100,000 chargers costs milliseconds; the snapshot's counts
	// say when none can hold a condition.
	n := s.NumChargers()
	if s.States[feeds.StateFaulted.Index()]+s.States[feeds.StateOffline.Index()]+s.StaleChargers == 0 {
		n = 0
	}
	for i := 0; i < n; i++ {
		c := s.ChargerAt(i)
		if !c.Seen {
			continue
		}
		if c.Last.State == feeds.StateFaulted && !c.Stale {
			e.raise(KindFault, c.ID, c.Feeder, SevFault, 0, now)
		}
		switch {
		case c.Stale && feedLost:
		case c.Stale:
			e.raise(KindCommLost, c.ID, c.Feeder, SevStale, now.Sub(c.Last.TS).Seconds(), now)
		case c.Last.State == feeds.StateOffline:
			// Value 0: the charger says it is offline, rather than going silent.
			e.raise(KindCommLost, c.ID, c.Feeder, SevStale, 0, now)
		}
	}
	if e.opts.Conditions != nil {
		for _, c := range e.opts.Conditions() {
			e.raise(c.Kind, c.Source, c.Feeder, c.Severity, c.Value, now)
		}
	}
	e.sweep(now)
	e.dropLeft(s)
	if arriving {
		e.arrive(now, s.Location)
		if len(e.last.Missed) > 0 && e.opts.OnCatchUp != nil {
			e.opts.OnCatchUp(e.last, s)
		}
	}
	e.version++
	return true
}

// restart forgets every alarm, as the fleet forgets every value when a
// replay seeks backwards (or loops; feeds.FeedStats.Resets): the
// conditions are evaluated afresh
// from the new, earlier time. An alarm kept across it showed its first and
// last times after the clock (18:20 under 17:30), and one returned to
// normal at the rebuild's first snapshot (the recording's start), where a
// desk that came to the same time by playing forward showed neither.
// Acknowledgements and shelving go with them: they were given to
// conditions of a later hour, which the replay has not reached again.
func (e *Engine) restart() {
	if n := len(e.alarms); n > 0 {
		e.opts.Logger.Info("alarm: the clock went back; the alarm list starts over", "alarms", n)
	}
	clear(e.alarms)
	// Delay-on timers started in the future would hold every loading
	// alarm back until then.
	clear(e.pending)
	clear(e.under)
	clear(e.timed)
}

// loading evaluates one feeder's loading alarm with deadband and delay-on.
func (e *Engine) loading(f *feeds.FeederState, now time.Time) {
	id := alarmID(KindLoading, f.ID)
	en := e.alarms[id]
	cur := SevNone
	if en != nil && en.Active {
		cur = en.Severity
	}
	if !f.Seen || f.Stale || f.LimitKW <= 0 {
		// No fresh figure: hold what is raised; the stale alarm says why.
		if cur != SevNone {
			en.gen = e.gen
		}
		delete(e.pending, f.ID)
		// A gap: an overload found after it began unseen.
		delete(e.under, f.ID)
		return
	}
	pct := f.LoadingPct
	raw := e.Level(pct, cur)
	p := e.pending[f.ID]
	if raw == SevNone {
		delete(e.pending, f.ID)
		e.under[f.ID] = true
		return
	}
	if p == nil {
		p = &pending{unseen: !e.under[f.ID]}
		e.pending[f.ID] = p
	}
	if p.warnSince.IsZero() {
		p.warnSince = now
	}
	if raw >= SevHigh {
		if p.highSince.IsZero() {
			p.highSince = now
		}
	} else {
		p.highSince = time.Time{}
	}
	eff := min(raw, cur)
	if now.Sub(p.warnSince) >= e.opts.DelayOn {
		eff = max(eff, SevWarn)
	}
	if raw >= SevHigh && now.Sub(p.highSince) >= e.opts.DelayOn {
		eff = SevHigh
	}
	if eff != SevNone {
		fresh := en == nil || en.State == StateNormal
		e.raise(KindLoading, f.ID, f.ID, eff, pct, now)
		if fresh {
			e.alarms[id].BeganUnseen = p.unseen
		}
	}
}

// Level is the loading severity for pct given the severity in force (cur):
// a raised level holds until pct falls below its threshold by the deadband,
// so 98.5 % is HIGH after 101 % and WARN after 95 %. It is the rule the
// alarm list raises loading alarms by (before delay-on); `v2gdesk status`
// judges a feeder with it too, so the two agree.
func (e *Engine) Level(pct float64, cur Severity) Severity {
	db := e.opts.DeadbandPct
	switch {
	case pct >= e.opts.HighPct || (cur >= SevHigh && pct > e.opts.HighPct-db):
		return SevHigh
	case pct >= e.opts.WarnPct || (cur >= SevWarn && pct > e.opts.WarnPct-db):
		return SevWarn
	}
	return SevNone
}

// raise records that a condition holds in this generation at severity sev.
func (e *Engine) raise(k Kind, source, feeder string, sev Severity, value float64, now time.Time) {
	id := alarmID(k, source)
	en := e.alarms[id]
	if en == nil {
		en = &entry{Alarm: Alarm{ID: id, Kind: k, Source: source, Feeder: feeder, State: StateNormal}}
		e.alarms[id] = en
	}
	en.gen = e.gen
	en.Value = value
	if e.catch != nil && en.State == StateNormal {
		en.held = true
	}
	en.peak = max(en.peak, sev)
	switch {
	case !en.Active || sev > en.Severity:
		if en.State == StateNormal {
			en.First = now
		}
		en.Active = true
		en.Severity, en.Priority = sev, priorityOf(k, source, sev)
		en.Last = now
		e.seq++
		en.Seq = e.seq
		if en.State != StateShelved {
			// New, returning, or escalated: it needs an operator again.
			en.State = StateUnack
			en.AckedBy, en.AckedAt = "", time.Time{}
		}
	case sev < en.Severity:
		// A change, so Last moves (the list's "last" read the escalation's
		// time hours later); an easing asks no one for attention, so Seq
		// and the state stay.
		en.Severity = sev
		en.Last = now
	}
	en.notePeak()
}

// notePeak keeps the most severe level and largest value the alarm reached
// since it was last acknowledged, and annunciates it at that level's
// priority: an unacknowledged HIGH that eases to WARN must not read as a
// WARN that was never more (ISA-18.2). An acknowledged alarm follows its
// current level.
func (en *entry) notePeak() {
	if en.State == StateAcked {
		en.Peak, en.PeakValue = en.Severity, en.Value
	} else {
		if en.Severity > en.Peak {
			en.Peak = en.Severity
		}
		if en.Value > en.PeakValue { // false for NaN
			en.PeakValue = en.Value
		}
	}
	en.Priority = priorityOf(en.Kind, en.Source, en.Peak)
}

// sweep returns to normal every active alarm whose condition did not hold
// in this generation.
func (e *Engine) sweep(now time.Time) {
	for id, en := range e.alarms {
		if en.gen == e.gen || !en.Active {
			continue
		}
		if en.held {
			e.missedHeld(en, now)
			delete(e.alarms, id)
			continue
		}
		en.Active = false
		en.Last = now
		switch en.State {
		case StateUnack:
			en.State = StateRTNUnack
		case StateAcked:
			delete(e.alarms, id)
		}
	}
}

// expireShelves unshelves alarms whose shelving time is over and reports
// whether there were any.
func (e *Engine) expireShelves(wall time.Time) bool {
	changed := false
	for id, until := range e.timed {
		if wall.Before(until) {
			continue
		}
		if en := e.alarms[id]; en != nil && en.State == StateShelved {
			e.unshelve(id, en)
			changed = true
		}
		delete(e.timed, id)
	}
	return changed
}

func (e *Engine) unshelve(id string, en *entry) {
	delete(e.timed, id)
	en.ShelvedBy, en.ShelvedAt, en.ShelvedUntil, en.ShelveReason = "", time.Time{}, time.Time{}, ""
	if !en.Active {
		delete(e.alarms, id)
		return
	}
	// An alarm still active when it comes off the shelf is annunciated again.
	en.State = StateUnack
	e.seq++
	en.Seq = e.seq
}

// Ack acknowledges alarm id on behalf of operator.
func (e *Engine) Ack(id, operator string) error {
	if operator == "" {
		return fmt.Errorf("ack %q: %w", id, ErrNoOperator)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	en := e.alarms[id]
	if en == nil || en.held {
		return fmt.Errorf("ack %q: %w", id, ErrUnknownAlarm)
	}
	switch en.State {
	case StateUnack:
		en.State = StateAcked
		en.AckedBy, en.AckedAt = operator, e.opts.Clock()
		// The peak was seen: from now the alarm reads its current level.
		en.notePeak()
	case StateRTNUnack:
		delete(e.alarms, id)
	default:
		return fmt.Errorf("ack %q: %w", id, ErrNotAckable)
	}
	e.version++
	return nil
}

// Shelve suppresses alarm id on behalf of operator for d (0: until
// unshelved). reason is required and kept (up to 200 characters).
func (e *Engine) Shelve(id, operator, reason string, d time.Duration) error {
	if operator == "" {
		return fmt.Errorf("shelve %q: %w", id, ErrNoOperator)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fmt.Errorf("shelve %q: %w", id, ErrReasonRequired)
	}
	if r := []rune(reason); len(r) > maxReasonLen {
		reason = string(r[:maxReasonLen])
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	en := e.alarms[id]
	if en == nil || en.held {
		return fmt.Errorf("shelve %q: %w", id, ErrUnknownAlarm)
	}
	wall := e.opts.Clock()
	en.State = StateShelved
	en.ShelvedBy, en.ShelvedAt, en.ShelveReason = operator, wall, reason
	en.ShelvedUntil = time.Time{}
	delete(e.timed, id)
	if d > 0 {
		en.ShelvedUntil = wall.Add(d)
		e.timed[id] = en.ShelvedUntil
	}
	e.version++
	return nil
}

// Unshelve puts alarm id back in the list on behalf of operator: still
// active, it is unacknowledged again; cleared, it leaves the list.
func (e *Engine) Unshelve(id, operator string) error {
	if operator == "" {
		return fmt.Errorf("unshelve %q: %w", id, ErrNoOperator)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	en := e.alarms[id]
	if en == nil || en.held {
		return fmt.Errorf("unshelve %q: %w", id, ErrUnknownAlarm)
	}
	if en.State != StateShelved {
		return fmt.Errorf("unshelve %q: %w", id, ErrNotShelved)
	}
	e.unshelve(id, en)
	e.version++
	return nil
}

// Board returns the alarm list as it stands. The Board is shared and
// immutable: callers must not modify it. It is rebuilt only after a change.
func (e *Engine) Board() *Board {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.expireShelves(e.opts.Clock()) {
		e.version++
	}
	if e.board != nil && e.boardVer == e.version {
		return e.board
	}
	b := &Board{Version: e.version, Alarms: make([]Alarm, 0, len(e.alarms)), byFeeder: map[string]Severity{}, shelvedFeeder: map[string]Severity{}}
	for _, en := range e.alarms {
		if en.held {
			continue // not raised before the catch-up arrives
		}
		b.Alarms = append(b.Alarms, en.Alarm)
	}
	slices.SortFunc(b.Alarms, WorseFirst)
	b.index = make(map[string]int, len(b.Alarms))
	for i := range b.Alarms {
		a := &b.Alarms[i]
		b.index[a.ID] = i
		b.Counts.Listed++
		switch a.State {
		case StateUnack, StateRTNUnack:
			b.Counts.Unack++
			b.Counts.HighestUnack = max(b.Counts.HighestUnack, a.Peak)
			if a.Peak == SevHigh && a.State == StateUnack {
				b.Counts.HighUnack++
			}
		case StateAcked:
			b.Counts.Acked++
		case StateShelved:
			b.Counts.Shelved++
		}
		if a.Active {
			b.Counts.Active++
			feederKind := a.Feeder != "" && (a.Kind == KindLoading || a.Kind == KindStaleFeed)
			switch {
			case a.State != StateShelved:
				b.Counts.Highest = max(b.Counts.Highest, a.Severity)
				if feederKind {
					b.byFeeder[a.Feeder] = max(b.byFeeder[a.Feeder], a.Severity)
				}
			case feederKind:
				b.shelvedFeeder[a.Feeder] = max(b.shelvedFeeder[a.Feeder], a.Severity)
			}
		}
	}
	e.board, e.boardVer = b, e.version
	return b
}

// Board is the alarm list at one moment, sorted for display by WorseFirst:
// unacknowledged first, then returned-unacknowledged, acknowledged and
// shelved; within each, the worst first.
type Board struct {
	Version  uint64
	Alarms   []Alarm
	Counts   Counts
	index    map[string]int
	byFeeder map[string]Severity
	// shelvedFeeder is byFeeder for the shelved alarms.
	shelvedFeeder map[string]Severity
}

// Find returns the alarm with the given id.
func (b *Board) Find(id string) (Alarm, bool) {
	if b == nil {
		return Alarm{}, false
	}
	i, ok := b.index[id]
	if !ok {
		return Alarm{}, false
	}
	return b.Alarms[i], true
}

// FeederShelved returns the most severe active loading or stale alarm on
// feeder id that is shelved, SevNone when there is none. Shelving silences
// an alarm, not the condition: a display shows such a feeder as shelved,
// never as normal.
func (b *Board) FeederShelved(id string) Severity {
	if b == nil {
		return SevNone
	}
	return b.shelvedFeeder[id]
}

// FeederSeverity returns the most severe active, unshelved loading or stale
// alarm on feeder id, SevNone when there is none.
func (b *Board) FeederSeverity(id string) Severity {
	if b == nil {
		return SevNone
	}
	return b.byFeeder[id]
}

// DeadbandPct is how far below a threshold, in points, loading must fall
// before the level raised at it clears.
func (e *Engine) DeadbandPct() float64 { return e.opts.DeadbandPct }
