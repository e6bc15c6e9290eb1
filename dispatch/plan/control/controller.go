package control

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Sentinel errors callers branch on.
var (
	// ErrNotAllowed means the actor's role does not allow the action: a
	// viewer can look at everything and change nothing.
	ErrNotAllowed = errors.New("not allowed for a viewer")
	// ErrUnknownEvent means no event has the id.
	ErrUnknownEvent = errors.New("unknown event")
	// ErrState means the event is not in a state that allows the action
	// (confirming an event twice, cancelling a declined one).
	ErrState = errors.New("not possible in the event's state")
	// ErrBusy means the event is being planned or sent right now (or its
	// chargers are being released): Preview and Confirm wait for no one.
	// Cancel does not return it while a plan is in flight: it queues the
	// cancel (ErrCancelQueued).
	ErrBusy = errors.New("event is being planned or sent")
	// ErrCancelQueued is not a failure: Cancel came while the event's plan
	// was being made or sent, so the cancel waits for that send to end and
	// then runs (EventView.CancelQueued says so until it has).
	ErrCancelQueued = errors.New("cancel queued: runs when the plan in flight is sent")
	// ErrNoPreview means Confirm came without a preview made within a slot:
	// a dispatcher confirms only what they have seen.
	ErrNoPreview = errors.New("no preview for the current slot: preview again")
	// ErrPlanChanged means the event was planned again after the preview
	// the operator confirmed (ConfirmOptions.Seen): they would send a plan
	// they have not seen.
	ErrPlanChanged = errors.New("planned again since you saw it: read the new preview and confirm again")
	// ErrSecondConfirm means the dispatch moves more than
	// Options.SecondConfirmKW and must be confirmed a second time.
	ErrSecondConfirm = errors.New("large dispatch: confirm a second time")
	// ErrConflict means an active event already steers the same scope in
	// an overlapping window, or another desk holds a claim on it.
	ErrConflict = errors.New("conflicts with another dispatch")
	// ErrNoSender means the controller has no way to send setpoints.
	ErrNoSender = errors.New("no setpoint sender configured")
	// ErrInvalidEvent means a proposed event does not make sense.
	ErrInvalidEvent = errors.New("invalid event")
	// ErrNoSuchFeeder: a suggestion was asked for a feeder the fleet does
	// not have.
	ErrNoSuchFeeder = errors.New("no such feeder")
	// ErrNoImportLimit: a suggestion was asked for a feeder without an
	// import limit to cap it under.
	ErrNoImportLimit = errors.New("the feeder has no import limit")
	// ErrNotHandingBack means an extension was asked for an event that is
	// not handing back: only a hand-back has a release time to push.
	ErrNotHandingBack = errors.New("not handing back: only a hand-back can be extended")
	// ErrSourceEnded means the telemetry source has ended (a simulated or
	// replayed day is over): its clock has stopped, so nothing proposed
	// now would run, and setpoints would go to equipment that is gone.
	ErrSourceEnded = errors.New("the source has ended: nothing more can be dispatched")
	// ErrStopped means the desk has stopped dispatching (StopAll): nothing
	// more is proposed, planned or sent, and a plan being sent at the stop
	// is cut short after the chunk in flight.
	ErrStopped = errors.New("the desk has stopped dispatching: nothing more is planned or sent")
)

// Record kinds this package writes to the audit journal besides
// adapters.RecDispatchConfirm (readers show kinds they do not know as is).
const (
	RecDispatchPropose adapters.RecordKind = "dispatch_propose"
	RecDispatchCancel  adapters.RecordKind = "dispatch_cancel"
	// RecDispatchCancelRequest: a dispatcher asked for a cancel while the
	// event's plan was in flight; it is journalled at once, and the
	// dispatch_cancel record follows when the cancel has run.
	RecDispatchCancelRequest adapters.RecordKind = "dispatch_cancel_request"
	RecDispatchDecline       adapters.RecordKind = "dispatch_decline"
	RecDispatchEnd           adapters.RecordKind = "dispatch_end"
	// RecDispatchReleaseDue: the controller gives notice, Options.ReleaseNotice
	// ahead, that it will release a hand-back's chargers at its limit while
	// their charging would still take the scope over its import limit.
	RecDispatchReleaseDue adapters.RecordKind = "dispatch_release_due"
	// RecDispatchExtend: a dispatcher extended a hand-back (Extend).
	RecDispatchExtend adapters.RecordKind = "dispatch_extend"
	// RecDispatchRefused: a dispatcher's proposal or confirmation that
	// the controller refused because the desk had stopped dispatching
	// (ErrStopped; stoprefusal.go).
	RecDispatchRefused adapters.RecordKind = "dispatch_refused"
)

// SnapshotSource hands out the latest fleet snapshot; *feeds.Fleet is one.
type SnapshotSource interface {
	Snapshot() *feeds.Snapshot
}

// Sender delivers setpoints and returns one result each, in order;
// *adapters.Guard is one (bounds, direction, validity, journal before send).
type Sender interface {
	ApplyBatch(ctx context.Context, sps []adapters.Setpoint) []adapters.Result
}

// Releaser is the optional capability of a Sender to hand a charger back to
// its own behaviour before its setpoint expires; *adapters.Guard has it.
type Releaser interface {
	Release(ctx context.Context, charger, operator, reason string) error
}

// ReleaseChecker is the optional capability of a Releaser to say, before
// an event ends, whether a charger can be released (*adapters.Guard has
// it); without it every charger of a Releaser is taken to be.
type ReleaseChecker interface {
	CanRelease(charger string) bool
}

// RateLimiter is the optional capability of a Sender to say the least
// time, by the fleet's clock, it lets pass between two setpoints for one
// charger (*adapters.Guard's min_interval). The controller makes no plan
// of an event sooner than that after the event's last plan went out
// (slotPlanDue, replanAfter): the guard would refuse it.
type RateLimiter interface {
	MinInterval() time.Duration
}

// Recorder appends audit records; *adapters.Journal is one.
type Recorder interface {
	Append(recs ...adapters.Record) error
}

// Claimer takes claims shared by every desk of a process (the SSH desk's
// registry), so two dispatchers cannot confirm conflicting dispatches. Claim
// takes every key or none; release gives them back.
type Claimer interface {
	Claim(by Actor, what string, keys ...string) (release func(), err error)
}

// ClaimFunc adapts a function to Claimer.
type ClaimFunc func(by Actor, what string, keys ...string) (func(), error)

// Claim implements Claimer.
func (f ClaimFunc) Claim(by Actor, what string, keys ...string) (func(), error) {
	return f(by, what, keys...)
}

// Actor is who asks for an action. The zero value is an anonymous viewer:
// only an actor with Dispatcher set may propose, confirm, decline or cancel.
type Actor struct {
	Name       string
	Dispatcher bool
	// Session identifies the desk session (SSH) for claims; 0 locally.
	Session uint64
}

// Options configure a Controller. Zero values take the defaults documented
// in docs/dispatch.md ("Planner").
type Options struct {
	// Fleet is where snapshots come from (required).
	Fleet SnapshotSource
	// Sender sends setpoints; nil: nothing can be confirmed (ErrNoSender).
	Sender Sender
	// Journal receives dispatch_propose, dispatch_confirm, dispatch_cancel,
	// dispatch_cancel_request, dispatch_decline, dispatch_end,
	// dispatch_release_due, dispatch_extend and dispatch_refused records; nil: none are written (the Guard still
	// journals every setpoint).
	Journal Recorder
	// Claims is the process-wide claim registry; nil: only the conflict
	// check among this controller's own events.
	Claims Claimer
	// Forecast returns the base load forecaster for a snapshot; nil:
	// plan.HistoryForecaster.
	Forecast func(*feeds.Snapshot) plan.Forecaster
	// Plan are the planner's options. ScopeOnly is always set: an event on
	// a feeder steers only that feeder's chargers, and FromNow: slot 0
	// starts now, and the next plan one slot later. UnmetPenalty defaults to
	// DefaultUnmetPenalty here, not to the planner's own default; MinSpare
	// to a slot plus the grace plus 5 minutes, V2GMinSpare to an hour.
	Plan plan.Options
	// Solve are the optimiser's options.
	Solve dispatch.Options
	// SecondConfirmKW: a dispatch that moves the system load by more than
	// this in any slot needs a second confirmation (default 1,000 kW).
	SecondConfirmKW float64
	// CapToleranceKW and CapTolerancePct make the tolerance by which the
	// measured load may exceed a cap before it counts as missed: the larger
	// of CapToleranceKW (default 5 kW) and CapTolerancePct (default 0.02)
	// of the scope's import limit. Meters, rounding and a base load that
	// moves within a slot make an exact cap unmeasurable.
	CapToleranceKW, CapTolerancePct float64
	// CapMissAfter is how long the cap may be missed before the alarm is
	// raised (default 10 min).
	CapMissAfter time.Duration
	// DriftKW, DriftPct: the scope drifts from plan when its measured load
	// differs from the planned load by more than the larger of DriftKW
	// (default 20 kW) and DriftPct (default 0.05) of its import limit; it
	// is then re-planned at once instead of at the next slot.
	DriftKW, DriftPct float64
	// MinReplan is the least fleet time between two plans of one event
	// for drift (default 2 min: setpoints need a moment to show in the
	// measurements), counted from the end of the latest plan's send. New
	// slots are always planned, once the Sender's rate limit (RateLimiter)
	// has passed since that send.
	MinReplan time.Duration
	// HandBack is the longest an event keeps steering its chargers after
	// its window while releasing them at once would take its scope over
	// its import limit: held-back EVs all resume at full power when their
	// setpoints lapse, and the rebound can exceed anything unmanaged
	// charging would have drawn. Until then, at every slot, the scope is
	// planned against its own limit and released as soon as its unmanaged
	// load stays under the limit for the next hour. Default 4 h; negative:
	// release when the window ends.
	HandBack time.Duration
	// ReleaseNotice is how long before a hand-back's forced release (at
	// the end of HandBack, or of an extension) the controller gives notice
	// of it: the event's view carries ReleaseNoticeSince from then, and a
	// dispatch_release_due record is journalled, so a dispatcher can call
	// the network control room or extend the hand-back (Extend) before the
	// scope goes over its limit. Default 30 min; negative: no notice.
	ReleaseNotice time.Duration
	// MaxExtend is the longest one extension of a hand-back may ask for
	// (default 24 h): a typo of 400 h should not hold chargers for weeks.
	MaxExtend time.Duration
	// SendChunk is how many setpoints go to the Sender at once, so progress
	// shows while a large dispatch is under way (default 64).
	SendChunk int
	// TrackPoints bounds the measured-versus-cap track kept per event, one
	// point per minute of fleet time (default 1,440).
	TrackPoints int
	// IDTag, when not empty, goes into every setpoint ID the controller
	// makes ("DR-17@20240204T104200.1~TAG/CP-0712"). A desk sets one per
	// run: a simulated or replayed day runs over the same fleet times
	// again, and with the same journal the guard would take the new run's
	// setpoints for the last run's, answering them with the old results
	// or refusing them as ids reused. Letters, digits, '-' and '_' only.
	IDTag string
	// Logger; nil: slog.Default().
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.SecondConfirmKW, 1000)
	def(&o.CapToleranceKW, 5)
	def(&o.CapTolerancePct, 0.02)
	def(&o.DriftKW, 20)
	def(&o.DriftPct, 0.05)
	if o.CapMissAfter == 0 {
		o.CapMissAfter = 10 * time.Minute
	}
	if o.MinReplan == 0 {
		o.MinReplan = 2 * time.Minute
	}
	if o.SendChunk <= 0 {
		o.SendChunk = 64
	}
	if o.HandBack == 0 {
		o.HandBack = 4 * time.Hour
	}
	if o.ReleaseNotice == 0 {
		o.ReleaseNotice = 30 * time.Minute
	}
	if o.MaxExtend <= 0 {
		o.MaxExtend = 24 * time.Hour
	}
	if o.TrackPoints <= 0 {
		o.TrackPoints = 24 * 60
	}
	if o.Forecast == nil {
		o.Forecast = func(s *feeds.Snapshot) plan.Forecaster { return plan.HistoryForecaster{Snap: s} }
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Plan.UnmetPenalty == 0 {
		o.Plan.UnmetPenalty = DefaultUnmetPenalty
	}
	o.Plan.ScopeOnly, o.Plan.FromNow = true, true
	slot, grace := o.Plan.Slot, o.Plan.Grace
	if slot == 0 {
		slot = 15 * time.Minute
	}
	if grace == 0 {
		grace = 5 * time.Minute
	}
	if o.Plan.MinSpare == 0 {
		// A setpoint holds an EV back for at most a slot and the grace;
		// the margin covers the equipment's lag in applying the next one.
		o.Plan.MinSpare = slot + grace + 5*time.Minute
	}
	if o.Plan.V2GMinSpare == 0 {
		o.Plan.V2GMinSpare = time.Hour
	}
	return o
}

// DefaultUnmetPenalty is the unmet-energy penalty (per kWh) the controller
// plans with unless told otherwise. It is above the planner's cap penalty,
// so a DR cap is never met by leaving a driver short: a cap that cannot be
// met without that shows as a shortfall in the preview, and as the cap-miss
// alarm while it runs, where a dispatcher can see it and decide.
const DefaultUnmetPenalty = 20

// Controller holds every DR event the desk knows and runs the confirmed
// ones. Safe for concurrent use.
type Controller struct {
	opts Options
	log  *slog.Logger

	mu      sync.Mutex
	events  map[string]*entry
	order   []string // ids in the order they became known
	nextID  int
	changed chan struct{} // closed and replaced on every change
	// resets is the fleet's reset count (Stats.Resets) the latest step
	// saw: when it grows, the feed's history started again (forgetReset).
	resets uint64
	// restarts is the feed's count of restart signals (Stats.Restarts)
	// the latest step saw: a seek back's events of the earlier pass are
	// marked with it, and one more says the source dropped their
	// setpoints (earlierpass.go).
	restarts uint64
	// catchUps is the fleet's count of catch-ups (Snapshot.CatchUps) and
	// stepped the fleet time of the latest step that ran: a change of the
	// one is a seek, from the other (seekLocked).
	catchUps uint64
	stepped  time.Time
	// stopped is set by StopAll: from then on nothing is proposed,
	// planned or sent (ErrStopped); stopReason is the reason it gave.
	stopped    bool
	stopReason string

	// solverMu guards solver, the Solver that keeps the memory of one
	// plan's solve for the next (solve).
	solverMu sync.Mutex
	solver   dispatch.Solver

	// onReference, when set (by tests, export_test.go), is called as a
	// reference plan is started, so a test can tell it from the sends.
	onReference func(event string)
}

// New returns a Controller.
func New(opts Options) (*Controller, error) {
	if opts.Fleet == nil {
		return nil, errors.New("control: Options.Fleet is required")
	}
	for _, r := range opts.IDTag {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return nil, fmt.Errorf("control: Options.IDTag %q: %q is not a letter, digit, '-' or '_'", opts.IDTag, r)
		}
	}
	o := opts.withDefaults()
	return &Controller{opts: o, log: o.Logger, events: map[string]*entry{}, changed: make(chan struct{})}, nil
}

// CanSend reports whether the controller has a Sender: without one (a
// replay) events can be planned and previewed but Confirm fails with
// ErrNoSender, and a desk says so before the dispatcher tries.
func (c *Controller) CanSend() bool { return c.opts.Sender != nil }

// Changes returns a channel that is closed at the next change of any event
// (state, preview, progress, track, alarm). Call it again after each close.
func (c *Controller) Changes() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// notifyLocked wakes everyone waiting on Changes. Callers hold c.mu.
func (c *Controller) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// snapshot returns the latest snapshot with a topology.
func (c *Controller) snapshot() (*feeds.Snapshot, error) {
	s := c.opts.Fleet.Snapshot()
	if s == nil || !s.HaveTopology {
		return nil, plan.ErrNoTopology
	}
	return s, nil
}

// get returns the entry for id. Callers hold c.mu.
func (c *Controller) get(id string) (*entry, error) {
	e, ok := c.events[id]
	if !ok {
		return nil, fmt.Errorf("event %q: %w", id, ErrUnknownEvent)
	}
	return e, nil
}

// Run calls Step at every tick until ctx is done, and returns ctx.Err().
// The caller chooses the ticker: a wall-clock ticker of a few seconds on a
// live feed, the simulator's clock in the demo.
func (c *Controller) Run(ctx context.Context, ticks <-chan time.Time) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticks:
			c.Step(ctx)
		}
	}
}
