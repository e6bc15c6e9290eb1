package control

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// InvalidProblem says what makes an event invalid against the fleet.
type InvalidProblem string

// The problems checkEvent finds; InvalidEventError carries the figures.
const (
	InvalidKind        InvalidProblem = "kind"          // Kind is not one of the four
	InvalidScope       InvalidProblem = "scope"         // Scope is no feeder of Site
	InvalidNoWindow    InvalidProblem = "no window"     // start or end missing
	InvalidEndNotAfter InvalidProblem = "end not after" // End not after Start
	InvalidEnded       InvalidProblem = "ended"         // End not after the fleet's time At
	InvalidKWNotFinite InvalidProblem = "kw not finite" // KW
	InvalidKWNotAbove  InvalidProblem = "kw not > 0"    // a shed or export (Kind) of KW <= 0
	InvalidNegativeCap InvalidProblem = "negative cap"  // an import cap of KW < 0
	InvalidNoPrice     InvalidProblem = "no price"      // a price event without a finite price
)

// InvalidEventError is an event the controller refuses (a feed's, declined
// on arrival, or one proposed at the desk): its id, the problem and its
// figures, so a screen can word it in its operator's language. It wraps
// ErrInvalidEvent; Error is the English sentence the log and the journal
// record.
type InvalidEventError struct {
	Event   string
	Problem InvalidProblem
	Kind    feeds.EventKind
	Scope   string
	// Site is the fleet's site, which has no feeder Scope.
	Site string
	// Start and End are the event's window; At the fleet's time.
	Start, End, At time.Time
	KW             float64
}

// Error says what is wrong with the event, as the log records it.
func (e *InvalidEventError) Error() string {
	if e.Event == "" {
		// A proposal without an id is refused before it is given one.
		return fmt.Sprintf("new event: %s: %s", ErrInvalidEvent, e.Detail())
	}
	return fmt.Sprintf("event %q: %s: %s", e.Event, ErrInvalidEvent, e.Detail())
}

// Unwrap returns ErrInvalidEvent.
func (e *InvalidEventError) Unwrap() error { return ErrInvalidEvent }

// CheckEvent says what is wrong with ev against the fleet as snap shows
// it, as Propose would refuse it (an *InvalidEventError), or nil. A form
// asks before it proposes, so that the operator corrects what they typed
// in place rather than retyping the whole event.
func CheckEvent(ev feeds.EventFrame, snap *feeds.Snapshot) error {
	return checkEvent(ev, snap)
}

// Detail is what is wrong, in English, without the event's id.
func (e *InvalidEventError) Detail() string {
	switch e.Problem {
	case InvalidKind:
		return fmt.Sprintf("kind %q is not one of import_cap, shed, export, price", e.Kind)
	case InvalidScope:
		return fmt.Sprintf("scope %q is neither %q nor a feeder of %s", e.Scope, feeds.ScopeSystem, e.Site)
	case InvalidNoWindow:
		return "start and end are required"
	case InvalidEndNotAfter:
		return fmt.Sprintf("end %s is not after start %s", e.End.Format(time.RFC3339), e.Start.Format(time.RFC3339))
	case InvalidEnded:
		return fmt.Sprintf("already ended at %s (fleet time %s)", e.End.Format(time.RFC3339), e.At.Format(time.RFC3339))
	case InvalidKWNotFinite:
		return fmt.Sprintf("kw %v is not a finite number", e.KW)
	case InvalidKWNotAbove:
		return fmt.Sprintf("%s needs kw > 0 (got %g)", e.Kind, e.KW)
	case InvalidNegativeCap:
		return fmt.Sprintf("an import cap needs kw >= 0 (got %g); ask for export with kind export", e.KW)
	case InvalidNoPrice:
		return "kind price needs a finite price"
	}
	return string(e.Problem)
}
