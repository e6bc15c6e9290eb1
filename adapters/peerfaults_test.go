package adapters_test

import (
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// faultyAdapter is an adapter whose peers sent what it could not use.
type faultyAdapter struct {
	fakeAdapter
	f adapters.PeerFaults
}

func (a *faultyAdapter) PeerFaults() adapters.PeerFaults { return a.f }

// TestGuardSumsPeerFaults: the guard sums the peer faults of the adapters
// that report them, names each, and leaves out those that do not report.
func TestGuardSumsPeerFaults(t *testing.T) {
	r := newRig(t, adapters.GuardOptions{}, map[string]adapters.Adapter{
		"a":    &fakeAdapter{},
		"ocpp": &faultyAdapter{f: adapters.PeerFaults{Malformed: 2, Unmatched: 1, Refused: 3}},
		"ws":   &faultyAdapter{f: adapters.PeerFaults{Malformed: 1, BadValues: 4}},
	})
	want := adapters.PeerFaults{Malformed: 3, Unmatched: 1, Refused: 3, BadValues: 4}
	if f := r.g.PeerFaults(); f != want || f.Total() != 11 {
		t.Fatalf("sum %+v (total %d), want %+v (11)", f, f.Total(), want)
	}
	by := r.g.PeerFaultsByAdapter()
	if len(by) != 2 || by["ocpp"].Refused != 3 || by["ws"].BadValues != 4 {
		t.Fatalf("by adapter %+v, want ocpp and ws only", by)
	}
}
