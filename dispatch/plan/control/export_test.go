package control

import (
	"context"
	"errors"
)

// ReplanNow plans the active event id again on the latest snapshot and
// sends the plan, as Step does at a new slot, for the re-plan benchmark
// (Step re-plans only when the fleet's clock reaches the next slot).
func (c *Controller) ReplanNow(ctx context.Context, id string) error {
	snap, err := c.snapshot()
	if err != nil {
		return err
	}
	c.mu.Lock()
	e, err := c.get(id)
	if err == nil && (e.busy || e.state != StateActive) {
		err = errors.New("not active, or busy")
	}
	if err != nil {
		c.mu.Unlock()
		return err
	}
	e.busy, e.err = true, nil
	c.mu.Unlock()
	if ref := c.replan(ctx, e, snap, Why{Kind: WhyNewSlot, At: snap.At}); ref != nil {
		ref()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return e.err
}

// OnReference has f called, with the event's id, as each reference plan
// (the plan without the event, for the page's split) is started.
func (c *Controller) OnReference(f func(event string)) { c.onReference = f }

// LateWaiting is how many of event id's timed-out setpoints are still
// waited for a late answer.
func (c *Controller) LateWaiting(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.events[id].waiting)
}
