package control

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// lateOnce answers the first setpoint it is given only after Apply has
// returned timeout, through the guard's LateSink (as OCPP does after a
// reconnect), and every other one at once. done is closed once the late
// answer was handed to the sink, which has then counted it.
type lateOnce struct {
	sink     adapters.LateSink
	late     adapters.Status
	once     sync.Once
	done     chan struct{}
	mu       sync.Mutex
	lateID   string
	released []string
}

func (a *lateOnce) SetLateSink(s adapters.LateSink) { a.sink = s }

func (a *lateOnce) Apply(_ context.Context, sp adapters.Setpoint) adapters.Result {
	first := false
	a.once.Do(func() { first = true })
	if !first {
		return adapters.Result{Status: adapters.StatusAccepted, AppliedKW: sp.KW}
	}
	a.mu.Lock()
	a.lateID = sp.Charger
	a.mu.Unlock()
	go func() {
		defer close(a.done)
		// The sink waits until the batch has journalled and counted the
		// timeout, so the answer is late whatever the scheduling.
		a.sink.LateResult(sp, adapters.Result{Status: a.late, AppliedKW: sp.KW, Reason: "answered after a reconnect"})
	}()
	return adapters.Result{Status: adapters.StatusTimeout, Reason: "no answer before the deadline"}
}

func (a *lateOnce) Release(_ context.Context, charger string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.released = append(a.released, charger)
	return nil
}

// TestLateAnswerCountsInTheEventProgress: a setpoint of a DR event reported
// timed out and accepted late by the equipment counts as accepted in the
// event's progress at the next step (no timeout, nothing "not applied",
// one late answer), and its charger is released with the others when the
// event is cancelled. A late refusal stays not applied, under the
// equipment's reason.
func TestLateAnswerCountsInTheEventProgress(t *testing.T) {
	for _, tt := range []struct {
		late    adapters.Status
		applied bool
	}{{adapters.StatusAccepted, true}, {adapters.StatusRejected, false}} {
		t.Run(string(tt.late), func(t *testing.T) {
			s := newSite(t)
			j, _, err := adapters.OpenJournal(filepath.Join(t.TempDir(), "audit.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			g := adapters.NewGuard(j, adapters.GuardOptions{Now: s.Now, Logger: slog.New(slog.DiscardHandler)})
			a := &lateOnce{late: tt.late, done: make(chan struct{})}
			if err := g.AddAdapter("x", a, 1, 0); err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			snap := s.Snapshot()
			for i := range snap.NumChargers() {
				ci := snap.ChargerAt(i).ChargerInfo
				g.SetCharger(adapters.ChargerConfig{ID: ci.ID, Adapter: "x", MaxChargeKW: ci.MaxChargeKW, MaxDischargeKW: ci.MaxDischargeKW})
			}
			c, err := New(Options{Fleet: s, Sender: g, Journal: j, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			r := &rig{site: s, c: c}
			id := r.confirmed(t, capF1("late", 100))

			v, _ := c.Event(id)
			pr := v.Progress
			if pr.ByStatus[adapters.StatusTimeout] != 1 || v.Error == nil {
				t.Fatalf("before the late answer: %+v (error %v), want one timeout, not applied", pr, v.Error)
			}
			<-a.done
			c.Step(context.Background())

			v, _ = c.Event(id)
			pr = v.Progress
			if pr.Late != 1 || pr.ByStatus[adapters.StatusTimeout] != 0 || pr.Total[adapters.StatusTimeout] != 0 {
				t.Fatalf("after the late answer: %+v, want it counted late, no timeout left", pr)
			}
			if pr.ByStatus[tt.late] < 1 || pr.Done != pr.Sent {
				t.Errorf("after the late answer: %+v, want it counted %s", pr, tt.late)
			}
			if tt.applied {
				if pr.ByStatus[adapters.StatusAccepted] != pr.Sent || len(pr.Failed) != 0 || v.Error != nil {
					t.Errorf("accepted late: %+v (error %v), want every setpoint applied, nothing failed", pr, v.Error)
				}
			} else if pr.Failed["answered after a reconnect"] != 1 || len(pr.Failed) != 1 || v.Error == nil {
				t.Errorf("refused late: failed %v (error %v), want the equipment's reason, still not applied", pr.Failed, v.Error)
			}

			if err := c.Cancel(context.Background(), id, ana, "test"); err != nil {
				t.Fatal(err)
			}
			a.mu.Lock()
			defer a.mu.Unlock()
			found := false
			for _, ch := range a.released {
				found = found || ch == a.lateID
			}
			if !found {
				t.Errorf("released %v, want %s (it answered late) among them", a.released, a.lateID)
			}
		})
	}
}

// neverLate is a fakeSender with the LateAnswerer capability whose late
// answers never come: equipment that stays silent.
type neverLate struct{ *fakeSender }

func (neverLate) LateAnswer(string) (adapters.Result, bool) { return adapters.Result{}, false }

// TestLateWaitEndsAtValidity: a timed-out setpoint whose late answer never
// comes is waited for until its validity and then dropped, so the list
// does not grow for the life of the event; its timeout stays counted.
func TestLateWaitEndsAtValidity(t *testing.T) {
	var snd *fakeSender
	r := newRig(t, func(o *Options) {
		snd = o.Sender.(*fakeSender)
		snd.silent = map[string]bool{"CP-00": true}
		o.Sender = neverLate{snd}
	})
	id := r.confirmed(t, capF1("silent", 100))
	if n := r.c.LateWaiting(id); n != 1 {
		t.Fatalf("after the first plan: %d setpoints waited for, want 1 (CP-00 timed out)", n)
	}
	snd.mu.Lock()
	until := snd.sent[0].ValidUntil
	snd.silent = nil // later plans are answered: nothing more to wait for
	snd.mu.Unlock()

	r.site.report(until.Sub(r.site.Now()) - time.Minute)
	r.c.Step(context.Background())
	if n := r.c.LateWaiting(id); n != 1 {
		t.Fatalf("a minute before its validity (%s): %d waited for, want 1 still", until.Format("15:04"), n)
	}
	r.site.report(time.Minute)
	r.c.Step(context.Background())
	if n := r.c.LateWaiting(id); n != 0 {
		t.Fatalf("at its validity (%s): %d waited for, want none", until.Format("15:04"), n)
	}
	v, _ := r.c.Event(id)
	if v.Progress.Total[adapters.StatusTimeout] != 1 || v.Progress.Late != 0 {
		t.Errorf("after the wait ended: totals %v, late %d; want the timeout still counted, none late", v.Progress.Total, v.Progress.Late)
	}
}
