package control

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control/controltest"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// hold makes the next batch sent wait until the returned release is
// called; entered is closed once that batch is in flight.
func (f *fakeSender) hold() (entered <-chan struct{}, release func()) {
	in, out := make(chan struct{}), make(chan struct{})
	var once sync.Once
	f.onApply = func([]adapters.Setpoint) {
		once.Do(func() {
			close(in)
			<-out
		})
	}
	return in, func() { close(out) }
}

// recsOf returns the journal's records of kind k.
func (j *fakeJournal) recsOf(k adapters.RecordKind) []adapters.Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []adapters.Record
	for _, r := range j.recs {
		if r.Kind == k {
			out = append(out, r)
		}
	}
	return out
}

// A cancel pressed while a re-plan is being sent is not refused (it used
// to be ErrBusy, and had to be pressed again): it is journalled at once,
// shown as queued, and runs as soon as the send ends; the chargers are
// released and the cancel is journalled as done, by the dispatcher who
// asked.
func TestCancelWhileSendingIsQueued(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id := r.confirmed(t, capF1("DR-1", 120))
	var refs []string
	r.c.OnReference(func(ev string) { refs = append(refs, ev) })

	entered, release := r.snd.hold()
	r.site.report(15 * time.Minute) // a new slot: Step re-plans and sends
	stepped := make(chan struct{})
	go func() { defer close(stepped); r.c.Step(ctx) }()
	<-entered

	err := r.c.Cancel(ctx, id, ana, "storm")
	if !errors.Is(err, ErrCancelQueued) {
		t.Fatalf("cancel during the send: %v, want ErrCancelQueued", err)
	}
	v, _ := r.c.Event(id)
	if v.State != StateActive || v.CancelQueued == nil || v.CancelQueued.By != "ana" || v.CancelQueued.Reason != "storm" ||
		!v.CancelQueued.At.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("while the send is in flight: state %s, queued %+v; want active with ana's cancel queued at 18:15", v.State, v.CancelQueued)
	}
	if got := r.j.recsOf(RecDispatchCancelRequest); len(got) != 1 || got[0].Operator != "ana" || got[0].Reason != "storm" {
		t.Fatalf("cancel requests journalled at the key press: %+v, want ana's", got)
	}
	if got := r.j.recsOf(RecDispatchCancel); len(got) != 0 {
		t.Fatalf("cancel journalled as done before it ran: %+v", got)
	}
	omar := Actor{Name: "omar", Dispatcher: true}
	err = r.c.Cancel(ctx, id, omar, "again")
	if !errors.Is(err, ErrCancelQueued) || !strings.Contains(err.Error(), "asked by ana") {
		t.Fatalf("second cancel: %v, want ErrCancelQueued naming ana", err)
	}
	// Whose request runs, for the desk to tell the second presser
	// rather than announce a request the journal does not hold.
	var already *AlreadyQueuedError
	if !errors.As(err, &already) || already.Queued.By != "ana" || already.Queued.Reason != "storm" {
		t.Fatalf("second cancel: %#v, want an AlreadyQueuedError naming ana's request", err)
	}
	if got := r.j.recsOf(RecDispatchCancelRequest); len(got) != 1 {
		t.Fatalf("a second press journalled another request: %+v", got)
	}

	release()
	<-stepped
	v, _ = r.c.Event(id)
	if v.State != StateCancelled || v.DecidedBy != "ana" || v.Reason != "storm" || v.CancelQueued != nil || v.Busy {
		t.Fatalf("after the send: state %s by %q (%q), queued %+v, busy %v; want cancelled by ana (storm)", v.State, v.DecidedBy, v.Reason, v.CancelQueued, v.Busy)
	}
	if v.Plans != 2 || v.Progress.Done != v.Progress.Sent {
		t.Errorf("the re-plan in flight: plan %d, %d of %d answered; want plan 2 sent whole first", v.Plans, v.Progress.Done, v.Progress.Sent)
	}
	if v.Progress.Released != v.Progress.Holding || v.Progress.Released == 0 {
		t.Errorf("released %d of %d chargers held", v.Progress.Released, v.Progress.Holding)
	}
	done := r.j.recsOf(RecDispatchCancel)
	if len(done) != 1 || done[0].Operator != "ana" || done[0].Reason != "storm" || !strings.Contains(done[0].Detail, "asked at 18:15:00, queued behind the plan in flight") {
		t.Fatalf("cancel journalled as done: %+v, want ana's, saying it was queued", done)
	}
	kinds := r.j.kinds()
	if i, k := slices.Index(kinds, RecDispatchCancelRequest), slices.Index(kinds, RecDispatchCancel); i < 0 || k < i {
		t.Errorf("journal order %v: the request before the cancel", kinds)
	}
	if len(refs) != 0 {
		t.Errorf("reference plans made for a cancelled event: %v", refs)
	}
	r.site.report(15 * time.Minute)
	r.c.Step(ctx)
	if v, _ := r.c.Event(id); v.Plans != 2 {
		t.Errorf("planned again after the queued cancel: %d plans", v.Plans)
	}
}

// A cancel asked while the event in force is previewed waits for the
// preview, and a pending event previewed is declined at once: a preview
// sends nothing.
func TestCancelAndDeclineWhilePreviewing(t *testing.T) {
	var block controltest.HeldForecast
	r := newRig(t, func(o *Options) { o.Forecast = block.Forecast })
	ctx := context.Background()
	arm := block.Arm

	// A pending event: declined while its preview is in flight.
	id, err := r.c.Propose(capF1("DR-P", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	arm()
	previewed := make(chan error, 1)
	go func() { _, err := r.c.Preview(ctx, id); previewed <- err }()
	<-block.Entered
	if err := r.c.Cancel(ctx, id, ana, "not needed"); err != nil {
		t.Fatalf("decline during the preview: %v", err)
	}
	close(block.Release)
	if err := <-previewed; err != nil {
		t.Fatalf("preview: %v", err)
	}
	if v, _ := r.c.Event(id); v.State != StateDeclined || v.Preview != nil {
		t.Fatalf("declined during its preview: state %s, preview kept %v", v.State, v.Preview != nil)
	}

	// An event in force: the cancel waits for its preview.
	id = r.confirmed(t, capF1("DR-1", 120))
	arm()
	go func() { _, err := r.c.Preview(ctx, id); previewed <- err }()
	<-block.Entered
	if err := r.c.Cancel(ctx, id, ana, "storm"); !errors.Is(err, ErrCancelQueued) {
		t.Fatalf("cancel during the preview: %v, want ErrCancelQueued", err)
	}
	close(block.Release)
	if err := <-previewed; err != nil {
		t.Fatalf("preview: %v", err)
	}
	if v, _ := r.c.Event(id); v.State != StateCancelled || v.DecidedBy != "ana" {
		t.Fatalf("after the preview: state %s by %q, want cancelled by ana", v.State, v.DecidedBy)
	}
}

// A re-plan sends its setpoints before it makes the plan without the
// event for the page's split (a second solve of the same size): the
// setpoints of every event re-planned in a step go out first, and each
// page gets its split after.
func TestReplanSendsBeforeTheReference(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	a := r.confirmed(t, capF1("DR-1", 120))
	b := r.confirmed(t, feeds.EventFrame{ID: "DR-2", Kind: feeds.EventImportCap, Scope: "F2", Start: t0, End: t0.Add(2 * time.Hour), KW: 110})
	var mu sync.Mutex
	var order []string
	r.c.OnReference(func(ev string) { mu.Lock(); order = append(order, "reference "+ev); mu.Unlock() })
	r.snd.onApply = func(sps []adapters.Setpoint) {
		mu.Lock()
		defer mu.Unlock()
		if ev := "send " + sps[0].Event; len(order) == 0 || order[len(order)-1] != ev {
			order = append(order, ev)
		}
	}
	r.site.report(15 * time.Minute)
	r.c.Step(ctx)
	want := []string{"send DR-1", "send DR-2", "reference DR-1", "reference DR-2"}
	if !slices.Equal(order, want) {
		t.Fatalf("order %q, want %q", order, want)
	}
	for _, id := range []string{a, b} {
		if v, _ := r.c.Event(id); v.Plans != 2 || v.Preview.Reference == nil {
			t.Errorf("%s after the step: %d plans, reference %v; want plan 2 with its reference", id, v.Plans, v.Preview.Reference != nil)
		}
	}
}

// A cancel queued behind the hand-back check that then finds the chargers
// can be released is overtaken: the event ends (released all the same),
// and the end record says the cancel asked for never ran.
func TestQueuedCancelOvertakenByTheEnd(t *testing.T) {
	var held controltest.HeldForecast
	r := newRig(t, func(o *Options) { o.Forecast = held.Forecast })
	ctx := context.Background()
	// F2 (limit 500 kW, 114 kW now): nothing to hand back after the window.
	id := r.confirmed(t, feeds.EventFrame{ID: "DR-2", Kind: feeds.EventImportCap, Scope: "F2", Start: t0, End: t0.Add(15 * time.Minute), KW: 110})
	r.site.report(15 * time.Minute) // the window is over: the hand-back check
	held.Arm()
	stepped := make(chan struct{})
	go func() { defer close(stepped); r.c.Step(ctx) }()
	<-held.Entered
	if err := r.c.Cancel(ctx, id, ana, "storm"); !errors.Is(err, ErrCancelQueued) {
		t.Fatalf("cancel during the hand-back check: %v, want ErrCancelQueued", err)
	}
	close(held.Release)
	<-stepped
	v, _ := r.c.Event(id)
	if v.State != StateEnded || v.CancelQueued != nil || v.Busy {
		t.Fatalf("after the check: %s, queued %+v, busy %v; want ended, nothing queued", v.State, v.CancelQueued, v.Busy)
	}
	end := r.j.recsOf(RecDispatchEnd)
	if len(end) != 1 || !strings.Contains(end[0].Detail, "the cancel ana asked at 18:15:00 was overtaken: the event ended first") {
		t.Fatalf("end records %+v, want one saying ana's cancel was overtaken", end)
	}
	if got := r.j.recsOf(RecDispatchCancel); len(got) != 0 {
		t.Errorf("a cancel journalled as done: %+v", got)
	}
}
