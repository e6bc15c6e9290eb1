package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// ocppPeerDir holds the ocpp-rpc charge point adapters/ocpp's tests use.
var ocppPeerDir = filepath.Join("..", "..", "adapters", "ocpp", "testdata", "peer")

// TestSetpointWaitsForTheAnswerAfterAReconnect: the charge point drops the
// connection with the SetChargingProfile unanswered, so the setpoint is
// reported timeout at once. `v2gdesk setpoint` is the only listener: it
// used to exit then, and the answer the charge point sent after it
// reconnected was lost. It now says on stderr what it waits for, waits,
// and reports the late answer (exit 0 for an acceptance), journalled as
// late_result.
func TestSetpointWaitsForTheAnswerAfterAReconnect(t *testing.T) {
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(ocppPeerDir, "node_modules", "ocpp-rpc"))
	if err != nil || modErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("ocpp-rpc peer missing in CI (node: %v, module: %v)", err, modErr)
		}
		t.Skipf("ocpp-rpc peer not installed (node: %v, module: %v); run `cd adapters/ocpp/testdata/peer && npm ci`", err, modErr)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	doc := fmt.Sprintf(`{"journal": "audit.jsonl", "batch_timeout": "2s",
 "adapters": [{"name": "depot", "kind": "ocpp", "settings": {"listen": "127.0.0.1:%d"}}],
 "chargers": [{"id": "CP-A", "adapter": "depot", "max_charge_kw": 11, "settings": {"identity": "CP-A", "connector": 1}}]}`, port)
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}

	var out, errb syncBuffer
	done := make(chan int, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		done <- run(ctx, []string{"setpoint", "--adapters", cfg, "--charger", "CP-A", "--kw", "6", "--for", "15m", "--id", "rc1"}, &out, &errb)
	}()

	// The charge point; it retries until the command listens.
	var events <-chan string
	var stdin io.WriteCloser
	sawProfile := false
	for try := 0; ; try++ {
		cmd := exec.Command(node, "chargepoint.js", fmt.Sprintf("ws://127.0.0.1:%d/ocpp", port), "CP-A", "reconnect")
		cmd.Dir = ocppPeerDir
		cmd.Stderr = os.Stderr
		in, _ := cmd.StdinPipe()
		o, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ch := make(chan string, 16)
		go func() {
			defer close(ch)
			sc := bufio.NewScanner(o)
			for sc.Scan() {
				var e struct {
					Event string `json:"event"`
				}
				_ = json.Unmarshal(sc.Bytes(), &e)
				ch <- e.Event
			}
		}()
		t.Cleanup(func() { in.Close(); _ = cmd.Wait() })
		// The command sends as soon as the socket is up: its profile may
		// come before the peer is ready.
		if first := <-ch; first == "ready" || first == "SetChargingProfile" {
			events, stdin = ch, in
			if first == "SetChargingProfile" {
				expect := <-ch
				if expect != "ready" {
					t.Fatalf("peer said %q after the profile, want ready", expect)
				}
				sawProfile = true
			}
			break
		}
		in.Close()
		if try == 50 {
			t.Fatalf("the charge point never connected; stderr: %s", errb.String())
		}
		select {
		case code := <-done:
			t.Fatalf("setpoint exited %d before the charge point connected; stderr: %s", code, errb.String())
		default:
		}
	}
	expect := func(want string) {
		t.Helper()
		if e := <-events; e != want {
			t.Fatalf("peer said %q, want %q; stderr: %s", e, want, errb.String())
		}
	}
	if !sawProfile {
		expect("SetChargingProfile")
	}
	expect("dropped")
	io.WriteString(stdin, "connect\n")
	expect("reconnected")
	io.WriteString(stdin, "late Accepted\n")
	expect("answered late")
	code := <-done
	if code != 0 {
		t.Fatalf("exit %d, want 0 for the late acceptance\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}
	if !strings.Contains(errb.String(), "no answer yet from CP-A; waiting until") || !strings.Contains(errb.String(), "after it reconnects") {
		t.Errorf("stderr does not say what it waits for:\n%s", errb.String())
	}
	if o := out.String(); !strings.Contains(o, "rc1 CP-A: timeout") || !strings.Contains(o, "late answer: rc1 CP-A: accepted, applied 6.00 kW") {
		t.Errorf("stdout %q, want the timeout, then the late acceptance", o)
	}
	var kinds []adapters.RecordKind
	if _, err := adapters.ReadJournal(filepath.Join(dir, "audit.jsonl"), func(r adapters.Record) error { kinds = append(kinds, r.Kind); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(kinds) != 3 || kinds[2] != adapters.RecLateResult {
		t.Errorf("journal kinds %v, want setpoint, result, late_result", kinds)
	}
}
