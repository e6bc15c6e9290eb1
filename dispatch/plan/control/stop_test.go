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

// Every event still pending at the stop (proposed, previewed or not,
// never confirmed) is declined on the record by the desk, with the stop's
// reason: the journal left them open, and an auditor reading it next
// morning found OP-3 proposed and never decided. A second StopAll (serve
// and the desk's own stop both call it) writes nothing more.
func TestStopDeclinesPendingEventsOnTheRecord(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	active := r.confirmed(t, capF1("DR-1", 120))
	previewed, err := r.c.Propose(capF1("DR-2", 110), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.c.Preview(ctx, previewed); err != nil {
		t.Fatal(err)
	}
	proposed, err := r.c.Propose(capF1("", 100), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	// What the shutdown notice names before the stop: the events it
	// will decline.
	if got := r.c.Pending(); !slices.Equal(got, []string{previewed, proposed}) {
		t.Errorf("pending before the stop %v, want [%s %s]", got, previewed, proposed)
	}
	if got := r.c.StopAll(ctx, "the desk stopped"); !slices.Equal(got, []string{active}) {
		t.Errorf("StopAll cancelled %v, want [%s]", got, active)
	}
	if got := r.c.Pending(); len(got) != 0 {
		t.Errorf("pending after the stop %v, want none", got)
	}
	for _, id := range []string{previewed, proposed} {
		v, _ := r.c.Event(id)
		if v.State != StateDeclined || v.DecidedBy != "desk" || v.Reason != "the desk stopped" || v.Ended.IsZero() {
			t.Errorf("%s after the stop: %s by %q (%q), ended %v; want declined by the desk, the stop's reason",
				id, v.State, v.DecidedBy, v.Reason, v.Ended)
		}
	}
	declines := r.j.recsOf(RecDispatchDecline)
	if len(declines) != 2 {
		t.Fatalf("journalled declines %+v, want one for %s and one for %s", declines, previewed, proposed)
	}
	for i, id := range []string{previewed, proposed} {
		d := declines[i]
		if d.Event != id || d.Operator != "desk" || d.Reason != "the desk stopped" || !strings.Contains(d.Detail, "never confirmed") {
			t.Errorf("decline %d: %+v; want %s declined by the desk, the stop's reason, never confirmed", i, d, id)
		}
	}
	// Every event the journal opened has an end.
	open := map[string]bool{}
	for _, rec := range r.j.recsOf(RecDispatchPropose) {
		open[rec.Event] = true
	}
	for _, k := range []adapters.RecordKind{RecDispatchDecline, RecDispatchCancel, RecDispatchEnd} {
		for _, rec := range r.j.recsOf(k) {
			delete(open, rec.Event)
		}
	}
	if len(open) != 0 {
		t.Errorf("events left open in the journal after the stop: %v", open)
	}
	n := len(r.j.kinds())
	r.c.StopAll(ctx, "the desk stopped")
	if got := r.j.kinds(); len(got) != n {
		t.Errorf("a second StopAll journalled %v", got[n:])
	}
}

// A dispatcher's proposal or confirmation refused at the stop is on the
// record (dispatch_refused, who, what, the stop's reason), as a refusal
// for want of a role is (forbidden): the session, disconnected at the
// stop, may never show the refusal, and the journal said nothing of it. A
// viewer's (refused for the role, journalled by the desk as forbidden)
// and a preview (never journalled) write nothing.
func TestRefusedAtTheStopIsOnTheRecord(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id, err := r.c.Propose(capF1("DR-1", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.c.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	r.c.StopAll(ctx, "the desk stopped")
	before := len(r.j.kinds())
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{}); !errors.Is(err, ErrStopped) {
		t.Errorf("confirm after the stop: %v, want ErrStopped", err)
	}
	if _, err := r.c.Propose(capF1("DR-2", 110), OriginOperator, Actor{Name: "omar", Dispatcher: true}); !errors.Is(err, ErrStopped) {
		t.Errorf("propose after the stop: %v, want ErrStopped", err)
	}
	if _, err := r.c.Propose(capF1("DR-3", 110), OriginOperator, viewer); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("a viewer's propose after the stop: %v, want ErrNotAllowed", err)
	}
	if _, err := r.c.Preview(ctx, id); !errors.Is(err, ErrStopped) {
		t.Errorf("preview after the stop: %v, want ErrStopped", err)
	}
	got := r.j.recsOf(RecDispatchRefused)
	if len(got) != 2 {
		t.Fatalf("refusals journalled %+v, want ana's confirm and omar's proposal", got)
	}
	for i, w := range []struct{ op, event, action string }{{"ana", id, "confirm cap F1"}, {"omar", "DR-2", "propose cap F1"}} {
		g := got[i]
		if g.Operator != w.op || g.Event != w.event || g.Reason != "the desk stopped" ||
			!strings.HasPrefix(g.Detail, w.action) || !strings.Contains(g.Detail, ErrStopped.Error()) {
			t.Errorf("refusal %d: %+v; want %s's %q of %s, the stop's reason", i, g, w.op, w.action, w.event)
		}
	}
	if n := len(r.j.kinds()); n != before+2 {
		t.Errorf("journalled %v after the stop, want only the two refusals", r.j.kinds()[before:])
	}
}
