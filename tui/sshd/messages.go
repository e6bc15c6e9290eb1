package sshd

import (
	"time"
)

// NoticeMsg asks a session's frame to show a one-line notice over the bottom
// line of the dashboard: another operator's action, an idle warning, a
// shutdown. A Sticky notice stays until the operator presses a key; others
// fade after Config.NoticeFor.
type NoticeMsg struct {
	Text   string
	Warn   bool // shown in the warning style
	Sticky bool
}

// ActionMsg tells every session that an operator did something (acknowledged
// an alarm, sent a dispatch). Sessions other than the actor's show it as a
// notice; every session's model also receives it, to refresh what it shows.
type ActionMsg struct {
	By      Present // who, and from which session
	Action  Action
	Kind    string // the audit kind, e.g. "alarm.ack"
	Summary string // one line for people, e.g. "acknowledged ▲ HIGH F07 loading 118%"
	Detail  map[string]any
	At      time.Time
}

// PresenceMsg tells every session that someone joined or left. Operators is
// one entry per connected name, sorted, as Presence.Operators returns it.
type PresenceMsg struct {
	Operators []Operator
	Sessions  int
}

// clearNoticeMsg fades the notice with the given sequence number.
type clearNoticeMsg struct{ seq int }
