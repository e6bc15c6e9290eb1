package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// The kinds of the DR workflow's announcements (Announcement.Kind), beside
// the Act* kinds of alarm and clock actions. The workflow journals these
// actions itself, so they are only announced.
const (
	TellProposed  = "dispatch_propose" // proposed an event
	TellReplaced  = "dispatch_replace" // proposed an event in place of a pending one
	TellConfirmed = "dispatch_confirm" // confirmed an event and sent its setpoints
	TellDeclined  = "dispatch_decline" // declined a pending event
	TellCancelled = "dispatch_cancel"  // cancelled an active event
	// TellCancelQueued: asked to cancel an active event while its plan
	// was in flight; the cancel runs when that plan is sent.
	TellCancelQueued = "dispatch_cancel_request"
	TellExtended     = "dispatch_extend" // extended a hand-back (Release: to when)
	// TellReleaseDue: the controller will release Event's chargers at
	// Release, at the end of its hand-back, though their charging would
	// take its scope over its limit (HandBack). Like TellSourceEnded it
	// is nobody's action: every session sees the notice on the event and
	// tells its own operator (refreshDispatch), until their next key.
	TellReleaseDue = "dispatch_release_due"
	// TellSourceEnded: the controller ended Event (and Others) because the
	// source ended (Why). No operator did it, so it is not sent through
	// Options.Announce: every session sees the controller end them and
	// tells its own operator, in their language (refreshDispatch).
	TellSourceEnded = "dispatch_source_end"
	// TellEarlierPassEnded: the controller ended Event (and Others), in
	// force when a seek back took the clock to before them (Why,
	// control.WhyEarlierPass). Nobody's action either: each session tells
	// its own operator (notePassEnded).
	TellEarlierPassEnded = "dispatch_earlier_pass_end"
)

// Announcement is an operator's action as the other operators of a shared
// desk are told of it: what was done and to what, not a sentence, so each
// session words it in its own operator's language (Model.Tell). Sessions
// on one desk may speak different languages; a sentence made once, in the
// actor's, reached a Chinese session in English.
type Announcement struct {
	// Kind is what was done: an Act* kind (alarm and clock actions, which
	// are journalled through Options.Act) or a Tell* kind (the DR
	// workflow's, through Options.Announce).
	Kind string
	// Alarm is the alarm acted on, as it was then; AlarmID names it when
	// the alarm list no longer had it.
	Alarm   alarm.Alarm
	AlarmID string
	// Reason is a shelving's reason, as the operator typed it.
	Reason string
	// Event is the DR event (Event.ID its id); Replaces, for TellReplaced,
	// the pending event declined for it.
	Event    feeds.EventFrame
	Replaces string
	// Others are the ids of further events ended with Event, for the same
	// reason (TellSourceEnded, TellEarlierPassEnded), and Why that reason.
	Others []string
	Why    control.Why
	// Speed is the clock's new speed (ActClockSpeed); To the time it was
	// moved to (ActClockSeek).
	Speed float64
	To    time.Time
	// Release is when a hand-back's chargers are released at the latest
	// (TellExtended, TellReleaseDue); HandBack what their charging would
	// then do to the scope, by the latest check (TellReleaseDue).
	Release  time.Time
	HandBack control.HandBack
	// English is the action in English, to follow the operator's name:
	// the audit journal's summary, whatever the actor's language, and what
	// a session that does not word announcements itself shows.
	English string
}

// Tell words another operator's action in this operator's language, the
// name first ("ana 确认并下发 OP-1 (…)"), from what their session announced
// (an Announcement). It reports false for anything else, which the
// transport then shows as it is. The SSH desk's frame asks it, so that each
// session reads the others in its own language.
func (m *Model) Tell(who string, say any) (string, bool) {
	a, ok := say.(Announcement)
	if !ok {
		return "", false
	}
	return who + " " + m.tell(a), true
}

// tell words a in this operator's language, without styles (it is drawn
// in the transport's notice line): "acknowledged ▲ HIGH F11 loading
// 109%", "confirmed and sent OP-1 (import cap F07 ≤ 3,700 kW 18:45–20:00)".
func (m *Model) tell(a Announcement) string {
	t := m.tr.t
	switch a.Kind {
	case ActAlarmAck, ActAlarmShelve, ActAlarmUnshelve:
		verb := t("acknowledged")
		switch a.Kind {
		case ActAlarmShelve:
			verb = t("shelved")
		case ActAlarmUnshelve:
			verb = t("unshelved")
		}
		what := a.AlarmID
		if a.Alarm.ID != "" {
			sev := alarmSev(a.Alarm)
			_, glyph := m.sevMark(sev)
			what = glyph + " " + m.sevWord(sev) + " " + m.alarmText(a.Alarm)
		}
		s := verb + " " + what
		if a.Reason != "" {
			s += " (" + a.Reason + ")"
		}
		return s
	case ActClockPause, ActClockResume, ActClockSeek:
		return m.tellClock(a)
	case ActClockSpeed:
		return fmt.Sprintf(t("set the speed to %s"), speedText(a.Speed))
	case TellProposed:
		return fmt.Sprintf(t("proposed %s (%s)"), a.Event.ID, m.eventWhat(a.Event))
	case TellReplaced:
		return fmt.Sprintf(t("proposed %s (%s) in place of %s"), a.Event.ID, m.eventWhat(a.Event), a.Replaces)
	case TellConfirmed:
		return fmt.Sprintf(t("confirmed and sent %s (%s)"), a.Event.ID, m.eventWhat(a.Event))
	case TellDeclined:
		return fmt.Sprintf(t("declined %s (%s)"), a.Event.ID, m.eventWhat(a.Event))
	case TellCancelled:
		return fmt.Sprintf(t("cancelled %s (%s)"), a.Event.ID, m.eventWhat(a.Event))
	case TellCancelQueued:
		return fmt.Sprintf(t("asked to cancel %s (%s): queued behind the plan in flight"), a.Event.ID, m.eventWhat(a.Event))
	case TellExtended:
		return m.extendedText(a.Event.ID, a.Release)
	case TellReleaseDue:
		// In the footer, beside nothing: its figures must not be cut.
		return m.releaseDueFit(a.Event.ID, a.Release, a.HandBack, m.w-4)
	case TellSourceEnded, TellEarlierPassEnded:
		ids := strings.Join(append([]string{a.Event.ID}, a.Others...), ", ")
		return fmt.Sprintf(t("%s ended: %s"), ids, m.whyText(a.Why))
	}
	return a.English
}

// inEnglish words a in English, for the journal and for sessions that do
// not word announcements themselves. The wording helpers read the
// session's translator, so it is set aside for the call: Update runs on
// one goroutine, and nothing else reads it meanwhile.
func (m *Model) inEnglish(a Announcement) string {
	tr := m.tr
	m.tr = translator{}
	defer func() { m.tr = tr }()
	return m.tell(a)
}

// alarmAnnouncement is an action on alarm id, as the alarm is now; act
// sets its kind.
func (m *Model) alarmAnnouncement(id, reason string) Announcement {
	a := Announcement{AlarmID: id, Reason: reason}
	if al, ok := m.alarms.Board().Find(id); ok {
		a.Alarm = al
	}
	return a
}

// announce tells the other operators of a shared desk what this one did
// to a DR event; alone, it does nothing.
func (m *Model) announce(a Announcement) {
	if m.opts.Announce == nil {
		return
	}
	a.English = m.inEnglish(a)
	m.opts.Announce(a)
}

// wordedError is an error that can say itself in a language, "en" or
// "zh-CN": the SSH desk's refusals (not allowed for the role, the journal
// unavailable), which the desk's Options.Act and Options.Refused return.
type wordedError interface {
	error
	In(lang string) string
}

// errText is err as this operator reads it: in their language when it
// can say itself so, else as it is.
func (m *Model) errText(err error) string {
	var w wordedError
	if errors.As(err, &w) {
		return w.In(m.opts.Lang)
	}
	return err.Error()
}

// drErrText is a call on the Dispatcher's error as the operator reads it.
// In English, the whole error, with its details, as the log has it. In
// another language, the planner's and the controller's errors are worded
// from the figures they carry (plannerErrText: which event holds the
// scope, by how many kW a dispatch needs a second confirmation), another
// desk's claim words itself, and a bare sentinel is said in that language.
// Any other error (an adapter's, the journal's) is shown in English after
// a lead that says so (foreignText).
func (m *Model) drErrText(err error) string {
	if m.tr.m == nil {
		if errors.Is(err, control.ErrConflict) {
			// Whole, with the event it is about: a claim that words
			// itself (sshd.ConflictError) is only the end of it.
			return err.Error()
		}
		return m.errText(err)
	}
	if s, ok := m.plannerErrText(err); ok {
		return s
	}
	t := m.tr.t
	switch {
	case errors.Is(err, control.ErrNotAllowed):
		return t("not allowed for a viewer")
	case errors.Is(err, control.ErrUnknownEvent):
		return t("unknown event")
	case errors.Is(err, control.ErrState):
		return t("not possible in the event's state")
	case errors.Is(err, control.ErrBusy):
		return t("event is being planned or sent")
	case errors.Is(err, control.ErrNoPreview):
		return t("no preview for the current slot: preview again")
	case errors.Is(err, control.ErrPlanChanged):
		return t("planned again since you saw it: read the new preview and confirm again")
	case errors.Is(err, control.ErrSecondConfirm):
		return t("large dispatch: confirm a second time")
	case errors.Is(err, control.ErrConflict):
		// Another desk's claim says who holds it and since when.
		var w wordedError
		if errors.As(err, &w) {
			return t("conflicts with another dispatch") + ": " + w.In(m.opts.Lang)
		}
		return t("conflicts with another dispatch")
	case errors.Is(err, control.ErrNoSender):
		return t("no setpoint sender configured")
	case errors.Is(err, control.ErrInvalidEvent):
		return t("invalid event")
	case errors.Is(err, control.ErrNotHandingBack):
		return t("not handing back: only a hand-back can be extended")
	case errors.Is(err, control.ErrSourceEnded):
		return t("the source has ended: nothing more can be dispatched")
	case errors.Is(err, control.ErrStopped):
		return t("the desk has stopped dispatching: nothing more is planned or sent")
	}
	var w wordedError
	if errors.As(err, &w) {
		return w.In(m.opts.Lang)
	}
	// Nothing the desk can word (an adapter's error, the journal's, the
	// operating system's): the English, said to be so.
	return m.foreignText(err)
}
