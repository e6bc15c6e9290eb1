package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// TestLiveDeskSendsThroughAdapters runs the shared desk on a live feed (the
// demo simulator's websocket) with an --adapters file whose websocket
// adapter has no address: a confirmed dispatch must leave over the feed's
// own connection, be journalled before it is sent, and be acknowledged by
// the simulator.
func TestLiveDeskSendsThroughAdapters(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(18*time.Hour + 30*time.Minute), Speed: 60, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := sim.NewServer(s, sim.ServerOptions{Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.Run(ctx)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	url := "ws" + strings.TrimPrefix(hs.URL, "http") + "/v1"

	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	// The simulator's hello routes every charger to the adapter "sim".
	if err := os.WriteFile(cfg, []byte(`{"journal": "audit.jsonl", "adapters": [{"name": "sim", "kind": "wsjson"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := openIngest(ingestOptions{feed: url, speed: 60, adapters: cfg}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	desk, err := startDesk(in, deskOptions{adapters: cfg}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.stop()
	if want := filepath.Join(dir, "audit.jsonl"); desk.journal != want {
		t.Errorf("journal %q, want the adapters file's %q", desk.journal, want)
	}

	// Wait for the topology and the feeders (a live feed: poll with a
	// generous deadline).
	deadline := time.Now().Add(20 * time.Second)
	var snap *feeds.Snapshot
	for {
		snap = desk.fleet.Snapshot()
		if snap.HaveTopology && len(snap.Feeders) > 0 && snap.Feeders[0].Seen && snap.V2G.Plugged > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no topology and measurements from %s: %+v", url, snap.Stats)
		}
		time.Sleep(50 * time.Millisecond)
	}
	f := snap.Feeders[0]
	ev := feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "DR-T", Kind: feeds.EventImportCap, Scope: f.ID,
		Start: snap.At, End: snap.At.Add(time.Hour), KW: f.KW * 0.9}
	ana := control.Actor{Name: "ana", Dispatcher: true}
	id, err := desk.dispatch.Propose(ev, control.OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.dispatch.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := desk.dispatch.Confirm(ctx, id, ana, control.ConfirmOptions{Second: true}); err != nil {
		t.Fatal(err)
	}
	v, _ := desk.dispatch.Event(id)
	if v.Progress.Sent == 0 {
		t.Fatalf("confirmed dispatch sent nothing: %+v", v.Progress)
	}

	var setpoints, results, accepted int
	_, err = adapters.ReadJournal(desk.journal, func(r adapters.Record) error {
		switch r.Kind {
		case adapters.RecSetpoint:
			setpoints++
		case adapters.RecResult:
			results++
			if r.Status == adapters.StatusAccepted || r.Status == adapters.StatusClamped {
				accepted++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if setpoints != v.Progress.Sent || results != setpoints || accepted == 0 {
		t.Errorf("journal: %d setpoints, %d results, %d accepted; controller sent %d", setpoints, results, accepted, v.Progress.Sent)
	}

	// The dashboard's setpoint counters are the guard's: every result
	// journalled is counted, the applied ones as applied.
	if desk.setpoints == nil {
		t.Fatal("a desk with --adapters gives the dashboard no setpoint counters")
	}
	gs := desk.setpoints.Stats()
	total := 0
	for _, n := range gs.Results {
		total += n
	}
	if applied := gs.Results[adapters.StatusAccepted] + gs.Results[adapters.StatusClamped]; total != results || applied != accepted {
		t.Errorf("dashboard counters %v: %d results, %d applied; the journal has %d results, %d applied", gs.Results, total, applied, results, accepted)
	}
}

// TestDeskSetpointCounters: a desk whose setpoints leave through a guard
// (a simulated day's) hands it to the dashboard; one that cannot send (a
// feed without --adapters) hands a nil interface, not a nil *Guard in one,
// so the dashboard says no adapters are configured instead of panicking
// on Stats.
func TestDeskSetpointCounters(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sim, err := openIngest(ingestOptions{scenario: "demo", start: demoStart, speed: 60}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	desk, err := startDesk(sim, deskOptions{journal: filepath.Join(t.TempDir(), "audit.jsonl")}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if desk.setpoints == nil {
		t.Error("a simulated day's desk gives the dashboard no setpoint counters")
	} else if gs := desk.setpoints.Stats(); len(gs.Results) != 0 || gs.Waiting != 0 {
		t.Errorf("a new desk's counters: %+v, want none", gs)
	}
	desk.stop()

	// A feed nobody serves: startDesk does not wait for it.
	feed, err := openIngest(ingestOptions{feed: "ws://127.0.0.1:1/v1", speed: 60}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	desk, err = startDesk(feed, deskOptions{}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.stop()
	if desk.setpoints != nil {
		t.Errorf("a feed without --adapters gives the dashboard setpoint counters %T", desk.setpoints)
	}
}
