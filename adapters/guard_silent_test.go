package adapters_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/adapterstest"
)

// overdueDeadline is a batch deadline already gone by the clock whose Done
// closes only on Pass: a loaded machine's timer that has yet to fire. The
// guard counts its late grace from Deadline, so an adapter's context ends
// a LateGrace after at, by itself, while the batch still waits for Pass.
type overdueDeadline struct {
	pass *adapterstest.Deadline // Done, Err and Pass
	at   time.Time
}

// Deadline implements context.Context.
func (d overdueDeadline) Deadline() (time.Time, bool) { return d.at, true }

// Done implements context.Context.
func (d overdueDeadline) Done() <-chan struct{} { return d.pass.Done() }

// Err implements context.Context.
func (d overdueDeadline) Err() error { return d.pass.Err() }

// Value implements context.Context.
func (d overdueDeadline) Value(key any) any { return d.pass.Value(key) }

// silentAdapter takes a setpoint and never answers: once the test says the
// batch has given up on it (batchOver), it waits for its context to end,
// as a real adapter waits for its equipment, tells the test how it ended
// (ctxErr) and reports a timeout.
type silentAdapter struct {
	started   chan string
	batchOver chan struct{}
	ctxErr    chan error
}

func newSilentAdapter() *silentAdapter {
	return &silentAdapter{started: make(chan string, 1), batchOver: make(chan struct{}), ctxErr: make(chan error, 1)}
}

func (a *silentAdapter) Apply(ctx context.Context, sp adapters.Setpoint) adapters.Result {
	a.started <- sp.ID
	<-a.batchOver
	<-ctx.Done()
	a.ctxErr <- ctx.Err()
	return adapters.Result{Status: adapters.StatusTimeout, Reason: "no answer before the deadline"}
}

// applyUnanswered applies sp to a, which never answers, and returns the
// batch's result: its deadline passes only once a has sp, so the result is
// the timeout of a setpoint sent, however long the worker took to pick it
// up (with a 50 ms BatchTimeout a loaded machine left it in the queue:
// "not sent", about 1 run in 60). It returns once a's context has ended by
// the guard's late grace, so a guard that writes something for the
// unanswered setpoint has done so when Close returns.
func applyUnanswered(t *testing.T, g *adapters.Guard, a *silentAdapter, sp adapters.Setpoint) adapters.Result {
	t.Helper()
	ctx := overdueDeadline{pass: adapterstest.NewDeadline(), at: time.Now()}
	res := make(chan adapters.Result, 1)
	go func() { res <- g.Apply(ctx, sp) }()
	if id := <-a.started; id != sp.ID {
		t.Fatalf("adapter got %q, want %q", id, sp.ID)
	}
	ctx.pass.Pass()
	r := <-res
	close(a.batchOver)
	if err := <-a.ctxErr; !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the adapter's context ended with %v, want the late grace's deadline (context.DeadlineExceeded)", err)
	}
	return r
}
