package control

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// waitEvent waits, on Changes, until event id's view satisfies ok; the
// deadline is a failure, not a pace.
func waitEvent(t *testing.T, c *Controller, id, what string, ok func(EventView) bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		ch := c.Changes()
		if v, _ := c.Event(id); ok(v) {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			v, _ := c.Event(id)
			t.Fatalf("%s: %s never %s (state %s, queued %+v)", id, id, what, v.State, v.CancelQueued)
		}
	}
}

// A desk that stops while an event's plan is being sent (a dispatcher's
// confirm in flight) cancels that event too, on the record, behind the
// chunk in flight: the rest of the plan is not sent, and its chargers are
// released. StopAll skipped a busy event: the desk said it had cancelled
// everything, the rest of the plan went out after that, and its chargers
// held their setpoints with nothing left to steer or release them.
func TestStopWhileAPlanIsSentCancelsItOnTheRecord(t *testing.T) {
	r := newRig(t, func(o *Options) { o.SendChunk = 2 })
	ctx := context.Background()
	id, err := r.c.Propose(capF1("DR-1", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	pv, err := r.c.Preview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Setpoints) <= 2 {
		t.Fatalf("the plan has %d setpoints, want more than a chunk", len(pv.Setpoints))
	}
	entered, release := r.snd.hold()
	confirmed := make(chan error, 1)
	go func() { confirmed <- r.c.Confirm(ctx, id, ana, ConfirmOptions{}) }()
	<-entered // the first chunk is with the sender

	stopped := make(chan []string, 1)
	go func() { stopped <- r.c.StopAll(ctx, "the desk stopped") }()
	waitEvent(t, r.c, id, "had the desk's cancel queued", func(v EventView) bool { return v.CancelQueued != nil })
	release()

	if got := <-stopped; !slices.Equal(got, []string{id}) {
		t.Errorf("StopAll stopped %v, want [%s]", got, id)
	}
	if err := <-confirmed; !errors.Is(err, ErrStopped) {
		t.Errorf("confirm cut by the stop: %v, want ErrStopped", err)
	}
	if n := r.snd.count(); n != 2 {
		t.Errorf("%d setpoints sent, want the 2 of the chunk in flight at the stop", n)
	}
	v, _ := r.c.Event(id)
	if v.State != StateCancelled || v.DecidedBy != "desk" || v.Reason != "the desk stopped" || v.Progress.Released != 2 {
		t.Errorf("after the stop: %s by %q (%q), released %d; want cancelled by the desk, the reason, 2 released",
			v.State, v.DecidedBy, v.Reason, v.Progress.Released)
	}
	var kinds []string
	r.j.mu.Lock()
	recs := slices.Clone(r.j.recs)
	r.j.mu.Unlock()
	for _, rec := range recs {
		kinds = append(kinds, string(rec.Kind)+" "+rec.Operator)
	}
	want := []string{"dispatch_propose ana", "dispatch_confirm ana", "dispatch_cancel_request desk", "dispatch_cancel desk"}
	if !slices.Equal(kinds, want) {
		t.Errorf("journal %v, want %v", kinds, want)
	}
	if got := r.j.recsOf(RecDispatchCancel); len(got) == 1 && !strings.Contains(got[0].Detail, "queued behind the plan in flight") {
		t.Errorf("the cancel's record %q does not say it waited for the plan in flight", got[0].Detail)
	}
}

// Once the desk has stopped nothing more is planned or sent: an event
// being previewed at the stop, or proposed since, is refused on confirm
// with ErrStopped, and a new proposal is refused; nothing reaches the
// sender and the journal has no confirmation.
func TestNothingIsSentAfterTheStop(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id, err := r.c.Propose(capF1("DR-1", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.c.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := r.c.StopAll(ctx, "the desk stopped"); len(got) != 0 {
		t.Errorf("StopAll stopped %v, want nothing (the event is pending)", got)
	}
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{}); !errors.Is(err, ErrStopped) {
		t.Errorf("confirm after the stop: %v, want ErrStopped", err)
	}
	if _, err := r.c.Preview(ctx, id); !errors.Is(err, ErrStopped) {
		t.Errorf("preview after the stop: %v, want ErrStopped", err)
	}
	if _, err := r.c.Propose(capF1("DR-2", 110), OriginOperator, ana); !errors.Is(err, ErrStopped) {
		t.Errorf("propose after the stop: %v, want ErrStopped", err)
	}
	if n := r.snd.count(); n != 0 {
		t.Errorf("%d setpoints sent after the stop", n)
	}
	if got := r.j.recsOf(adapters.RecDispatchConfirm); len(got) != 0 {
		t.Errorf("confirmations journalled after the stop: %+v", got)
	}
}
