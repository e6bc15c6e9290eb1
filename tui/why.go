package tui

import (
	"fmt"
	"strings"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// The reasons the desk gives the controller when an operator declines or
// cancels an event. They are the journal's English record; the screen
// words them again from these (deskReason).
const (
	reasonDeclined  = "declined at the desk"
	reasonCancelled = "cancelled at the desk"
	reasonReplaced  = "replaced by %s at the desk"
	reasonExtended  = "extended at the desk"
)

// whyText words why the controller planned or ended an event, in the
// operator's language, from the kind and figures it kept: the journal's
// sentence (Why.String) is English whatever the session speaks.
func (m *Model) whyText(w control.Why) string {
	t := m.tr.t
	var s string
	switch w.Kind {
	case control.WhyConfirmed:
		s = t("confirmed")
	case control.WhyNewSlot:
		s = fmt.Sprintf(t("new slot %s"), hhmm(w.At, m.loc()))
	case control.WhyOverCap:
		s = replanText(t, w)
	case control.WhyDrift:
		s = driftText(t, w)
	case control.WhyWindowOver:
		s = t("window over")
	case control.WhyHandBack:
		s = fmt.Sprintf(t("hand-back %s"), hhmm(w.At, m.loc()))
	case control.WhySeek:
		at := hhmm(w.At, m.loc())
		switch {
		case w.From.IsZero():
			s = fmt.Sprintf(t("seek to %s"), at)
		case w.At.Before(w.From):
			s = fmt.Sprintf(t("seek back from %s to %s"), hhmm(w.From, m.loc()), at)
		default:
			s = fmt.Sprintf(t("seek from %s to %s"), hhmm(w.From, m.loc()), at)
		}
	case control.WhyReleased:
		return fmt.Sprintf(t("window over; released: unmanaged charging stays under the %s kW limit"), kw(w.LimitKW))
	case control.WhyNoHandBackPlan:
		// The planner's error, worded from its figures when it has them;
		// else English, an id-laden detail for whoever reads the log.
		cause := w.Err
		if w.Cause != nil {
			cause = m.drErrText(w.Cause)
		}
		return fmt.Sprintf(t("window over; released: no hand-back plan (%s)"), cause)
	case control.WhyForcedRelease:
		return fmt.Sprintf(t("window over; released at the %s hand-back limit, though %s"),
			hoursText(w.Hold.Hours(), t), m.handBackWhy(w.HandBack))
	case control.WhyUnconfirmed:
		return t("its window ended before it was confirmed")
	case control.WhySourceEnded:
		// Named as the header names the source ("scenario ended 00:00").
		// Each sentence is spelt out so the translation check sees it.
		at := hhmm(w.At, m.loc())
		switch m.mode() {
		case feeds.ModeSimulation:
			return fmt.Sprintf(t("the scenario ended at %s"), at)
		case feeds.ModeReplay:
			return fmt.Sprintf(t("the replay ended at %s"), at)
		}
		return fmt.Sprintf(t("the feed ended at %s"), at)
	default:
		s = string(w.Kind)
	}
	if why := m.handBackWhy(w.HandBack); why != "" {
		s = fmt.Sprintf(t("%s; released now, %s"), s, why)
	}
	return s
}

// hoursText is a number of hours as a sentence says it: "4 h", "4 小时".
func hoursText(h float64, t func(string) string) string {
	return ftoa(h, -1) + " " + t("h")
}

// reasonText is why a final event ended, in the operator's language: the
// controller's reasons from their figures, the desk's own from the
// phrases it sent; a reason typed elsewhere (an event file, the feed's
// refusal) is shown as it was given.
func (m *Model) reasonText(v *control.EventView) string {
	if v.EndWhy.Kind != "" {
		return m.whyText(v.EndWhy)
	}
	if v.DeclineErr != nil {
		// The feed's event, declined on arrival: checkEvent's refusal.
		return m.drErrText(v.DeclineErr)
	}
	t := m.tr.t
	switch r := v.Reason; r {
	case reasonDeclined, reasonCancelled:
		return t(r)
	default:
		if routes, ok := strings.CutPrefix(r, strings.TrimSuffix(reasonUnrouted, "%s")); ok {
			return fmt.Sprintf(t(reasonUnrouted), routes)
		}
		var id string
		// Read back only when it says exactly what the desk wrote.
		if _, err := fmt.Sscanf(r, reasonReplaced, &id); err == nil && fmt.Sprintf(reasonReplaced, id) == r {
			return fmt.Sprintf(t(reasonReplaced), id)
		}
		return r
	}
}
