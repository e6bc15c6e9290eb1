package modbus_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/modbus"
)

// startWebServer runs Node's own HTTP server (testdata/peer/webserver.js)
// and returns its port. Node answers the bytes of a Modbus request at once
// with "HTTP/1.1 400 Bad Request", as the web servers of gateways do.
func startWebServer(t *testing.T) int {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("node missing in CI: %v", err)
		}
		t.Skipf("node not installed: %v", err)
	}
	cmd := exec.Command(node, "webserver.js")
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
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		t.Fatalf("webserver.js said nothing: %v", sc.Err())
	}
	var e peerEvent
	if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Event != "listening" {
		t.Fatalf("webserver.js said %q (%v)", sc.Text(), err)
	}
	return e.Port
}

// TestWrongPortSpeaksHTTP: a url that names a web server's port, not the
// device's Modbus port. The result said "write setpoint at 200: protocol
// error" and no more; it must say that the peer answers in HTTP, and what,
// and the adapter must count it as a malformed answer of its peer.
func TestWrongPortSpeaksHTTP(t *testing.T) {
	port := startWebServer(t)
	url := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	a := modbus.New(2*time.Second, quiet())
	a.AddDevice("AC1", url, 1, loadMap(t, "ac-22kw.json"))
	defer a.Close()
	// Through a guard, as the desk sends: the result names the adapter
	// and the guard counts the fault under it (the overview's peer-fault
	// line, and the desk's log line by adapter at stop).
	j, _, err := adapters.OpenJournal(filepath.Join(t.TempDir(), "j.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	g := adapters.NewGuard(j, adapters.GuardOptions{})
	defer g.Close()
	if err := g.AddAdapter("depot-modbus", a, 1, 1); err != nil {
		t.Fatal(err)
	}
	g.SetCharger(adapters.ChargerConfig{ID: "AC1", Adapter: "depot-modbus", MaxChargeKW: 22})

	r := g.Apply(context.Background(), adapters.Setpoint{ID: "h", Charger: "AC1", KW: 7, ValidUntil: time.Now().Add(15 * time.Minute)})
	for _, want := range []string{url + ": write setpoint at 200: protocol error", "speaks HTTP, not Modbus TCP",
		`"HTTP/1.1 400 Bad Request"`, "not the device's Modbus port"} {
		if !strings.Contains(r.Reason, want) {
			t.Errorf("reason %q\nwant it to contain %q", r.Reason, want)
		}
	}
	if r.Status != adapters.StatusFailed {
		t.Errorf("status %s, want failed: nothing was written", r.Status)
	}
	if r.Adapter != "depot-modbus" {
		t.Errorf("result from adapter %q, want depot-modbus", r.Adapter)
	}
	if f := g.PeerFaultsByAdapter()["depot-modbus"]; f.Malformed != 1 || f.Total() != 1 {
		t.Errorf("peer faults of depot-modbus %+v, want 1 malformed", f)
	}

	err = a.Release(context.Background(), "AC1")
	if err == nil || !strings.Contains(err.Error(), "speaks HTTP") || !strings.Contains(err.Error(), url) {
		t.Errorf("release: %v, want an error naming %s and HTTP", err, url)
	}
	if f := a.PeerFaults(); f.Malformed != 2 {
		t.Errorf("peer faults after the release %+v, want 2 malformed", f)
	}
}
