package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	simclock "github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// heldDemoSim serves the demo day from 19:00 on a fake clock (the day
// does not move) and returns its URL with two chargers that have an EV
// plugged in, so the simulator accepts a setpoint: a one-way one and a
// bidirectional one that may discharge more than 4 kW.
func heldDemoSim(t *testing.T) (url string, oneWay, twoWay sim.EVState) {
	t.Helper()
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(19 * time.Hour), Clock: simclock.NewFake(time.Unix(0, 0)), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range sc.Chargers() {
		ev, _ := s.EV(id)
		switch {
		case !ev.Plugged:
		case oneWay.Charger == "" && ev.MaxDischargeKW == 0 && ev.MaxChargeKW < 22:
			oneWay = ev
		case twoWay.Charger == "" && ev.MaxDischargeKW > 4:
			twoWay = ev
		}
	}
	if oneWay.Charger == "" || twoWay.Charger == "" {
		t.Fatalf("the demo day at 19:00 has no plugged-in one-way (%q) or bidirectional (%q) charger", oneWay.Charger, twoWay.Charger)
	}
	srv := sim.NewServer(s, sim.ServerOptions{Logger: quiet})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go srv.Run(ctx)
	return serveFeed(t, srv), oneWay, twoWay
}

// lyingConfig writes an adapters file whose wsjson adapter "agg" dials
// url and which lies both ways about the simulator's chargers: oneWay is
// written as ±10 kW charging up to 22 kW; twoWay is written tighter than
// the simulator has it, ±4 kW; CP-9999 is not the simulator's. No rate
// limit, so one test can send to a charger twice.
func lyingConfig(t *testing.T, url, oneWay, twoWay string) (cfg, journal string) {
	t.Helper()
	dir := t.TempDir()
	doc := `{"journal": "audit.jsonl", "min_interval": "0s",
  "adapters": [{"name": "agg", "kind": "wsjson", "settings": {"url": "` + url + `"}}],
  "chargers": [
    {"id": "` + oneWay + `", "adapter": "agg", "max_charge_kw": 22, "max_discharge_kw": 10},
    {"id": "` + twoWay + `", "adapter": "agg", "max_charge_kw": 4, "max_discharge_kw": 4},
    {"id": "CP-9999", "adapter": "agg", "max_charge_kw": 11}
  ]}`
	cfg = filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg, filepath.Join(dir, "audit.jsonl")
}

// setpointRecords returns the records of setpoint id in journal, by kind.
func setpointRecords(t *testing.T, journal, id string) map[adapters.RecordKind]adapters.Record {
	t.Helper()
	out := map[adapters.RecordKind]adapters.Record{}
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error {
		if r.Setpoint == id {
			out[r.Kind] = r
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// The review's case: `v2gdesk setpoint` with a wsjson adapter bounded the
// charger by the adapters file alone, so a file that said a one-way
// charger could discharge sent -5 kW to the simulator, which announces it
// as one-way in its hello (the simulator refused it; the guard should
// never have let it out), and a file's 22 kW went out for a 6.53 kW
// charger. The command now waits for the peer's hello and the guard takes
// the tighter of the two, saying whose bound it was, in the output and in
// the journal; a dry run decides the same.
func TestSetpointBoundedByThePeersHello(t *testing.T) {
	url, one, two := heldDemoSim(t)
	cfg, journal := lyingConfig(t, url, one.Charger, two.Charger)
	oneSaid := fmt.Sprintf("%s: bounds [0, %g] kW, the tighter of its peer's hello ([0, %g] kW) and the adapters file ([-10, 22] kW)", one.Charger, one.MaxChargeKW, one.MaxChargeKW)
	refused := fmt.Sprintf(`charger %q is not bidirectional: discharge of 5 kW refused (one-way by its peer's hello; the adapters file says it may discharge 10 kW)`, one.Charger)
	clamped := fmt.Sprintf("clamped from 30 to %g kW (bounds [0, %g] kW: charge up to %g kW by its peer's hello; the adapters file says 22 kW)", one.MaxChargeKW, one.MaxChargeKW, one.MaxChargeKW)
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		stderr   string
		sent     float64 // kW of the setpoint record, unless sentNone
		sentNone bool    // refused before it left: no setpoint record
	}{
		{"discharge on a one-way charger the file calls bidirectional", []string{"--charger", one.Charger, "--kw", "-5", "--id", "b-dis"}, 1, refused, oneSaid, 0, true},
		{"the same, dry run", []string{"--charger", one.Charger, "--kw", "-5", "--id", "b-dry", "--dry-run"}, 1, refused, oneSaid, 0, true},
		{"charge above the peer's max", []string{"--charger", one.Charger, "--kw", "30", "--id", "b-max"}, 0, clamped, oneSaid, one.MaxChargeKW, false},
		{"the same, dry run", []string{"--charger", one.Charger, "--kw", "30", "--id", "b-maxdry", "--dry-run"}, 0, clamped, oneSaid, one.MaxChargeKW, false},
		// The file is the tighter: its bound, worded as always.
		{"the file tighter", []string{"--charger", two.Charger, "--kw", "-6", "--id", "b-file"}, 0, "clamped from -6 to -4 kW (bounds [-4, 4] kW)",
			fmt.Sprintf("%s: bounds [-4, 4] kW, the tighter of its peer's hello ([-%g, %g] kW) and the adapters file ([-4, 4] kW)", two.Charger, two.MaxDischargeKW, two.MaxChargeKW), -4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			args := append([]string{"setpoint", "--adapters", cfg, "--for", "10m"}, tt.args...)
			code := run(context.Background(), args, &out, &errb)
			if code != tt.code || !strings.Contains(out.String(), tt.stdout) {
				t.Fatalf("exit %d, want %d; stdout:\n%s\nwant it to hold %q\nstderr:\n%s", code, tt.code, out.String(), tt.stdout, errb.String())
			}
			if !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("stderr does not say which bounds apply (%q):\n%s", tt.stderr, errb.String())
			}
			id := tt.args[5]
			recs := setpointRecords(t, journal, id)
			if res, ok := recs[adapters.RecResult]; !ok || !strings.Contains(res.Detail, tt.stdout) {
				t.Errorf("the journal's result of %s is %+v; want its detail to say %q", id, res, tt.stdout)
			}
			sp, sent := recs[adapters.RecSetpoint]
			switch {
			case tt.sentNone && sent:
				t.Errorf("%s was handed to the adapter (%g kW): it must not leave", id, *sp.KW)
			case !tt.sentNone && (!sent || sp.KW == nil || *sp.KW != tt.sent):
				t.Errorf("%s handed on as %+v, want %g kW", id, sp, tt.sent)
			}
		})
	}
}

// A peer that announces nothing of the charger leaves the adapters file's
// bounds, as OCPP and Modbus have them: the command says so as a warning
// and sends within them. A peer that sends no hello is waited for
// --wait-bounds; a simulator's hello that does not list the
// charger is taken as it comes.
func TestSetpointPeerAnnouncesNothing(t *testing.T) {
	t.Run("no hello", func(t *testing.T) {
		cfg, journal := writeConfig(t, ackServerWith(t, "")) // no hello
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "-12", "--for", "10m",
			"--id", "n1", "--wait-bounds", "100ms"}, &out, &errb)
		if code != 0 || !strings.Contains(out.String(), "n1 V2G1: clamped, applied -10.00 kW") {
			t.Fatalf("exit %d; stdout:\n%s\nstderr:\n%s\nwant -12 kW clamped to the file's -10", code, out.String(), errb.String())
		}
		want := `v2gdesk setpoint: warning: V2G1 is bounded by the adapters file alone, [-10, 10] kW, unchecked: its peer (adapter "agg") announced no bounds (wsjson: ws://`
		if !strings.Contains(errb.String(), want) || !strings.Contains(errb.String(), "is up but sent nothing within 100ms, so no hello") {
			t.Errorf("stderr:\n%s\nwant the warning %q… naming --wait-bounds", errb.String(), want)
		}
		if recs := setpointRecords(t, journal, "n1"); recs[adapters.RecSetpoint].KW == nil || *recs[adapters.RecSetpoint].KW != -10 {
			t.Errorf("journal %+v, want n1 sent at -10 kW", recs)
		}
	})
	t.Run("not listed", func(t *testing.T) {
		url, one, two := heldDemoSim(t)
		cfg, _ := lyingConfig(t, url, one.Charger, two.Charger)
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "CP-9999", "--kw", "3", "--for", "10m"}, &out, &errb)
		want := `v2gdesk setpoint: warning: CP-9999 is bounded by the adapters file alone, [0, 11] kW, unchecked: the hello of its peer (adapter "agg") does not list it`
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr:\n%s\nwant %q", errb.String(), want)
		}
		// The simulator refuses a charger it does not have.
		if code != 1 || !strings.Contains(out.String(), "CP-9999: rejected") {
			t.Errorf("exit %d, stdout:\n%s\nwant the peer's refusal", code, out.String())
		}
	})
}

// A peer that is not connected when the command has waited for it
// (--wait-connect) is not waited for again for its hello: the file's
// bounds apply, said, and the setpoint fails for the link being down, as
// before. --wait-bounds is checked as the other waits are.
func TestSetpointPeerNotConnectedOrBadWaitBounds(t *testing.T) {
	cfg, _ := writeConfig(t, "ws://127.0.0.1:1/v1") // nothing listens on port 1
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m", "--wait-connect", "0s", "--wait-bounds", "1h"}, &out, &errb)
	want := `v2gdesk setpoint: warning: V2G1 is bounded by the adapters file alone, [-10, 10] kW, unchecked: its peer (adapter "agg") is not connected, so it announced no bounds`
	if code != 1 || !strings.Contains(errb.String(), want) || !strings.Contains(out.String(), "V2G1: failed") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant the warning %q and the failure", code, out.String(), errb.String(), want)
	}
	out.Reset()
	errb.Reset()
	code = run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m", "--wait-bounds", "-2s"}, &out, &errb)
	if want := "v2gdesk setpoint: --wait-bounds -2s: want 0 or a positive duration"; code != exitUsage || !strings.Contains(errb.String(), want) {
		t.Errorf("exit %d, stderr %q; want %d and %q", code, errb.String(), exitUsage, want)
	}
}

// A charger of an adapter whose peer announces no bounds (dry run here;
// OCPP and Modbus alike: adapters/site) is bounded by the file as before,
// without a word about a peer.
func TestSetpointFileOnlyAdapterSaysNothingOfAPeer(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"setpoint", "--adapters", dryConfig(t), "--charger", "D1", "--kw", "30", "--for", "10m"}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "clamped from 30 to 11 kW (bounds [0, 11] kW);") || errb.Len() != 0 {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant the file's clamp and nothing on stderr", code, out.String(), errb.String())
	}
}
