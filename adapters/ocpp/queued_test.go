package ocpp_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestQueuedBehindAnUnansweredCall: OCPP-J sends one call at a time to a
// charge point, so behind a profile it never answers the next one waits in
// ocpp-go's queue (up to its 30 s request timeout). A setpoint whose
// deadline comes while it waits must not read "sent": its result says it
// is queued and goes out once the charge point answers or the call before
// it times out. The one that went out says sent.
func TestQueuedBehindAnUnansweredCall(t *testing.T) {
	h, events, _ := connectPeer(t, "stall")
	until := time.Now().Add(20 * time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan adapters.Result, 1)
	go func() { first <- h.cs.Apply(ctx, setpoint("q1", 6, until)) }()
	next(t, events, "SetChargingProfile") // the peer holds q1 unanswered
	ctx2, cancel2 := context.WithCancel(context.Background())
	second := make(chan adapters.Result, 1)
	go func() { second <- h.cs.Apply(ctx2, setpoint("q2", 5, until)) }()
	// q2 is behind q1 whatever the timing: end its wait, then q1's.
	cancel2()
	r2 := <-second
	cancel()
	r1 := <-first
	if r1.Status != adapters.StatusTimeout || !strings.Contains(r1.Reason, "sent to") {
		t.Errorf("first %+v, want timeout, sent", r1)
	}
	if r2.Status != adapters.StatusTimeout || !strings.Contains(r2.Reason, "queued") || strings.Contains(r2.Reason, "sent to") {
		t.Errorf("second %+v, want timeout saying it is queued, not sent", r2)
	}
}
