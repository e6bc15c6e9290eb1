package sshd

import (
	"errors"
	"fmt"
)

// Role is what an operator may do at the desk.
type Role string

// The roles, from least to most able. Each can do everything the one before
// it can.
const (
	// RoleViewer sees everything and changes nothing.
	RoleViewer Role = "viewer"
	// RoleDispatcher also acknowledges alarms and approves and sends dispatches.
	RoleDispatcher Role = "dispatcher"
	// RoleAdmin also changes limits and adapter settings.
	RoleAdmin Role = "admin"
)

// Roles returns the roles from least to most able.
func Roles() []Role { return []Role{RoleViewer, RoleDispatcher, RoleAdmin} }

// ErrUnknownRole is returned by ParseRole for a name that is not a role.
var ErrUnknownRole = errors.New("unknown role")

// ParseRole returns the role with the given name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles() {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("%w %q (want viewer, dispatcher or admin)", ErrUnknownRole, s)
}

// rank orders roles; unknown roles rank below viewer and may do nothing.
func (r Role) rank() int {
	for i, x := range Roles() {
		if x == r {
			return i
		}
	}
	return -1
}

// Action is something an operator asks the desk to change.
type Action string

// The actions the desk authorises.
const (
	ActionAckAlarm        Action = "ack-alarm"
	ActionDispatch        Action = "dispatch"
	ActionChangeLimits    Action = "change-limits"
	ActionAdapterSettings Action = "adapter-settings"
	// ActionControlClock pauses, speeds up or seeks the simulation or
	// replay that every session of the desk shares.
	ActionControlClock Action = "control-clock"
)

// Actions returns every action, for tables and tests.
func Actions() []Action {
	return []Action{ActionAckAlarm, ActionDispatch, ActionControlClock, ActionChangeLimits, ActionAdapterSettings}
}

// MinRole returns the least role allowed to do a, and false for an action
// nobody may do: a new action is refused until someone decides who may.
func MinRole(a Action) (Role, bool) {
	switch a {
	case ActionAckAlarm, ActionDispatch, ActionControlClock:
		return RoleDispatcher, true
	case ActionChangeLimits, ActionAdapterSettings:
		return RoleAdmin, true
	}
	return "", false
}

// Can reports whether role r may do a.
func (r Role) Can(a Action) bool {
	need, ok := MinRole(a)
	return ok && r.rank() >= need.rank()
}

// describe names an action in a sentence in lang: "acknowledge or shelve alarms".
func (a Action) describe(lang string) string {
	switch a {
	case ActionAckAlarm:
		return say(lang, "acknowledge or shelve alarms")
	case ActionDispatch:
		return say(lang, "propose, approve, send or extend dispatches")
	case ActionControlClock:
		return say(lang, "pause, speed up or seek the shared clock")
	case ActionChangeLimits:
		return say(lang, "change limits")
	case ActionAdapterSettings:
		return say(lang, "change adapter settings")
	}
	return say(lang, "do %q", string(a))
}

// ErrForbidden is wrapped by every refusal of an action for want of a role.
var ErrForbidden = errors.New("not allowed")

// ForbiddenError says who was refused what and which role it needs. It
// matches ErrForbidden with errors.Is.
type ForbiddenError struct {
	Operator Operator
	Action   Action
	Need     Role // empty when no role may do the action
}

// Error is the sentence shown to the operator, in English.
func (e *ForbiddenError) Error() string { return e.In(LangEN) }

// In is the sentence shown to the operator, in lang (LangEN or LangZhCN):
// a dashboard shows a refusal in its operator's language.
func (e *ForbiddenError) In(lang string) string {
	who := e.Operator.in(lang)
	if e.Need == "" {
		return say(lang, "%s may not %s: nobody may", who, e.Action.describe(lang))
	}
	return say(lang, "%s may not %s: that needs the %s role", who, e.Action.describe(lang), roleWord(lang, e.Need))
}

// Is makes errors.Is(err, ErrForbidden) true.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// Operator is a person at the desk, as the users file names them.
type Operator struct {
	Name string
	Role Role
	// Fingerprint is the SHA256 fingerprint of the key the operator proved.
	Fingerprint string
}

// String is "ana (dispatcher)", the form the header shows.
func (o Operator) String() string { return fmt.Sprintf("%s (%s)", o.Name, o.Role) }

// in is o as an operator reading lang reads it: "ana (dispatcher)",
// "ana (调度员)".
func (o Operator) in(lang string) string {
	return say(lang, "%s (%s)", o.Name, roleWord(lang, o.Role))
}

// Authorize returns nil when o may do a, and a *ForbiddenError otherwise.
func (o Operator) Authorize(a Action) error {
	if o.Role.Can(a) {
		return nil
	}
	need, _ := MinRole(a)
	return &ForbiddenError{Operator: o, Action: a, Need: need}
}
