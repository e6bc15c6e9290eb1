package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestAuditBlocksKeepTheEventWhole: a simulated day's journal (every
// record with a DATA TIME) at 80 columns is a block per record whose first
// line had room for "T-F…" of the event "T-F10-1835": the one value that
// ties a cancel or a setpoint to its event was the one cut. When the first
// line cannot hold the event whole, the event goes first in the block.
func TestAuditBlocksKeepTheEventWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	data := time.Date(2024, 1, 17, 19, 58, 0, 0, time.FixedZone("CST", 8*3600))
	if err := j.Append(
		adapters.Record{Kind: "dispatch_cancel", Operator: "local", Event: "T-F10-1835", DataTS: &data,
			Reason: "cancelled at the desk", Detail: "cap F10 at 1,510 kW 18:35–22:50"},
		adapters.Record{Kind: "clock_speed", Operator: "local", DataTS: &data, Detail: "speed=120"},
	); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	out, _ := auditOnTerminal(t, 80, "--journal", path)
	if strings.Contains(out, "T-F…") || !strings.Contains(out, "     event T-F10-1835\n     reason: cancelled at the desk\n") {
		t.Errorf("the event is not whole in its block:\n%s", out)
	}
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("a line of %d columns at 80: %q", n, l)
		}
	}
	head, _, _ := strings.Cut(out, "\n")
	if strings.Contains(head, "EVENT") {
		t.Errorf("the header names EVENT, which the first lines no longer hold: %q", head)
	}
}
