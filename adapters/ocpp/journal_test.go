package ocpp_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestMisbehavingChargePointsJournalled sends one setpoint through the guard
// to an ocpp-rpc charge point that misbehaves in each way the peer knows,
// and checks what the caller is told, what the journal holds and what the
// guard counts: every setpoint journalled before it is sent, one result
// each, a late_result only for an answer that came late.
func TestMisbehavingChargePointsJournalled(t *testing.T) {
	tests := []struct {
		mode   string
		want   adapters.Status
		reason string // in the result and the journal's result record
	}{
		{"accept", adapters.StatusAccepted, "TxProfile 7001"},
		{"reject", adapters.StatusRejected, "answered Rejected"},
		{"notsupported", adapters.StatusRejected, "answered NotSupported"},
		{"error", adapters.StatusFailed, "simulated charger fault"},
		// Two answers to one call: the first counts, the second is dropped.
		{"twice", adapters.StatusAccepted, "TxProfile 7001"},
		{"malformed", adapters.StatusTimeout, "malformed SetChargingProfile answer"},
		{"drop", adapters.StatusTimeout, "client disconnected"},
		{"stall", adapters.StatusTimeout, "before the batch deadline"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			h, events, _ := connectPeer(t, tt.mode)
			g, path := guardFor(t, h.cs, adapters.GuardOptions{BatchTimeout: time.Second, LateGrace: 500 * time.Millisecond})
			r := g.Apply(context.Background(), setpoint("j1", 6, time.Now().Add(20*time.Minute)))
			next(t, events, "SetChargingProfile")
			if r.Status != tt.want || !strings.Contains(r.Reason, tt.reason) {
				t.Fatalf("result %+v, want %s with %q", r, tt.want, tt.reason)
			}
			g.Close() // waits out the late grace
			st := g.Stats()
			if st.Results[tt.want] != 1 || st.Late != 0 || st.Waiting != 0 {
				t.Errorf("stats %+v, want one %s, nothing late or waiting", st, tt.want)
			}
			recs := readJournal(t, path)
			if len(recs) != 2 || recs[0].Kind != adapters.RecSetpoint || recs[1].Kind != adapters.RecResult {
				t.Fatalf("journal %+v, want setpoint then result", recs)
			}
			if res := recs[1]; res.Setpoint != "j1" || res.Status != tt.want || !strings.Contains(res.Detail, tt.reason) {
				t.Fatalf("result record %+v, want %s with %q", res, tt.want, tt.reason)
			}
		})
	}
}
