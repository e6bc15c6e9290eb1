package sshd

import (
	"context"
	"io"
	"sync"
	"time"
)

// activityReader is the session's input as the program reads it, noting when
// the operator last sent anything. Activity is measured at the transport, so
// the idle timeout works whatever the dashboard does with the keys.
//
// While an idle warning is up, the input that answers it is swallowed: the
// warning says "press any key to stay", and a key meant for that must not
// reach the dashboard, where `c` cancels a DR event and `a` acknowledges an
// alarm.
type activityReader struct {
	r   io.Reader
	now func() time.Time
	// onAnswer, when set, is called (from Read) when input answers an idle
	// warning and is swallowed; the session then takes the warning down.
	onAnswer func()

	mu    sync.Mutex
	last  time.Time // latest input
	armed bool      // an idle warning is up: the next input answers it
}

func newActivityReader(r io.Reader, now func() time.Time) *activityReader {
	return &activityReader{r: r, now: now, last: now()}
}

// Read implements io.Reader. Input that answers an idle warning is not
// returned: Read reads on for the next.
func (a *activityReader) Read(p []byte) (int, error) {
	for {
		n, err := a.r.Read(p)
		if n > 0 && a.input() {
			if a.onAnswer != nil {
				a.onAnswer()
			}
			if err != nil {
				return 0, err
			}
			continue
		}
		return n, err
	}
}

// input notes input now and reports whether it answers an idle warning.
func (a *activityReader) input() (answers bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.last = a.now()
	answers, a.armed = a.armed, false
	return answers
}

// lastInput returns when the operator last sent anything.
func (a *activityReader) lastInput() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last
}

// warnIfIdleSince arms the reader, so that the next input is swallowed, and
// calls warn, unless input came after since; it reports whether it warned.
// warn runs under the reader's lock: a key pressed at that moment is
// answered after the warning is posted, never before it.
func (a *activityReader) warnIfIdleSince(since time.Time, warn func()) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.last.After(since) {
		return false
	}
	a.armed = true
	warn()
	return true
}

// idleTick is how often the idle warning's countdown is refreshed.
const idleTick = time.Second

// watchIdle warns the session once it has been idle for timeout-warnBefore
// and calls expire warnBefore after the warning unless input arrived since:
// an operator is always warned, for the full warnBefore, before being cut
// off, even when the machine is too busy to wake the watchdog on time. While
// warned, warn is called again every idleTick with the time left, so the
// countdown the operator reads counts down. It returns when ctx is done or
// after expire.
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
		if warnAt := last.Add(timeout - warnBefore); warnedAt.IsZero() && n.Before(warnAt) {
			wait = warnAt.Sub(n)
		} else if warnBefore == 0 {
			expire()
			return
		} else {
			if warnedAt.IsZero() {
				warnedAt = n
			}
			cut := warnedAt.Add(warnBefore)
			if !n.Before(cut) {
				expire()
				return
			}
			left := cut.Sub(n)
			if !in.warnIfIdleSince(last, func() { warn(left) }) {
				warnedAt = time.Time{} // a key came as we warned: start over
				continue
			}
			wait = min(left, idleTick)
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

// idleWarning is the notice text for an idle session, in lang.
func idleWarning(lang string, left time.Duration) string {
	// A countdown in whole seconds, to its last (that read "closes in
	// 962ms"), and from its first: a Duration's String read "1m0s" at the
	// first tick of a minute's warning, then "59s".
	return say(lang, "No input for a while: this session closes in %s. Press any key to stay.", durationWords(lang, left))
}

// idleAnswered is the notice that replaces the idle warning once a key
// answered it; the key itself went nowhere else.
const idleAnswered = "Still here: the session stays open."

// roundDuration rounds d for people: whole seconds.
func roundDuration(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Second)
}
