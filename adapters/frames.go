package adapters

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// Frame returns the protocol v1 setpoint frame for sp.
func (sp Setpoint) Frame() feeds.SetpointFrame {
	return feeds.SetpointFrame{
		Header: feeds.NewHeader(feeds.TypeSetpoint),
		ID:     sp.ID, Charger: sp.Charger, KW: sp.KW, ValidUntil: sp.ValidUntil,
		Event: sp.Event, Reason: sp.Reason,
	}
}

// ResultFromAck turns a protocol v1 ack for sp into a Result. An ack that
// names another setpoint or charger, or an unknown status, is a failure:
// the peer's state is not what we asked for, and the operator must know.
func ResultFromAck(sp Setpoint, ack feeds.AckFrame) Result {
	r := Result{ID: sp.ID, Charger: sp.Charger, AppliedKW: ack.AppliedKW, Reason: ack.Reason, At: ack.TS}
	switch {
	case ack.ID != sp.ID:
		return Result{ID: sp.ID, Charger: sp.Charger, Status: StatusFailed, Reason: fmt.Sprintf("ack names setpoint %q, not %q", ack.ID, sp.ID)}
	case ack.Charger != "" && ack.Charger != sp.Charger:
		return Result{ID: sp.ID, Charger: sp.Charger, Status: StatusFailed, Reason: fmt.Sprintf("ack names charger %q, not %q", ack.Charger, sp.Charger)}
	}
	switch ack.Status {
	case feeds.AckAccepted:
		r.Status = StatusAccepted
	case feeds.AckClamped:
		r.Status = StatusClamped
	case feeds.AckRejected:
		r.Status, r.AppliedKW = StatusRejected, 0
	case feeds.AckFailed:
		r.Status, r.AppliedKW = StatusFailed, 0
	default:
		r.Status, r.AppliedKW = StatusFailed, 0
		r.Reason = joinReason(fmt.Sprintf("peer answered unknown ack status %q", ack.Status), ack.Reason)
	}
	return r
}
