package control

import (
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// A setpoint reported timed out may be in force all the same: the
// equipment may have applied it and its answer got lost. Until an answer
// comes or its validity ends, the desk cannot tell, and says so: each
// charger of an event is in one of three cases, worded alike everywhere
// (docs/operations.md, "What the chargers hold"):
//
//   - acknowledged: accepted, clamped or written (unverified): in force
//     until its validity;
//   - unknown: no answer: the charger may hold it until its validity;
//   - not in force: refused, failed or never sent.
//
// The controller keeps the unknown ones per charger, so a late answer
// moves its charger to one of the other two cases and the counts follow.

// noAnswer is a charger's latest setpoint of an event that got no answer:
// its id, for a late answer to match, and its validity, until which the
// charger may hold it.
type noAnswer struct {
	id    string
	until time.Time
}

// answeredLocked records r, the answer to sp: a timeout makes sp's charger
// unknown until sp's validity; a setpoint the equipment acknowledged
// replaces whatever the charger held, so it is known again. A refused or
// failed setpoint changes nothing the charger holds, so a charger that
// did not answer an earlier one stays unknown. The counts in e's progress
// follow at once, at O(1) a result: a plan of 100,000 setpoints that all
// time out (an adapter down) is answered in 1,563 chunks, and a count made
// afresh after each went over every charger with no answer each time.
// Callers hold c.mu.
func answeredLocked(e *entry, sp adapters.Setpoint, r adapters.Result) {
	switch {
	case r.Status == adapters.StatusTimeout:
		if e.unanswered == nil {
			e.unanswered = map[string]noAnswer{}
		}
		if _, ok := e.unanswered[sp.Charger]; ok {
			e.unansweredStale = true // the validity it replaces may have been the latest
		}
		e.unanswered[sp.Charger] = noAnswer{id: sp.ID, until: sp.ValidUntil}
		if sp.ValidUntil.After(e.progress.UnansweredUntil) {
			e.progress.UnansweredUntil = sp.ValidUntil
		}
		if e.unansweredFirst.IsZero() || sp.ValidUntil.Before(e.unansweredFirst) {
			e.unansweredFirst = sp.ValidUntil
		}
	case r.Status.Written():
		forgetUnansweredLocked(e, sp.Charger)
	}
	e.progress.Unanswered = len(e.unanswered)
}

// lateAnsweredLocked records the late answer to setpoint id of charger:
// whatever it says, the charger's latest setpoint is no longer unknown
// (acknowledged, or not in force) unless a later one got no answer either.
// Callers hold c.mu.
func lateAnsweredLocked(e *entry, charger, id string) {
	if na, ok := e.unanswered[charger]; ok && na.id == id {
		forgetUnansweredLocked(e, charger)
	}
}

// forgetUnansweredLocked takes charger out of the unknown ones. Until the
// next count (countUnansweredLocked) UnansweredUntil may be later than the
// latest validity left: the safe side, said of a setpoint that may hold.
// Callers hold c.mu.
func forgetUnansweredLocked(e *entry, charger string) {
	if _, ok := e.unanswered[charger]; !ok {
		return
	}
	delete(e.unanswered, charger)
	e.unansweredStale = true
	e.progress.Unanswered = len(e.unanswered)
}

// countUnansweredLocked forgets the unknown setpoints whose validity has
// passed by now (the charger can hold them no longer) and puts the count
// of those left, and the latest of their validities, in e's progress. It
// goes over them only when one may have expired or been answered since the
// last count: it runs at every step. It reports whether the figures
// changed. Callers hold c.mu.
func countUnansweredLocked(e *entry, now time.Time) bool {
	before, beforeUntil := e.progress.Unanswered, e.progress.UnansweredUntil
	switch {
	case len(e.unanswered) == 0:
		e.progress.Unanswered, e.progress.UnansweredUntil = 0, time.Time{}
		e.unansweredFirst, e.unansweredStale = time.Time{}, false
	case !e.unansweredStale && now.Before(e.unansweredFirst):
		return false // none expired, none answered: the figures stand
	default:
		var first, until time.Time
		for ch, na := range e.unanswered {
			if !now.Before(na.until) {
				delete(e.unanswered, ch)
				continue
			}
			if na.until.After(until) {
				until = na.until
			}
			if first.IsZero() || na.until.Before(first) {
				first = na.until
			}
		}
		e.progress.Unanswered, e.progress.UnansweredUntil = len(e.unanswered), until
		e.unansweredFirst, e.unansweredStale = first, false
	}
	return before != e.progress.Unanswered || !beforeUntil.Equal(e.progress.UnansweredUntil)
}
