package control

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/numtext"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// State is where an event is in its life.
type State string

// The states of an event. Pending is the only state an event is proposed
// in; Declined, Ended and Cancelled are final.
const (
	StatePending   State = "pending"   // waiting for a dispatcher to accept or decline
	StateActive    State = "active"    // confirmed: planned and sent every slot
	StateDeclined  State = "declined"  // a dispatcher declined it
	StateEnded     State = "ended"     // its window is over
	StateCancelled State = "cancelled" // a dispatcher cancelled it while active
)

// Final reports whether nothing more happens to an event in state s.
func (s State) Final() bool { return s == StateDeclined || s == StateEnded || s == StateCancelled }

// Origin says where an event came from.
type Origin string

// The origins of an event.
const (
	OriginFeed     Origin = "feed"     // an event frame from the telemetry feed
	OriginOperator Origin = "operator" // the dashboard's event form or an event file
	OriginTriage   Origin = "triage"   // a triage suggestion
)

// entry is one event and everything the controller knows of it. Guarded by
// Controller.mu.
type entry struct {
	ev      feeds.EventFrame
	origin  Origin
	state   State
	created time.Time // fleet time
	by      string    // who proposed it ("" for the feed)

	decidedBy, reason string
	// decidedSession is the session (Actor.Session) of whoever decided
	// it last; 0 for a local desk, the desk itself or the controller.
	decidedSession uint64
	decided        time.Time
	// ended is when the controller ended the event on its own (its window
	// over, the source gone); decided then stays the confirmation's.
	ended time.Time
	// declineErr is checkEvent's error that declined a feed's event on
	// arrival (reason is its text).
	declineErr error

	plan       *plan.Plan
	preview    *plan.Preview
	previewErr string
	// previewError is the error previewErr is the text of.
	previewError error

	busy bool
	// ending: busy releasing the chargers (finish), not planning or
	// sending, so no cancel can be queued behind it.
	ending bool
	// queued is the cancel a dispatcher asked for while a plan was in
	// flight; it runs as soon as that plan is sent. nil: none.
	queued  *QueuedCancel
	seq     int       // plans made
	planned time.Time // fleet time of the latest plan sent
	// out is the fleet time the latest plan's send ended (zero before the
	// first): the next plan keeps the Sender's rate limit and MinReplan
	// from then (slotPlanDue, replanAfter).
	out time.Time
	// soon is when the latest step found the scope over its cap beyond
	// the tolerance, or drifting from plan, with the latest plan too
	// recent to make another (MinReplan): the re-plan is due then, before
	// the next slot. Zero otherwise.
	soon    time.Time
	tol     float64 // the scope's cap tolerance at the latest step, kW
	why     Why     // why the latest plan was made
	replans int     // plans sent after the first

	progress Progress
	applied  map[string]bool // chargers that hold, or may hold (timed out), a setpoint from this event
	// lastKW is the latest setpoint of this event each charger holds (or
	// may hold), kept while it is in the plan or held on stale data: what
	// a hold on stale data keeps (stalehold.go).
	lastKW map[string]float64
	// heldSince is when each charger held on stale data was first held.
	heldSince map[string]time.Time
	// waiting are the setpoints reported timed out whose late answer may
	// yet come (lateLocked), by id.
	waiting map[string]lateWait
	// unanswered are the chargers whose latest setpoint of this event got
	// no answer and is still valid: they may hold it (unanswered.go).
	unanswered map[string]noAnswer
	// answers is what each charger's setpoints of this event became, for
	// the room a charger held on stale data keeps (holdroom.go); kept for
	// the chargers of lastKW.
	answers map[string]chargerAnswers
	// unansweredFirst is at or before the earliest validity of
	// unanswered, and unansweredStale says one was answered or replaced
	// since they were last counted: countUnansweredLocked goes over them
	// only then.
	unansweredFirst time.Time
	unansweredStale bool
	// unreleasable are those of applied whose adapter cannot release them.
	unreleasable map[string]bool
	track        []TrackPoint
	over         time.Time // since when the cap is missed; zero when it is not
	alarm        *CapAlarm
	release      func() // gives the claim back
	err          error  // the latest planning or sending error; nil when none

	// handback is the fleet time the window ended while releasing the
	// chargers would take the scope over its limit (zero: not handing
	// back); handbackCheck says by how much, from the latest check.
	handback      time.Time
	handbackCheck HandBack
	forced        bool // released at the hand-back limit, still over the limit
	// releaseAt is when the hand-back's chargers are released however
	// far over the limit (handback + Options.HandBack + extensions);
	// notice is when the controller gave notice of that release (zero:
	// not yet; cleared by an extension, which moves releaseAt).
	releaseAt, notice time.Time
	extended          time.Duration // added by extensions
	extendedBy        string        // who extended it last
	endWhy            Why           // why the controller ended it; zero when an operator did
	// pass is the seek back that left the event in an earlier pass of the
	// day (earlierpass.go); nil for the pass the clock is in.
	pass *EarlierPass
	// restartDropped is when the source started its day over and dropped
	// the event's setpoints (the restart signal of the seek back that
	// ended it); zero when it did not, or it is not known to have.
	restartDropped time.Time
}

// Progress counts what became of an event's setpoints.
type Progress struct {
	// Sends counts batches sent: the first and every re-plan.
	Sends int
	// Sent and Done are the setpoints of the latest send and how many of
	// them have an answer so far; ByStatus and Failed break those answers
	// down (Failed: rejected, failed and timed out, by reason).
	Sent, Done int
	ByStatus   map[adapters.Status]int
	Failed     map[string]int
	// Late counts those answers of the latest send that came after the
	// setpoint was reported timed out (the equipment accepted or refused
	// it late): they are counted in ByStatus, Failed and Total under what
	// the equipment said, not as timeouts.
	Late int
	// Total counts answers by status over every send.
	Total map[adapters.Status]int
	// Released counts chargers handed back at the end; ReleaseUnsupported
	// those whose adapter cannot release (their setpoint expires at its
	// valid_until); ReleaseFailed those where the release failed.
	Released, ReleaseUnsupported, ReleaseFailed int
	// Dropped counts the chargers, of those the adapter could not
	// release, whose setpoints the source itself dropped when it started
	// its day over at DroppedAt (a seek back on a simulator, its restart
	// signal): not in force, whatever their validity said, so not counted
	// in ReleaseUnsupported.
	Dropped   int
	DroppedAt time.Time
	// Holding counts the chargers released when the event ends: those
	// that acknowledged a setpoint of the event and those that may hold
	// one (no answer); Unreleasable those of them whose adapter cannot
	// release them: cancelled or ended, they keep it until ValidUntil,
	// the latest validity of the setpoints the event's chargers
	// acknowledged or did not answer.
	Holding, Unreleasable int
	ValidUntil            time.Time
	// Unanswered counts the chargers whose latest setpoint of the event
	// got no answer (reported timed out, no late answer since) and is
	// still valid: unknown, they may hold it until UnansweredUntil, the
	// latest of those validities (zero when none). A late answer takes
	// its charger out of the count: acknowledged, or not in force.
	Unanswered      int
	UnansweredUntil time.Time
	// HeldAsked counts the chargers the latest send asked to hold at their
	// last import limit because their telemetry is stale (never a
	// discharge). Each is in one of three cases, counted as the answers
	// come: Held, the equipment acknowledged the hold (accepted, clamped
	// or written but not read back), in force until HeldUntil;
	// HeldUnknown, no answer (timed out): the charger may hold it until
	// HeldUntil; the rest, HeldAsked − Held − HeldUnknown once every
	// answer is in, are not in force (refused, failed, or never sent: the
	// feed that carries it down). A late answer moves a hold from unknown
	// to held or to not in force. HeldUntil is the holds' validity,
	// HeldSince when the longest asked of them was first asked, and
	// HeldLastHeard the oldest of their latest telemetry. Zero when none.
	HeldAsked, Held, HeldUnknown        int
	HeldUntil, HeldSince, HeldLastHeard time.Time
	// HeldFull counts the chargers of HeldAsked whose latest setpoint was
	// not acknowledged when the latest plan was made (refused, failed,
	// never sent or no answer): the plan leaves each its full import power
	// from when its last acknowledged setpoint lapses, as it may then
	// charge unmanaged, unseen. HeldFullKW is their full power together,
	// HeldFullFrom the earliest of those times (the plan's time when
	// none was in force). Zero when none.
	HeldFull     int
	HeldFullKW   float64
	HeldFullFrom time.Time
}

func (p Progress) clone() Progress {
	p.ByStatus = maps.Clone(p.ByStatus)
	p.Failed = maps.Clone(p.Failed)
	p.Total = maps.Clone(p.Total)
	return p
}

// QueuedCancel is a cancel asked for while the event's plan was being
// made or sent: it runs as soon as that send ends.
type QueuedCancel struct {
	By string
	// Session is the session (Actor.Session) that asked for it; 0 for a
	// local desk or the desk's own stop.
	Session uint64
	At      time.Time // fleet time of the request
	Reason  string
}

// TrackPoint is the scope's measured load at one minute of fleet time,
// against the cap in force and the planned load.
type TrackPoint struct {
	At         time.Time
	MeasuredKW float64
	// CapKW is NaN when no cap is in force (before the window, price events).
	CapKW     float64
	PlannedKW float64
	// Stale: the scope was not heard from within the fleet's stale time
	// (its feeder's meter, or every feeder for the system: a lost feed),
	// so MeasuredKW is its last measurement, not the load now, and the
	// cap is not judged on it.
	Stale bool
	// MeasuredAt is when MeasuredKW was measured (a feeder's latest
	// measurement; for the system, the latest of its feeders').
	MeasuredAt time.Time
}

// CapAlarm is raised when the scope's measured load stays over its cap
// (plus the tolerance) for longer than Options.CapMissAfter.
type CapAlarm struct {
	Event       string
	Scope       string
	Since       time.Time // when the load went over
	Raised      time.Time
	Cleared     time.Time // zero while the cap is still missed
	MeasuredKW  float64   // at the latest check while missed
	CapKW       float64
	ToleranceKW float64
}

// Active reports whether the alarm has not cleared.
func (a CapAlarm) Active() bool { return a.Cleared.IsZero() }

// HandBack is what a hand-back check found after an event's window: were
// the chargers released now, their unmanaged charging would take the scope
// to PeakKW, over its import limit, in the slot from PeakAt. Screens word
// it from the figures; Why is the journal's sentence.
type HandBack struct {
	Scope   string
	PeakKW  float64   // the scope's highest unmanaged load in the next hour
	PeakAt  time.Time // the start of that slot, in the site's time zone
	LimitKW float64   // the scope's import limit
}

// Why is the check as the journal records it: "charging would take F07 to
// 4,100 kW (102%) at 18:15 (limit 4,000 kW)"; empty before any check.
func (h HandBack) Why() string { return h.Text(JournalWords()) }

// EventView is a copy of what the controller knows of an event, for
// display. Preview and Track are shared and must not be modified.
type EventView struct {
	Event      feeds.EventFrame
	Origin     Origin
	State      State
	Created    time.Time // when proposed; a feed's event, when the feed sent it
	ProposedBy string
	DecidedBy  string
	// DecidedSession is the session (Actor.Session) DecidedBy decided it
	// from: one operator may be logged in twice, and only the session
	// whose queued cancel ran tells the others it cancelled the event. 0
	// for a local desk, the desk's stop or the controller.
	DecidedSession uint64
	Decided        time.Time
	// Ended is when a final event reached its state: Decided, unless the
	// controller ended it on its own (its window over, the source gone),
	// when DecidedBy and Decided stay who confirmed it and when.
	Ended  time.Time
	Reason string
	// DeclineErr is the error that declined the feed's event on arrival
	// (Reason is its English text), for a screen to word in its
	// operator's language; nil otherwise.
	DeclineErr error
	// EndWhy is why the controller ended the event (its window was over,
	// it ended before anyone confirmed it, or the source ended); Reason is
	// then EndWhy's
	// sentence. Zero when an operator declined or cancelled it, or the
	// feed's event was declined on arrival.
	EndWhy Why

	Preview    *plan.Preview
	PreviewErr string
	// PreviewError is the error PreviewErr is the text of (the planner's
	// or the solver's), for a screen to word in its operator's language.
	PreviewError error
	// MovedKW is the largest change of the system load the preview makes in
	// any slot; NeedsSecond whether that asks for a second confirmation.
	MovedKW     float64
	NeedsSecond bool

	Busy bool
	// CancelQueued is the cancel waiting for the plan in flight to be
	// sent (Cancel returned ErrCancelQueued); nil when none is.
	CancelQueued *QueuedCancel
	Plans        int
	Replans      int
	LastPlan     time.Time
	// NextPlan is when the controller plans the event again by itself, by
	// its latest step: the next slot's start, or sooner when the scope is
	// over its cap beyond the tolerance or drifts from plan and the
	// latest plan is younger than Options.MinReplan. Zero when it will not
	// (not in force, or no plan yet).
	NextPlan time.Time
	// NextPlanEarly says NextPlan comes before the next slot: the scope
	// is over its cap beyond the tolerance, or drifts from plan. Over the
	// cap beyond the tolerance without it, the plan itself says the cap
	// cannot be met, and re-planning sooner would not meet it either.
	NextPlanEarly bool
	// ToleranceKW is by how much the scope may exceed the cap before it
	// counts as missed, and is re-planned for, by the latest step; 0
	// before the first.
	ToleranceKW float64
	// LastReason is why the latest plan was made, as the journal records
	// it (LastWhy.String()); LastWhy has its kind and figures, for
	// screens that word it in their operator's language.
	LastReason string
	LastWhy    Why
	Progress   Progress
	Track      []TrackPoint
	Alarm      *CapAlarm
	Err        string
	// Error is the error Err is the text of (a *NotAppliedError, a
	// re-plan's or a send's error), for a screen to word in its
	// operator's language; nil when Err is empty.
	Error error
	// HandBackSince is when the window ended with the chargers still
	// needed to keep the scope under its import limit: the event stays
	// active, steering them against that limit, until they can be
	// released (HandBack says why not yet: what their charging would
	// take the scope to, by the latest check). Zero when not handing
	// back; HandBack is zero until the first check is done.
	HandBackSince time.Time
	HandBack      HandBack
	// ForcedRelease says the chargers were released at the end of the
	// longest hand-back (Options.HandBack) while their unmanaged charging
	// would still take the scope over its limit: expect an overload.
	ForcedRelease bool
	// ReleaseAt is when a hand-back's chargers are released at the latest,
	// whatever their charging would then do to the scope (HandBackSince +
	// Options.HandBack + Extended); zero when not handing back. They are
	// released earlier as soon as a check finds it safe.
	ReleaseAt time.Time
	// ReleaseNoticeSince is when the controller gave notice of the forced
	// release at ReleaseAt (Options.ReleaseNotice before it, journalled as
	// dispatch_release_due); zero before. HandBack has the figures: how far
	// over its limit unmanaged charging would then take the scope.
	ReleaseNoticeSince time.Time
	// Extended is how much dispatchers added to the hand-back (Extend),
	// ExtendedBy who did last.
	Extended   time.Duration
	ExtendedBy string
	// EarlierPass is the seek back that took the clock to before the
	// event was proposed, confirmed or over: it belongs to an earlier pass
	// of the day (a replay or simulated day seeked back or started over),
	// is kept for what it did and planned no more. Nil otherwise.
	EarlierPass *EarlierPass
}

// Events returns every known event, pending and active first (by start
// time), then the final ones (latest first), then those of earlier passes
// of the day (EventView.EarlierPass), the pass left latest first.
func (c *Controller) Events() []EventView {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]EventView, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, c.viewLocked(c.events[id]))
	}
	slices.SortStableFunc(out, func(a, b EventView) int {
		fa, fb := a.State.Final(), b.State.Final()
		// An earlier pass's events come last, whatever their state: the
		// clock has gone back before them (EarlierPass).
		ea, eb := a.EarlierPass != nil, b.EarlierPass != nil
		switch {
		case ea != eb:
			if ea {
				return 1
			}
			return -1
		case ea && a.EarlierPass.Resets != b.EarlierPass.Resets:
			// The pass left latest first.
			return cmp.Compare(b.EarlierPass.Resets, a.EarlierPass.Resets)
		case fa != fb:
			if fa {
				return 1
			}
			return -1
		case fa:
			return b.Ended.Compare(a.Ended)
		}
		return a.Event.Start.Compare(b.Event.Start)
	})
	return out
}

// Event returns the view of one event.
func (c *Controller) Event(id string) (EventView, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.events[id]
	if !ok {
		return EventView{}, false
	}
	return c.viewLocked(e), true
}

// viewLocked copies e. Callers hold c.mu.
func (c *Controller) viewLocked(e *entry) EventView {
	v := EventView{
		Event: e.ev, Origin: e.origin, State: e.state, Created: e.created, ProposedBy: e.by,
		DecidedBy: e.decidedBy, DecidedSession: e.decidedSession, Decided: e.decided, Reason: e.reason, EndWhy: e.endWhy,
		DeclineErr: e.declineErr, Preview: e.preview, PreviewErr: e.previewErr, PreviewError: e.previewError,
		Busy: e.busy, Plans: e.seq, Replans: e.replans, LastPlan: e.planned, LastReason: e.why.String(), LastWhy: e.why,
		Progress: e.progress.clone(), Track: e.track[:len(e.track):len(e.track)], Error: e.err,
		HandBackSince: e.handback, HandBack: e.handbackCheck, ForcedRelease: e.forced,
		ReleaseNoticeSince: e.notice, Extended: e.extended, ExtendedBy: e.extendedBy, EarlierPass: e.pass,
	}
	if !e.handback.IsZero() && !e.state.Final() {
		v.ReleaseAt = e.releaseAt
	}
	if e.state.Final() {
		v.Ended = e.decided
		if !e.ended.IsZero() {
			v.Ended = e.ended
		}
	}
	if e.state == StateActive && e.plan != nil {
		v.NextPlan, v.ToleranceKW = c.slotPlanDue(e), e.tol
		if !e.soon.IsZero() && e.soon.Before(v.NextPlan) {
			v.NextPlan, v.NextPlanEarly = e.soon, true
		}
	}
	if e.err != nil {
		v.Err = e.err.Error()
	}
	if e.queued != nil {
		q := *e.queued
		v.CancelQueued = &q
	}
	if e.preview != nil {
		v.MovedKW = movedKW(e.preview)
		v.NeedsSecond = v.MovedKW > c.opts.SecondConfirmKW
	}
	if e.alarm != nil {
		a := *e.alarm
		v.Alarm = &a
	}
	return v
}

// movedKW is the largest change of the system load a preview makes in any
// slot of its horizon.
func movedKW(pv *plan.Preview) float64 {
	var m float64
	for t := range pv.After.System {
		if t < len(pv.Before.System) {
			m = math.Max(m, math.Abs(pv.After.System[t]-pv.Before.System[t]))
		}
	}
	return m
}

// Propose adds ev as a pending event and returns its id (ev.ID, or a new
// "OP-n" when empty). The event is checked against the fleet's topology and
// clock; a viewer cannot propose.
func (c *Controller) Propose(ev feeds.EventFrame, origin Origin, by Actor) (string, error) {
	if !by.Dispatcher {
		return "", fmt.Errorf("propose event: %w", ErrNotAllowed)
	}
	snap, err := c.snapshot()
	if err != nil {
		return "", fmt.Errorf("propose event: %w", err)
	}
	if snap.Stats.Ended {
		return "", fmt.Errorf("propose event: %w", ErrSourceEnded)
	}
	ev.Header = feeds.NewHeader(feeds.TypeEvent)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return "", fmt.Errorf("propose event: %w", c.refuseStoppedLocked("propose", by, ev))
	}
	// An event without an id is checked before it is given one, and the
	// id is taken only once it is on the record: a refused proposal must
	// not use up an OP-n, which would leave a gap in the journal's ids that
	// an auditor could read as a lost record.
	if err := checkEvent(ev, snap); err != nil {
		return "", err
	}
	next := c.nextID
	if ev.ID == "" {
		for {
			next++
			ev.ID = fmt.Sprintf("OP-%d", next)
			if _, ok := c.events[ev.ID]; !ok {
				break
			}
		}
	}
	if _, ok := c.events[ev.ID]; ok {
		return "", fmt.Errorf("propose event %q: %w: the id is taken", ev.ID, ErrInvalidEvent)
	}
	if ev.Source == "" {
		ev.Source = string(origin)
	}
	ev.Start, ev.End = ev.Start.In(locOf(snap)), ev.End.In(locOf(snap))
	// On the record before it exists: who asked for what, from where. A
	// proposal is rare, so holding the lock over the fsync costs nothing.
	if err := c.journal(adapters.Record{Kind: RecDispatchPropose, Operator: by.Name, Event: ev.ID,
		Reason: string(origin), Detail: describe(ev)}); err != nil {
		return "", fmt.Errorf("propose event %q: %w", ev.ID, err)
	}
	c.nextID = next
	c.addLocked(&entry{ev: ev, origin: origin, state: StatePending, created: snap.At, by: by.Name})
	c.log.Info("dispatch: event proposed", "event", ev.ID, "kind", ev.Kind, "scope", ev.Scope, "kw", ev.KW, "by", by.Name, "origin", origin)
	return ev.ID, nil
}

// addLocked registers e. Callers hold c.mu.
func (c *Controller) addLocked(e *entry) {
	c.events[e.ev.ID] = e
	c.order = append(c.order, e.ev.ID)
	c.notifyLocked()
}

// checkEvent says what is wrong with ev, if anything, against snap at its
// time.
func checkEvent(ev feeds.EventFrame, snap *feeds.Snapshot) error {
	return checkEventAt(ev, snap, snap.At)
}

// checkEventAt says what is wrong with ev, if anything, against snap's
// fleet, judging its window at fleet time at: a feed's event is judged at
// the time it was sent (Snapshot.EventHeardAt), which a seek's catch-up
// hands over later.
func checkEventAt(ev feeds.EventFrame, snap *feeds.Snapshot, at time.Time) error {
	bad := func(problem InvalidProblem) error {
		return &InvalidEventError{Event: ev.ID, Problem: problem, Kind: ev.Kind, Scope: ev.Scope, Site: snap.Site,
			Start: ev.Start, End: ev.End, At: at, KW: ev.KW}
	}
	switch ev.Kind {
	case feeds.EventImportCap, feeds.EventShed, feeds.EventExport, feeds.EventPrice:
	default:
		return bad(InvalidKind)
	}
	if ev.Scope != feeds.ScopeSystem {
		if _, ok := snap.Feeder(ev.Scope); !ok {
			return bad(InvalidScope)
		}
	}
	if ev.Start.IsZero() || ev.End.IsZero() {
		return bad(InvalidNoWindow)
	}
	if !ev.End.After(ev.Start) {
		return bad(InvalidEndNotAfter)
	}
	if !ev.End.After(at) {
		return bad(InvalidEnded)
	}
	if math.IsNaN(ev.KW) || math.IsInf(ev.KW, 0) {
		return bad(InvalidKWNotFinite)
	}
	switch ev.Kind {
	case feeds.EventShed, feeds.EventExport:
		if ev.KW <= 0 {
			return bad(InvalidKWNotAbove)
		}
	case feeds.EventImportCap:
		if ev.KW < 0 {
			return bad(InvalidNegativeCap)
		}
	case feeds.EventPrice:
		if ev.Price == nil || math.IsNaN(*ev.Price) || math.IsInf(*ev.Price, 0) {
			return bad(InvalidNoPrice)
		}
	}
	return nil
}

// Decline turns a pending event down. A viewer cannot.
func (c *Controller) Decline(id string, by Actor, reason string) error {
	if !by.Dispatcher {
		return fmt.Errorf("decline %q: %w", id, ErrNotAllowed)
	}
	at := c.fleetTime()
	c.mu.Lock()
	e, err := c.get(id)
	if err != nil {
		c.mu.Unlock()
		return fmt.Errorf("decline: %w", err)
	}
	if e.state != StatePending {
		c.mu.Unlock()
		return fmt.Errorf("decline %q: %w", id, &StateError{State: e.state})
	}
	// A pending event is busy only while it is previewed: nothing is
	// sent, and Preview keeps its result only for a pending event, so a
	// decline need not wait for it.
	e.state, e.decidedBy, e.decidedSession, e.decided, e.reason = StateDeclined, by.Name, by.Session, at, reason
	c.notifyLocked()
	c.mu.Unlock()
	c.log.Info("dispatch: event declined", "event", id, "by", by.Name, "reason", reason)
	return c.journal(adapters.Record{Kind: RecDispatchDecline, Operator: by.Name, Event: id, Reason: reason, Detail: describe(e.ev)})
}

// fleetTime is the clock of the latest snapshot, or the zero time.
func (c *Controller) fleetTime() time.Time {
	if s := c.opts.Fleet.Snapshot(); s != nil {
		return s.At
	}
	return time.Time{}
}

// journal appends recs when there is a journal.
func (c *Controller) journal(recs ...adapters.Record) error {
	if c.opts.Journal == nil {
		return nil
	}
	if err := c.opts.Journal.Append(recs...); err != nil {
		return fmt.Errorf("audit journal: %w", err)
	}
	return nil
}

// describe is one line naming what an event asks for.
func describe(ev feeds.EventFrame) string {
	w := fmt.Sprintf("%s–%s%s", ev.Start.Format("15:04"), ev.End.Format("15:04"), DayMark(ev.End, ev.Start, ev.Start.Location()))
	// Grouped as the desk writes powers: "cap F07 at 3,600 kW".
	kw := numtext.KW(ev.KW)
	switch ev.Kind {
	case feeds.EventImportCap:
		return fmt.Sprintf("cap %s at %s kW %s", ev.Scope, kw, w)
	case feeds.EventShed:
		return fmt.Sprintf("shed %s kW on %s %s", kw, ev.Scope, w)
	case feeds.EventExport:
		return fmt.Sprintf("export %s kW from %s %s", kw, ev.Scope, w)
	case feeds.EventPrice:
		p := math.NaN()
		if ev.Price != nil {
			p = *ev.Price
		}
		return fmt.Sprintf("price %.2f %s on %s %s", p, PriceUnit, ev.Scope, w)
	}
	return fmt.Sprintf("%s on %s %s", ev.Kind, ev.Scope, w)
}

// PriceUnit is the unit of a price event's energy price: yuan per kWh,
// the currency of the plan's tariffs (plan.ChinaTOU) and of the costs it
// reports. The journal's description of a price event gives it, so an
// auditor reads "price 2.50 ¥/kWh", and the desk shows the same.
const PriceUnit = "¥/kWh"

// Describe is one line naming what an event asks for, e.g.
// "cap F07 at 3,600 kW 18:00–21:00", in the event's own clock; an end on a
// later date than the start is marked: "23:00–21:02 (+1 d)".
func Describe(ev feeds.EventFrame) string { return describe(ev) }

// SystemPlanKW returns the planned system load in kW, one value per minute
// from from (inclusive) to to (exclusive), NaN outside the plan, from the
// most recent plan of an event in force; nil when no event is in force (the
// overview then draws no plan). It makes tui.Options.Plan.
func (c *Controller) SystemPlanKW(from, to time.Time) []float64 {
	c.mu.Lock()
	var last *entry
	for _, id := range c.order {
		e := c.events[id]
		if e.state == StateActive && e.preview != nil && (last == nil || e.planned.After(last.planned)) {
			last = e
		}
	}
	if last == nil {
		c.mu.Unlock()
		return nil
	}
	start, slot := last.preview.Start, last.preview.Slot
	system := slices.Clone(last.preview.After.System)
	c.mu.Unlock()

	n := int(to.Sub(from) / time.Minute)
	if n <= 0 || slot <= 0 {
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
		if at := from.Add(time.Duration(i) * time.Minute); !at.Before(start) {
			if k := int(at.Sub(start) / slot); k < len(system) {
				out[i] = system[k]
			}
		}
	}
	return out
}
