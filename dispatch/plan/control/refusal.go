package control

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// The controller's refusals and partial failures carry their figures, so a
// screen can word them in its operator's language; Error is the English the
// log and the journal keep, with the ids and times.

// ActiveConflictError is a confirmation refused because another event in
// force steers the same scope in an overlapping window; it is ErrConflict.
type ActiveConflictError struct {
	Other feeds.EventFrame // the event in force
	By    string           // who confirmed it
	At    time.Time        // when, in the site's time zone
}

// Error is the English the log and the journal keep.
func (e *ActiveConflictError) Error() string {
	return fmt.Sprintf("%v: event %s (%s) is active on the same scope, confirmed by %s at %s", ErrConflict, e.Other.ID,
		describe(e.Other), e.By, e.At.Format("15:04:05"))
}

// Unwrap makes an ActiveConflictError ErrConflict.
func (e *ActiveConflictError) Unwrap() error { return ErrConflict }

// SecondConfirmError is a confirmation that needs a second one: the
// dispatch moves MovedKW, more than LimitKW (Options.SecondConfirmKW). It
// is ErrSecondConfirm.
type SecondConfirmError struct {
	MovedKW, LimitKW float64
}

// Error is the English the log and the journal keep.
func (e *SecondConfirmError) Error() string {
	return fmt.Sprintf("%v: it moves %.0f kW, more than %.0f kW", ErrSecondConfirm, e.MovedKW, e.LimitKW)
}

// Unwrap makes a SecondConfirmError ErrSecondConfirm.
func (e *SecondConfirmError) Unwrap() error { return ErrSecondConfirm }

// UnsentError is a send cut short (its context ended): Unsent of the
// plan's Total setpoints were not handed to the Sender. Err is why.
type UnsentError struct {
	Plan, Unsent, Total int
	Err                 error
}

// Error is the English the log and the journal keep.
func (e *UnsentError) Error() string {
	return fmt.Sprintf("sending plan %d: %s not sent: %v", e.Plan, countOf(e.Unsent, e.Total, "setpoint", "setpoints"), e.Err)
}

// Unwrap returns why the send stopped.
func (e *UnsentError) Unwrap() error { return e.Err }

// NotAppliedError is a send whose setpoints the chargers did not all
// apply: Failed of the plan's Total were refused, failed or timed out
// (EventView.Progress says which, and why). It is kept as the event's
// error (EventView.Error), not returned.
type NotAppliedError struct {
	Plan, Failed, Total int
}

// Error is the English the log and the journal keep.
func (e *NotAppliedError) Error() string {
	return fmt.Sprintf("plan %d: %s not applied", e.Plan, countOf(e.Failed, e.Total, "setpoint", "setpoints"))
}

// ReleaseError is an event ended or cancelled with Failed of its Total
// chargers not released: their last setpoints expire at their validity.
type ReleaseError struct {
	Failed, Total int
}

// Error is the English the log and the journal keep.
func (e *ReleaseError) Error() string {
	return countOf(e.Failed, e.Total, "charger", "chargers") + " not released"
}

// PlanFailure is a plan that could not be made for an event for a reason
// that is no fault of the event: the planner's options (a tariff band out
// of the day), a forecast of the wrong length, a problem the optimiser
// refuses or cannot solve. They are bugs or misconfiguration, for whoever
// reads the log; an event the planner cannot plan for is a
// *plan.EventError, which Err then is. Stage is "plan", "solve" or
// "preview".
type PlanFailure struct {
	Stage, Event string
	Err          error
}

// Error is the English the log and the journal keep.
func (e *PlanFailure) Error() string { return fmt.Sprintf("%s %q: %v", e.Stage, e.Event, e.Err) }

// Unwrap returns the planner's or the optimiser's error.
func (e *PlanFailure) Unwrap() error { return e.Err }

// StateError is an action the event's state does not allow (confirming an
// event twice, cancelling a declined one); it is ErrState.
type StateError struct {
	State State // the event's state
}

// Error is the English the log and the journal keep.
func (e *StateError) Error() string { return fmt.Sprintf("%v: it is %s", ErrState, e.State) }

// Unwrap makes a StateError ErrState.
func (e *StateError) Unwrap() error { return ErrState }

// ExtendTooLongError is an extension of a hand-back longer than
// Options.MaxExtend, which is Max; it is ErrInvalidEvent.
type ExtendTooLongError struct {
	Max time.Duration
}

// Error is the English the log and the journal keep. It names the
// extension, not the event: "extend "OP-1" by 100 h: invalid event: at
// most 24 h at a time" blamed an event nothing was wrong with, and the
// English desk shows this sentence as it is.
func (e *ExtendTooLongError) Error() string {
	return fmt.Sprintf("extension too long: at most %s at a time", hoursText(e.Max))
}

// Unwrap makes an ExtendTooLongError ErrInvalidEvent.
func (e *ExtendTooLongError) Unwrap() error { return ErrInvalidEvent }

// ReleasingError is an extension asked while a hand-back's forced release
// lets its chargers go: too late to keep them. At is the release time in
// force when it began, Hold how long the hand-back had lasted by then. It
// is ErrState.
type ReleasingError struct {
	At   time.Time
	Hold time.Duration
}

// Error is the English the log and the journal keep.
func (e *ReleasingError) Error() string {
	return fmt.Sprintf("%v: its chargers are being released", ErrState)
}

// Unwrap makes a ReleasingError ErrState.
func (e *ReleasingError) Unwrap() error { return ErrState }
