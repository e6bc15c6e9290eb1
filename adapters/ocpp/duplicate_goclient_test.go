package ocpp_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	ocpp16 "github.com/lorenzodonini/ocpp-go/ocpp1.6"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/smartcharging"
	"github.com/lorenzodonini/ocpp-go/ws"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// profiles is an ocpp-go charge point's smart-charging handler: it accepts
// every profile and hands it to the test.
type profiles chan *smartcharging.SetChargingProfileRequest

func (p profiles) OnSetChargingProfile(r *smartcharging.SetChargingProfileRequest) (*smartcharging.SetChargingProfileConfirmation, error) {
	p <- r
	return smartcharging.NewSetChargingProfileConfirmation(smartcharging.ChargingProfileStatusAccepted), nil
}

func (p profiles) OnClearChargingProfile(*smartcharging.ClearChargingProfileRequest) (*smartcharging.ClearChargingProfileConfirmation, error) {
	return smartcharging.NewClearChargingProfileConfirmation(smartcharging.ClearChargingProfileStatusAccepted), nil
}

func (p profiles) OnGetCompositeSchedule(*smartcharging.GetCompositeScheduleRequest) (*smartcharging.GetCompositeScheduleConfirmation, error) {
	return smartcharging.NewGetCompositeScheduleConfirmation(smartcharging.GetCompositeScheduleStatusRejected), nil
}

// goChargePoint starts ocpp-go's own charge point as CP-A against cs. Its
// websocket client does not reconnect for an hour after the central system
// closes its link, so a replaced link stays replaced for the test.
func goChargePoint(t *testing.T, port int) (ocpp16.ChargePoint, profiles) {
	t.Helper()
	client := ws.NewClient()
	cfg := ws.NewClientTimeoutConfig()
	cfg.RetryBackOffWaitMinimum = time.Hour
	client.SetTimeoutConfig(cfg)
	cp := ocpp16.NewChargePoint("CP-A", nil, client)
	got := make(profiles, 4)
	cp.SetSmartChargingHandler(got)
	if err := cp.Start(fmt.Sprintf("ws://127.0.0.1:%d/ocpp", port)); err != nil {
		t.Fatalf("ocpp-go charge point did not connect: %v", err)
	}
	t.Cleanup(cp.Stop)
	if _, err := cp.BootNotification("test-model", "test-vendor"); err != nil {
		t.Fatal(err)
	}
	return cp, got
}

// TestGoChargePointReplacesItsEarlierLink is the replacement of a half-open
// link with ocpp-go's own charge point on both links: the second connection
// of CP-A is admitted (ocpp-go's server alone refused it), the earlier one
// closed, and a setpoint reaches the second.
func TestGoChargePointReplacesItsEarlierLink(t *testing.T) {
	cs, lb := startLoggedCS(t, nil)
	goChargePoint(t, cs.Port()) // the earlier link
	waitConnected(t, cs)
	newer, got := goChargePoint(t, cs.Port())
	waitConnected(t, cs)
	if r := cs.Apply(context.Background(), setpoint("go1", 5, time.Now().Add(20*time.Minute))); r.Status != adapters.StatusAccepted {
		t.Fatalf("setpoint after the replacement: %+v, want accepted by the new link", r)
	}
	select {
	case p := <-got:
		if p.ConnectorId != 1 {
			t.Fatalf("profile for connector %d, want 1", p.ConnectorId)
		}
	default:
		t.Fatal("the new link accepted a profile its handler never saw")
	}
	if !newer.IsConnected() {
		t.Fatal("the new link reads disconnected after the replacement")
	}
	if n := cs.Counts(); n.ReplacedLinks != 1 || n.DuplicateRefused != 0 {
		t.Fatalf("counts %+v, want 1 replaced link", n)
	}
	if l := lb.lines("closing the earlier link", "identity=CP-A"); len(l) != 1 {
		t.Fatalf("log lines of the replacement %q, want one", l)
	}
}
