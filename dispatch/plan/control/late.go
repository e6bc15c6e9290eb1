package control

import (
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// LateAnswerer is the optional capability of a Sender to say what a
// setpoint it reported timed out became after all: the equipment's answer
// that came after the batch stopped waiting (journalled as late_result).
// *adapters.Guard has it. Without it an event's timeouts stay timeouts.
type LateAnswerer interface {
	LateAnswer(id string) (adapters.Result, bool)
}

// lateWait is a setpoint of an event reported timed out, whose late
// answer may yet come: the plan it was sent with, the reason its timeout
// is counted under in Progress.Failed, and its validity, after which it is
// no longer waited for (lateLocked).
type lateWait struct {
	seq     int
	charger string
	reason  string
	until   time.Time
	kw      float64 // the setpoint's, kept should it be acknowledged late
	// hold: a hold on stale data, counted in Progress.HeldUnknown until
	// its answer comes, then in Progress.Held if the equipment
	// acknowledged it.
	hold bool
}

// awaitLateLocked notes that sp (a hold on stale data when hold) was
// reported timed out in plan seq, so a late answer to it is counted when
// it comes (lateLocked). Callers hold c.mu.
func (c *Controller) awaitLateLocked(e *entry, seq int, sp adapters.Setpoint, reason string, hold bool) {
	if _, ok := c.opts.Sender.(LateAnswerer); !ok {
		return
	}
	if e.waiting == nil {
		e.waiting = map[string]lateWait{}
	}
	e.waiting[sp.ID] = lateWait{seq: seq, charger: sp.Charger, reason: reason, until: sp.ValidUntil, kw: sp.KW, hold: hold}
}

// lateLocked counts the late answers that have come to e's timed-out
// setpoints in place of their timeouts: in Total, and for the latest plan
// in ByStatus, Failed and Late, and in the plan's NotAppliedError. A
// charger that accepted late is applied; it was already among those
// released at the end (a timeout may hold its setpoint). One that refused
// late stays among them too: it may still hold an earlier plan's setpoint,
// and a release of a charger that holds none does no harm, where one left
// unreleased would keep its setpoint until its validity. It reports
// whether anything changed.
//
// A setpoint whose validity has passed by now (fleet time) without a late
// answer is no longer waited for: the guard waits for an answer only until
// the validity (lateGrace) and forgets the id soon after (prune), and the
// charger has fallen back to its own behaviour, so no answer can matter
// any more; kept, it would be polled at every step for the life of the
// event (an adapter outage at 100,000 chargers: 100,000 ids). Its timeout
// stays counted. An answer already there is counted first.
//
// The answer reaches the event's progress at the next step, not the moment
// it comes: desks step every 250 ms (a one-shot dispatch every 5 s), and
// being told at once would take a goroutine blocked in Guard.WaitLate per
// timed-out setpoint, each bounded by a validity in fleet time that no
// wall-clock context can express when the day runs sped up. Callers hold
// c.mu.
func (c *Controller) lateLocked(e *entry, now time.Time) bool {
	la, ok := c.opts.Sender.(LateAnswerer)
	if !ok || len(e.waiting) == 0 {
		return false
	}
	changed := false
	for id, w := range e.waiting {
		r, ok := la.LateAnswer(id)
		if !ok {
			if !now.Before(w.until) {
				delete(e.waiting, id) // the figures stay as they are
			}
			continue
		}
		delete(e.waiting, id)
		changed = true
		lateAnsweredLocked(e, w.charger, id)
		noteLateAnswerLocked(e, id, w, r.Status)
		e.progress.Total[adapters.StatusTimeout]--
		e.progress.Total[r.Status]++
		if w.seq != e.seq {
			continue // an earlier plan's: its figures are no longer shown
		}
		e.progress.Late++
		e.progress.ByStatus[adapters.StatusTimeout]--
		e.progress.ByStatus[r.Status]++
		if e.progress.Failed[w.reason]--; e.progress.Failed[w.reason] <= 0 {
			delete(e.progress.Failed, w.reason)
		}
		if w.hold {
			// Unknown no more: held, or not in force.
			e.progress.HeldUnknown--
			if r.Status.Written() {
				e.progress.Held++
			}
		}
		if r.Status.Applied() {
			if na, ok := e.err.(*NotAppliedError); ok && na.Plan == w.seq {
				if na.Failed <= 1 {
					e.err = nil
				} else {
					e.err = &NotAppliedError{Plan: na.Plan, Failed: na.Failed - 1, Total: na.Total}
				}
			}
			continue
		}
		reason := r.Reason
		if reason == "" {
			reason = string(r.Status)
		}
		e.progress.Failed[reason]++
	}
	countUnansweredLocked(e, now)
	if e.progress.Total[adapters.StatusTimeout] == 0 {
		delete(e.progress.Total, adapters.StatusTimeout)
	}
	if e.progress.ByStatus[adapters.StatusTimeout] == 0 {
		delete(e.progress.ByStatus, adapters.StatusTimeout)
	}
	return changed
}
