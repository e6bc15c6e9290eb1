package control

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// Extend keeps a hand-back going for d longer (Options.HandBack when d is
// zero or less, at most Options.MaxExtend): the chargers are released at
// the latest d after the release time in force, and still as soon as a
// check finds it safe. A dispatcher extends a hand-back whose forced
// release would take the scope over its limit, when the network control
// room needs the time. It is journalled (dispatch_extend) before it takes
// effect; the notice of the release (Options.ReleaseNotice) is given again
// ahead of the new time. Refused to a viewer (ErrNotAllowed), once the
// source has ended (ErrSourceEnded), for an event that is final
// (*StateError) or whose chargers are being released (*ReleasingError),
// both ErrState, for one that is not handing
// back (ErrNotHandingBack) and for a length over Options.MaxExtend
// (*ExtendTooLongError, ErrInvalidEvent). It returns the new release time.
func (c *Controller) Extend(id string, by Actor, d time.Duration, reason string) (time.Time, error) {
	if !by.Dispatcher {
		return time.Time{}, fmt.Errorf("extend %q: %w", id, ErrNotAllowed)
	}
	if d <= 0 {
		d = c.opts.HandBack
	}
	if d <= 0 { // HandBack negative: hand-backs are off
		return time.Time{}, fmt.Errorf("extend %q: %w", id, ErrNotHandingBack)
	}
	if d > c.opts.MaxExtend {
		return time.Time{}, fmt.Errorf("extend %q by %s: %w", id, hoursText(d), &ExtendTooLongError{Max: c.opts.MaxExtend})
	}
	snap, err := c.snapshot()
	if err != nil {
		return time.Time{}, fmt.Errorf("extend %q: %w", id, err)
	}
	if snap.Stats.Ended {
		return time.Time{}, fmt.Errorf("extend %q: %w", id, ErrSourceEnded)
	}
	loc := locOf(snap)
	c.mu.Lock()
	defer c.mu.Unlock()
	e, err := c.get(id)
	if err != nil {
		return time.Time{}, fmt.Errorf("extend: %w", err)
	}
	switch {
	case e.state.Final():
		return time.Time{}, fmt.Errorf("extend %q: %w", id, &StateError{State: e.state})
	case e.forced:
		return time.Time{}, fmt.Errorf("extend %q: %w", id, &ReleasingError{At: e.releaseAt, Hold: e.releaseAt.Sub(e.handback)})
	case e.state != StateActive || e.handback.IsZero():
		return time.Time{}, fmt.Errorf("extend %q: %w: its window runs to %s", id, ErrNotHandingBack, e.ev.End.In(loc).Format("15:04"))
	}
	was := e.releaseAt
	at := was.Add(d)
	// On the record before it takes effect, as a confirmation is: who kept
	// the chargers longer, and what their release would still do.
	detail := describe(e.ev) + "; " + ExtendText(JournalWords(), d, at.In(loc), was.In(loc))
	if why := e.handbackCheck.Why(); why != "" {
		detail += "; " + why
	}
	if err := c.journal(adapters.Record{Kind: RecDispatchExtend, Operator: by.Name, Event: id, Reason: reason, Detail: detail}); err != nil {
		return time.Time{}, fmt.Errorf("extend %q: %w", id, err)
	}
	e.releaseAt, e.notice = at, time.Time{}
	e.extended += d
	e.extendedBy = by.Name
	c.notifyLocked()
	c.log.Info("dispatch: hand-back extended", "event", id, "by", by.Name, "extend", d, "release_at", at)
	return at, nil
}
