package main

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// TestSetpointJSONNamesTheJournal: `setpoint` prints "journal: FILE" under
// its result, but `--json` left the journal out, so a script had the
// setpoint's id and no file to find its records in. The object has
// "journal", and its fields are those docs/adapters.md lists.
func TestSetpointJSONNamesTheJournal(t *testing.T) {
	cfg, journal := writeConfig(t, "ws://127.0.0.1:1/v1")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "5m", "--dry-run", "--json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("stdout %q: %v", out.String(), err)
	}
	if got["journal"] != journal {
		t.Errorf("journal %v, want %q (stdout %s)", got["journal"], journal, out.String())
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if want := "adapter applied_kw at charger dry_run id journal reason status"; strings.Join(keys, " ") != want {
		t.Errorf("fields %v, want %s", keys, want)
	}
}
