package tui

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// plannerErrText words, in the operator's language, the errors a desk
// meets that carry what they are about: an event the planner cannot plan
// for (plan.EventError), an event the controller refuses
// (control.InvalidEventError), a suggestion for a feeder without a limit.
// ok is false for any other error. The English, with ids and timestamps,
// stays in the log and the journal.
func (m *Model) plannerErrText(err error) (s string, ok bool) {
	t := m.tr.t
	var pe *plan.EventError
	if errors.As(err, &pe) {
		return fmt.Sprintf(t("event %s: %s"), pe.Event, m.planProblemText(pe)), true
	}
	var ie *control.InvalidEventError
	if errors.As(err, &ie) {
		return fmt.Sprintf(t("event %s is invalid: %s"), ie.Event, m.invalidText(ie)), true
	}
	switch {
	case errors.Is(err, control.ErrNoSuchFeeder):
		return t("no such feeder"), true
	case errors.Is(err, control.ErrNoImportLimit):
		return t("the feeder has no import limit"), true
	case errors.Is(err, plan.ErrNoTopology):
		return t("no topology yet: no hello received"), true
	}
	return "", false
}

// planProblemText is what the planner found wrong with an event.
func (m *Model) planProblemText(e *plan.EventError) string {
	t := m.tr.t
	switch e.Problem {
	case plan.EventEndNotAfterStart:
		return fmt.Sprintf(t("end %s is not after start %s"), hhmm(e.End, m.loc()), hhmm(e.Start, m.loc()))
	case plan.EventAlreadyEnded:
		return fmt.Sprintf(t("already ended at %s"), hhmm(e.End, m.loc()))
	case plan.EventBeyondHorizon:
		return fmt.Sprintf(t("it ends at %s, %s from now: a plan looks at most %s ahead"), hhmm(e.End, m.loc()),
			hoursText(math.Round(e.Ahead.Hours()*10)/10, t), hoursText(plan.MaxHorizon.Hours(), t))
	case plan.EventNoSlot:
		return fmt.Sprintf(t("its window %s–%s covers no slot of the plan"), hhmm(e.Start, m.loc()), hhmm(e.End, m.loc()))
	case plan.EventUnknownScope:
		return fmt.Sprintf(t("%s is neither the system nor a known feeder"), e.Scope)
	case plan.EventKWNotFinite:
		return t("its kW is not a finite number")
	case plan.EventNegativeKW:
		return fmt.Sprintf(t("%s needs kW ≥ 0 (got %s)"), m.kindText(e.Kind), gText(e.KW))
	case plan.EventNoPrice:
		return t("a price event without a price")
	case plan.EventUnknownKind:
		return fmt.Sprintf(t("unknown kind %q"), string(e.Kind))
	}
	return e.Error()
}

// invalidText is what the controller found wrong with an event.
func (m *Model) invalidText(e *control.InvalidEventError) string {
	t := m.tr.t
	switch e.Problem {
	case control.InvalidKind:
		return fmt.Sprintf(t("kind %q is not one of import cap, shed, export, price"), string(e.Kind))
	case control.InvalidScope:
		return fmt.Sprintf(t("%s is neither the system nor a feeder of %s"), e.Scope, e.Site)
	case control.InvalidNoWindow:
		return t("start and end are required")
	case control.InvalidEndNotAfter:
		return fmt.Sprintf(t("end %s is not after start %s"), hhmm(e.End, m.loc()), hhmm(e.Start, m.loc()))
	case control.InvalidEnded:
		return fmt.Sprintf(t("already ended at %s (fleet time %s)"), hhmm(e.End, m.loc()), hhmm(e.At, m.loc()))
	case control.InvalidKWNotFinite:
		return t("its kW is not a finite number")
	case control.InvalidKWNotAbove:
		return fmt.Sprintf(t("%s needs kW > 0 (got %s)"), m.kindText(e.Kind), gText(e.KW))
	case control.InvalidNegativeCap:
		return fmt.Sprintf(t("an import cap needs kW ≥ 0 (got %s): ask for export with kind export"), gText(e.KW))
	case control.InvalidNoPrice:
		return t("a price event needs a finite price")
	}
	return e.Detail()
}

// gText is a figure as the operator typed it: every digit, no separators.
func gText(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
