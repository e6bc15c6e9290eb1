package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/tui"
)

// TestAuditShowsDataTime: on a simulated day the desk showed 17:47 and the
// record said only 01:24 (the wall clock), so the on-call engineer could
// not match one to the other. A record with a data time shows it in a DATA
// TIME column, in the --tz zone; a journal without any (live, or older)
// prints as it did; --since says it compared TIME.
func TestAuditShowsDataTime(t *testing.T) {
	dir := t.TempDir()
	withData := filepath.Join(dir, "sim.jsonl")
	recs := `{"seq":1,"ts":"2026-11-27T01:24:00Z","kind":"alarm_ack","operator":"ana","detail":"alarm=loading/F10"}
{"seq":2,"ts":"2026-11-27T01:25:00Z","data_ts":"2026-07-15T17:47:00+08:00","kind":"dispatch_confirm","operator":"ana","event":"T-F10-1747"}
`
	old := filepath.Join(dir, "old.jsonl")
	for path, body := range map[string]string{withData: recs, old: strings.SplitAfter(recs, "\n")[0]} {
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	audit := func(args ...string) (string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(context.Background(), append([]string{"audit"}, args...), &out, &errb); code != 0 {
			t.Fatalf("audit %v: exit %d: %s", args, code, errb.String())
		}
		return out.String(), errb.String()
	}

	out, errs := audit("--journal", withData, "--tz", "Asia/Shanghai")
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[0], "DATA TIME") {
		t.Fatalf("no DATA TIME column:\n%s", out)
	}
	if !strings.Contains(lines[2], "2026-11-27 09:25:00") || strings.Index(lines[2], "2026-07-15 17:47:00") != strings.Index(lines[0], "DATA TIME") {
		t.Errorf("the confirm's row lacks its data time 17:47 under DATA TIME beside its wall time:\n%s", out)
	}
	if h, r := strings.Index(lines[0], "KIND"), strings.Index(lines[1], "alarm_ack"); h != r {
		t.Errorf("KIND at column %d, the record without a data time has its kind at %d:\n%s", h, r, out)
	}
	if strings.Contains(errs, "--since") {
		t.Errorf("a note about --since without one: %s", errs)
	}

	out, _ = audit("--journal", old)
	if strings.Contains(out, "DATA TIME") {
		t.Errorf("a journal without data times grew the column:\n%s", out)
	}

	out, errs = audit("--journal", withData, "--since", "2026-11-27T01:25:00Z")
	if strings.Contains(out, "alarm_ack") || !strings.Contains(out, "dispatch_confirm") {
		t.Errorf("--since by the wall time: want the confirm only:\n%s", out)
	}
	if !strings.Contains(errs, "--since compared each record's TIME (when it was written), not its DATA TIME") {
		t.Errorf("stderr does not say what --since compared:\n%s", errs)
	}

	out, _ = audit("--journal", withData, "--json")
	if !strings.Contains(out, `"data_ts":"2026-07-15T17:47:00+08:00"`) {
		t.Errorf("--json lacks the data time as written:\n%s", out)
	}
}

// TestSimDeskJournalsDataTime: a desk on the demo day started at 17:30
// stamps its records with the simulated time, in the site's zone, beside
// the wall time (the data clock the screen shows).
func TestSimDeskJournalsDataTime(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	sd, err := openServeDesk(serveOptions{ingestOptions: ingestOptions{scenario: "demo", start: "17:30", speed: 1}, journal: path}, nil, quiet, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := sd.auditor.Record(tui.ActAlarmAck, "ana", map[string]any{"alarm": "F10 overload"}); err != nil {
		t.Fatal(err)
	}
	declined, _ := proposeAndDecline(t, sd.desk, "ana")
	loc := sd.desk.in.sc.Location()
	sd.close()
	n := 0
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error {
		n++
		if r.DataTS == nil {
			t.Errorf("record %d (%s %s) has no data time", r.Seq, r.Kind, r.Event)
			return nil
		}
		// At 1x the simulated clock stays within the minute it started.
		if got := r.DataTS.In(loc).Format("15:04"); got != "17:30" {
			t.Errorf("record %d (%s): data time %s, want 17:30 site time", r.Seq, r.Kind, got)
		}
		if r.TS.Equal(*r.DataTS) {
			t.Errorf("record %d: ts %s is the data time, want the wall time", r.Seq, r.TS)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Errorf("%d records, want the ack and %s's proposal and decline at least", n, declined)
	}
}
