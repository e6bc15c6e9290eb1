package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestSetpointJSONRefusedByGuard: a setpoint the guard refuses never reaches
// an adapter, so its --json object has neither "adapter" nor "dry_run", even
// under --dry-run; docs/adapters.md listed "adapter" as always there, and a
// script that read it found nothing. The page now says when both are absent.
func TestSetpointJSONRefusedByGuard(t *testing.T) {
	cfg, _ := writeConfig(t, "ws://127.0.0.1:1/v1")
	var out, errb bytes.Buffer
	// AC1 is not bidirectional: the guard refuses a discharge.
	code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "AC1", "--kw", "-3", "--for", "5m", "--dry-run", "--json"}, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (stdout %q, stderr %q)", code, out.String(), errb.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("stdout %q: %v", out.String(), err)
	}
	if got["status"] != "rejected" {
		t.Errorf("status %v, want rejected (stdout %s)", got["status"], out.String())
	}
	for _, k := range []string{"adapter", "dry_run"} {
		if _, ok := got[k]; ok {
			t.Errorf("%q in a guard refusal's object %s: the page says it is absent", k, out.String())
		}
	}

	doc := docstest.Read(t, "docs/adapters.md").Text
	for _, want := range []string{
		"`dry_run` (absent when false: also on a setpoint the guard refused",
		"`adapter` (absent when the guard refused the setpoint before any adapter had it",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/adapters.md does not say %q", want)
		}
	}
}
