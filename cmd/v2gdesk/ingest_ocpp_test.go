package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	ocpp16 "github.com/lorenzodonini/ocpp-go/ocpp1.6"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/core"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/types"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/site"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// ocppSite is an --adapters file with one OCPP central system, "depot", on
// a free local port, and its charger OCPP-1 (identity CP-DEPOT-1) on a
// feeder no feed declares.
const ocppSite = `{"journal": "audit.jsonl",
 "adapters": [{"name": "depot", "kind": "ocpp", "settings": {"listen": "127.0.0.1:0"}}],
 "chargers": [{"id": "OCPP-1", "feeder": "F-DEPOT", "adapter": "depot", "max_charge_kw": 22, "max_discharge_kw": 0,
   "settings": {"identity": "CP-DEPOT-1", "connector": 1}}]}`

// liveFeed serves a small live protocol v1 feed (mode "live", stamped with
// the wall clock, as real equipment's is) and returns its URL: site "Demo
// City", feeders F01 and F02 measured, and one bidirectional charger on
// each, CP-1 plugged in and charging. It sends its frames on every
// connection and then holds it until the client leaves.
func liveFeed(t *testing.T) string {
	t.Helper()
	up := websocket.Upgrader{}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		now := time.Now().UTC()
		frames := []feeds.Frame{
			&feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Demo City", TimeZone: "Asia/Shanghai", TS: now, Mode: "live",
				Feeders: []feeds.FeederInfo{{ID: "F01", ImportLimitKW: 500}, {ID: "F02", ImportLimitKW: 500}},
				Chargers: []feeds.ChargerInfo{{ID: "CP-1", Feeder: "F01", MaxChargeKW: 11, MaxDischargeKW: 11},
					{ID: "CP-2", Feeder: "F02", MaxChargeKW: 11, MaxDischargeKW: 11}}},
			&feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: "F01", TS: now, KW: 120},
			&feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: "F02", TS: now, KW: 80},
			&feeds.ChargerFrame{Header: feeds.NewHeader(feeds.TypeCharger), ID: "CP-1", TS: now, State: feeds.StateCharging, KW: 11, Plugged: true},
		}
		for _, f := range frames {
			b, err := feeds.Encode(f)
			if err != nil {
				t.Error(err)
				return
			}
			if err := c.WriteMessage(websocket.TextMessage, b); err != nil {
				return
			}
		}
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return // the client left
			}
		}
	}))
	t.Cleanup(hs.Close)
	return "ws" + strings.TrimPrefix(hs.URL, "http") + "/v1"
}

// demoFeed serves the demo day as a protocol v1 feed (`v2gdesk sim`: mode
// "simulation") and returns its URL.
func demoFeed(t *testing.T, quiet *slog.Logger) string {
	t.Helper()
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(18 * time.Hour), Speed: 60, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := sim.NewServer(s, sim.ServerOptions{Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go srv.Run(ctx)
	return serveFeed(t, srv)
}

// serveFeed serves srv over HTTP until the test ends and returns its feed's
// websocket URL.
func serveFeed(t *testing.T, srv *sim.Server) string {
	t.Helper()
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return "ws" + strings.TrimPrefix(hs.URL, "http") + "/v1"
}

// TestLiveDeskShowsOCPPTelemetry runs the shared desk with an --adapters
// file holding an OCPP central system, alone and beside a live feed, and
// connects a charge point (ocpp-go's): the charger, its status and its
// power must reach the desk's fleet, and with a feed the feed's topology
// must be there too, the two merged.
func TestLiveDeskShowsOCPPTelemetry(t *testing.T) {
	tests := []struct {
		name     string
		withFeed bool
	}{
		{"OCPP only", false},
		{"beside a feed", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
			cfg := writeTestFile(t, t.TempDir(), "adapters.json", ocppSite)
			o := ingestOptions{speed: 60, adapters: cfg}
			if tt.withFeed {
				// A live feed: beside a simulated one the central
				// system's wall-clock telemetry is left out (feeds.Merger).
				o.feed = liveFeed(t)
			}
			if msg := o.check("en"); msg != "" {
				t.Fatal(msg)
			}
			in, err := openIngest(o, quiet)
			if err != nil {
				t.Fatal(err)
			}
			if in.mode != feeds.ModeLive {
				t.Errorf("mode %s, want LIVE", in.mode)
			}
			desk, err := startDesk(in, deskOptions{adapters: cfg}, quiet)
			if err != nil {
				t.Fatal(err)
			}
			defer desk.stop()
			cs := desk.site.OCPP["depot"]

			cp := ocpp16.NewChargePoint("CP-DEPOT-1", nil, nil)
			if err := cp.Start(fmt.Sprintf("ws://127.0.0.1:%d/ocpp", cs.Port())); err != nil {
				t.Fatal(err)
			}
			defer cp.Stop()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a safety net, not a timing assertion
			defer cancel()
			if err := cs.WaitConnected(ctx, "OCPP-1"); err != nil {
				t.Fatal(err)
			}
			if _, err := cp.BootNotification("test-model", "test-vendor"); err != nil {
				t.Fatal(err)
			}
			if _, err := cp.StatusNotification(1, core.NoError, core.ChargePointStatusCharging); err != nil {
				t.Fatal(err)
			}
			ts := time.Now().UTC().Truncate(time.Second)
			// The central system hands a frame to the desk before it
			// answers, but only once the desk's ingest has attached to it
			// (its Run, started in its own goroutine, then sends the hello
			// and every charger's state): the fleet may get the charger
			// after the answer, so the checks below poll for it.
			if _, err := cp.MeterValues(1, []types.MeterValue{{Timestamp: types.NewDateTime(ts), SampledValue: []types.SampledValue{
				{Value: "7200", Measurand: types.MeasurandPowerActiveImport, Unit: types.UnitOfMeasureW},
				{Value: "55", Measurand: types.MeasueandSoC, Unit: types.UnitOfMeasurePercent},
			}}}); err != nil {
				t.Fatal(err)
			}

			check := func(snap *feeds.Snapshot) {
				t.Helper()
				c, ok := snap.Charger("OCPP-1")
				if !ok || !c.Seen {
					t.Fatalf("OCPP-1 not in the fleet (in topology %v); stats %+v", ok, snap.Stats)
				}
				l := c.Last
				// The frame's time is the newest the central system heard of:
				// the status notification it timed on arrival may be later
				// than the meter value, stamped to the second.
				if l.State != feeds.StateCharging || !l.Plugged || l.KW != 7.2 || l.SoC == nil || *l.SoC != 0.55 || l.TS.Before(ts) {
					t.Errorf("OCPP-1 %+v, want charging, plugged, 7.2 kW, SoC 0.55, at %s or later", l, ts)
				}
				if f, ok := snap.Feeder("F-DEPOT"); !ok || f.Chargers != 1 {
					t.Errorf("feeder F-DEPOT %+v (found %v), want it with its one charger", f, ok)
				}
				if !snap.Stats.Connected {
					t.Error("fleet link not up")
				}
			}
			// Poll with a generous deadline (an end-to-end test of
			// goroutines the test does not own), then check everything.
			deadline := time.Now().Add(20 * time.Second)
			snap := desk.fleet.Snapshot()
			for {
				if c, ok := snap.Charger("OCPP-1"); ok && c.Seen && c.Last.KW == 7.2 && snap.Stats.Connected {
					break
				}
				if time.Now().After(deadline) {
					break // check reports what is missing
				}
				time.Sleep(20 * time.Millisecond)
				snap = desk.fleet.Snapshot()
			}
			check(snap)
			if !tt.withFeed {
				if snap.NumChargers() != 1 || len(snap.Feeders) != 1 {
					t.Errorf("%d chargers on %d feeders, want OCPP-1 alone", snap.NumChargers(), len(snap.Feeders))
				}
				return
			}
			// The feed's hello and measurements come on their own time: poll
			// with a generous deadline, then check OCPP-1 survived them.
			deadline = time.Now().Add(20 * time.Second)
			for {
				snap = desk.fleet.Snapshot()
				if snap.NumChargers() > 1 && len(snap.Feeders) > 1 && snap.Feeders[0].Seen && snap.V2G.Plugged > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no topology and measurements from the feed: %d chargers; stats %+v", snap.NumChargers(), snap.Stats)
				}
				time.Sleep(50 * time.Millisecond)
			}
			check(snap)
			if snap.Site != "Demo City" {
				t.Errorf("site %q, want the feed's", snap.Site)
			}
			if n := snap.Stats.Rejects[feeds.RejectUnknownCharger]; n != 0 {
				t.Errorf("%d frames rejected for unknown chargers: %s", n, snap.Stats.LastReject)
			}
		})
	}
}

// TestAdaptersIngest: without --feed and --scenario, an --adapters file is
// a live ingest only when it has an OCPP central system.
func TestAdaptersIngest(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writeTestFile(t, dir, name, body) }
	withOCPP := write("ocpp.json", ocppSite)
	dryOnly := write("dry.json", `{"journal": "a.jsonl", "adapters": [{"name": "c", "kind": "dryrun"}], "chargers": []}`)
	missing := filepath.Join(dir, "nope.json")
	tests := []struct {
		name, path string
		live       bool
		wantErr    string
	}{
		{"central system", withOCPP, true, ""},
		{"dry run only", dryOnly, false, `no adapter of kind "ocpp", so no telemetry: give --feed URL or --scenario demo`},
		{"missing file", missing, false, "--adapters: adapters config: open " + missing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ingestOptions{adapters: tt.path, speed: 60}
			lerr := o.loadAdapters()
			live := adaptersAreLive(o.cfg)
			in, err := openIngest(o, slog.New(slog.DiscardHandler))
			if live != tt.live {
				t.Errorf("adaptersAreLive = %v, want %v", live, tt.live)
			}
			if tt.wantErr == "" {
				if err != nil || lerr != nil {
					t.Fatalf("errors %v, %v", err, lerr)
				}
				if in.src != nil || in.mode != feeds.ModeLive || !strings.Contains(in.what, "OCPP central system depot of "+tt.path) {
					t.Errorf("ingest %+v, want live with no source of its own", in)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("openIngest error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestAdaptersReadOnce: the desk reads the --adapters file once, so the
// choice of live or demo, the telemetry and the adapters opened all come
// from the file as it was then: removing it after does not matter, and the
// ingest carries what was read to startDesk.
func TestAdaptersReadOnce(t *testing.T) {
	path := writeTestFile(t, t.TempDir(), "ocpp.json", ocppSite)
	o := ingestOptions{adapters: path, speed: 60}
	if err := o.loadAdapters(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if !adaptersAreLive(o.cfg) {
		t.Fatal("a file with a central system is not live")
	}
	in, err := openIngest(o, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("openIngest read the file again: %v", err)
	}
	if in.adapters != o.cfg {
		t.Errorf("the ingest carries %p, not the configuration read (%p)", in.adapters, o.cfg)
	}
}

// TestWarnFeederless: an OCPP charger without a feeder is warned of by name;
// chargers of other kinds need none.
func TestWarnFeederless(t *testing.T) {
	cfg := &adapters.Config{
		Adapters: []adapters.AdapterConfig{{Name: "depot", Kind: adapters.KindOCPP}, {Name: "dry", Kind: adapters.KindDryRun}},
		Chargers: []adapters.ChargerConfig{
			{ID: "CP-NOFEEDER", Adapter: "depot"},
			{ID: "CP-OK", Adapter: "depot", Feeder: "F1"},
			{ID: "DRY-1", Adapter: "dry"},
		},
	}
	var b strings.Builder
	warnFeederless(cfg, "site.json", slog.New(slog.NewTextHandler(&b, nil)))
	out := b.String()
	if strings.Count(out, "level=WARN") != 1 || !strings.Contains(out, "charger=CP-NOFEEDER") || !strings.Contains(out, "adapters=site.json") {
		t.Errorf("log:\n%s\nwant one warning naming CP-NOFEEDER", out)
	}
}

// dispatch --adapters waits for the OCPP charge points of its file before
// its first plan goes out (it went out at once, and "charger not
// connected" failed every OCPP setpoint until a re-plan); one that does
// not connect in the time given is named.
func TestDispatchWaitsForChargePoints(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	path := writeTestFile(t, dir, "adapters.json", ocppSite)
	cfg, err := adapters.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := site.Open(context.Background(), cfg, site.Deps{BaseDir: dir, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Nobody dials in: the charger is named after the (short) wait.
	if got := waitChargePoints(context.Background(), st, cfg, 50*time.Millisecond, io.Discard); !slices.Equal(got, []string{"OCPP-1"}) {
		t.Fatalf("not connected: %v, want [OCPP-1]", got)
	}
	// It dials in while the desk waits: nothing is missing.
	cp := ocpp16.NewChargePoint("CP-DEPOT-1", nil, nil)
	started := make(chan error, 1)
	go func() { started <- cp.Start(fmt.Sprintf("ws://127.0.0.1:%d/ocpp", st.OCPP["depot"].Port())) }()
	defer cp.Stop()
	if got := waitChargePoints(context.Background(), st, cfg, 30*time.Second, io.Discard); len(got) != 0 { // a safety net, not a timing assertion
		t.Errorf("not connected: %v, want none", got)
	}
	if err := <-started; err != nil {
		t.Fatal(err)
	}
}
