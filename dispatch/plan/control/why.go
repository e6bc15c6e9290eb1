package control

import (
	"fmt"
	"strconv"
	"time"

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
	// WhyEarlierPass ends an event in force when a seek back took the
	// clock (From, the time it had reached) to At, before the event was
	// confirmed: it was steering a pass of the day the clock has left, and
	// re-planned at the new time it would steer the chargers of a pass it
	// was never confirmed in (EventView.EarlierPass).
	WhyEarlierPass WhyKind = "earlier pass"
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
// "drift: measured 3900 kW, planned 3500 kW", "window over; if released now,
// charging would take F07 to 4,100 kW (102%) at 18:15 (limit 4,000 kW)":
// Text in JournalWords.
func (w Why) String() string { return w.Text(JournalWords()) }

// Text is the reason in words: each sentence is one of WhyFormats, which
// words.T translates (its English is the journal's, and the key a desk
// finds its own language by), and its figures are written by words. The
// journal and a desk's screen word a reason from this one place, so they
// cannot say it two ways.
func (w Why) Text(words Words) string {
	t := words.T
	var s string
	switch w.Kind {
	case WhyNewSlot:
		s = fmt.Sprintf(t(fmtNewSlot), words.Clock(w.At))
	case WhyOverCap:
		s = w.overCapText(words)
	case WhyDrift:
		s = w.driftText(words)
	case WhyHandBack:
		s = fmt.Sprintf(t(fmtHandBack), words.Clock(w.At))
	case WhySeek:
		s = w.seekText(words)
	case WhyReleased:
		return fmt.Sprintf(t(fmtReleased), words.KW(w.LimitKW))
	case WhyNoHandBackPlan:
		cause := w.Err
		if words.Cause != nil {
			cause = words.Cause(w)
		}
		return fmt.Sprintf(t(fmtNoHandBackPlan), cause)
	case WhyForcedRelease:
		return fmt.Sprintf(t(fmtForcedRelease), words.hours(w.Hold), w.HandBack.Text(words))
	case WhyUnconfirmed:
		return t(fmtUnconfirmed)
	case WhyEarlierPass:
		// Dated: a day that started over reads "from 00:00 to 00:00".
		return fmt.Sprintf(t(fmtEarlierPass), w.From.Format("01-02 15:04"), w.At.Format("01-02 15:04"))
	case WhySourceEnded:
		mode := w.Mode
		if words.Mode != "" {
			mode = words.Mode
		}
		switch mode {
		case feeds.ModeSimulation:
			return fmt.Sprintf(t(fmtScenarioEnded), words.Clock(w.At))
		case feeds.ModeReplay:
			return fmt.Sprintf(t(fmtReplayEnded), words.Clock(w.At))
		}
		return fmt.Sprintf(t(fmtFeedEnded), words.Clock(w.At))
	default:
		// WhyConfirmed, WhyWindowOver: the kind says it.
		s = t(string(w.Kind))
	}
	if why := w.HandBack.Text(words); why != "" {
		// A hand-back plan: what releasing now would have done.
		s = fmt.Sprintf(t(fmtReleasedNow), s, why)
	}
	return s
}

// seekText is a seek's reason: "seek from 18:42 to 19:55", "seek back
// from 19:55 to 18:10"; "seek to 19:55" when the clock before it is not
// known (no step before it).
func (w Why) seekText(words Words) string {
	t := words.T
	switch {
	case w.From.IsZero():
		return fmt.Sprintf(t(fmtSeekTo), words.Clock(w.At))
	case w.At.Before(w.From):
		return fmt.Sprintf(t(fmtSeekBack), words.Clock(w.From), words.Clock(w.At))
	}
	return fmt.Sprintf(t(fmtSeek), words.Clock(w.From), words.Clock(w.At))
}

// overCapText is an over-cap reason as the event's kind words its target
// (the desk says it so too, from Text): an import cap's "over cap:
// measured 3712 kW, cap 3600 kW"; an export's a shortfall in net export,
// "export short: measured 283 kW export, target 300 kW export" (it read
// "over cap: measured -283 kW, cap -300 kW"), its measured figure as
// import while the scope still draws from the grid; a shed's "over the
// shed target: measured …, target …".
func (w Why) overCapText(words Words) string {
	t := words.T
	switch w.Event {
	case feeds.EventExport:
		return fmt.Sprintf(t(fmtExportShort), flowText(words, w.MeasuredKW), words.Load(-w.CapKW))
	case feeds.EventShed:
		return fmt.Sprintf(t(fmtOverShed), words.Load(w.MeasuredKW), words.Load(w.CapKW))
	}
	return fmt.Sprintf(t(fmtOverCap), words.Load(w.MeasuredKW), words.Load(w.CapKW))
}

// driftText is a drift reason as the event's kind words the scope's load:
// "drift: measured 3900 kW, planned 3500 kW"; an export's as net export,
// "drift: measured 358 kW export, planned 300 kW export" (it read "drift:
// measured -358 kW, planned -300 kW" beside the shortfall's "measured 273
// kW export"), either figure as import while it draws from the grid.
func (w Why) driftText(words Words) string {
	t := words.T
	if w.Event == feeds.EventExport {
		return fmt.Sprintf(t(fmtDriftFlow), flowText(words, w.MeasuredKW), flowText(words, w.PlannedKW))
	}
	return fmt.Sprintf(t(fmtDrift), words.Load(w.MeasuredKW), words.Load(w.PlannedKW))
}

// flowText is a scope's load as an export event's reasons say it: net
// export below zero ("283 kW export"), else import ("140 kW import").
func flowText(words Words, loadKW float64) string {
	if loadKW > 0 {
		return fmt.Sprintf(words.T(fmtImport), words.Load(loadKW))
	}
	return fmt.Sprintf(words.T(fmtExport), words.Load(-loadKW))
}

// hoursText is a duration in hours as a sentence says it: "4 h", "1.5 h".
func hoursText(d time.Duration) string {
	return strconv.FormatFloat(d.Hours(), 'f', -1, 64) + " h"
}
