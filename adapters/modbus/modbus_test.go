package modbus_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/modbus"
)

const wait = 30 * time.Second

var peerDir = filepath.Join("testdata", "peer")

type peerEvent struct {
	Event    string   `json:"event"`
	Port     int      `json:"port"`
	Address  int      `json:"address"`
	Quantity int      `json:"quantity"`
	Holding  []uint16 `json:"holding"`
	At       int64    `json:"at"` // Unix ms of a write
}

// startServer runs the jsmodbus server and returns its port and events.
func startServer(t *testing.T, args ...string) (int, <-chan peerEvent) {
	t.Helper()
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(peerDir, "node_modules", "jsmodbus"))
	if err != nil || modErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("jsmodbus peer missing in CI (node: %v, module: %v); run `cd adapters/modbus/testdata/peer && npm ci`", err, modErr)
		}
		t.Skipf("jsmodbus peer not installed (node: %v, module: %v); run `cd adapters/modbus/testdata/peer && npm ci`", err, modErr)
	}
	cmd := exec.Command(node, append([]string{"server.js"}, args...)...)
	cmd.Dir = peerDir
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	events := make(chan peerEvent, 64)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var e peerEvent
			if json.Unmarshal(sc.Bytes(), &e) == nil {
				events <- e
			}
		}
	}()
	e := next(t, events)
	if e.Event != "listening" {
		t.Fatalf("server said %+v", e)
	}
	return e.Port, events
}

func next(t *testing.T, events <-chan peerEvent) peerEvent {
	t.Helper()
	select {
	case e, ok := <-events:
		if !ok {
			t.Fatal("server exited")
		}
		return e
	case <-time.After(wait):
		t.Fatal("server said nothing")
	}
	return peerEvent{}
}

// holds collects the server's write reports into address -> value.
func holds(t *testing.T, events <-chan peerEvent, n int) map[int]uint16 {
	t.Helper()
	m := map[int]uint16{}
	for range n {
		e := next(t, events)
		if e.Event != "write" {
			t.Fatalf("server said %+v, want a write", e)
		}
		for i, v := range e.Holding {
			m[e.Address+i] = v
		}
	}
	return m
}

func loadMap(t *testing.T, name string) *modbus.RegMap {
	t.Helper()
	m, err := modbus.LoadRegMap(filepath.Join("maps", name))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestAdapterAgainstJsmodbus(t *testing.T) {
	port, events := startServer(t)
	url := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	a := modbus.New(2*time.Second, quiet())
	a.AddDevice("DC1", url, 1, loadMap(t, "dc-bidirectional-30kw.json"))
	a.AddDevice("AC1", url, 1, loadMap(t, "ac-22kw.json"))
	defer a.Close()
	until := time.Now().Add(15 * time.Minute)

	tests := []struct {
		charger string
		kw      float64
		applied float64
		regs    map[int]uint16 // what the server must hold
	}{
		// export_positive int32 low word first, 0.01 kW/unit: -7.5 kW -> +750
		{"DC1", -7.5, -7.5, map[int]uint16{100: 750, 101: 0, 110: 1}},
		// charging is negative on this device: 20 kW -> -2000 = 0xfffff830
		{"DC1", 20, 20, map[int]uint16{100: 0xf830, 101: 0xffff, 110: 1}},
		// uint16 at 0.1 kW/unit, rounded toward zero: 11.04 -> 110
		{"AC1", 11.04, 11.0, map[int]uint16{200: 110, 210: 2}},
	}
	for _, tt := range tests {
		r := a.Apply(context.Background(), adapters.Setpoint{ID: "x", Charger: tt.charger, KW: tt.kw, ValidUntil: until})
		if r.Status != adapters.StatusAccepted || fmt.Sprintf("%.3f", r.AppliedKW) != fmt.Sprintf("%.3f", tt.applied) || !strings.Contains(r.Reason, "verified") {
			t.Fatalf("%s %g: %+v", tt.charger, tt.kw, r)
		}
		held := holds(t, events, 3) // control mode, watchdog, setpoint
		for addr, want := range tt.regs {
			if held[addr] != want {
				t.Errorf("%s %g: server holds %d at %d, want %d (all: %v)", tt.charger, tt.kw, held[addr], addr, want, held)
			}
		}
		wd := map[string]int{"DC1": 111, "AC1": 211}[tt.charger]
		if max := map[string]uint16{"DC1": 3600, "AC1": 900}[tt.charger]; held[wd] < min(max, 895) || held[wd] > max {
			t.Errorf("%s: watchdog holds %d s, want about the validity (900 s) capped at %d", tt.charger, held[wd], max)
		}
	}
	if err := a.Release(context.Background(), "AC1"); err != nil {
		t.Fatal(err)
	}
	if held := holds(t, events, 1); held[210] != 0 {
		t.Fatalf("after release control mode holds %d, want 0", held[210])
	}
	// A negative value can never be written to the charge-only map.
	r := a.Apply(context.Background(), adapters.Setpoint{ID: "n", Charger: "AC1", KW: -3, ValidUntil: until})
	if r.Status != adapters.StatusRejected || !strings.Contains(r.Reason, "does not fit uint16") {
		t.Fatalf("negative on uint16 map: %+v", r)
	}
}

func TestAdapterFaults(t *testing.T) {
	until := time.Now().Add(15 * time.Minute)
	sp := func(ch string, kw float64) adapters.Setpoint {
		return adapters.Setpoint{ID: "f", Charger: ch, KW: kw, ValidUntil: until}
	}
	t.Run("peer down", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		a := modbus.New(time.Second, quiet())
		a.AddDevice("AC1", "tcp://"+addr, 1, loadMap(t, "ac-22kw.json"))
		if r := a.Apply(context.Background(), sp("AC1", 5)); r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, "connect") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("peer answers an exception", func(t *testing.T) {
		port, _ := startServer(t)
		m := loadMap(t, "ac-22kw.json")
		m.Setpoint.Address = 600 // the server holds 512 registers
		a := modbus.New(2*time.Second, quiet())
		a.AddDevice("AC1", fmt.Sprintf("tcp://127.0.0.1:%d", port), 1, m)
		defer a.Close()
		if r := a.Apply(context.Background(), sp("AC1", 5)); r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, "write setpoint at 600") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("refused setpoint leaves the device as it was", func(t *testing.T) {
		// AC1 holds 11 kW under a watchdog; then a setpoint the device
		// refuses (its register is beyond the server's) must not re-arm
		// the old one: no control-mode or watchdog write may follow.
		port, events := startServer(t)
		url := fmt.Sprintf("tcp://127.0.0.1:%d", port)
		refused := loadMap(t, "ac-22kw.json")
		refused.Setpoint.Address = 600
		a := modbus.New(2*time.Second, quiet())
		a.AddDevice("AC1", url, 1, loadMap(t, "ac-22kw.json"))
		a.AddDevice("AC1-refusing", url, 1, refused)
		defer a.Close()
		if r := a.Apply(context.Background(), sp("AC1", 11)); r.Status != adapters.StatusAccepted {
			t.Fatalf("first setpoint %+v", r)
		}
		holds(t, events, 3)
		r := a.Apply(context.Background(), sp("AC1-refusing", 5))
		if r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, "write setpoint at 600") || strings.Contains(r.Reason, "already written") {
			t.Fatalf("refused setpoint %+v, want failed at the setpoint write with nothing written before it", r)
		}
		// The release is the next write the device sees: nothing between.
		if err := a.Release(context.Background(), "AC1"); err != nil {
			t.Fatal(err)
		}
		if e := next(t, events); e.Event != "write" || e.Address != 210 || len(e.Holding) != 1 || e.Holding[0] != 0 {
			t.Fatalf("device saw %+v after the refused setpoint, want only the release (210 := 0)", e)
		}
	})
	t.Run("slow peer", func(t *testing.T) {
		// jsmodbus cannot be told to answer late, so a proxy in front of
		// it holds its answers until released: the adapter must give up
		// after its timeout, report the outcome unknown (the device got
		// the request), and reconnect for the next setpoint.
		port, events := startServer(t)
		px := newStallProxy(t, fmt.Sprintf("127.0.0.1:%d", port))
		a := modbus.New(300*time.Millisecond, quiet())
		a.AddDevice("AC1", "tcp://"+px.addr, 1, loadMap(t, "ac-22kw.json"))
		defer a.Close()
		r := a.Apply(context.Background(), sp("AC1", 7))
		if r.Status != adapters.StatusTimeout || !strings.Contains(r.Reason, "no answer within 300ms") {
			t.Fatalf("stalled peer: %+v, want timeout naming the 300ms", r)
		}
		// The request did reach the device.
		if e := next(t, events); e.Event != "write" {
			t.Fatalf("server said %+v, want the write the adapter gave up on", e)
		}
		px.release()
		r = a.Apply(context.Background(), sp("AC1", 6))
		if r.Status != adapters.StatusAccepted || r.AppliedKW != 6 {
			t.Fatalf("after the peer answers again: %+v, want accepted at 6 kW", r)
		}
	})
	t.Run("device holds another value", func(t *testing.T) {
		port, events := startServer(t, "200", "50") // the device caps register 200 at 50 (5 kW)
		a := modbus.New(2*time.Second, quiet())
		a.AddDevice("AC1", fmt.Sprintf("tcp://127.0.0.1:%d", port), 1, loadMap(t, "ac-22kw.json"))
		defer a.Close()
		r := a.Apply(context.Background(), sp("AC1", 11))
		if r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, "reads back [50], wrote [110]") {
			t.Fatalf("%+v", r)
		}
		if held := holds(t, events, 3); held[200] != 50 {
			t.Fatalf("server holds %d", held[200])
		}
	})
}

// TestWatchdogUnits: the watchdog never holds a setpoint past its
// validity (whole units, rounded down), a validity shorter than one unit is
// refused, and a validity longer than the map's max says so in the result.
func TestWatchdogUnits(t *testing.T) {
	port, events := startServer(t)
	m := loadMap(t, "ac-22kw.json")
	m.Watchdog.Scale, m.Watchdog.Max = 60, 15 // minutes, at most a quarter of an hour
	a := modbus.New(2*time.Second, quiet())
	a.AddDevice("AC1", fmt.Sprintf("tcp://127.0.0.1:%d", port), 1, m)
	defer a.Close()
	apply := func(d time.Duration) adapters.Result {
		return a.Apply(context.Background(), adapters.Setpoint{ID: "w", Charger: "AC1", KW: 5, ValidUntil: time.Now().Add(d)})
	}
	if r := apply(10 * time.Second); r.Status != adapters.StatusRejected || !strings.Contains(r.Reason, "shorter than one watchdog unit (1m0s)") {
		t.Fatalf("10 s in a 60 s unit: %+v, want rejected naming the unit", r)
	}
	r := apply(150 * time.Second)
	if r.Status != adapters.StatusAccepted || strings.Contains(r.Reason, "capped") {
		t.Fatalf("150 s: %+v", r)
	}
	if held := holds(t, events, 3); held[211] != 2 {
		t.Fatalf("150 s: watchdog holds %d units, want 2 (120 s, not past the validity)", held[211])
	}
	r = apply(time.Hour)
	if r.Status != adapters.StatusAccepted || !strings.Contains(r.Reason, "watchdog capped at the map's max 15 × 1m0s") {
		t.Fatalf("1 h: %+v, want accepted with the cap in the reason", r)
	}
	if held := holds(t, events, 3); held[211] != 15 {
		t.Fatalf("1 h: watchdog holds %d units, want the max 15", held[211])
	}
}

func TestFromConfig(t *testing.T) {
	dir, _ := filepath.Abs(".")
	chargers := []adapters.ChargerConfig{
		{ID: "DC1", Adapter: "m", MaxChargeKW: 30, MaxDischargeKW: 30, Settings: json.RawMessage(`{"url":"tcp://127.0.0.1:1502","unit":3}`)},
		{ID: "AC1", Adapter: "m", MaxChargeKW: 22, Settings: json.RawMessage(`{"url":"tcp://127.0.0.1:1503","map":"maps/ac-22kw.json"}`)},
	}
	if _, err := modbus.FromConfig(json.RawMessage(`{"map":"maps/dc-bidirectional-30kw.json","timeout":"1s"}`), chargers, dir, quiet()); err != nil {
		t.Fatal(err)
	}
	bad := []adapters.ChargerConfig{{ID: "X", Adapter: "m", Settings: json.RawMessage(`{"unit":1}`)}}
	if _, err := modbus.FromConfig(nil, bad, dir, quiet()); err == nil || !strings.Contains(err.Error(), `charger "X"`) {
		t.Fatalf("missing url: %v", err)
	}
	if _, err := modbus.FromConfig(json.RawMessage(`{"timeout":"-1s"}`), chargers, dir, quiet()); err == nil || !strings.Contains(err.Error(), `timeout "-1s" must not be negative`) {
		t.Fatalf("negative timeout: %v", err)
	}
}

// stallProxy forwards TCP to a server and holds the server's answers
// until release is called.
type stallProxy struct {
	addr    string
	stalled chan struct{} // closed by release
}

func newStallProxy(t *testing.T, server string) *stallProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{addr: ln.Addr().String(), stalled: make(chan struct{})}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", server)
			if err != nil {
				c.Close()
				continue
			}
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() {
				buf := make([]byte, 512)
				for {
					n, err := s.Read(buf)
					if n > 0 {
						<-p.stalled // answers wait until released
						if _, werr := c.Write(buf[:n]); werr != nil {
							break
						}
					}
					if err != nil {
						break
					}
				}
				c.Close()
			}()
		}
	}()
	return p
}

func (p *stallProxy) release() { close(p.stalled) }
