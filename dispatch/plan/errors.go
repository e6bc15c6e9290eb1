package plan

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// EventProblem says what makes an event one Build cannot plan for.
type EventProblem string

// The problems Build finds with an event; EventError carries the figures.
const (
	EventEndNotAfterStart EventProblem = "end not after start" // Start, End
	EventAlreadyEnded     EventProblem = "already ended"       // End
	// EventBeyondHorizon: the event ends Ahead after the plan's start, more
	// than MaxHorizon.
	EventBeyondHorizon EventProblem = "beyond horizon"
	EventNoSlot        EventProblem = "no slot"       // the window (Start, End) covers no slot
	EventUnknownScope  EventProblem = "unknown scope" // Scope
	EventKWNotFinite   EventProblem = "kw not finite" // KW
	EventNegativeKW    EventProblem = "negative kw"   // an export or shed (Kind) of KW < 0
	EventNoPrice       EventProblem = "no price"      // a price event without a price
	EventUnknownKind   EventProblem = "unknown kind"  // Kind
)

// EventError is an event Build cannot plan for: its id, the problem and the
// figures it was found with, so a screen can word it in its operator's
// language. Error is the English sentence the log and the journal record.
type EventError struct {
	Event   string
	Problem EventProblem
	// Start and End are the event's window.
	Start, End time.Time
	// Ahead is how long after the plan's start the event ends.
	Ahead time.Duration
	Scope string
	KW    float64
	// Kind is the event's kind.
	Kind feeds.EventKind
}

// Error says what is wrong with the event, as the log records it.
func (e *EventError) Error() string {
	var s string
	switch e.Problem {
	case EventEndNotAfterStart:
		s = fmt.Sprintf("end %s not after start %s", e.End.Format(time.RFC3339), e.Start.Format(time.RFC3339))
	case EventAlreadyEnded:
		s = fmt.Sprintf("already ended at %s", e.End.Format(time.RFC3339))
	case EventBeyondHorizon:
		s = fmt.Sprintf("ends %s, %s from now: a plan looks at most %s ahead", e.End.Format(time.RFC3339), e.Ahead.Round(time.Minute), MaxHorizon)
	case EventNoSlot:
		s = fmt.Sprintf("window %s-%s covers no slot of the plan", e.Start.Format(time.RFC3339), e.End.Format(time.RFC3339))
	case EventUnknownScope:
		s = fmt.Sprintf("scope %q is neither %q nor a known feeder", e.Scope, feeds.ScopeSystem)
	case EventKWNotFinite:
		s = fmt.Sprintf("kw %v is not a finite number", e.KW)
	case EventNegativeKW:
		if e.Kind == feeds.EventExport {
			s = fmt.Sprintf("export kw %v must be >= 0 (it is the export asked for)", e.KW)
		} else {
			s = fmt.Sprintf("%s kw %v must be >= 0", e.Kind, e.KW)
		}
	case EventNoPrice:
		s = "kind price without a price"
	case EventUnknownKind:
		s = fmt.Sprintf("unknown kind %q", e.Kind)
	default:
		s = string(e.Problem)
	}
	return fmt.Sprintf("event %q: %s", e.Event, s)
}
