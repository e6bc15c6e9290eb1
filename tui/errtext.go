package tui

import (
	"context"
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
	// Before controlErrText: a plan not made for want of a hello is no
	// internal error (control.PlanFailure wraps it).
	switch {
	case errors.Is(err, control.ErrNoSuchFeeder):
		return t("no such feeder"), true
	case errors.Is(err, control.ErrNoImportLimit):
		return t("the feeder has no import limit"), true
	case errors.Is(err, plan.ErrNoTopology):
		return t("no topology yet: no hello received"), true
	}
	return m.controlErrText(err)
}

// controlErrText words the controller's refusals and partial failures
// that carry their figures (refusal.go in package control). A plan that
// could not be made for no fault of the event (control.PlanFailure: a
// solver failure, a forecast of the wrong length, a tariff band out of
// the day) is a bug or a misconfiguration: a Chinese lead sentence says
// so and the English detail follows, for whoever reads the log with the
// operator.
func (m *Model) controlErrText(err error) (string, bool) {
	t := m.tr.t
	var (
		ac *control.ActiveConflictError
		sc *control.SecondConfirmError
		ue *control.UnsentError
		na *control.NotAppliedError
		re *control.ReleaseError
		pf *control.PlanFailure
		st *control.StateError
		xl *control.ExtendTooLongError
		rl *control.ReleasingError
	)
	switch {
	case errors.As(err, &xl):
		return fmt.Sprintf(t("extension too long: at most %s at a time"), hoursText(xl.Max.Hours(), t)), true
	case errors.As(err, &rl):
		return fmt.Sprintf(t("its chargers are being released since %s (after a %s hand-back): too late to extend"),
			hhmm(rl.At, m.loc()), hoursText(rl.Hold.Hours(), t)), true
	case errors.As(err, &st):
		return fmt.Sprintf(t("not possible in the event's state: it is %s"), t(string(st.State))), true
	case errors.As(err, &ac):
		// Kind and scope only: with its window the sentence no longer
		// fit the footer at 80 columns, and the time it was confirmed at
		// is what the operator asks next. In English "in force since"
		// too goes (a confirmed event that conflicts is in force): with a
		// triage event's id the sentence was 84 cells.
		return fmt.Sprintf(t("conflicts with %s (%s), confirmed by %s at %s"),
			ac.Other.ID, m.kindText(ac.Other.Kind)+" "+m.scopeText(ac.Other.Scope), m.who(ac.By), ac.At.Format("15:04:05")), true
	case errors.As(err, &sc):
		return fmt.Sprintf(t("large dispatch: it moves %s kW, more than %s kW: confirm a second time"),
			kw(sc.MovedKW), kw(sc.LimitKW)), true
	case errors.As(err, &ue):
		why := t("stopped")
		switch {
		case errors.Is(ue.Err, context.Canceled):
			why = t("cancelled")
		case errors.Is(ue.Err, context.DeadlineExceeded):
			why = t("timed out")
		}
		return plural(ue.Total, t("plan %d: %s of %s setpoint not sent (%s)"), t("plan %d: %s of %s setpoints not sent (%s)"), ue.Plan, thousands(int64(ue.Unsent)), thousands(int64(ue.Total)), why), true
	case errors.As(err, &na):
		return plural(na.Total, t("plan %d: %s of %s setpoint not applied"), t("plan %d: %s of %s setpoints not applied"), na.Plan, thousands(int64(na.Failed)), thousands(int64(na.Total))), true
	case errors.As(err, &re):
		// The adapters' own errors, joined after it, are theirs to word.
		s := plural(re.Total, t("%s of %s charger not released: its setpoint expires at its validity"), t("%s of %s chargers not released: their setpoints expire at their validity"),
			thousands(int64(re.Failed)), thousands(int64(re.Total)))
		if m.tr.m != nil {
			var j interface{ Unwrap() []error }
			if errors.As(err, &j) {
				for _, e := range j.Unwrap() {
					if !errors.As(e, &re) {
						s += " · " + m.foreignText(e)
					}
				}
			}
		}
		return s, true
	case errors.As(err, &pf):
		return fmt.Sprintf(t("event %s: no plan could be made (an internal error): %s"), pf.Event, pf.Err.Error()), true
	}
	return "", false
}

// foreignText is an error the desk cannot word, on a screen in another
// language than English: a lead in that language says the detail is the
// English of whoever raised it (an adapter, the operating system, a
// bug), so the operator knows it is not the desk speaking.
func (m *Model) foreignText(err error) string {
	return fmt.Sprintf(m.tr.t("in English, as reported: %s"), err.Error())
}

// planProblemText is what the planner found wrong with an event.
func (m *Model) planProblemText(e *plan.EventError) string {
	t := m.tr.t
	switch e.Problem {
	case plan.EventEndNotAfterStart:
		return fmt.Sprintf(t("end %s is not after start %s"), hhmm(e.End, m.loc()), hhmm(e.Start, m.loc()))
	case plan.EventAlreadyEnded:
		return fmt.Sprintf(t("already ended at %s"), m.clockTime(e.End))
	case plan.EventBeyondHorizon:
		return fmt.Sprintf(t("it ends at %s, %s from now: a plan looks at most %s ahead"), m.clockTimeAt(e.End, e.End.Add(-e.Ahead)),
			hoursText(math.Round(e.Ahead.Hours()*10)/10, t), hoursText(plan.MaxHorizon.Hours(), t))
	case plan.EventNoSlot:
		return fmt.Sprintf(t("its window %s covers no slot of the plan"), m.eventSpan(e.Start, e.End))
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
		return fmt.Sprintf(t("already ended at %s (fleet time %s)"), m.clockTimeAt(e.End, e.At), hhmm(e.At, m.loc()))
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
