package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdaptersErrorsEachFramed: an adapters file with several mistakes is
// refused with each on a line of its own, and every line names the
// command, the flag and the file; the second and later ones read
// "adapters config: …" alone, from no command and no file.
func TestAdaptersErrorsEachFramed(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "site.json")
	if err := os.WriteFile(cfg, []byte(`{"journal":"a.jsonl","adapters":[{"name":"x","kind":"nope"},{"name":"y","kind":"alsobad"}],
		"chargers":[{"id":"C1","feeder":"F1","adapter":"zz","max_charge_kw":22}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(`{"v":1,"type":"event","id":"DR-1","kind":"import_cap","scope":"F08",
		"start":"2024-01-17T18:00:00+08:00","end":"2024-01-17T19:00:00+08:00","kw":300}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, frame string
		args        []string
	}{
		{"desk", "v2gdesk: --adapters: " + cfg + ": adapters config: ", []string{"--feed", "ws://127.0.0.1:1/v1", "--adapters", cfg}},
		{"dispatch", "v2gdesk dispatch: " + cfg + ": adapters config: ", []string{"dispatch", "--scenario", "demo", "--event", event, "--adapters", cfg, "--yes"}},
		{"setpoint", "v2gdesk setpoint: " + cfg + ": adapters config: ", []string{"setpoint", "--adapters", cfg, "--charger", "C1", "--kw", "5", "--for", "15m"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := run(context.Background(), tc.args, &bytes.Buffer{}, &stderr); code != 1 {
				t.Errorf("exit %d, want 1; stderr:\n%s", code, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if len(lines) != 3 {
				t.Fatalf("%d lines, want one for each of the 3 mistakes:\n%s", len(lines), stderr.String())
			}
			for i, l := range lines {
				if !strings.HasPrefix(l, tc.frame) {
					t.Errorf("line %d %q, want it to begin %q", i+1, l, tc.frame)
				}
			}
		})
	}
}
