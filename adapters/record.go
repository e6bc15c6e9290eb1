package adapters

import "time"

// RecordKind names what a journal record is about. Setpoint kinds are written
// by the Guard; the others by whoever performs the operator action.
type RecordKind string

// The record kinds of the audit journal: lower case, words joined by "_".
// New kinds may be added freely: readers show kinds they do not know as
// they are. The SSH desk's session kinds (login, logout, refused,
// forbidden) are tui/sshd's Audit* names, which are these.
const (
	RecSetpoint        RecordKind = "setpoint"         // about to be handed to an adapter (or dry run)
	RecResult          RecordKind = "result"           // the result reported to the caller
	RecLateResult      RecordKind = "late_result"      // an adapter answered after the caller stopped waiting
	RecRelease         RecordKind = "release"          // a charger handed back to its own behaviour
	RecLogin           RecordKind = "login"            // an operator session started
	RecLogout          RecordKind = "logout"           // an operator session ended; Reason says why
	RecRefused         RecordKind = "refused"          // a connection or session was turned away; Reason says why
	RecForbidden       RecordKind = "forbidden"        // an operator asked for an action their role does not allow
	RecAlarmAck        RecordKind = "alarm_ack"        // an operator acknowledged an alarm
	RecDispatchConfirm RecordKind = "dispatch_confirm" // an operator confirmed a DR dispatch
	// RecAlarmCatchUp: conditions came and went, unraised, in the hours a
	// seek skipped (feeds/alarm CatchUp); Reason is the summary.
	RecAlarmCatchUp RecordKind = "alarm_catch_up"
	// RecClockSeekRefused: a seek on a replay (clock_seek, journalled
	// when it was taken) that the reading of the recording then found
	// past its end: refused and undone; Reason says why, Detail where the
	// clock stayed (back).
	RecClockSeekRefused RecordKind = "clock_seek_refused"
	// RecFeedRestart: the simulator serving a --feed started its day over
	// (its presenter sought back) and dropped the setpoints in force,
	// which the desk's guard and journal still count until their validity;
	// Reason says how many.
	RecFeedRestart RecordKind = "feed_restart"
)

// Current is the kind under its present name: journals written before
// 2026-11-26 by `v2gdesk serve` hold the SSH desk's session records as
// ssh.logout, ssh.refused and ssh.forbidden (and, before serve mapped it,
// ssh.login); readers show those as logout, refused, forbidden and login,
// so one name means one thing whatever the journal's age. Other kinds are
// returned as they are.
func (k RecordKind) Current() RecordKind {
	switch k {
	case "ssh.login":
		return RecLogin
	case "ssh.logout":
		return RecLogout
	case "ssh.refused":
		return RecRefused
	case "ssh.forbidden":
		return RecForbidden
	}
	return k
}

// Record is one line of the audit journal. Every record names who
// (Operator), why (Event, Reason) and what (Kind and the fields it uses).
type Record struct {
	Seq uint64    `json:"seq"`
	TS  time.Time `json:"ts"`
	// DataTS is the data clock when the record was made: the simulated or
	// replayed time the desk's screen showed (Journal.SetDataClock). Nil
	// on a live desk, where TS is that time, and in journals written
	// before it existed.
	DataTS      *time.Time `json:"data_ts,omitempty"`
	Kind        RecordKind `json:"kind"`
	Operator    string     `json:"operator,omitempty"`
	Event       string     `json:"event,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	Charger     string     `json:"charger,omitempty"`
	Setpoint    string     `json:"setpoint,omitempty"` // setpoint id
	Adapter     string     `json:"adapter,omitempty"`
	KW          *float64   `json:"kw,omitempty"`           // power handed to the adapter, after clamping
	RequestedKW *float64   `json:"requested_kw,omitempty"` // power asked for
	ValidFrom   *time.Time `json:"valid_from,omitempty"`
	ValidUntil  *time.Time `json:"valid_until,omitempty"`
	Status      Status     `json:"status,omitempty"`
	AppliedKW   *float64   `json:"applied_kw,omitempty"`
	Detail      string     `json:"detail,omitempty"` // the result's reason, or what the action did
	DryRun      bool       `json:"dry_run,omitempty"`
}

// setpointRecord is the record written before sp is handed to an adapter.
func setpointRecord(sp Setpoint, sentKW float64, adapter string, dryRun bool) Record {
	from, until := sp.ValidFrom, sp.ValidUntil
	return Record{
		Kind: RecSetpoint, Operator: sp.Operator, Event: sp.Event, Reason: sp.Reason,
		Charger: sp.Charger, Setpoint: sp.ID, Adapter: adapter,
		KW: ptr(sentKW), RequestedKW: ptr(sp.KW), ValidFrom: &from, ValidUntil: &until,
		DryRun: dryRun,
	}
}

// resultRecord is the record of r for sp, of kind k.
func resultRecord(k RecordKind, sp Setpoint, r Result) Record {
	rec := Record{
		Kind: k, Operator: sp.Operator, Event: sp.Event, Reason: sp.Reason,
		Charger: sp.Charger, Setpoint: sp.ID, Adapter: r.Adapter,
		Status: r.Status, Detail: r.Reason, DryRun: r.DryRun,
	}
	if r.Status.Written() {
		rec.AppliedKW = ptr(r.AppliedKW)
	}
	if k == RecResult && r.Status == StatusRejected && r.Adapter == "" && finite(sp.KW) {
		// A guard rejection has no setpoint record before it; keep what was asked.
		rec.RequestedKW = ptr(sp.KW)
	}
	return rec
}

// ResultOf rebuilds the Result a result record describes.
func (r Record) ResultOf() Result {
	res := Result{ID: r.Setpoint, Charger: r.Charger, Status: r.Status, Reason: r.Detail, DryRun: r.DryRun, Adapter: r.Adapter, At: r.TS}
	if r.AppliedKW != nil {
		res.AppliedKW = *r.AppliedKW
	}
	return res
}

func ptr[T any](v T) *T { return &v }
