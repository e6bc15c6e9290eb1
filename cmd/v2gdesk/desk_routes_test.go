package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// A desk started with --adapters gives its dashboards the guard's routes,
// so that the dispatch page counts a plan's unrouted chargers and refuses
// a plan none of whose is routed (tui.Options.Routing); the demo desk,
// whose simulator takes every charger, gives none.
func TestDeskPassesItsAdaptersRoutes(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	// The demo's chargers route to "sim"; the file runs only "other".
	if err := os.WriteFile(cfg, []byte(`{"journal":"audit.jsonl","adapters":[{"name":"other","kind":"inproc"}],"chargers":[`+
		`{"id":"CP-0001","feeder":"F01","adapter":"other","max_charge_kw":11}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := openIngest(ingestOptions{scenario: "demo", start: "16:00", speed: 60, adapters: cfg}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	desk, err := startDesk(in, deskOptions{adapters: cfg}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.stop()
	if desk.routing == nil || desk.routes != "--adapters "+cfg {
		t.Fatalf("desk routes %q (routing set: %v), want --adapters %s", desk.routes, desk.routing != nil, cfg)
	}
	if f, a := desk.routing("CP-0001"); f != adapters.RouteOK || a != "other" {
		t.Errorf("CP-0001 routes %d to %q, want to other", f, a)
	}
	if f, _ := desk.routing("CP-0002"); f == adapters.RouteOK {
		t.Errorf("CP-0002, routed to sim which is not running, is routed")
	}

	demo, err := openIngest(ingestOptions{scenario: "demo", start: "16:00", speed: 60}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := startDesk(demo, deskOptions{journal: filepath.Join(dir, "demo.jsonl")}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.stop()
	if plain.routing != nil {
		t.Error("the demo desk has routes to check: its simulator takes every charger")
	}
}
