package ocpp_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestPeerFaultsReachTheGuard: what a misbehaving charge point sends that
// the central system cannot use (a malformed answer, a second answer to one
// call) reaches the guard's sum of peer faults, which the desk shows on the
// overview and logs at stop, under the adapter's name.
func TestPeerFaultsReachTheGuard(t *testing.T) {
	t.Run("malformed", func(t *testing.T) {
		h, events, _ := connectPeer(t, "malformed")
		g, _ := guardFor(t, h.cs, adapters.GuardOptions{BatchTimeout: time.Second, LateGrace: 500 * time.Millisecond})
		g.Apply(context.Background(), setpoint("pf1", 6, time.Now().Add(20*time.Minute)))
		next(t, events, "SetChargingProfile")
		g.Close()
		want := adapters.PeerFaults{Malformed: 1}
		if f := g.PeerFaults(); f != want {
			t.Fatalf("guard's peer faults %+v, want %+v", f, want)
		}
		if by := g.PeerFaultsByAdapter(); by["o"] != want || len(by) != 1 {
			t.Fatalf("by adapter %+v, want o: %+v", by, want)
		}
	})
	t.Run("twice", func(t *testing.T) {
		h, events, _ := connectPeer(t, "twice")
		g, _ := guardFor(t, h.cs, adapters.GuardOptions{BatchTimeout: time.Second, LateGrace: 500 * time.Millisecond})
		if r := g.Apply(context.Background(), setpoint("pf2", 6, time.Now().Add(20*time.Minute))); r.Status != adapters.StatusAccepted {
			t.Fatalf("%+v, want accepted", r)
		}
		next(t, events, "SetChargingProfile")
		next(t, events, "answered twice")
		// The charge point's messages are read in order: its answer to the
		// clear comes after its second answer to the profile.
		if err := h.cs.Release(context.Background(), "CP-A"); err != nil {
			t.Fatal(err)
		}
		if f := g.PeerFaults(); f != (adapters.PeerFaults{Unmatched: 1}) || f.Total() != 1 {
			t.Fatalf("guard's peer faults %+v, want 1 unmatched answer", f)
		}
	})
}

// TestMessageNotJSONCounted: a message from a charge point that is not JSON
// at all is counted and logged as a bad message. ocpp-go returned its parse
// error before the invalid-message hook and dropped it without a word.
func TestMessageNotJSONCounted(t *testing.T) {
	h, events, stdin := connectPeer(t, "accept")
	if _, err := io.WriteString(stdin, "garbage\n"); err != nil {
		t.Fatal(err)
	}
	next(t, events, "sent garbage")
	// The charge point's messages are read in order: its answer to the
	// clear comes after the garbage.
	if err := h.cs.Release(context.Background(), "CP-A"); err != nil {
		t.Fatal(err)
	}
	if f := h.cs.PeerFaults(); f != (adapters.PeerFaults{Malformed: 1}) {
		t.Fatalf("peer faults %+v, want 1 malformed", f)
	}
}
