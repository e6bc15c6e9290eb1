package ocpp_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestMalformedAnswer: a charge point that answers SetChargingProfile with
// a confirmation the OCPP schema forbids ({"status":"Maybe"}) has answered:
// the result says so at once, naming the answer, and the central system
// counts it. ocpp-go drops such an answer and waited its own 30 s request
// timeout, then reported "Request timed out" as if the charge point were
// silent.
func TestMalformedAnswer(t *testing.T) {
	h, events, _ := connectPeer(t, "malformed")
	until := time.Now().Add(20 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 2*wait) // past ocpp-go's own 30 s
	defer cancel()
	r := h.cs.Apply(ctx, setpoint("m1", 6, until))
	next(t, events, "SetChargingProfile")
	// The charge point may have taken the profile: the outcome is unknown.
	if r.Status != adapters.StatusTimeout || !strings.Contains(r.Reason, "malformed SetChargingProfile answer") ||
		!strings.Contains(r.Reason, "Maybe") || !strings.Contains(r.Reason, "may hold it until") {
		t.Fatalf("%+v, want timeout naming the malformed answer", r)
	}
	if c := h.cs.Counts(); c.BadMessages != 1 {
		t.Fatalf("counts %+v, want 1 bad message", c)
	}
}
