package main

import (
	"context"
	"errors"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/tui"
)

// sessionDispatch is one SSH session's view of the shared DR controller.
// A dashboard announces a confirm or a cancel to the other operators when
// the call's answer reaches it; a session that ends while the call runs
// (the operator's ssh killed just after enter) has no program left to take
// that answer, and the others were never told that setpoints went out:
// omar read "ana (dispatcher) left" while ana's OP-1 was confirmed, sent
// and journalled. Such a call is announced here, on the session's behalf.
type sessionDispatch struct {
	tui.Dispatcher
	done     <-chan struct{} // closed when the session ends
	announce func(summary string, say any)
}

// CanSend implements tui.SendReporter for the Dispatcher underneath: a
// desk that cannot send must still say so.
func (d sessionDispatch) CanSend() bool {
	s, ok := d.Dispatcher.(tui.SendReporter)
	return !ok || s.CanSend()
}

// Confirm implements tui.Dispatcher.
func (d sessionDispatch) Confirm(ctx context.Context, id string, by control.Actor, co control.ConfirmOptions) error {
	err := d.Dispatcher.Confirm(ctx, id, by, co)
	if err == nil {
		d.tellIfGone(tui.TellConfirmed, id, "confirmed and sent")
	}
	return err
}

// Cancel implements tui.Dispatcher.
func (d sessionDispatch) Cancel(ctx context.Context, id string, by control.Actor, reason string) error {
	err := d.Dispatcher.Cancel(ctx, id, by, reason)
	switch {
	case err == nil:
		d.tellIfGone(tui.TellCancelled, id, "cancelled")
	case errors.Is(err, control.ErrCancelQueued):
		d.tellIfGone(tui.TellCancelQueued, id, "asked to cancel")
	}
	return err
}

// tellIfGone announces what the session did to event id, as its
// dashboard would have, if the session has ended; a live session's
// dashboard announces it itself.
func (d sessionDispatch) tellIfGone(kind, id, did string) {
	select {
	case <-d.done:
	default:
		return
	}
	a := tui.Announcement{Kind: kind}
	for _, v := range d.Dispatcher.Events() {
		if v.Event.ID == id {
			a.Event = v.Event
		}
	}
	if a.Event.ID == "" {
		a.Event.ID = id
	}
	d.announce(did+" "+id, a)
}
