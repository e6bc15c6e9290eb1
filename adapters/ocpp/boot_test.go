package ocpp_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestBootEndsTheTransaction: a charge point that sends BootNotification
// again mid-session has restarted, and its transaction with it. The next
// setpoint must be a TxDefaultProfile, not a TxProfile for the old
// transaction, which a charge point discards (OCPP 1.6, 3.13.4): the
// setpoint was answered Rejected and the charger ran without our limit.
func TestBootEndsTheTransaction(t *testing.T) {
	h, events, stdin := connectPeer(t, "accept")
	if _, err := io.WriteString(stdin, "boot\n"); err != nil {
		t.Fatal(err)
	}
	next(t, events, "booted")
	// The transaction's StopTransaction (reason Reboot) still ends it in
	// the telemetry: no power, the meter at its stop reading.
	// The transaction's StopTransaction (reason Reboot, after the boot)
	// still ends it in the telemetry: the power that was 7.2 kW goes to 0.
	h.s.waitFor(t, "CP-A at 0 kW after its 7.2 kW", func(f map[string]any) bool {
		return f["id"] == "CP-A" && f["kw"] == 0.0 && f["soc"] == 0.55
	})
	r := h.cs.Apply(context.Background(), setpoint("b1", 6, time.Now().Add(20*time.Minute)))
	p := decodeProfile(t, next(t, events, "SetChargingProfile"))
	if r.Status != adapters.StatusAccepted || p.CS.Purpose != "TxDefaultProfile" || p.CS.TransactionID != 0 {
		t.Fatalf("after a reboot: %+v with a %s for transaction %d, want accepted as a TxDefaultProfile", r, p.CS.Purpose, p.CS.TransactionID)
	}
}
