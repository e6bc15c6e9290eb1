package control

import (
	"errors"
	"fmt"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// refuseStoppedLocked journals (dispatch_refused) that by's action
// ("propose", "confirm") on ev was refused at the desk's stop, and returns
// ErrStopped, joined with the journal's error when the record could not be
// written. Callers hold
// c.mu (a refusal at the stop is rare, as a proposal is).
//
// The refusal is on the record as one for want of a role is (forbidden):
// the operator's decision, and that it was not carried out, where the
// session, disconnected at the stop, may never have shown the refusal. A
// preview is not: it is not on the record when it is made either.
func (c *Controller) refuseStoppedLocked(action string, by Actor, ev feeds.EventFrame) error {
	c.log.Info("dispatch: refused, the desk has stopped", "action", action, "event", ev.ID, "by", by.Name)
	err := c.journal(adapters.Record{Kind: RecDispatchRefused, Operator: by.Name, Event: ev.ID, Reason: c.stopReason,
		Detail: fmt.Sprintf("%s %s: %v", action, describe(ev), ErrStopped)})
	if err != nil {
		return errors.Join(ErrStopped, err)
	}
	return ErrStopped
}
