package sshd

import (
	"time"
)

// NoticeMsg asks a session's frame to show a one-line notice over the bottom
// line of the dashboard: another operator's action, an idle warning, a
// shutdown. A Sticky notice stays until the operator presses a key; others
// fade after Config.NoticeFor or at the operator's next key, whose answer
// the dashboard gives on the line the notice covers; a Closing notice stays
// until the session ends.
type NoticeMsg struct {
	Text string
	// Say, when set, words the notice in each session's language, in
	// place of Text: one broadcast (a shutdown) reads in every operator's.
	Say    Sentence
	Warn   bool // shown in the warning style
	Sticky bool
	// Closing marks the notice that the session is about to be closed (a
	// shutdown's "disconnecting in 10s"): it stays up until the session
	// ends, whatever comes after it. The idle warning's countdown, posted
	// every second, replaced it, and the operator read that the session
	// would close for want of input while the desk was going down.
	Closing bool
}

// ActionMsg tells every session that an operator did something (acknowledged
// an alarm, sent a dispatch). Sessions other than the actor's show it as a
// notice; every session's model also receives it, to refresh what it shows.
type ActionMsg struct {
	By      Present // who, and from which session
	Action  Action
	Kind    string // the audit kind, e.g. "alarm_ack"
	Summary string // one line in English, e.g. "acknowledged ▲ HIGH F07 loading 118%"
	// Say is the action as the acting dashboard described it (its kind
	// and figures), for each session's dashboard to word in its own
	// operator's language (Teller); nil: Summary is shown.
	Say    any
	Detail map[string]any
	At     time.Time
}

// UnrecordedError is Session.Act's refusal of an action the audit journal
// could not record: nothing was done.
type UnrecordedError struct {
	Summary string // the action, in English
	Err     error  // the journal's error
}

// Error is the refusal in English.
func (e *UnrecordedError) Error() string { return e.In(LangEN) }

// In is the refusal in lang; the action and the journal's error stay as
// they were given (English).
func (e *UnrecordedError) In(lang string) string {
	return say(lang, "%s: audit journal unavailable, nothing was done: %v", e.Summary, e.Err)
}

// Unwrap returns the journal's error.
func (e *UnrecordedError) Unwrap() error { return e.Err }

// Teller is a dashboard that words other operators' actions itself, in its
// operator's language. The frame asks it for the notice of an ActionMsg
// from another session, by the actor's name and the ActionMsg's Say; when
// it reports false (a Say it does not know) the frame shows the name and
// the English Summary. Sessions on one desk may read different languages,
// so a sentence made once, by the actor's session, cannot serve them all.
type Teller interface {
	Tell(who string, say any) (string, bool)
}

// Footer is a dashboard whose footer may take more than the screen's last
// line (a long message wrapped to a second). The frame covers at least
// FooterHeight lines with a notice, the notice at the bottom and blank
// lines above it, so no part of the footer shows beside the notice.
type Footer interface {
	FooterHeight() int
}

// PresenceMsg tells every session that someone joined or left. Operators is
// one entry per connected name, sorted, as Presence.Operators returns it.
type PresenceMsg struct {
	Operators []Operator
	Sessions  int
	// PerName is how many sessions each name has; a name it leaves out
	// (or a nil map) has one. A second session under a name joined
	// unannounced: the names alone did not change.
	PerName map[string]int
	// Seq numbers the messages in the order the server made them (from
	// 1); a session shows no message older than one it has shown, which
	// would undo a join or a leave. 0: unnumbered, always shown.
	Seq uint64
}

// clearNoticeMsg fades the notice with the given sequence number.
type clearNoticeMsg struct{ seq int }

// answerOverMsg ends the time the footer is kept for the answer to the
// operator's key with the given sequence number (frame.answering).
type answerOverMsg struct{ seq int }
