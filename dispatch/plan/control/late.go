package control

import (
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
// answer may yet come: the plan it was sent with and the reason its
// timeout is counted under in Progress.Failed.
type lateWait struct {
	seq    int
	reason string
}

// awaitLateLocked notes that sp was reported timed out (r) in plan seq, so
// a late answer to it is counted when it comes (lateLocked). Callers hold
// c.mu.
func (c *Controller) awaitLateLocked(e *entry, seq int, sp adapters.Setpoint, reason string) {
	if _, ok := c.opts.Sender.(LateAnswerer); !ok {
		return
	}
	if e.waiting == nil {
		e.waiting = map[string]lateWait{}
	}
	e.waiting[sp.ID] = lateWait{seq: seq, reason: reason}
}

// lateLocked counts the late answers that have come to e's timed-out
// setpoints in place of their timeouts: in Total, and for the latest plan
// in ByStatus, Failed and Late, and in the plan's NotAppliedError. A
// charger that accepted late is applied; it was already among those
// released at the end (a timeout may hold its setpoint). One that refused
// late stays among them too: it may still hold an earlier plan's setpoint,
// and a release of a charger that holds none does no harm, where one left
// unreleased would keep its setpoint until its validity. It reports
// whether anything changed. Callers hold c.mu.
func (c *Controller) lateLocked(e *entry) bool {
	la, ok := c.opts.Sender.(LateAnswerer)
	if !ok || len(e.waiting) == 0 {
		return false
	}
	changed := false
	for id, w := range e.waiting {
		r, ok := la.LateAnswer(id)
		if !ok {
			continue
		}
		delete(e.waiting, id)
		changed = true
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
	if e.progress.Total[adapters.StatusTimeout] == 0 {
		delete(e.progress.Total, adapters.StatusTimeout)
	}
	if e.progress.ByStatus[adapters.StatusTimeout] == 0 {
		delete(e.progress.ByStatus, adapters.StatusTimeout)
	}
	return changed
}
