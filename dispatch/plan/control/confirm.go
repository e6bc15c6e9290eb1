package control

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// planFor builds and solves the plan for ev on snap.
func (c *Controller) planFor(ctx context.Context, snap *feeds.Snapshot, ev feeds.EventFrame) (*plan.Plan, *plan.Preview, error) {
	return c.planWith(ctx, snap, ev, c.opts.Plan)
}

// planWith builds and solves the plan for ev on snap with the planner's
// options po.
func (c *Controller) planWith(ctx context.Context, snap *feeds.Snapshot, ev feeds.EventFrame, po plan.Options) (*plan.Plan, *plan.Preview, error) {
	return c.planHeld(ctx, snap, ev, po, nil)
}

// planHeld is planWith leaving room, on their feeders, for the chargers
// held at their last limit on stale data (stalehold.go).
func (c *Controller) planHeld(ctx context.Context, snap *feeds.Snapshot, ev feeds.EventFrame, po plan.Options, held []heldCharger) (*plan.Plan, *plan.Preview, error) {
	p, err := plan.Build(snap, &ev, withHeld(c.opts.Forecast(snap), held), po)
	if err != nil {
		return nil, nil, &PlanFailure{Stage: "plan", Event: ev.ID, Err: err}
	}
	res, err := c.solve(ctx, p.Problem)
	if err != nil {
		return nil, nil, &PlanFailure{Stage: "solve", Event: ev.ID, Err: err}
	}
	pv, err := p.Preview(res, po)
	if err != nil {
		return nil, nil, &PlanFailure{Stage: "preview", Event: ev.ID, Err: err}
	}
	return p, pv, nil
}

// solve solves a plan's problem with the controller's Solver, which keeps
// the memory of one solve for the next (a tenth of a 1,000-EV solve's time
// went on fresh memory), or, while another plan's solve holds it, from
// fresh memory: two events planned at once do not wait for each other.
func (c *Controller) solve(ctx context.Context, p *dispatch.Problem) (*dispatch.Result, error) {
	if c.solverMu.TryLock() {
		defer c.solverMu.Unlock()
		return c.solver.Solve(ctx, p, c.opts.Solve)
	}
	return dispatch.Solve(ctx, p, c.opts.Solve)
}

// Preview plans the event on the snapshot of the moment and returns what
// it would do; nothing is sent. Anyone may preview, a viewer included. The
// preview is kept: Confirm sends exactly its setpoints while its slot lasts.
func (c *Controller) Preview(ctx context.Context, id string) (*plan.Preview, error) {
	snap, err := c.snapshot()
	if err != nil {
		return nil, fmt.Errorf("preview %q: %w", id, err)
	}
	c.mu.Lock()
	e, err := c.get(id)
	if err != nil {
		c.mu.Unlock()
		return nil, fmt.Errorf("preview: %w", err)
	}
	if c.stopped {
		// Before the state: the stop declined every pending event, and
		// "it is declined" would hide why.
		c.mu.Unlock()
		return nil, fmt.Errorf("preview %q: %w", id, ErrStopped)
	}
	if e.state.Final() {
		c.mu.Unlock()
		return nil, fmt.Errorf("preview %q: %w", id, &StateError{State: e.state})
	}
	if e.busy {
		c.mu.Unlock()
		return nil, fmt.Errorf("preview %q: %w", id, ErrBusy)
	}
	e.busy = true
	ev := e.ev
	c.notifyLocked()
	c.mu.Unlock()

	p, pv, err := c.planFor(ctx, snap, ev)
	if err == nil {
		c.addReference(ctx, snap, ev, pv, nil)
	}

	c.mu.Lock()
	q := c.idleLocked(e)
	if err != nil {
		e.previewErr, e.previewError = err.Error(), err
	} else if e.state == StatePending {
		e.plan, e.preview, e.previewErr, e.previewError = p, pv, "", nil
	}
	c.notifyLocked()
	c.mu.Unlock()
	// Previewing an event in force holds a cancel asked meanwhile.
	c.runQueued(ctx, e, q)
	if err != nil {
		return nil, err
	}
	return pv, nil
}

// claimKeys are the resources a dispatch of ev holds: the event itself and
// its scope; a system event holds every feeder, so no feeder event can run
// beside it.
func claimKeys(ev feeds.EventFrame, snap *feeds.Snapshot) []string {
	keys := []string{"event:" + ev.ID, "scope:" + ev.Scope}
	if ev.Scope == feeds.ScopeSystem {
		for _, f := range snap.Feeders {
			keys = append(keys, "scope:"+f.ID)
		}
	}
	return keys
}

// Overlaps reports whether a and b steer the same chargers at the same
// time: their windows overlap and they share a scope, or either is
// system-wide. Confirm refuses an event that overlaps one in force
// (ActiveConflictError); a desk warns of it on the preview by the same rule.
func Overlaps(a, b feeds.EventFrame) bool {
	if !a.Start.Before(b.End) || !b.Start.Before(a.End) {
		return false
	}
	return a.Scope == b.Scope || a.Scope == feeds.ScopeSystem || b.Scope == feeds.ScopeSystem
}

// ConfirmOptions qualify a confirmation.
type ConfirmOptions struct {
	// Second is the second confirmation a large dispatch needs.
	Second bool
	// Seen is the preview the operator read (EventView.Preview). When set,
	// Confirm refuses with ErrPlanChanged if the event has been planned
	// again since (by another operator's d, say), so nobody sends a plan
	// they did not see.
	Seen *plan.Preview
	// Reason is kept in the journal with the confirmation.
	Reason string
}

// Confirm sends the event's preview: it must be a dispatcher's, the event
// pending, its preview made in the current slot (since the last boundary
// on the clock, the quarter hour for 15-minute slots), a large dispatch confirmed
// twice, and no other dispatch may hold its scope. The confirmation is
// journalled before the first setpoint leaves; then the setpoints for the
// current slot go through the Sender in chunks, and the event is active:
// Step re-plans it every slot until it ends. Confirm returns when the first
// send is done; its progress is in the event's view while it runs.
func (c *Controller) Confirm(ctx context.Context, id string, by Actor, co ConfirmOptions) error {
	if !by.Dispatcher {
		return fmt.Errorf("confirm %q: %w", id, ErrNotAllowed)
	}
	if c.opts.Sender == nil {
		return fmt.Errorf("confirm %q: %w", id, ErrNoSender)
	}
	snap, err := c.snapshot()
	if err != nil {
		return fmt.Errorf("confirm %q: %w", id, err)
	}
	c.mu.Lock()
	e, err := c.get(id)
	if err != nil {
		c.mu.Unlock()
		return fmt.Errorf("confirm: %w", err)
	}
	fail := func(err error) error {
		c.mu.Unlock()
		return fmt.Errorf("confirm %q: %w", id, err)
	}
	switch {
	case c.stopped:
		// Checked under the lock StopAll takes: a confirm either comes
		// before the stop, and its send is cut and cancelled by it, or is
		// refused, on the record.
		return fail(c.refuseStoppedLocked("confirm", by, e.ev))
	case snap.Stats.Ended:
		return fail(ErrSourceEnded)
	case e.state != StatePending:
		return fail(&StateError{State: e.state})
	case e.busy:
		return fail(ErrBusy)
	case e.preview == nil || e.plan == nil || !snap.At.Before(nextSlot(e.plan)):
		// Current until the slot boundary on the clock after it was made,
		// where Step plans every active event again: a preview of 17:44
		// confirmed at 17:46 sent its setpoints, and the new slot's plan
		// followed within a second, every setpoint of it refused by the
		// guard's min_interval ("rate limit", 153 refused on the page).
		return fail(ErrNoPreview)
	case co.Seen != nil && co.Seen != e.preview:
		return fail(ErrPlanChanged)
	}
	if mv := movedKW(e.preview); mv > c.opts.SecondConfirmKW && !co.Second {
		return fail(&SecondConfirmError{MovedKW: mv, LimitKW: c.opts.SecondConfirmKW})
	}
	for _, oid := range c.order {
		o := c.events[oid]
		if o != e && o.state == StateActive && Overlaps(o.ev, e.ev) {
			return fail(&ActiveConflictError{Other: o.ev, By: o.decidedBy, At: o.decided.In(locOf(snap))})
		}
	}
	release := func() {}
	if c.opts.Claims != nil {
		rel, err := c.opts.Claims.Claim(by, e.ev.ID+" "+describe(e.ev), claimKeys(e.ev, snap)...)
		if err != nil {
			return fail(fmt.Errorf("%w: %w", ErrConflict, err))
		}
		release = rel
	}
	pv := e.preview
	// "confirmed twice" when the operator gave the second confirmation
	// ("second confirmation true" read as if one were still needed).
	times := "confirmed once"
	if co.Second {
		times = "confirmed twice"
	}
	rec := adapters.Record{Kind: adapters.RecDispatchConfirm, Operator: by.Name, Event: id, Reason: co.Reason,
		Detail: fmt.Sprintf("%s; %s; moves %.0f kW; unmet %.1f kWh, %s short; %s",
			describe(e.ev), count(len(pv.Setpoints), "setpoint", "setpoints"), movedKW(pv), pv.UnmetKWh, count(pv.Short, "EV", "EVs"), times)}
	// The confirmation is durable before anything is sent.
	if err := c.journal(rec); err != nil {
		release()
		return fail(err)
	}
	e.state, e.decidedBy, e.decidedSession, e.decided, e.reason = StateActive, by.Name, by.Session, snap.At, co.Reason
	e.release, e.busy = release, true
	e.applied = map[string]bool{}
	p := e.plan
	c.notifyLocked()
	c.mu.Unlock()
	c.log.Info("dispatch: confirmed", "event", id, "by", by.Name, "setpoints", len(pv.Setpoints), "second", co.Second)

	err = c.send(ctx, e, snap, p, pv, Why{Kind: WhyConfirmed}, nil)
	c.mu.Lock()
	q := c.idleLocked(e)
	c.notifyLocked()
	c.mu.Unlock()
	c.runQueued(ctx, e, q)
	if err != nil {
		return fmt.Errorf("confirm %q: %w", id, err)
	}
	return nil
}

// send hands pv's setpoints to the Sender in chunks, with a hold for each
// charger of held (at its last import limit, valid as p's setpoints), and
// records the progress. e must be marked busy by the caller.
func (c *Controller) send(ctx context.Context, e *entry, snap *feeds.Snapshot, p *plan.Plan, pv *plan.Preview, why Why, held []heldCharger) error {
	c.mu.Lock()
	e.seq++
	if e.seq > 1 {
		e.replans++
	}
	seq, operator, ev := e.seq, e.decidedBy, e.ev
	e.plan, e.preview, e.planned, e.why = p, pv, snap.At, why
	// Until this plan's send ends, the plan's own time stands for when it
	// went out (lastOut): the send end of the plan before it may lie after
	// a clock that went back, and would hold the next plan off till then.
	e.out = time.Time{}
	e.progress.Sends++
	e.progress.Sent, e.progress.Done, e.progress.Late = len(pv.Setpoints)+len(held), 0, 0
	c.keepLastLocked(e, pv, held, snap.At)
	if len(held) > 0 {
		e.progress.HeldUntil = c.holdValidUntil(p)
	}
	e.progress.ByStatus, e.progress.Failed = map[adapters.Status]int{}, map[string]int{}
	if e.progress.Total == nil {
		e.progress.Total = map[adapters.Status]int{}
	}
	c.notifyLocked()
	c.mu.Unlock()

	// One plan, one reason: worded once, not once per charger (thousands
	// of identical strings a plan).
	reason := setpointReason(ev, seq, why)
	sps := make([]adapters.Setpoint, len(pv.Setpoints))
	for i, s := range pv.Setpoints {
		sps[i] = adapters.Setpoint{
			ID:      setpointID(ev.ID, snap.At, seq, c.opts.IDTag, s.Charger),
			Charger: s.Charger, KW: s.KW, ValidFrom: snap.At, ValidUntil: s.ValidUntil,
			Event: ev.ID, Operator: operator,
			Reason: reason,
		}
	}
	if len(held) > 0 {
		until, loc := c.holdValidUntil(p), locOf(snap)
		for _, h := range held {
			sps = append(sps, adapters.Setpoint{
				ID:      setpointID(ev.ID, snap.At, seq, c.opts.IDTag, h.charger),
				Charger: h.charger, KW: h.kw, ValidFrom: snap.At, ValidUntil: until,
				Event: ev.ID, Operator: operator,
				Reason: reason + "; " + HoldText(h.lastHeard.In(loc), h.kw) + h.roomText(loc),
			})
		}
	}
	var failed int
	for from := 0; from < len(sps); from += c.opts.SendChunk {
		c.mu.Lock()
		stopped := c.stopped
		c.mu.Unlock()
		err := ctx.Err()
		if stopped {
			// The desk stopped while the plan went out: nothing more of
			// it leaves, and the cancel StopAll queued releases what did.
			err = ErrStopped
		}
		if err != nil {
			c.mu.Lock()
			for _, sp := range sps[from:] {
				noteUnsentLocked(e, sp)
			}
			c.mu.Unlock()
			return &UnsentError{Plan: seq, Unsent: len(sps) - from, Total: len(sps), Err: err}
		}
		chunk := sps[from:min(from+c.opts.SendChunk, len(sps))]
		res := c.opts.Sender.ApplyBatch(ctx, chunk)
		canRelease := c.canRelease(chunk)
		c.mu.Lock()
		hold := func(i int) {
			e.applied[chunk[i].Charger] = true
			if e.lastKW == nil {
				e.lastKW = map[string]float64{}
			}
			e.lastKW[chunk[i].Charger] = chunk[i].KW
			e.progress.Holding = len(e.applied)
			if !canRelease[i] {
				if e.unreleasable == nil {
					e.unreleasable = map[string]bool{}
				}
				e.unreleasable[chunk[i].Charger] = true
				e.progress.Unreleasable = len(e.unreleasable)
			}
			if chunk[i].ValidUntil.After(e.progress.ValidUntil) {
				e.progress.ValidUntil = chunk[i].ValidUntil
			}
		}
		for i, r := range res {
			e.progress.Done++
			e.progress.ByStatus[r.Status]++
			e.progress.Total[r.Status]++
			isHold := from+i >= len(pv.Setpoints) // holds follow the plan's setpoints
			switch {
			case isHold && r.Status.Written():
				e.progress.Held++
			case isHold && r.Status == adapters.StatusTimeout:
				e.progress.HeldUnknown++
			}
			answeredLocked(e, chunk[i], r)
			noteAnswerLocked(e, seq, chunk[i], r)
			if r.Status.Applied() {
				hold(i)
				continue
			}
			if r.Status == adapters.StatusTimeout || r.Status == adapters.StatusUnverified {
				// No answer in time, or written but not read back: the
				// charger may hold the setpoint all the same, so it is
				// released with the others when the event ends or is
				// cancelled.
				hold(i)
			}
			failed++
			reason := r.Reason
			if reason == "" {
				reason = string(r.Status)
			}
			e.progress.Failed[reason]++
			if r.Status == adapters.StatusTimeout {
				c.awaitLateLocked(e, seq, chunk[i], reason, isHold)
			}
		}
		c.notifyLocked()
		c.mu.Unlock()
	}
	// When the setpoints went out by the fleet's clock, which a sped-up
	// simulation runs on while the plan is solved and sent: the next plan
	// keeps the guard's rate limit from then (slotPlanDue), or the guard
	// refuses it.
	out := snap.At
	if now, err := c.snapshot(); err == nil && now.At.After(out) {
		out = now.At
	}
	c.mu.Lock()
	e.out = out
	e.err = nil
	// Counted from the answers as they stand now, not as they came: a
	// late answer to an earlier chunk's timeout, counted meanwhile (a
	// step between two chunks), is already in them. Counted as they came,
	// the page read "plan 1: 47 of 70 setpoints not applied" under
	// counts of 36, 11 of them since accepted late.
	notApplied := 0
	for st, n := range e.progress.ByStatus {
		if !st.Applied() {
			notApplied += n
		}
	}
	if failed > 0 && notApplied > 0 {
		e.err = &NotAppliedError{Plan: seq, Failed: notApplied, Total: len(sps)}
	}
	c.mu.Unlock()
	c.log.Info("dispatch: setpoints sent", "event", ev.ID, "plan", seq, "why", why.String(), "count", len(sps), "not_applied", failed)
	if len(held) > 0 {
		// Logged once the answers are in: "held" is what the chargers
		// acknowledged, not what the plan asked (a hold not sent, its
		// feed down, was logged as held).
		c.mu.Lock()
		acked, unknown := e.progress.Held, e.progress.HeldUnknown
		c.mu.Unlock()
		c.log.Warn("dispatch: chargers held at their last import limit on stale data", "event", ev.ID, "plan", seq, "asked", len(held), "held", acked, "no_answer", unknown)
	}
	return nil
}

// Cancel ends an event early. A pending event is declined; an active one
// is cancelled: its chargers are released (handed back to their own
// behaviour where the adapter can; elsewhere the setpoints expire at their
// valid_until, at most a slot and the grace later) and its claim is given
// back. A viewer cannot.
//
// While the event's plan is being made or sent, the cancel is queued
// rather than refused: it is journalled at once (dispatch_cancel_request),
// runs as soon as that send ends, and Cancel returns ErrCancelQueued. A
// dispatcher cancelling in the small hours expects the key press to take,
// not to be told to press it again. Asked again while queued, it returns
// an *AlreadyQueuedError (ErrCancelQueued too) without a second record,
// naming the request that runs. Only while the chargers are
// already being released (the event ending) is it ErrBusy.
func (c *Controller) Cancel(ctx context.Context, id string, by Actor, reason string) error {
	if !by.Dispatcher {
		return fmt.Errorf("cancel %q: %w", id, ErrNotAllowed)
	}
	at := c.fleetTime()
	c.mu.Lock()
	e, err := c.get(id)
	if err != nil {
		c.mu.Unlock()
		return fmt.Errorf("cancel: %w", err)
	}
	switch {
	case e.state == StatePending:
		c.mu.Unlock()
		return c.Decline(id, by, reason)
	case e.state != StateActive:
		c.mu.Unlock()
		return fmt.Errorf("cancel %q: %w", id, &StateError{State: e.state})
	case e.busy && e.ending:
		c.mu.Unlock()
		return fmt.Errorf("cancel %q: %w", id, ErrBusy)
	case e.busy:
		defer c.mu.Unlock()
		return c.queueCancelLocked(e, by, reason, at)
	}
	e.busy = true
	c.mu.Unlock()
	return c.finish(ctx, e, StateCancelled, by, reason, nil)
}

// queueCancelLocked queues a cancel of the busy event e behind its plan in
// flight, journalled first as every decision is. Callers hold c.mu (a
// request is rare, so holding it over the journal's fsync costs nothing,
// as for a proposal).
func (c *Controller) queueCancelLocked(e *entry, by Actor, reason string, at time.Time) error {
	id := e.ev.ID
	if e.queued != nil {
		// Already on the record and waiting: a second press changes
		// nothing, and says whose request it is, so a desk announces
		// only the first (AlreadyQueuedError).
		return &AlreadyQueuedError{Event: id, Queued: *e.queued}
	}
	if err := c.journal(adapters.Record{Kind: RecDispatchCancelRequest, Operator: by.Name, Event: id, Reason: reason,
		Detail: describe(e.ev) + "; queued: runs when the plan in flight is sent"}); err != nil {
		return fmt.Errorf("cancel %q: %w", id, err)
	}
	e.queued = &QueuedCancel{By: by.Name, Session: by.Session, At: at, Reason: reason}
	c.notifyLocked()
	c.log.Info("dispatch: cancel queued behind the plan in flight", "event", id, "by", by.Name)
	return fmt.Errorf("cancel %q: %w", id, ErrCancelQueued)
}

// idleLocked ends e's plan or send: e is no longer busy, unless a cancel
// was queued behind it, which it returns with e marked busy again for it
// (the caller runs it with runQueued once it has let go of c.mu). Callers
// hold c.mu.
func (c *Controller) idleLocked(e *entry) *QueuedCancel {
	e.busy = false
	q := e.queued
	if q == nil || e.state != StateActive {
		e.queued = nil
		return nil
	}
	e.busy = true
	return q
}

// runQueued runs the cancel q queued behind e's plan (nil: nothing to
// do). The operator asked for it with the plan in flight: it is not
// bound to that plan's context, which a caller may be about to cancel.
func (c *Controller) runQueued(ctx context.Context, e *entry, q *QueuedCancel) {
	if q == nil {
		return
	}
	by := Actor{Name: q.By, Dispatcher: true, Session: q.Session}
	if err := c.finish(context.WithoutCancel(ctx), e, StateCancelled, by, q.Reason, q); err != nil {
		c.log.Warn("dispatch: queued cancel", "event", e.ev.ID, "by", q.By, "err", err)
	}
}

// canRelease says for each setpoint of chunk whether its charger can be
// released before the setpoint expires (ReleaseChecker); asked outside the
// controller's lock, as it asks the Sender.
func (c *Controller) canRelease(chunk []adapters.Setpoint) []bool {
	out := make([]bool, len(chunk))
	if _, ok := c.opts.Sender.(Releaser); !ok {
		return out
	}
	check, ok := c.opts.Sender.(ReleaseChecker)
	for i, sp := range chunk {
		out[i] = !ok || check.CanRelease(sp.Charger)
	}
	return out
}

// finish releases e's chargers and claim and puts it in state st, by
// (the zero Actor: ended by the controller itself). e must be marked busy
// by the caller. q is the queued cancel it runs, nil when called directly.
func (c *Controller) finish(ctx context.Context, e *entry, st State, by Actor, reason string, q *QueuedCancel) error {
	operator := by.Name
	at := c.fleetTime()
	c.mu.Lock()
	e.ending = true
	chargers := make([]string, 0, len(e.applied))
	for ch := range e.applied {
		chargers = append(chargers, ch)
	}
	id := e.ev.ID
	c.mu.Unlock()

	var released, unsupported, failed int
	var errs []error
	var let []string // released: no longer holding anything of the event
	rel, canRelease := c.opts.Sender.(Releaser)
	for _, ch := range chargers {
		if !canRelease {
			unsupported++
			continue
		}
		err := rel.Release(ctx, ch, operator, fmt.Sprintf("DR %s %s: %s", id, st, reason))
		switch {
		case err == nil:
			released++
			let = append(let, ch)
		case errors.Is(err, adapters.ErrNotSupported):
			unsupported++
		default:
			failed++
			if len(errs) < 3 {
				errs = append(errs, err)
			}
		}
	}

	c.mu.Lock()
	e.state, e.busy, e.ending = st, false, false
	// A cancel queued behind the plan that led to this end (the window
	// over, the source gone) is overtaken: the chargers are released all
	// the same, and the record says so.
	overtaken := e.queued
	if overtaken == q {
		overtaken = nil
	}
	e.queued = nil
	if operator != "" {
		e.decided, e.decidedBy, e.decidedSession = at, operator, by.Session
	} else {
		// Ended by the controller (its window over, the source gone):
		// who confirmed it and when stay. Overwritten, the page read
		// "by ana 00:00" for an end ana had no part in.
		e.ended = at
	}
	if reason != "" {
		e.reason = reason
	}
	for _, ch := range let {
		// Released, it holds none of the event's setpoints, answered
		// or not: only those the adapter could not release may still.
		delete(e.unanswered, ch)
	}
	// The source started its day over and dropped the event's setpoints
	// (a seek back on a simulator): those the adapter could not release
	// are not in force either, whatever their validity, answered or not.
	droppedAt := e.restartDropped
	dropped := 0
	if !droppedAt.IsZero() {
		dropped, unsupported = unsupported, 0
		clear(e.unanswered)
		e.progress.Dropped += dropped
		e.progress.DroppedAt = droppedAt
	}
	countUnansweredLocked(e, at)
	e.progress.Released += released
	e.progress.ReleaseUnsupported += unsupported
	e.progress.ReleaseFailed += failed
	if e.release != nil {
		e.release()
		e.release = nil
	}
	if e.alarm != nil && e.alarm.Active() {
		e.alarm.Cleared = at
	}
	e.over = time.Time{}
	validUntil := e.progress.ValidUntil
	unanswered, unansweredUntil := e.progress.Unanswered, e.progress.UnansweredUntil
	c.notifyLocked()
	c.mu.Unlock()

	kind := RecDispatchEnd
	if st == StateCancelled {
		kind = RecDispatchCancel
	}
	// The setpoints that could not be released hold until their validity:
	// the record says by when, so the journal alone tells an auditor when
	// those chargers were free again (the event's page says the same).
	expire := fmt.Sprintf(pluralForm(unsupported, "%d expires at its validity", "%d expire at their validity"), unsupported)
	if unsupported > 0 && !validUntil.IsZero() {
		expire += ", by " + validUntil.In(e.ev.Start.Location()).Format("15:04")
	}
	loc := e.ev.Start.Location()
	held := expire + " (adapter cannot release)"
	if dropped > 0 {
		// "expire at their validity" would tell an auditor they were
		// still in force when the equipment had dropped them.
		held = fmt.Sprintf("%s dropped when the simulator started its day over at %s (not in force)", count(dropped, "setpoint", "setpoints"), droppedAt.In(loc).Format("15:04"))
	}
	detail := fmt.Sprintf("%s; released %s, %s, %s", describe(e.ev), count(released, "charger", "chargers"), held, count(failed, "release failure", "release failures"))
	if unanswered > 0 {
		// Not released, and nobody knows whether they took their latest
		// setpoint: the journal says so in the desk's words.
		detail += fmt.Sprintf("; %d not released with no answer: may hold it until %s", unanswered, unansweredUntil.In(loc).Format("15:04"))
	}
	if q != nil {
		detail += fmt.Sprintf("; asked at %s, queued behind the plan in flight", q.At.In(loc).Format("15:04:05"))
	}
	if overtaken != nil {
		detail += fmt.Sprintf("; the cancel %s asked at %s was overtaken: the event %s first", overtaken.By, overtaken.At.In(loc).Format("15:04:05"), st)
	}
	c.log.Info("dispatch: event "+string(st), "event", id, "by", operator, "released", released, "unsupported", unsupported, "dropped", dropped, "failed", failed)
	jerr := c.journal(adapters.Record{Kind: kind, Operator: operator, Event: id, Reason: reason, Detail: detail})
	if failed > 0 {
		errs = append(errs, &ReleaseError{Failed: failed, Total: len(chargers)})
	}
	if jerr != nil {
		errs = append(errs, jerr)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s %q: %w", st, id, errors.Join(errs...))
	}
	return nil
}

// Active returns the ids of the events in force, in order.
func (c *Controller) Active() []string { return c.idsIn(StateActive) }

// Pending returns the ids of the events proposed and not yet decided, in
// order: those a stop declines (StopAll).
func (c *Controller) Pending() []string { return c.idsIn(StatePending) }

// idsIn returns the ids of the events in state st, in order.
func (c *Controller) idsIn(st State) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var ids []string
	for _, id := range c.order {
		if c.events[id].state == st {
			ids = append(ids, id)
		}
	}
	return ids
}

// stopOperator is who StopAll cancels and declines events as: the name
// the journal gives the desk's own decisions.
const stopOperator = "desk"

// StopAll cancels every event in force because the desk is stopping:
// nothing will re-plan them, so their chargers are released now, where the
// adapter can, rather than left to lapse unrecorded, and each stop is
// journalled (dispatch_cancel by "desk", with reason). Every event still
// pending (proposed or previewed, never confirmed) is declined the same
// way (dispatch_decline by "desk", with reason): nothing can confirm it
// any more, and the journal gives every event it opened an end. Call it
// after Step has stopped running.
//
// From the stop on nothing more is proposed, planned or sent (ErrStopped).
// An event in force whose plan is being made or sent at the stop (a
// dispatcher's confirm in flight) is not skipped: the desk's cancel is
// queued behind that plan, on the record (dispatch_cancel_request), the
// plan's remaining chunks are not sent, and StopAll waits, until ctx is
// done, for the cancel to run. Skipped, the rest of its plan went out after
// the desk said it had cancelled everything, and its chargers held their
// setpoints with nothing left to steer them. One still being sent when ctx
// ends is logged, and cancelled when its send ends. It returns the ids of
// the events in force at the stop that are cancelled when it returns.
func (c *Controller) StopAll(ctx context.Context, reason string) []string {
	at := c.fleetTime()
	c.mu.Lock()
	if !c.stopped {
		c.stopped, c.stopReason = true, reason
	}
	var now, waiting []*entry
	var declined []adapters.Record
	for _, id := range c.order {
		e := c.events[id]
		switch {
		case e.state == StatePending:
			// Proposed and never decided: nothing will confirm it now.
			// Closed on the record as its proposal opened it, so an
			// auditor reading the journal next morning finds every
			// event ended, not OP-3 waiting for ever.
			e.state, e.decidedBy, e.decidedSession, e.decided, e.reason = StateDeclined, stopOperator, 0, at, reason
			declined = append(declined, adapters.Record{Kind: RecDispatchDecline, Operator: stopOperator, Event: id, Reason: reason,
				Detail: describe(e.ev) + "; never confirmed: pending when the desk stopped"})
		case e.state != StateActive:
		case !e.busy:
			e.busy = true
			now = append(now, e)
		default:
			if !e.ending {
				// Already queued by a dispatcher: theirs runs.
				if err := c.queueCancelLocked(e, Actor{Name: stopOperator, Dispatcher: true}, reason, at); !errors.Is(err, ErrCancelQueued) {
					c.log.Warn("dispatch: stopping event: cancel not queued", "event", id, "err", err)
				}
			}
			waiting = append(waiting, e)
		}
	}
	c.notifyLocked()
	c.mu.Unlock()
	if len(declined) > 0 {
		c.log.Info("dispatch: the desk stopped; pending events declined", "events", len(declined))
		if err := c.journal(declined...); err != nil {
			c.log.Warn("dispatch: stopping: pending events declined, not on the record", "events", len(declined), "err", err)
		}
	}
	var ids []string
	for _, e := range now {
		if err := c.finish(ctx, e, StateCancelled, Actor{Name: stopOperator, Dispatcher: true}, reason, nil); err != nil {
			c.log.Warn("dispatch: stopping event", "event", e.ev.ID, "err", err)
		}
		ids = append(ids, e.ev.ID)
	}
	for _, e := range waiting {
		st, ok := c.waitFinal(ctx, e)
		switch {
		case !ok:
			c.log.Warn("dispatch: the desk stopped while an event's plan was being sent; its cancel runs when the send ends",
				"event", e.ev.ID, "err", ctx.Err())
		case st == StateCancelled:
			ids = append(ids, e.ev.ID)
		}
	}
	return ids
}

// waitFinal waits for e to reach a final state, which it returns, or for
// ctx to be done (false).
func (c *Controller) waitFinal(ctx context.Context, e *entry) (State, bool) {
	for {
		c.mu.Lock()
		st, ch := e.state, c.changed
		c.mu.Unlock()
		if st.Final() {
			return st, true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return st, false
		}
	}
}

// addReference plans ev's scope without the event and keeps the result in
// pv.Reference, so the preview can tell what the event itself changes from
// what time-of-use prices move anyway. A reference that cannot be made
// leaves pv as it is (the preview is still right, only less detailed).
func (c *Controller) addReference(ctx context.Context, snap *feeds.Snapshot, ev feeds.EventFrame, pv *plan.Preview, held []heldCharger) {
	if c.onReference != nil {
		c.onReference(ev.ID)
	}
	po := c.opts.Plan
	po.WithoutEvent = true
	// With the same held chargers as the plan: their limits in the base
	// load of one plan only read as the event's doing.
	_, ref, err := c.planHeld(ctx, snap, ev, po, held)
	if err != nil {
		c.log.Warn("dispatch: no reference plan for the preview", "event", ev.ID, "err", err)
		return
	}
	pv.Reference = &plan.Reference{After: ref.After, Cost: ref.Cost}
}

// setpointID names a setpoint of plan seq of event, made at fleet time at,
// for charger: "DR-17@20240204T104200.1/CP-0712", or with the run's tag
// (Options.IDTag) "DR-17@20240204T104200.1~TAG/CP-0712". It names event,
// plan and charger, so a re-send of the same plan is recognised by the
// guard and never applied twice.
func setpointID(event string, at time.Time, seq int, tag, charger string) string {
	if tag != "" {
		return fmt.Sprintf("%s@%s.%d~%s/%s", event, at.UTC().Format("20060102T150405"), seq, tag, charger)
	}
	return fmt.Sprintf("%s@%s.%d/%s", event, at.UTC().Format("20060102T150405"), seq, charger)
}

// setpointReason is a setpoint's reason, for the peer and the journal: "DR
// DR-17: cap F07 at 3,600 kW 18:00–21:00; plan 1 (confirmed)".
func setpointReason(ev feeds.EventFrame, seq int, why Why) string {
	return fmt.Sprintf("DR %s: %s; plan %d (%s)", ev.ID, describe(ev), seq, why.String())
}
