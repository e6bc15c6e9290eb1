package control

import (
	"fmt"
	"strconv"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/numtext"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// WhyKind says what made the controller plan an event again or end it.
type WhyKind string

// The reasons the controller plans or ends an event.
const (
	WhyConfirmed WhyKind = "confirmed" // the first plan, sent on confirmation
	WhyNewSlot   WhyKind = "new slot"  // the plan of a new slot (At)
	WhyOverCap   WhyKind = "over cap"  // measured over the cap the plan meets
	WhyDrift     WhyKind = "drift"     // measured far from plan
	// WhyWindowOver: the window is over. A plan for it is the first of a
	// hand-back (HandBack says why the chargers were not released); an end
	// for it released the chargers without a check (no hand-back, or no
	// import limit to check against).
	WhyWindowOver WhyKind = "window over"
	WhyHandBack   WhyKind = "hand-back" // a hand-back plan of a new slot (At, HandBack)
	// WhySeek: the source's clock was moved, from From to At (a seek,
	// forward or back): the plan in force was made for a time that is not
	// the clock's any more (its setpoints for slots skipped, or not yet
	// reached), so the event is planned again from At at once, and a
	// hand-back too (HandBack), rather than at its next slot.
	WhySeek WhyKind = "seek"
	// WhyReleased ends a hand-back: unmanaged charging stays under the
	// scope's limit (LimitKW).
	WhyReleased WhyKind = "released"
	// WhyNoHandBackPlan ends an event released without a hand-back plan,
	// which failed (Err).
	WhyNoHandBackPlan WhyKind = "no hand-back plan"
	// WhyForcedRelease ends an event released at the longest hand-back
	// (Hold), its charging still over the limit (HandBack).
	WhyForcedRelease WhyKind = "forced release"
	// WhyUnconfirmed ends a pending event whose window ended before
	// anyone confirmed it.
	WhyUnconfirmed WhyKind = "unconfirmed"
	// WhySourceEnded ends an event, active, handing back or pending,
	// because the telemetry source ended (At, Mode): a simulated or
	// replayed day is over, nothing more is measured, and setpoints would
	// go to a simulator that is gone.
	WhySourceEnded WhyKind = "source ended"
)

// Why is why the controller made an event's latest plan (EventView.LastWhy)
// or ended it (EventView.EndWhy): a kind and its figures, so a screen can
// word it in its operator's language. String is the English sentence the
// journal, the setpoints' reasons and the log record; the figures are the
// ones it was made from.
type Why struct {
	Kind WhyKind
	// At is the slot a new-slot or hand-back plan is for, in the site's
	// time zone; for a seek, its target, and From the clock before it.
	At, From time.Time
	// MeasuredKW is the scope's load measured when it was over its cap
	// (CapKW) or drifted from plan (PlannedKW).
	MeasuredKW, CapKW, PlannedKW float64
	// Event is the kind of the event an over-cap or drift plan is for: an
	// export's cap (−2,000 kW) is a target to reach and a shed's a target
	// to keep under, and each is worded so ("export short: …"), not as a
	// cap; an export's drift gives its figures as export, not as a load
	// below zero.
	Event feeds.EventKind
	// LimitKW is the scope's import limit a hand-back ended under.
	LimitKW float64
	// HandBack is the check that kept the chargers (a hand-back plan) or
	// found them still over the limit (a forced release).
	HandBack HandBack
	// Hold is the longest hand-back, for a forced release.
	Hold time.Duration
	// Err is why no hand-back plan could be made; Cause is the error it
	// is the text of, for a screen to word in its operator's language.
	Err   string
	Cause error
	// Mode is what the source that ended was (a source end): it names it,
	// "the scenario" for a simulation, "the replay", else "the feed".
	Mode feeds.Mode
}

// String is the reason as the journal records it: "new slot 18:15",
// "drift: measured 3,900 kW, planned 3,500 kW", "window over; released now,
// charging would take F07 to 4,100 kW (102%) at 18:15 (limit 4,000 kW)".
func (w Why) String() string {
	var s string
	switch w.Kind {
	case WhyNewSlot:
		s = "new slot " + w.At.Format("15:04")
	case WhyOverCap:
		s = w.overCapText()
	case WhyDrift:
		s = w.driftText()
	case WhyHandBack:
		s = "hand-back " + w.At.Format("15:04")
	case WhySeek:
		s = w.seekText()
	case WhyReleased:
		return fmt.Sprintf("window over; released: unmanaged charging stays under the %s kW limit", numtext.KW(w.LimitKW))
	case WhyNoHandBackPlan:
		return fmt.Sprintf("window over; released: no hand-back plan (%s)", w.Err)
	case WhyForcedRelease:
		return fmt.Sprintf("window over; released at the %s hand-back limit, though %s", hoursText(w.Hold), w.HandBack.Why())
	case WhyUnconfirmed:
		return "its window ended before it was confirmed"
	case WhySourceEnded:
		what := "the feed"
		switch w.Mode {
		case feeds.ModeSimulation:
			what = "the scenario"
		case feeds.ModeReplay:
			what = "the replay"
		}
		return what + " ended at " + w.At.Format("15:04")
	default:
		s = string(w.Kind)
	}
	if why := w.HandBack.Why(); why != "" {
		// A hand-back plan: what releasing now would have done.
		s += "; released now, " + why
	}
	return s
}

// seekText is a seek's reason: "seek from 18:42 to 19:55", "seek back
// from 19:55 to 18:10"; "seek to 19:55" when the clock before it is not
// known (no step before it).
func (w Why) seekText() string {
	switch {
	case w.From.IsZero():
		return "seek to " + w.At.Format("15:04")
	case w.At.Before(w.From):
		return "seek back from " + w.From.Format("15:04") + " to " + w.At.Format("15:04")
	}
	return "seek from " + w.From.Format("15:04") + " to " + w.At.Format("15:04")
}

// overCapText is an over-cap reason as the event's kind words its target
// (the desk's targetWords say it so on screen): an import cap's "over cap:
// measured 3712 kW, cap 3600 kW"; an export's a shortfall in net export,
// "export short: measured 283 kW export, target 300 kW export" (it read
// "over cap: measured -283 kW, cap -300 kW"), its measured figure as
// import while the scope still draws from the grid; a shed's "over the
// shed target: measured …, target …".
func (w Why) overCapText() string {
	switch w.Event {
	case feeds.EventExport:
		return fmt.Sprintf("export short: measured %s, target %.0f kW export", flowText(w.MeasuredKW), -w.CapKW)
	case feeds.EventShed:
		return fmt.Sprintf("over the shed target: measured %.0f kW, target %.0f kW", w.MeasuredKW, w.CapKW)
	}
	return fmt.Sprintf("over cap: measured %.0f kW, cap %.0f kW", w.MeasuredKW, w.CapKW)
}

// driftText is a drift reason as the event's kind words the scope's load:
// "drift: measured 3900 kW, planned 3500 kW"; an export's as net export,
// "drift: measured 358 kW export, planned 300 kW export" (it read "drift:
// measured -358 kW, planned -300 kW" beside the shortfall's "measured 273
// kW export"), either figure as import while it draws from the grid.
func (w Why) driftText() string {
	if w.Event == feeds.EventExport {
		return fmt.Sprintf("drift: measured %s, planned %s", flowText(w.MeasuredKW), flowText(w.PlannedKW))
	}
	return fmt.Sprintf("drift: measured %.0f kW, planned %.0f kW", w.MeasuredKW, w.PlannedKW)
}

// flowText is a scope's load as an export event's reasons say it: net
// export below zero ("283 kW export"), else import ("140 kW import").
func flowText(loadKW float64) string {
	if loadKW > 0 {
		return fmt.Sprintf("%.0f kW import", loadKW)
	}
	return fmt.Sprintf("%.0f kW export", -loadKW)
}

// hoursText is a duration in hours as a sentence says it: "4 h", "1.5 h".
func hoursText(d time.Duration) string {
	return strconv.FormatFloat(d.Hours(), 'f', -1, 64) + " h"
}
