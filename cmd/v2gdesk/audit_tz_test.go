package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	_ "time/tzdata" // Asia/Shanghai on machines without a zoneinfo database
)

// TestAuditTableInSiteTime: the desk shows the site's time ("by ana 17:47")
// and the audit table showed UTC only ("09:47:00"), so an on-call engineer
// matched records to the screen by converting in their head. --tz prints
// the table's times in the zone given, says which in the heading, and
// leaves --json as the journal holds it; UTC stays the default.
func TestAuditTableInSiteTime(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	recs := `{"seq":1,"ts":"2026-11-26T09:47:00Z","kind":"dispatch_confirm","operator":"ana","event":"T-F08-1746"}
{"seq":2,"ts":"2026-11-26T16:30:05Z","kind":"alarm_ack","operator":"ana","detail":"alarm=loading/F11"}
`
	if err := os.WriteFile(journal, []byte(recs), 0o600); err != nil {
		t.Fatal(err)
	}
	audit := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"audit", "--journal", journal}, args...), &out, &errb)
		return out.String(), errb.String(), code
	}

	out, errs, code := audit()
	if code != 0 || !strings.Contains(out, "TIME (UTC)") || !strings.Contains(out, "2026-11-26 09:47:00") {
		t.Errorf("default: exit %d, stderr %s, table:\n%s\nwant UTC times", code, errs, out)
	}

	out, errs, code = audit("--tz", "Asia/Shanghai")
	if code != 0 {
		t.Fatalf("--tz Asia/Shanghai: exit %d: %s", code, errs)
	}
	// 16:30 UTC is past midnight in Shanghai: the date moves too.
	for _, want := range []string{"TIME (Asia/Shanghai)", "2026-11-26 17:47:00", "2026-11-27 00:30:05"} {
		if !strings.Contains(out, want) {
			t.Errorf("--tz Asia/Shanghai: the table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "09:47:00") {
		t.Errorf("--tz Asia/Shanghai: the table still shows the UTC time:\n%s", out)
	}
	// The heading's longer name keeps the columns aligned: KIND starts
	// where the rows' kinds do.
	lines := strings.Split(out, "\n")
	if h, r := strings.Index(lines[0], "KIND"), strings.Index(lines[1], "dispatch_confirm"); h != r {
		t.Errorf("KIND at column %d, the first record's kind at %d:\n%s", h, r, out)
	}

	out, _, code = audit("--tz", "Asia/Shanghai", "--json")
	if code != 0 || !strings.Contains(out, `"ts":"2026-11-26T09:47:00Z"`) {
		t.Errorf("--json with --tz: exit %d, want the journal's own time:\n%s", code, out)
	}

	_, errs, code = audit("--tz", "Mars/Olympus")
	if code != exitUsage || !strings.Contains(errs, `--tz "Mars/Olympus": not a time zone`) {
		t.Errorf("a bad zone: exit %d, stderr %q; want %d and what is wrong", code, errs, exitUsage)
	}
}
