// Package adapterstest provides utilities for testing code that sends
// setpoints through an adapters.Guard, as net/http/httptest does for HTTP.
package adapterstest

import (
	"context"
	"sync"
)

// Deadline is a context whose deadline passes when the test calls Pass,
// not after some wall time. A batch deadline of wall time can pass before
// the guard's worker has handed a setpoint to its adapter, and the test
// that meant to see a late answer then sees no call at all; with Deadline
// the test passes the deadline once the adapter (or the peer behind it)
// holds the setpoint, so the outcome does not depend on the machine's
// load. Give it to Guard.Apply with a BatchTimeout far longer than the
// test.
type Deadline struct {
	context.Context
	done chan struct{}
	once sync.Once
}

// NewDeadline returns a Deadline that has not passed.
func NewDeadline() *Deadline {
	return &Deadline{Context: context.Background(), done: make(chan struct{})}
}

// Pass makes the deadline pass: Done is closed and Err returns
// context.DeadlineExceeded. Calling it again does nothing.
func (d *Deadline) Pass() { d.once.Do(func() { close(d.done) }) }

// Done implements context.Context.
func (d *Deadline) Done() <-chan struct{} { return d.done }

// Err implements context.Context.
func (d *Deadline) Err() error {
	select {
	case <-d.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
