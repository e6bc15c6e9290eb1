package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson/wsjsontest"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// ackServer is a protocol v1 server that accepts every setpoint. It
// sends its hello first, as protocol v1 servers do (v2g1Hello): a peer
// without one kept each run waiting --wait-bounds (2 s) for it.
func ackServer(t *testing.T) string {
	return ackServerWith(t, v2g1Hello())
}

// ackServerWith is ackServer sending hello first; "": none, for a test
// of a peer without a hello.
func ackServerWith(t *testing.T, hello string) string {
	return wsjsontest.PeerWithHello(t, hello, func(f feeds.SetpointFrame) string {
		b, _ := json.Marshal(feeds.AckFrame{Header: feeds.NewHeader(feeds.TypeAck), ID: f.ID, Charger: f.Charger, Status: feeds.AckAccepted, AppliedKW: f.KW})
		return string(b)
	})
}

// v2g1Hello is the hello of writeConfig's wsjson peer: V2G1 with the
// file's own bounds, ±10 kW, so the tighter of the two is the file's and
// a test's clamps and refusals are the file's, as before the command
// read hellos.
func v2g1Hello() string {
	return wsjsontest.Hello(feeds.ChargerInfo{ID: "V2G1", MaxChargeKW: 10, MaxDischargeKW: 10})
}

// silentPeer is a protocol v1 server that sends its hello (v2g1Hello)
// and answers no setpoint; each frame it reads is given to read, if set.
func silentPeer(t *testing.T, read func(feeds.SetpointFrame)) string {
	return wsjsontest.PeerWithHello(t, v2g1Hello(), func(f feeds.SetpointFrame) string {
		if read != nil {
			read(f)
		}
		return ""
	})
}

// writeConfig writes an adapters file with a dry-run adapter (AC1 and AC2,
// 11 kW one-way) and a wsjson adapter (V2G1, ±10 kW) dialling url.
func writeConfig(t *testing.T, url string) (cfg, journal string) {
	t.Helper()
	dir := t.TempDir()
	doc := `{
  "journal": "audit.jsonl",
  "max_validity": "1h",
  "adapters": [
    {"name": "dry", "kind": "dryrun"},
    {"name": "agg", "kind": "wsjson", "settings": {"url": "` + url + `"}}
  ],
  "chargers": [
    {"id": "AC1", "adapter": "dry", "max_charge_kw": 11, "max_discharge_kw": 0},
    {"id": "AC2", "adapter": "dry", "max_charge_kw": 11, "max_discharge_kw": 0},
    {"id": "V2G1", "adapter": "agg", "max_charge_kw": 10, "max_discharge_kw": 10}
  ]
}`
	cfg = filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg, filepath.Join(dir, "audit.jsonl")
}

func TestSetpointCommand(t *testing.T) {
	cfg, journal := writeConfig(t, ackServer(t))
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help", []string{"--help"}, 0, "Usage: v2gdesk setpoint", ""},
		{"unknown flag", []string{"--nope"}, exitUsage, "", "not defined"},
		{"missing flags", []string{"--adapters", cfg}, exitUsage, "", "v2gdesk setpoint: missing --charger, --for, --kw (every setpoint"},
		// "missing or zero [--kw]" named a zero never given; --kw 0 is a setpoint.
		{"missing kw", []string{"--adapters", cfg, "--charger", "AC1", "--for", "15m"}, exitUsage, "", "v2gdesk setpoint: missing --kw (every setpoint"},
		{"zero validity", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "0"}, exitUsage, "", "v2gdesk setpoint: --for 0: want a positive validity, e.g. 15m"},
		{"no validity", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3"}, exitUsage, "", "--for"},
		// A validity given but negative is not missing: the error quotes it.
		{"negative validity", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "-5m"}, exitUsage, "", "v2gdesk setpoint: --for -5m: want a positive validity, e.g. 15m"},
		// Echoed as given: it read back "-5m0s".
		{"negative validity as typed", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "-90s"}, exitUsage, "", "v2gdesk setpoint: --for -90s: want a positive validity"},
		// A negative wait was taken: --wait-answer -1s as 0, --wait-connect
		// -1s as a charger that did not connect.
		{"negative wait-connect", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "15m", "--wait-connect", "-1s"}, exitUsage, "", "v2gdesk setpoint: --wait-connect -1s: want 0 or a positive duration"},
		// Quoted as typed: it read back "-2m0s", "-1m30s".
		{"negative wait-answer", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "15m", "--wait-answer", "-2m"}, exitUsage, "", "v2gdesk setpoint: --wait-answer -2m: want 0 or a positive duration"},
		{"negative wait-connect as typed", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "15m", "--wait-connect", "-90s"}, exitUsage, "", "v2gdesk setpoint: --wait-connect -90s: want 0 or a positive duration"},
		{"validity without unit", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "15"}, exitUsage, "", `v2gdesk setpoint: --for "15": want a duration with its unit`},
		{"bad kw", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "lots", "--for", "15m"}, exitUsage, "", "not a number"},
		{"extra argument", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "15m", "again"}, exitUsage, "", "unexpected argument"},
		{"missing config", []string{"--adapters", cfg + ".none", "--charger", "AC1", "--kw", "3", "--for", "15m"}, 1, "", "no such file"},
		{"unknown charger", []string{"--adapters", cfg, "--charger", "ZZ", "--kw", "3", "--for", "15m"}, 1, "", `"ZZ" is not in`},
		// Named, not taken for it: nothing sent, nothing journalled.
		{"charger in another case", []string{"--adapters", cfg, "--charger", "ac1", "--kw", "3", "--for", "15m"}, 1, "", `charger "ac1" is not in ` + cfg + `; did you mean "AC1"? (ids are case-sensitive)`},
		// The flag's journal is the flag's fault: it named the config file.
		{"journal in a missing directory", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "15m", "--journal", filepath.Join(t.TempDir(), "no", "j.jsonl")}, 1, "", "v2gdesk setpoint: --journal "},
		{"dry-run adapter", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "15m", "--id", "m1"}, 0, "m1 AC1: accepted, applied 3.00 kW (DRY RUN: nothing sent)", ""},
		{"clamped", []string{"--adapters", cfg, "--charger", "AC2", "--kw", "30", "--for", "15m", "--id", "m2"}, 0, "clamped, applied 11.00 kW", ""},
		// Each run is a new process with its own guard: the rate limit
		// (10 s by default) comes from the journal.
		{"rate limit across runs", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "4", "--for", "15m", "--id", "m2b"}, 1, `rate limit: previous setpoint for "AC1" was`, ""},
		{"discharge refused", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "-3", "--for", "15m", "--id", "m3"}, 1, "rejected", ""},
		{"validity too long", []string{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "2h", "--id", "m4"}, 1, "longer than the maximum 1h0m0s", ""},
		{"websocket peer", []string{"--adapters", cfg, "--charger", "V2G1", "--kw", "-7", "--for", "10m", "--id", "m5", "--operator", "alice", "--json"}, 0, `"status":"accepted","applied_kw":-7`, ""},
		// The id of another setpoint: refused and journalled, never
		// answered with m5's accepted -7 kW.
		{"same id, another setpoint", []string{"--adapters", cfg, "--charger", "V2G1", "--kw", "5", "--for", "10m", "--id", "m5", "--json"}, 1, `"status":"rejected","applied_kw":0,"reason":"setpoint id \"m5\" was used for another setpoint`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"setpoint"}, tt.args...), &out, &errb)
			if code != tt.code || !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errb.String(), tt.stderr) {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out.String(), errb.String())
			}
		})
	}
	var recs []adapters.Record
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	// m1, m2, m5: setpoint+result; m2b, m3, m4 and the reused m5: result only.
	if len(recs) != 10 {
		t.Fatalf("journal has %d records, want 10: %+v", len(recs), recs)
	}
	var r adapters.Result
	if err := json.Unmarshal([]byte(`{"status":"accepted"}`), &r); err != nil || !r.Status.Applied() {
		t.Fatal("result JSON does not round-trip")
	}
}

// dryConfig writes an adapters file with dry-run chargers D1 (11 kW
// one-way) and D2 (±30 kW), no rate limit, and returns its path.
func dryConfig(t *testing.T) string {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "adapters.json")
	doc := `{"journal": "audit.jsonl", "min_interval": "0s",
  "adapters": [{"name": "dry", "kind": "dryrun"}],
  "chargers": [{"id": "D1", "adapter": "dry", "max_charge_kw": 11},
               {"id": "D2", "adapter": "dry", "max_charge_kw": 30, "max_discharge_kw": 30}]}`
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestSetpointKWResolution: "--kw -0" printed "applied -0.00 kW", and a
// power below a watt went on as it was.
func TestSetpointKWResolution(t *testing.T) {
	cfg := dryConfig(t)
	for kw, want := range map[string]string{"-0": "accepted, applied 0.00 kW", "-0.0004": "accepted, applied 0.00 kW", "3.095469740394127e-7": "accepted, applied 0.00 kW"} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "D2", "--kw", kw, "--for", "10m"}, &out, &errb); code != 0 || !strings.Contains(out.String(), want) {
			t.Errorf("--kw %s: exit %d, %q, want %q", kw, code, out.String(), want)
		}
	}
}

// TestSetpointIDReusedForAnotherSetpoint is the audit's case: an override
// id reused for another charger and a discharge exited 0 reporting the
// first charger's accepted 5 kW, and nothing was journalled.
func TestSetpointIDReusedForAnotherSetpoint(t *testing.T) {
	cfg := dryConfig(t)
	dir := filepath.Dir(cfg)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--id", "OVR-1", "--charger", "D1", "--kw", "5", "--for", "10m"}, &out, &errb); code != 0 {
		t.Fatalf("first: exit %d\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--id", "OVR-1", "--charger", "D2", "--kw", "-20", "--for", "10m", "--json"}, &out, &errb)
	var r adapters.Result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if code != 1 || r.Status != adapters.StatusRejected || r.Charger != "D2" || !strings.Contains(r.Reason, `charger "D1", not "D2"`) {
		t.Fatalf("reused id: exit %d, %+v; want 1, rejected for D2 naming D1", code, r)
	}
	var recs []adapters.Record
	if _, err := adapters.ReadJournal(filepath.Join(dir, "audit.jsonl"), func(r adapters.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[2].Charger != "D2" || recs[2].Status != adapters.StatusRejected || recs[2].RequestedKW == nil || *recs[2].RequestedKW != -20 {
		t.Fatalf("journal %+v, want the refusal of D2's -20 kW last", recs)
	}
}

func TestAuditCommand(t *testing.T) {
	cfg, journal := writeConfig(t, ackServer(t))
	for _, args := range [][]string{
		{"--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "15m", "--id", "a1", "--operator", "bob", "--event", "DR-9"},
		{"--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m", "--id", "a2"},
	} {
		if code := run(context.Background(), append([]string{"setpoint"}, args...), &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
			t.Fatalf("setpoint %v: exit %d", args, code)
		}
	}
	// A crash mid-write leaves a torn tail; audit reports it and still exits 0.
	f, err := os.OpenFile(journal, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"seq":5,"kind":"setp`)
	f.Close()

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		absent []string
		stderr string
		jsonN  int // expected JSON lines; -1: not JSON
	}{
		{"table", []string{"--file", journal}, 0, []string{"SEQ", "a1", "a2", "bob", "DR-9", "result (dry)", "3.00"}, nil, "torn tail at line 5, offset", -1},
		{"charger filter", []string{"--file", journal, "--charger", "V2G1"}, 0, []string{"a2"}, []string{"a1"}, "2 of 4 records shown", -1},
		{"json", []string{"--file", journal, "--json"}, 0, []string{`"setpoint":"a1"`}, nil, "torn tail", 4},
		{"since future", []string{"--file", journal, "--since", "2999-01-01T00:00:00Z", "--json"}, 0, nil, []string{"a1"}, "", 0},
		{"since duration", []string{"--file", journal, "--since", "1h", "--json"}, 0, []string{"a2"}, nil, "", 4},
		{"bad since", []string{"--file", journal, "--since", "yesterday"}, exitUsage, nil, nil, "neither", -1},
		{"negative since", []string{"--file", journal, "--since", "-2h"}, exitUsage, nil, nil, "(2h, not -2h)", -1},
		{"no file flag", nil, exitUsage, nil, nil, "--journal FILE is required", -1},
		{"missing file", []string{"--file", journal + ".none"}, 1, nil, nil, "no such file", -1},
		// --journal, as in serve, dispatch, setpoint and the dashboard;
		// --file stays an alias.
		{"journal flag", []string{"--journal", journal, "--json"}, 0, []string{`"setpoint":"a1"`}, nil, "torn tail", 4},
		{"both, same file", []string{"--journal", journal, "--file", journal, "--json"}, 0, []string{`"setpoint":"a2"`}, nil, "", 4},
		{"both, two files", []string{"--journal", journal, "--file", journal + ".other"}, exitUsage, nil, nil, "name two journals", -1},
		// A failed read prints no table header over no rows.
		{"missing journal", []string{"--journal", journal + ".none"}, 1, nil, []string{"SEQ"}, "no such file", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"audit"}, tt.args...), &out, &errb)
			if code != tt.code || !strings.Contains(errb.String(), tt.stderr) {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errb.String())
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(out.String(), s) {
					t.Errorf("stdout has %q:\n%s", s, out.String())
				}
			}
			if tt.jsonN >= 0 {
				lines := strings.Split(strings.TrimSpace(out.String()), "\n")
				if out.Len() == 0 {
					lines = nil
				}
				for _, l := range lines {
					var r adapters.Record
					if err := json.Unmarshal([]byte(l), &r); err != nil || r.Kind == "" {
						t.Errorf("line %q: %v", l, err)
					}
				}
				if len(lines) != tt.jsonN {
					t.Errorf("%d JSON lines, want %d", len(lines), tt.jsonN)
				}
			}
		})
	}
}

// TestAuditReadsOldSessionKinds: journals written by serve before the SSH
// desk's kinds took the journal's names hold ssh.logout, ssh.refused and
// ssh.forbidden (ssh.login was already written as login); audit's table
// shows them as logout, refused and forbidden, as a new journal has them,
// and --json prints each record as the journal holds it.
func TestAuditReadsOldSessionKinds(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	old := `{"seq":1,"ts":"2026-11-20T10:00:00Z","kind":"login","operator":"ana","detail":"role=dispatcher session=1"}
{"seq":2,"ts":"2026-11-20T10:00:05Z","kind":"ssh.forbidden","operator":"vera","detail":"action=ack-alarm role=viewer session=2"}
{"seq":3,"ts":"2026-11-20T10:00:09Z","kind":"ssh.logout","operator":"ana","reason":"quit","detail":"claims_released=0 duration=9s session=1"}
{"seq":4,"ts":"2026-11-20T10:00:10Z","kind":"ssh.refused","reason":"unknown key","detail":"remote=127.0.0.1:42250"}
{"seq":5,"ts":"2026-11-20T10:00:11Z","kind":"ssh.login","operator":"dana"}
{"seq":6,"ts":"2026-11-20T10:00:12Z","kind":"alarm_ack","operator":"ana","detail":"alarm=loading/F07"}
`
	if err := os.WriteFile(journal, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"audit", "--journal", journal, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	want := []adapters.RecordKind{adapters.RecLogin, "ssh.forbidden", "ssh.logout", "ssh.refused", "ssh.login", adapters.RecAlarmAck}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d records, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, l := range lines {
		var r adapters.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if r.Kind != want[i] || r.Seq != uint64(i+1) {
			t.Errorf("record %d: kind %q, seq %d; want %q, %d", i+1, r.Kind, r.Seq, want[i], i+1)
		}
	}
	if r := lines[2]; !strings.Contains(r, `"reason":"quit"`) || !strings.Contains(r, `"operator":"ana"`) {
		t.Errorf("the old logout lost its fields: %s", r)
	}
	out.Reset()
	if code := run(context.Background(), []string{"audit", "--journal", journal}, &out, &errb); code != 0 {
		t.Fatalf("table: exit %d: %s", code, errb.String())
	}
	if strings.Contains(out.String(), "ssh.") {
		t.Errorf("the table shows an old kind:\n%s", out.String())
	}
	for _, row := range []string{"logout  ", "refused  ", "forbidden  "} {
		if !strings.Contains(out.String(), row) {
			t.Errorf("the table lacks %q:\n%s", row, out.String())
		}
	}
}
