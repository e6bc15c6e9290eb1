package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A desk whose --adapters file has a wsjson adapter with a url that does
// not answer did not start at all ("adapter "agg" (wsjson): wsjson: dial
// …"): the control room lost its telemetry view over one setpoint path.
// It starts, and the header's links name the adapter down, as a down OCPP
// central system is named.
func TestDeskStartsWithItsWSJSONPeerDown(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(`{"journal":"audit.jsonl","adapters":[{"name":"agg","kind":"wsjson","settings":{"url":"ws://127.0.0.1:1/v1"}}],"chargers":[`+
		`{"id":"CP-0001","feeder":"F01","adapter":"agg","max_charge_kw":11}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := openIngest(ingestOptions{scenario: "demo", start: "16:00", speed: 60, adapters: cfg}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	desk, err := startDesk(in, deskOptions{adapters: cfg}, quiet)
	if err != nil {
		t.Fatalf("the desk did not start with its wsjson peer down: %v", err)
	}
	defer desk.stop()
	if desk.sources == nil {
		t.Fatal("no links for the header")
	}
	links := desk.sources()
	if len(links) != 2 {
		t.Fatalf("links %+v, want the scenario and adapter agg", links)
	}
	agg := links[1]
	if agg.Name != "adapter agg" || agg.Up {
		t.Errorf("link %+v, want adapter agg down", agg)
	}
	if agg.Err != nil && !strings.Contains(agg.Err.Error(), "connection refused") {
		t.Errorf("link error %v, want the dial's", agg.Err)
	}
}
