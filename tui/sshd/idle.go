package sshd

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// activityReader is the session's input as the program reads it, noting when
// the operator last sent anything. Activity is measured at the transport, so
// the idle timeout works whatever the dashboard does with the keys.
type activityReader struct {
	r    io.Reader
	now  func() time.Time
	last atomic.Int64 // unix nanoseconds of the latest input
}

func newActivityReader(r io.Reader, now func() time.Time) *activityReader {
	a := &activityReader{r: r, now: now}
	a.last.Store(now().UnixNano())
	return a
}

// Read implements io.Reader.
func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.last.Store(a.now().UnixNano())
	}
	return n, err
}

// lastInput returns when the operator last sent anything.
func (a *activityReader) lastInput() time.Time { return time.Unix(0, a.last.Load()) }

// watchIdle warns the session once it has been idle for timeout-warnBefore
// and calls expire warnBefore after the warning unless input arrived since:
// an operator is always warned, for the full warnBefore, before being cut
// off, even when the machine is too busy to wake the watchdog on time. It
// returns when ctx is done or after expire.
func watchIdle(ctx context.Context, in *activityReader, clk idleClock, timeout, warnBefore time.Duration,
	warn func(left time.Duration), expire func()) {
	if timeout <= 0 {
		return
	}
	warnBefore = min(max(warnBefore, 0), timeout)
	var warnedAt time.Time // zero while not warned
	for {
		n, last := clk.Now(), in.lastInput()
		if !warnedAt.IsZero() && last.After(warnedAt) {
			warnedAt = time.Time{} // input since the warning: start over
		}
		var wait time.Duration
		if warnedAt.IsZero() {
			warnAt := last.Add(timeout - warnBefore)
			if n.Before(warnAt) {
				wait = warnAt.Sub(n)
			} else if warnBefore == 0 {
				expire()
				return
			} else {
				warnedAt = n
				warn(warnBefore)
				wait = warnBefore
			}
		} else {
			cut := warnedAt.Add(warnBefore)
			if !n.Before(cut) {
				expire()
				return
			}
			wait = cut.Sub(n)
		}
		fired, stop := clk.After(wait)
		select {
		case <-ctx.Done():
			stop()
			return
		case <-fired:
		}
	}
}

// idleClock is the watchdog's time: the Server's clock and real timers in
// service, a hand-driven one in tests.
type idleClock interface {
	Now() time.Time
	// After returns a channel that fires once d has passed, and a function
	// that stops it.
	After(d time.Duration) (<-chan time.Time, func() bool)
}

// realIdleClock reads now and waits with real timers.
type realIdleClock struct{ now func() time.Time }

func (c realIdleClock) Now() time.Time { return c.now() }

func (c realIdleClock) After(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// idleWarning is the notice text for an idle session.
func idleWarning(left time.Duration) string {
	return fmt.Sprintf("No input for a while: this session closes in %s. Press any key to stay.", roundDuration(left))
}

// roundDuration rounds d for people: whole seconds.
func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Second)
}
