package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `v2gdesk setpoint` said "waiting up to 30s for V2G1 to connect..." while
// it waited for a wsjson adapter's peer, which the charger does not
// connect to: the operator looked at the charger when it was the
// aggregator at the url that did not answer. The line now names what it
// waits for, the peer at its url or an OCPP charge point, in English and
// in zh-CN (the locale, as the command's other lines).
func TestSetpointSaysWhatItWaitsFor(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	const url = "ws://127.0.0.1:1/v1" // nothing listens on port 1
	doc := `{"journal": "audit.jsonl",
 "adapters": [{"name": "agg", "kind": "wsjson", "settings": {"url": "` + url + `"}},
  {"name": "depot", "kind": "ocpp", "settings": {"listen": "127.0.0.1:0"}}],
 "chargers": [{"id": "V2G1", "adapter": "agg", "max_charge_kw": 10, "max_discharge_kw": 10},
  {"id": "OCPP-1", "adapter": "depot", "max_charge_kw": 11}]}`
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		locale, charger, want, notWant string
	}{
		{"C", "V2G1", `waiting up to 0s for the peer at ` + url + ` (adapter "agg") to answer...`, "for V2G1 to connect"},
		{"zh_CN.UTF-8", "V2G1", `最多等待 0s，直到 ` + url + ` 上的对端（适配器 "agg"）应答...`, "V2G1 连接"},
		{"C", "OCPP-1", "waiting up to 0s for OCPP-1 to connect...", "the peer at"},
		{"zh_CN.UTF-8", "OCPP-1", "最多等待 0s，直到 OCPP-1 连接...", "对端"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.charger, func(t *testing.T) {
			setLocale(t, tt.locale)
			var out, errb bytes.Buffer
			// --wait-connect 0s: nothing to wait for but the line; the
			// setpoint then fails for its link or charge point missing.
			code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", tt.charger, "--kw", "4", "--for", "15m",
				"--wait-connect", "0s", "--journal", filepath.Join(t.TempDir(), "j.jsonl")}, &out, &errb)
			if code != 1 {
				t.Errorf("exit %d, want 1 (not connected)", code)
			}
			if s := errb.String(); !strings.Contains(s, tt.want+"\n") || strings.Contains(s, tt.notWant) {
				t.Errorf("stderr:\n%s\nwant the line %q, nothing of %q", s, tt.want, tt.notWant)
			}
		})
	}
}
