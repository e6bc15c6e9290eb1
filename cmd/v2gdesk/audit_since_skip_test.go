package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAuditSinceIsTheWholeReadFiltered: `audit --since T` reads the
// records before T without decoding them whole (adapters.ScanJournalFrom);
// its output is the whole read's with those records left out: the same
// JSON lines from T on, the same warnings on stderr (a corrupt line, a seq
// going back, a torn tail, all before T) and the same count of records.
func TestAuditSinceIsTheWholeReadFiltered(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	var b strings.Builder
	for i := range 96 {
		at := t0.Add(time.Duration(i) * 15 * time.Minute).Format(time.RFC3339)
		fmt.Fprintf(&b, `{"seq":%d,"ts":"%s","kind":"setpoint","operator":"ana","charger":"CP-%d","setpoint":"sp-%d","kw":5,"requested_kw":5,"valid_from":"%s","valid_until":"%s"}`+"\n", 2*i+1, at, i%4, i, at, at)
		fmt.Fprintf(&b, `{"seq":%d,"ts":"%s","kind":"result","charger":"CP-%d","setpoint":"sp-%d","status":"accepted","applied_kw":5}`+"\n", 2*i+2, at, i%4, i)
		switch i {
		case 10:
			b.WriteString("not a record\n")
		case 20:
			fmt.Fprintf(&b, `{"seq":3,"ts":"%s","kind":"alarm_ack","reason":"pieced \"together\""}`+"\n", at)
		}
	}
	b.WriteString(`{"seq":999,"ts":"2026-11-26T23:59:59Z","kind":"setp`)
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	if err := os.WriteFile(journal, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	audit := func(args ...string) (string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(context.Background(), append([]string{"audit", "--journal", journal}, args...), &out, &errb); code != 0 {
			t.Fatalf("audit %v: exit %d, stderr %s", args, code, errb.String())
		}
		return out.String(), errb.String()
	}
	since := t0.Add(18 * time.Hour)
	wholeOut, wholeErr := audit("--json")
	var want strings.Builder
	for _, line := range strings.SplitAfter(wholeOut, "\n") {
		var r struct{ TS time.Time }
		if line == "" {
			continue
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if !r.TS.Before(since) {
			want.WriteString(line)
		}
	}
	gotOut, gotErr := audit("--json", "--since", since.Format(time.RFC3339))
	if gotOut != want.String() || gotErr != wholeErr {
		t.Errorf("--since %s --json:\nstdout %q\nstderr %q\nwant\nstdout %q\nstderr %q", since.Format(time.RFC3339), gotOut, gotErr, want.String(), wholeErr)
	}
	if n := strings.Count(gotOut, "\n"); n != 2*24 {
		t.Errorf("--since printed %d records; want the last 6 hours' 48", n)
	}
	for _, w := range []string{"line 23 (offset", "seq 3 follows seq 42", "torn tail at line 195"} {
		if !strings.Contains(gotErr, w) {
			t.Errorf("--since stderr does not say %q: %s", w, gotErr)
		}
	}
	_, tableErr := audit("--since", since.Format(time.RFC3339))
	if !strings.Contains(tableErr, "48 of 193 records shown") {
		t.Errorf("--since table: stderr %q; want 48 of 193 records shown", tableErr)
	}
}
