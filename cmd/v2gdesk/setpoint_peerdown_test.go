package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// A wsjson url that does not answer ended the command at the dial, before
// anything was journalled. The setpoint now goes through the guard: it
// waits --wait-connect for the link, then fails, naming the URL and the
// dial's error, on the record.
func TestSetpointWSJSONPeerDown(t *testing.T) {
	url := "ws://127.0.0.1:1/v1" // nothing listens on port 1
	cfg, journal := writeConfig(t, url)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m", "--wait-connect", "0s"}, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}
	if s := out.String(); !strings.Contains(s, "V2G1: failed") || !strings.Contains(s, url+" is down since") || !strings.Contains(s, "connection refused") {
		t.Errorf("stdout does not give the failure with the URL and the dial error:\n%s", s)
	}
	b, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	if j := string(b); !strings.Contains(j, `"kind":"setpoint"`) || !strings.Contains(j, `"kind":"result"`) || !strings.Contains(j, url+" is down since") {
		t.Errorf("the journal lacks the setpoint or its failed result:\n%s", j)
	}
}
