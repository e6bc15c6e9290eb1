package control

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Step does what is due at the fleet time of the latest snapshot: it takes
// new event frames from the feed as pending events, lets pending events
// whose window is over expire, tracks every active event's scope against its
// cap (raising or clearing the cap-miss alarm), re-plans and re-sends an
// active event at every new slot and, at most every MinReplan, when its
// scope is over its cap beyond the tolerance or drifts from plan, and
// ends and releases events whose window is over. Once the source has
// ended (Stats.Ended: a simulated or replayed day is over) it plans nothing
// more: it ends every event not yet final (WhySourceEnded), releasing the
// chargers of those in force where the adapter can and journalling each.
// Errors are kept in the event's view and logged; Step never blocks on the
// lock while planning.
func (c *Controller) Step(ctx context.Context) {
	snap, err := c.snapshot()
	if err != nil {
		return
	}
	if snap.CatchingUp && !snap.Stats.Ended {
		// A seek's skipped span is being handed over at once: the fleet
		// clock runs through hours nobody watched (or holds before them)
		// over data still arriving. Nothing is taken, planned or ended on
		// it; the first step after the catch-up does it at the target,
		// the feed's events dated from when they were sent.
		return
	}
	now := snap.At
	var sourceEnd *Why
	if snap.Stats.Ended {
		at := snap.Stats.EndedAt
		if at.IsZero() {
			at = now
		}
		sourceEnd = &Why{Kind: WhySourceEnded, At: at.In(locOf(snap)), Mode: snap.FeedMode}
	}
	var endedPending []string
	type job struct {
		e        *entry
		end      bool
		handBack bool
		why      Why
	}
	var jobs []job
	// records are what this step puts on the record without sending:
	// the feed's new events, and pending events it ends.
	var records []adapters.Record

	c.mu.Lock()
	if c.stopped {
		// The desk has stopped (StopAll): nothing more is taken, planned
		// or sent, whoever calls Step.
		c.mu.Unlock()
		return
	}
	// A seek since the last step (a catch-up begun, or the fleet reset by
	// a seek back): the plans in force were made for another time.
	seek := c.seekLocked(snap)
	if snap.Stats.Resets != c.resets {
		c.resets = snap.Stats.Resets
		c.forgetResetLocked()
		c.markEarlierPassLocked(seek)
	}
	c.restarts = snap.Stats.Restarts
	for _, ev := range snap.Events {
		if _, ok := c.events[ev.ID]; ok {
			continue
		}
		ev.Start, ev.End = ev.Start.In(locOf(snap)), ev.End.In(locOf(snap))
		sent := feedEventTime(ev.ID, snap)
		e := &entry{ev: ev, origin: OriginFeed, state: StatePending, created: sent}
		if err := checkEventAt(ev, snap, sent); err != nil {
			// Kept, not dropped: the desk shows it declined with the reason.
			e.state, e.decided, e.reason, e.declineErr = StateDeclined, now, err.Error(), err
		}
		c.addLocked(e)
		c.log.Info("dispatch: event from the feed", "event", ev.ID, "kind", ev.Kind, "scope", ev.Scope, "state", e.state)
		detail := describe(ev) + "; " + string(e.state)
		if e.reason != "" {
			detail += ": " + e.reason
		}
		records = append(records, adapters.Record{Kind: RecDispatchPropose, Event: ev.ID, Reason: string(OriginFeed), Detail: detail,
			DataTS: proposedDataTS(sent, snap)})
	}
	c.forgetOldLocked(snap, now)
	for _, id := range c.order {
		e := c.events[id]
		// Answers that came after their setpoints were reported timed
		// out, to any event (one being sent, or over, too): its counts
		// then say what the equipment did.
		late := c.lateLocked(e, now)
		// Unanswered setpoints past their validity: the chargers can no
		// longer hold them, whatever answer never came.
		if expired := countUnansweredLocked(e, now); late || expired {
			c.notifyLocked()
		}
		switch {
		case e.busy || e.state.Final():
			continue
		case e.pass != nil:
			// Confirmed in a pass of the day the clock has gone back
			// before: ended, its chargers released, never re-planned
			// into this one (earlierpass.go).
			dropped, wait := passDropped(e.pass, snap)
			if wait {
				continue
			}
			e.busy, e.restartDropped = true, dropped
			jobs = append(jobs, job{e: e, end: true, why: Why{Kind: WhyEarlierPass, From: e.pass.From, At: e.pass.To}})
			continue
		case sourceEnd != nil && e.state == StatePending:
			// It can never be confirmed: nothing more is measured, and
			// its setpoints would go nowhere.
			e.endWhy = *sourceEnd
			e.state, e.decided, e.reason = StateEnded, now, e.endWhy.String()
			endedPending = append(endedPending, id)
			// On the record, as its proposal is: the journal would
			// otherwise leave it waiting for ever.
			records = append(records, adapters.Record{Kind: RecDispatchEnd, Event: id, Reason: e.reason,
				Detail: describe(e.ev) + "; never confirmed"})
			c.notifyLocked()
			continue
		case sourceEnd != nil:
			// In force (running or handing back): re-planning it would
			// send setpoints to a source that is gone, and their timeouts
			// would pile up in the journal until the desk stopped.
			e.busy = true
			jobs = append(jobs, job{e: e, end: true, why: *sourceEnd})
			continue
		case e.state == StatePending:
			if !now.Before(e.ev.End) {
				e.endWhy = Why{Kind: WhyUnconfirmed}
				e.state, e.decided, e.reason = StateEnded, now, e.endWhy.String()
				// Closed on the record, as its proposal was opened there.
				records = append(records, adapters.Record{Kind: RecDispatchEnd, Event: id, Reason: e.reason,
					Detail: describe(e.ev) + "; never confirmed"})
				c.notifyLocked()
			}
			continue
		}
		if !now.Before(e.ev.End) {
			if c.opts.HandBack < 0 {
				e.busy = true
				jobs = append(jobs, job{e: e, end: true, why: Why{Kind: WhyWindowOver}})
				continue
			}
			c.trackLocked(e, snap)
			if e.handback.IsZero() {
				e.handback, e.releaseAt = now, now.Add(c.opts.HandBack)
				e.busy = true
				jobs = append(jobs, job{e: e, handBack: true, why: Why{Kind: WhyWindowOver}})
				continue
			}
			switch {
			case !now.Before(e.releaseAt):
				e.busy, e.forced = true, true
				jobs = append(jobs, job{e: e, end: true, why: Why{Kind: WhyForcedRelease, Hold: e.releaseAt.Sub(e.handback), HandBack: e.handbackCheck}})
			case seek != nil:
				e.busy = true
				jobs = append(jobs, job{e: e, handBack: true, why: *seek})
			case !now.Before(c.slotPlanDue(e)):
				e.busy = true
				jobs = append(jobs, job{e: e, handBack: true, why: Why{Kind: WhyHandBack, At: slotStart(now, e.plan, snap)}})
			}
			continue
		}
		measured, planned, capKW := c.trackLocked(e, snap)
		_, limit := scopeLoad(e.ev.Scope, snap)
		_, stale := scopeFresh(e.ev.Scope, snap)
		tol := c.toleranceKW(limit)
		// Over the cap although the plan meets it: the plan is wrong, so
		// plan again now. A plan that already says the cap cannot be met
		// is not re-made for it (the alarm tells the dispatcher). A stale
		// measurement is neither: re-planning on it every MinReplan
		// changes nothing (the new slot's plans go on, so the setpoints
		// do not run out).
		overCap := !stale && !math.IsNaN(capKW) && measured > capKW+tol && planned <= capKW+tol
		drift := !stale && math.Abs(measured-planned) > c.driftKW(e.ev.Scope, snap)
		e.soon, e.tol = time.Time{}, tol
		switch {
		case seek != nil:
			// Its setpoints were for slots the seek skipped (or, back,
			// has not reached): planned again from the new time now,
			// not at the next slot of the old one.
			e.busy = true
			jobs = append(jobs, job{e: e, why: *seek})
		case !now.Before(c.slotPlanDue(e)):
			e.busy = true
			jobs = append(jobs, job{e: e, why: Why{Kind: WhyNewSlot, At: slotStart(now, e.plan, snap)}})
		case now.Before(c.replanAfter(e)):
			if overCap || drift {
				// Said on the event's page: the dispatcher watching it
				// over the cap sees when the desk acts on it.
				e.soon = c.replanAfter(e)
			}
		case overCap:
			e.busy = true
			jobs = append(jobs, job{e: e, why: Why{Kind: WhyOverCap, Event: e.ev.Kind, MeasuredKW: measured, CapKW: capKW}})
		case drift:
			e.busy = true
			jobs = append(jobs, job{e: e, why: Why{Kind: WhyDrift, Event: e.ev.Kind, MeasuredKW: measured, PlannedKW: planned}})
		}
	}
	c.mu.Unlock()

	// The feed's events are on the record too, and the pending events
	// this step ended; they exist (or ended) whether or not the journal
	// can say so, so a failure is logged.
	if err := c.journal(records...); err != nil {
		c.log.Warn("dispatch: records not journalled", "count", len(records), "err", err)
	}
	if sourceEnd != nil && len(jobs)+len(endedPending) > 0 {
		active := make([]string, 0, len(jobs))
		for _, j := range jobs {
			active = append(active, j.e.ev.ID)
		}
		c.log.Warn("dispatch: the source ended; DR events ended, their chargers released where the adapter can (the rest expire at their validity)",
			"why", sourceEnd.String(), "events", active, "pending", endedPending)
	}
	var references []func()
	for _, j := range jobs {
		switch {
		case j.end:
			c.end(ctx, j.e, j.why)
		case j.handBack:
			c.handBack(ctx, j.e, snap, j.why)
		default:
			if ref := c.replan(ctx, j.e, snap, j.why); ref != nil {
				references = append(references, ref)
			}
		}
	}
	if sourceEnd == nil {
		c.releaseNotices(now, locOf(snap))
	}
	// Display figures last, once every event's setpoints are out.
	for _, ref := range references {
		ref()
	}
}

// forgetResetLocked forgets the feed's events that no plan was sent for
// (pending, declined, or ended unsent) when the fleet forgot its history:
// a replay or simulated day seeked back, or restarted. The feed sends them
// again as its clock reaches them, and they come back pending: on a
// recording seeked back from its end, an event showed "ended" before its
// window had opened, and one a presenter declined could not be shown
// again. Events a plan was sent for stay, with their setpoints and
// progress: what went to the equipment is not undone by a seek. The
// journal keeps the first arrival and records the next as it comes.
// Callers hold c.mu.
func (c *Controller) forgetResetLocked() {
	kept := c.order[:0]
	for _, id := range c.order {
		e := c.events[id]
		if e.origin == OriginFeed && e.seq == 0 && !e.busy {
			delete(c.events, id)
			continue
		}
		kept = append(kept, id)
	}
	if len(kept) != len(c.order) {
		clear(c.order[len(kept):])
		c.order = kept
		c.notifyLocked()
	}
}

// releaseNotices gives notice of the forced releases whose lead time has
// started, after this step's hand-back checks, so the notice carries the
// figures of the check just made.
func (c *Controller) releaseNotices(now time.Time, loc *time.Location) {
	var recs []adapters.Record
	c.mu.Lock()
	for _, id := range c.order {
		e := c.events[id]
		if e.state != StateActive || e.busy || e.forced || e.handback.IsZero() {
			continue
		}
		if rec, ok := c.releaseNoticeLocked(e, now, loc); ok {
			recs = append(recs, rec)
		}
	}
	c.mu.Unlock()
	// The notice stands on the event's view whether or not the journal
	// can say so: a failure is logged, as for the feed's events.
	if err := c.journal(recs...); err != nil {
		c.log.Warn("dispatch: release notices not journalled", "count", len(recs), "err", err)
	}
}

// releaseNoticeLocked gives notice of e's forced release when its lead
// time (Options.ReleaseNotice) has started: once per release time, only
// while a check says the release would take the scope over its limit, and
// not at the release itself (too late to act on). It returns the record to
// journal. Callers hold c.mu.
func (c *Controller) releaseNoticeLocked(e *entry, now time.Time, loc *time.Location) (adapters.Record, bool) {
	if c.opts.ReleaseNotice < 0 || !e.notice.IsZero() || e.handbackCheck.PeakAt.IsZero() ||
		!now.Before(e.releaseAt) || now.Before(e.releaseAt.Add(-c.opts.ReleaseNotice)) {
		return adapters.Record{}, false
	}
	e.notice = now
	at := e.releaseAt.In(loc)
	c.log.Warn("dispatch: hand-back chargers will be released over the limit", "event", e.ev.ID, "at", at,
		"scope", e.ev.Scope, "unmanaged_peak_kw", e.handbackCheck.PeakKW, "limit_kw", e.handbackCheck.LimitKW)
	c.notifyLocked()
	return adapters.Record{Kind: RecDispatchReleaseDue, Event: e.ev.ID,
		Reason: ReleaseDueText(at, e.releaseAt.Sub(e.handback), e.handbackCheck),
		Detail: describe(e.ev) + "; handing back since " + e.handback.In(loc).Format("15:04")}, true
}

// slotStart is the start of the slot now falls in, in the site's time
// zone: a plan is named by its slot on the clock ("18:15"), not the minute
// the step ran in ("18:16").
func slotStart(now time.Time, p *plan.Plan, snap *feeds.Snapshot) time.Time {
	return now.Truncate(p.Slot).In(locOf(snap))
}

// nextSlot is when p's event is next planned for a new slot: the first
// slot boundary on the clock (the quarter hour, for 15-minute slots) after
// p's start. A plan made mid-slot (confirmed at 17:52, or re-planned for
// drift) is followed by one on the boundary, so plans, tariff bands and
// meter intervals line up again; plans made every slot length from 17:52
// ran 18:07, 18:22, ...
func nextSlot(p *plan.Plan) time.Time {
	return p.Start.Truncate(p.Slot).Add(p.Slot)
}

// replanAfter is the earliest fleet time e may be planned again for its
// scope's load (over the cap, drifting): MinReplan after its latest plan
// went out (Options.MinReplan: the setpoints need a moment to show in the
// measurements, and they show from when they were sent, not from the
// snapshot they were planned on), and never within the Sender's rate
// limit of it (sendGap).
func (c *Controller) replanAfter(e *entry) time.Time {
	return c.lastOut(e).Add(max(c.opts.MinReplan, c.sendGap()))
}

// slotPlanDue is when e is next planned for a new slot: the slot boundary
// after its latest plan's start (nextSlot), or, when that plan went out
// too close to the boundary (or past it), once the Sender's rate limit
// has passed since. On a day sped up to 600x the simulator's clock, the
// guard's, runs on while a plan is solved and sent: after `:seek 23:58`
// the seek's plan, made on the snapshot of 23:58, went out at 00:00, the
// new slot's followed in the same simulated minute, and the guard refused
// its setpoints ("previous setpoint ... was 0s ago; minimum interval is
// 10s"), leaving the chargers on the seek's. The setpoints of the plan in
// force are valid to the end of its first slot plus the grace, so the
// wait never leaves a charger without one.
func (c *Controller) slotPlanDue(e *entry) time.Time {
	due := nextSlot(e.plan)
	if after := c.lastOut(e).Add(c.sendGap()); after.After(due) {
		return after
	}
	return due
}

// lastOut is when e's latest plan went out by the fleet's clock: when its
// send ended, or the plan's own time if that is later (a clock gone back).
func (c *Controller) lastOut(e *entry) time.Time {
	if e.out.After(e.planned) {
		return e.out
	}
	return e.planned
}

// sendGap is the Sender's rate limit (RateLimiter), 0 without one.
func (c *Controller) sendGap() time.Duration {
	if rl, ok := c.opts.Sender.(RateLimiter); ok {
		return max(rl.MinInterval(), 0)
	}
	return 0
}

// end ends e for why (its window is over, or the source has ended),
// releasing its chargers. e is busy.
func (c *Controller) end(ctx context.Context, e *entry, why Why) {
	c.mu.Lock()
	e.endWhy = why
	c.mu.Unlock()
	if err := c.finish(ctx, e, StateEnded, Actor{}, why.String(), nil); err != nil {
		c.log.Warn("dispatch: ending event", "event", e.ev.ID, "err", err)
	}
}

// handBackLook is how far ahead the scope's unmanaged load must stay under
// its limit for the chargers to be released: the rebound of held-back EVs
// comes in the first slots after their setpoints lapse.
const handBackLook = time.Hour

// handBack runs after e's window: it releases the chargers when the
// scope's unmanaged load stays under its import limit for handBackLook,
// and otherwise plans the scope against that limit and sends the plan, so
// the held-back EVs catch up without an overload. e is busy.
func (c *Controller) handBack(ctx context.Context, e *entry, snap *feeds.Snapshot, why Why) {
	c.mu.Lock()
	ev := e.ev
	c.mu.Unlock()
	_, limit := scopeLoad(ev.Scope, snap)
	if limit <= 0 {
		c.end(ctx, e, Why{Kind: WhyWindowOver})
		return
	}
	// The scope's own limit, as a cap over the next hour: the plan keeps
	// it, and its unmanaged curve says whether releasing now would not.
	// The plan charges as early as the limit allows, not at the cheapest
	// hours: the point is to get back to unmanaged charging, and a plan
	// that waits for the valley keeps the EVs empty and the rebound high.
	hb := ev
	hb.Kind, hb.KW, hb.Start, hb.End = feeds.EventImportCap, limit, snap.At, snap.At.Add(handBackLook)
	po := c.opts.Plan
	po.Soonest = true
	// No plan without the event beside it (pv.Reference stays nil, and the
	// desk shows no split of the change): the window is over and the cap
	// is the scope's own limit, so "the event itself" would only be the
	// difference between charging soonest and charging at the cheapest
	// hours under the same limit, which is not the event's doing. The
	// hand-back line says what matters here: how far over its limit
	// releasing now would take the scope.
	c.mu.Lock()
	held := c.staleHoldsLocked(e, snap)
	c.mu.Unlock()
	p, pv, err := c.planHeld(ctx, snap, hb, po, held)
	if err != nil {
		c.end(ctx, e, Why{Kind: WhyNoHandBackPlan, Err: err.Error(), Cause: err})
		return
	}
	peak, at := unmanagedPeak(p, ev.Scope, snap.At.Add(handBackLook))
	c.mu.Lock()
	check := e.handbackCheck
	c.mu.Unlock()
	switch {
	case peak <= limit && len(held) == 0:
		c.end(ctx, e, Why{Kind: WhyReleased, LimitKW: limit})
		return
	case peak <= limit:
		// Under the limit only because the held chargers count at their
		// held limits: what they would draw released is unknown (their
		// data is stale), so they are not released on it. The previous
		// check, if any, still says why the hand-back began; the forced
		// release at releaseAt bounds it.
		c.log.Warn("dispatch: hand-back not released: chargers held on stale data", "event", ev.ID, "held", len(held))
	default:
		check = HandBack{Scope: ev.Scope, PeakKW: peak, PeakAt: at.In(locOf(snap)), LimitKW: limit}
		c.mu.Lock()
		e.handbackCheck = check
		c.mu.Unlock()
	}
	c.log.Info("dispatch: handing back", "event", ev.ID, "scope", ev.Scope, "unmanaged_peak_kw", peak, "limit_kw", limit)
	why.HandBack = check
	err = c.send(ctx, e, snap, p, pv, why, held)
	c.mu.Lock()
	q := c.idleLocked(e)
	if err != nil {
		e.err = err
		c.log.Warn("dispatch: hand-back plan not sent; the previous setpoints expire at their validity", "event", ev.ID, "err", err)
	}
	c.notifyLocked()
	c.mu.Unlock()
	c.runQueued(ctx, e, q)
}

// unmanagedPeak is the highest unmanaged load of scope in p's slots that
// start before until, and the start of its slot.
func unmanagedPeak(p *plan.Plan, scope string, until time.Time) (kw float64, at time.Time) {
	kw = math.Inf(-1)
	for t, v := range p.Baseline.Of(scope) {
		s := p.SlotStart(t)
		if !s.Before(until) {
			break
		}
		if v > kw {
			kw, at = v, s
		}
	}
	return kw, at
}

// replan plans e again on snap and sends the new setpoints. e is busy.
// It returns the reference plan still to make for the page's split of the
// change (nil: none to make), for the caller to run once every send it has
// to do is done: setpoints do not wait for a display figure.
func (c *Controller) replan(ctx context.Context, e *entry, snap *feeds.Snapshot, why Why) (reference func()) {
	c.mu.Lock()
	ev := e.ev
	held := c.staleHoldsLocked(e, snap)
	c.mu.Unlock()
	p, pv, err := c.planHeld(ctx, snap, ev, c.opts.Plan, held)
	if err == nil {
		err = c.send(ctx, e, snap, p, pv, why, held)
	}
	c.mu.Lock()
	q := c.idleLocked(e)
	if err != nil {
		e.err = err
		c.log.Warn("dispatch: re-plan failed; the previous setpoints expire at their validity", "event", ev.ID, "why", why.String(), "err", err)
	}
	c.notifyLocked()
	c.mu.Unlock()
	c.runQueued(ctx, e, q)
	if err != nil || q != nil {
		return nil
	}
	// The plan without the event too, as the preview had it: the desk
	// splits the change now into what prices and limits move and what
	// the event itself does for as long as the event runs, not only until
	// its first re-plan. A second solve of the same size, every slot per
	// event (docs/benchmarks.md, "dispatch controller"); until it is
	// done the page shows the plan sent without the split.
	return func() { c.referenceLater(ctx, e, snap, ev, pv, held) }
}

// referenceLater makes the reference plan of pv, already sent and shown,
// and puts it on a copy of pv (views share pv, which must not change under
// them) if pv is still e's latest plan.
func (c *Controller) referenceLater(ctx context.Context, e *entry, snap *feeds.Snapshot, ev feeds.EventFrame, pv *plan.Preview, held []heldCharger) {
	withRef := *pv
	c.addReference(ctx, snap, ev, &withRef, held)
	if withRef.Reference == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.preview == pv {
		e.preview = &withRef
		c.notifyLocked()
	}
}

// trackLocked records the scope's measured load against the cap in force
// and the plan, and raises or clears the cap-miss alarm. It returns the
// measured and planned load and the cap in force (NaN: none). Callers hold
// c.mu.
func (c *Controller) trackLocked(e *entry, snap *feeds.Snapshot) (measured, planned, capKW float64) {
	now := snap.At
	measured, limit := scopeLoad(e.ev.Scope, snap)
	measuredAt, stale := scopeFresh(e.ev.Scope, snap)
	planned, capKW = math.NaN(), math.NaN()
	if e.plan != nil && e.preview != nil {
		t := int(now.Sub(e.plan.Start) / e.plan.Slot)
		_, after := e.preview.ScopeCurves()
		if t >= 0 && t < len(after) {
			planned = after[t]
		}
		capKW = c.capAt(e, t, now)
	}
	minute := now.Truncate(time.Minute)
	if n := len(e.track); n == 0 || e.track[n-1].At.Before(minute) {
		e.track = append(e.track, TrackPoint{At: minute, MeasuredKW: measured, CapKW: capKW, PlannedKW: planned, Stale: stale, MeasuredAt: measuredAt})
		if len(e.track) > c.opts.TrackPoints {
			// A new array: views share the old one (points are never
			// changed once written, so sharing needs no copy).
			e.track = slices.Clone(e.track[len(e.track)-c.opts.TrackPoints:])
		}
		c.notifyLocked()
	}
	tol := c.toleranceKW(limit)
	switch {
	case stale:
		// Its last measurement is not the load now (a feed lost for
		// minutes kept F10 at 1,810 kW, and the alarm came ten minutes
		// into the outage): neither raised nor cleared on it. The feed's
		// own alarm says the data is lost.
	case !math.IsNaN(capKW) && measured > capKW+tol:
		if e.over.IsZero() {
			e.over = now
		}
		if e.alarm != nil && e.alarm.Active() {
			e.alarm.MeasuredKW, e.alarm.CapKW = measured, capKW
		} else if now.Sub(e.over) >= c.opts.CapMissAfter {
			e.alarm = &CapAlarm{Event: e.ev.ID, Scope: e.ev.Scope, Since: e.over, Raised: now,
				MeasuredKW: measured, CapKW: capKW, ToleranceKW: tol}
			c.log.Warn("dispatch: cap missed", "event", e.ev.ID, "scope", e.ev.Scope, "measured_kw", measured,
				"cap_kw", capKW, "tolerance_kw", tol, "since", e.over)
			c.notifyLocked()
		}
	default:
		e.over = time.Time{}
		if e.alarm != nil && e.alarm.Active() {
			e.alarm.Cleared = now
			c.notifyLocked()
		}
	}
	if math.IsNaN(planned) {
		planned = measured
	}
	return measured, planned, capKW
}

// capAt is the cap in force at slot t of e's plan (fleet time now), NaN
// when there is none: before or after the window, or a price event.
func (c *Controller) capAt(e *entry, t int, now time.Time) float64 {
	if now.Before(e.ev.Start) || !now.Before(e.ev.End) {
		return math.NaN()
	}
	switch e.ev.Kind {
	case feeds.EventImportCap:
		return e.ev.KW
	case feeds.EventExport:
		return -e.ev.KW
	case feeds.EventShed:
		before, _ := e.preview.ScopeCurves()
		if t >= 0 && t < len(before) {
			return before[t] - e.ev.KW
		}
	}
	return math.NaN()
}

// scopeLoad is the measured load of a scope and its import limit.
func scopeLoad(scope string, snap *feeds.Snapshot) (kw, limit float64) {
	if scope == feeds.ScopeSystem {
		return snap.System.KW, snap.System.ImportLimitKW
	}
	f, _ := snap.Feeder(scope)
	return f.KW, f.LimitKW
}

// scopeFresh is when scope's load was last measured and whether that is
// older than the fleet's stale time: a feeder's own measurement, or for the
// system every feeder's (the feed lost; one silent meter leaves the sum
// judged on the others, as before).
func scopeFresh(scope string, snap *feeds.Snapshot) (at time.Time, stale bool) {
	if scope != feeds.ScopeSystem {
		f, _ := snap.Feeder(scope)
		return f.TS, f.Seen && f.Stale
	}
	seen, old := 0, 0
	for _, f := range snap.Feeders {
		if !f.Seen {
			continue
		}
		seen++
		if f.Stale {
			old++
		}
		if f.TS.After(at) {
			at = f.TS
		}
	}
	return at, seen > 0 && old == seen
}

// toleranceKW is by how much a scope with import limit limit may exceed a
// cap before the cap counts as missed.
func (c *Controller) toleranceKW(limit float64) float64 {
	return math.Max(c.opts.CapToleranceKW, c.opts.CapTolerancePct*limit)
}

// ToleranceKW is by how much the measured load of scope may exceed a cap
// before the cap counts as missed, on the latest snapshot.
func (c *Controller) ToleranceKW(scope string) float64 {
	snap, err := c.snapshot()
	if err != nil {
		return c.opts.CapToleranceKW
	}
	_, limit := scopeLoad(scope, snap)
	return c.toleranceKW(limit)
}

// driftKW is how far the measured load of scope may be from plan before it
// is re-planned at once.
func (c *Controller) driftKW(scope string, snap *feeds.Snapshot) float64 {
	_, limit := scopeLoad(scope, snap)
	return math.Max(c.opts.DriftKW, c.opts.DriftPct*limit)
}

func locOf(s *feeds.Snapshot) *time.Location {
	if s.Location != nil {
		return s.Location
	}
	return time.UTC
}
