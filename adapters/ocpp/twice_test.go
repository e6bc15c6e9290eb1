package ocpp_test

import (
	"context"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestSecondAnswerCounted: a charge point that answers one SetChargingProfile
// twice (Accepted, then Rejected): the first answer is the result, the second
// answers no pending request and is counted (ocpp-go dropped it without a
// word), as is an answer sent after a reconnect to a call of the old
// connection.
func TestSecondAnswerCounted(t *testing.T) {
	h, events, _ := connectPeer(t, "twice")
	r := h.cs.Apply(context.Background(), setpoint("t1", 6, time.Now().Add(20*time.Minute)))
	if r.Status != adapters.StatusAccepted {
		t.Fatalf("%+v, want the first answer, accepted", r)
	}
	next(t, events, "SetChargingProfile")
	next(t, events, "answered twice")
	// The charge point's messages are read in order: its answer to the
	// clear comes after its second answer to the profile.
	if err := h.cs.Release(context.Background(), "CP-A"); err != nil {
		t.Fatal(err)
	}
	if c := h.cs.Counts(); c.UnmatchedAnswers != 1 {
		t.Fatalf("counts %+v, want 1 unmatched answer", c)
	}
}
