package modbus_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/modbus"
)

// TestPeerFaults drives the adapter against jsmodbus made to misbehave
// (server.js --busy, --drop, --close-after): what the adapter answers and
// what the device is left holding.
func TestPeerFaults(t *testing.T) {
	until := time.Now().Add(15 * time.Minute)
	sp := func(kw float64) adapters.Setpoint {
		return adapters.Setpoint{ID: "f", Charger: "AC1", KW: kw, ValidUntil: until}
	}
	adapterFor := func(t *testing.T, port int) *modbus.Adapter {
		a := modbus.New(2*time.Second, quiet())
		a.AddDevice("AC1", fmt.Sprintf("tcp://127.0.0.1:%d", port), 1, loadMap(t, "ac-22kw.json"))
		t.Cleanup(func() { a.Close() })
		return a
	}
	t.Run("busy on the watchdog", func(t *testing.T) {
		port, events := startServer(t, "--busy=211")
		a := adapterFor(t, port)
		r := a.Apply(context.Background(), sp(7))
		if r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, "write watchdog at 211") || !strings.Contains(r.Reason, "already written: setpoint") {
			t.Fatalf("%+v, want failed naming the watchdog write and the setpoint already written", r)
		}
		if e := next(t, events); e.Event != "write" || e.Address != 200 || e.Holding[0] != 70 {
			t.Fatalf("server said %+v, want the setpoint written", e)
		}
		if e := next(t, events); e.Event != "busy" || e.Address != 211 {
			t.Fatalf("server said %+v, want busy at 211", e)
		}
	})
	t.Run("connection dropped at the control mode", func(t *testing.T) {
		// The device takes the setpoint and the watchdog, then the
		// connection goes before the control mode: the result must name
		// what was written, since the device now holds a setpoint armed
		// for its validity (within the bounds: the guard checked them),
		// and be timeout (it may hold it), not failed (not delivered).
		port, events := startServer(t, "--drop=210")
		a := adapterFor(t, port)
		r := a.Apply(context.Background(), sp(7))
		if r.Status != adapters.StatusTimeout || !strings.Contains(r.Reason, "write control_mode at 210: the device closed the connection before answering") ||
			!strings.Contains(r.Reason, "already written: setpoint, watchdog") {
			t.Fatalf("%+v, want timeout naming the control-mode write and what was already written", r)
		}
		if held := holds(t, events, 2); held[200] != 70 || held[211] < 890 || held[211] > 900 {
			t.Fatalf("device holds %v, want the setpoint 70 and a watchdog of about 900 s", held)
		}
		if e := next(t, events); e.Event != "dropped" || e.Address != 210 {
			t.Fatalf("server said %+v, want dropped at 210", e)
		}
	})
	t.Run("device closes the connection between setpoints", func(t *testing.T) {
		port, events := startServer(t, "--close-after=6") // 3 writes, 3 read-backs
		a := adapterFor(t, port)
		if r := a.Apply(context.Background(), sp(7)); r.Status != adapters.StatusAccepted {
			t.Fatalf("first setpoint %+v", r)
		}
		holds(t, events, 3)
		if e := next(t, events); e.Event != "closed" {
			t.Fatalf("server said %+v, want closed", e)
		}
		r := a.Apply(context.Background(), sp(5))
		if r.Status != adapters.StatusAccepted || r.AppliedKW != 5 {
			t.Fatalf("setpoint after the device closed the connection: %+v, want accepted at 5 kW", r)
		}
		holds(t, events, 3)
		if e := next(t, events); e.Event != "closed" {
			t.Fatalf("server said %+v, want closed", e)
		}
		if err := a.Release(context.Background(), "AC1"); err != nil {
			t.Fatalf("release after the device closed the connection: %v", err)
		}
		if held := holds(t, events, 1); held[210] != 0 {
			t.Fatalf("after release control mode holds %d, want 0", held[210])
		}
	})
}

// TestWatchdogCountsFromItsWrite: the watchdog is the setpoint's remaining
// validity when it is written, not when Apply began. Against a device that
// answers the setpoint write 1.5 s late, a watchdog worked out before the
// setpoint write armed the setpoint 1.5 s past its valid_until (as would a
// wait for another setpoint to the same device).
func TestWatchdogCountsFromItsWrite(t *testing.T) {
	port, events := startServer(t, "--slow=200", "--delay=1500")
	a := modbus.New(5*time.Second, quiet())
	a.AddDevice("AC1", fmt.Sprintf("tcp://127.0.0.1:%d", port), 1, loadMap(t, "ac-22kw.json")) // watchdog in seconds
	defer a.Close()
	until := time.Now().Add(10 * time.Minute)
	if r := a.Apply(context.Background(), adapters.Setpoint{ID: "w", Charger: "AC1", KW: 5, ValidUntil: until}); r.Status != adapters.StatusAccepted {
		t.Fatalf("%+v", r)
	}
	next(t, events) // the setpoint
	wd := next(t, events)
	if wd.Address != 211 || len(wd.Holding) != 1 {
		t.Fatalf("server said %+v, want the watchdog write", wd)
	}
	left := until.Sub(time.UnixMilli(wd.At)) // validity left when the device took the watchdog
	if held := time.Duration(wd.Holding[0]) * time.Second; held > left {
		t.Fatalf("watchdog %v written with %v of validity left: the device holds the setpoint %v past valid_until", held, left, held-left)
	}
}
