package ocpp_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// lateRelease is one LateSink.LateRelease call.
type lateRelease struct {
	charger string
	status  adapters.Status
	detail  string
}

// chanSink is a LateSink that hands each call to the test.
type chanSink struct {
	results  chan adapters.Result
	releases chan lateRelease
}

func newChanSink() *chanSink {
	return &chanSink{results: make(chan adapters.Result, 8), releases: make(chan lateRelease, 8)}
}

func (s *chanSink) LateResult(_ adapters.Setpoint, r adapters.Result) { s.results <- r }
func (s *chanSink) LateRelease(charger string, status adapters.Status, detail string) {
	s.releases <- lateRelease{charger, status, detail}
}

// TestQueuedReleaseDroppedWithTheConnection: a release queued behind an
// unanswered call gives up at its deadline (reported failed, "it goes out
// once that call is answered"). When the connection then drops, ocpp-go
// cancels the queued clear: it never goes out. The central system must
// forget it (no release left in memory) and tell the journal it was never
// sent, rather than leave the promise that it goes out.
func TestQueuedReleaseDroppedWithTheConnection(t *testing.T) {
	h, events, stdin := connectPeer(t, "stall")
	late := newChanSink()
	h.cs.SetLateSink(late)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := make(chan adapters.Result, 1)
	go func() { first <- h.cs.Apply(ctx, setpoint("dq1", 6, time.Now().Add(20*time.Minute))) }()
	next(t, events, "SetChargingProfile") // held unanswered
	rctx, rcancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer rcancel()
	err := h.cs.Release(rctx, "CP-A")
	if err == nil || !strings.Contains(err.Error(), "not sent before the deadline") {
		t.Fatalf("release: %v, want queued, not sent before the deadline", err)
	}
	if n := h.cs.TrackedReleases(); n != 1 {
		t.Fatalf("%d releases tracked while queued, want 1", n)
	}
	say(t, stdin, "drop")
	next(t, events, "dropped")
	if r := <-first; r.Status != adapters.StatusTimeout || !strings.Contains(r.Reason, "client disconnected") {
		t.Fatalf("stalled setpoint %+v, want timeout: the connection dropped", r)
	}
	select {
	case l := <-late.releases:
		if l.charger != "CP-A" || l.status != adapters.StatusFailed || !strings.Contains(l.detail, "never sent") ||
			!strings.Contains(l.detail, "client disconnected") {
			t.Fatalf("late release %+v, want CP-A failed: never sent, the connection dropped", l)
		}
	case <-time.After(wait):
		t.Fatal("no journal record for the queued release the dropped connection cancelled")
	}
	if n := h.cs.TrackedReleases(); n != 0 {
		t.Errorf("%d releases still tracked after the connection dropped, want 0", n)
	}
}

// TestQueuedSetpointDroppedWithTheConnection: a setpoint queued behind an
// unanswered call is reported timeout at its deadline; when the
// connection drops, ocpp-go cancels it unsent. It is forgotten at once
// (only the sent one, which may still be answered after a reconnect, is
// kept) and the journal is told it never went out.
func TestQueuedSetpointDroppedWithTheConnection(t *testing.T) {
	h, events, stdin := connectPeer(t, "stall")
	late := newChanSink()
	h.cs.SetLateSink(late)
	until := time.Now().Add(20 * time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	first := make(chan adapters.Result, 1)
	go func() { first <- h.cs.Apply(ctx, setpoint("dq1", 6, until)) }()
	next(t, events, "SetChargingProfile") // held unanswered
	ctx2, cancel2 := context.WithCancel(context.Background())
	second := make(chan adapters.Result, 1)
	go func() { second <- h.cs.Apply(ctx2, setpoint("dq2", 5, until)) }()
	cancel2() // dq2 is queued behind dq1 whatever the timing
	if r := <-second; r.Status != adapters.StatusTimeout || !strings.Contains(r.Reason, "queued") {
		t.Fatalf("second %+v, want timeout, queued", r)
	}
	say(t, stdin, "drop")
	next(t, events, "dropped")
	if r := <-first; r.Status != adapters.StatusTimeout || !strings.Contains(r.Reason, "client disconnected") {
		t.Fatalf("first %+v, want timeout: the connection dropped", r)
	}
	select {
	case r := <-late.results:
		if r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, "never sent") {
			t.Fatalf("late result %+v, want failed: never sent", r)
		}
	case <-time.After(wait):
		t.Fatal("no late result for the queued setpoint the dropped connection cancelled")
	}
	if n := h.cs.TrackedSetpoints(); n != 1 {
		t.Errorf("%d setpoints tracked after the connection dropped, want 1 (the one sent, whose answer may come after a reconnect)", n)
	}
}
