package ocpp

import (
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestQuickReconnectStaysConnected: ocpp-go forgets a closed connection
// before it reports the disconnect, so a charge point that reconnects at
// once can be reported connected on its new connection before its old one
// is reported gone. That late disconnect must not mark it offline: every
// setpoint to it would fail "not connected" while it is connected.
func TestQuickReconnectStaysConnected(t *testing.T) {
	c := New(Settings{}, []Charger{{ID: "C1", Identity: "CP", Connector: 1, Bounds: adapters.Bounds{MaxChargeKW: 22}}}, nil)
	oldConn, newConn := new(int), new(int)
	c.setConnected("CP", oldConn, true)
	c.setConnected("CP", newConn, true)
	c.setConnected("CP", oldConn, false) // the old connection's disconnect, reported late
	if up, _ := c.connected(c.chargers["C1"]); !up {
		t.Fatal("charge point reads offline on its new connection after the old one's late disconnect")
	}
	c.setConnected("CP", newConn, false)
	if up, _ := c.connected(c.chargers["C1"]); up {
		t.Fatal("charge point reads connected after its connection closed")
	}
}
