package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"
)

// ^C while the command waits for the charger to connect stops it there:
// nothing is sent and nothing journalled. It went on to send the setpoint,
// journalled a "timeout" at once, then said the charger "may hold the
// setpoint" until its validity, though it never got it.
func TestSetpointInterruptedWhileWaitingToConnect(t *testing.T) {
	url := "ws://127.0.0.1:1/v1" // nothing listens on port 1: never connects
	cfg, journal := writeConfig(t, url)
	errb := &watchWriter{want: "waiting up to 1h0m0s for the peer at " + url + ` (adapter "agg") to answer`, seen: make(chan struct{})}
	seen := errb.seen
	var out bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m", "--wait-connect", "1h"}, &out, errb)
	}()
	select {
	case <-seen:
		cancel() // ^C
	case code := <-done:
		t.Fatalf("exit %d before waiting for the connection; stderr:\n%s", code, errb)
	case <-time.After(2 * time.Minute):
		// Not a speed limit: without it a missing line held the test
		// for the whole hour of --wait-connect.
		cancel()
		t.Fatalf("no line saying what it waits for within 2 minutes; stderr:\n%s", errb)
	}
	if code := <-done; code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if s := out.String(); s != "" {
		t.Errorf("stdout reports a result for a setpoint never sent:\n%s", s)
	}
	if s := errb.String(); !strings.Contains(s, "v2gdesk setpoint: interrupted while waiting for the peer at "+url+` (adapter "agg") to answer: nothing sent, nothing journalled`) || strings.Contains(s, "may hold") {
		t.Errorf("stderr does not say that nothing was sent:\n%s", s)
	}
	b, err := os.ReadFile(journal)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"kind":"setpoint"`) || strings.Contains(string(b), `"kind":"result"`) {
		t.Errorf("the journal has a setpoint the operator stopped before it was sent:\n%s", b)
	}
}
