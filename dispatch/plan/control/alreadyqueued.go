package control

import "fmt"

// AlreadyQueuedError is Cancel's answer when a cancel of the event is
// already queued behind its plan in flight: nothing was journalled or
// queued for this request, and Queued is the request that runs. It is
// ErrCancelQueued too (errors.Is): the event will be cancelled all the
// same. A desk tells its operator whose request that is, and announces
// nothing: the others were told of the first request, the only one the
// journal holds.
type AlreadyQueuedError struct {
	Event  string
	Queued QueuedCancel
}

// Error says the cancel is queued and who asked for it.
func (e *AlreadyQueuedError) Error() string {
	return fmt.Sprintf("cancel %q: %v (asked by %s)", e.Event, ErrCancelQueued, e.Queued.By)
}

// Unwrap makes errors.Is(err, ErrCancelQueued) hold.
func (e *AlreadyQueuedError) Unwrap() error { return ErrCancelQueued }
