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

// watchIdle warns the session once it has been idle for timeout-warnBefore,
// and calls expire once it has been idle for timeout. It returns when ctx is
// done or after expire. Input after the warning re-arms it.
func watchIdle(ctx context.Context, in *activityReader, now func() time.Time, timeout, warnBefore time.Duration,
	warn func(left time.Duration), expire func()) {
	if timeout <= 0 {
		return
	}
	warnBefore = min(max(warnBefore, 0), timeout)
	t := time.NewTimer(timeout)
	defer t.Stop()
	warned := false
	for {
		idle := now().Sub(in.lastInput())
		var wait time.Duration
		switch {
		case idle >= timeout:
			expire()
			return
		case idle >= timeout-warnBefore:
			if !warned {
				warned = true
				warn(timeout - idle)
			}
			wait = timeout - idle
		default:
			warned = false
			wait = timeout - warnBefore - idle
		}
		t.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
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
