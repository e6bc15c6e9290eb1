package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// archiveJournal writes an alarm ack on each of three days from day and
// returns the journal's path.
func archiveJournal(t *testing.T, day time.Time) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for d := range 3 {
		if err := j.Append(adapters.Record{TS: day.Add(time.Duration(d) * 24 * time.Hour), Kind: adapters.RecAlarmAck, Operator: "ana"}); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// TestArchiveCommand: the records before --before move to --to, the
// command says how many and where the journal's seqs go on; audit reads
// both files.
func TestArchiveCommand(t *testing.T) {
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	path := archiveJournal(t, day)
	arch := filepath.Join(filepath.Dir(path), "audit-2026-11-01.jsonl")
	var out, errb bytes.Buffer
	code := archiveAt([]string{"--journal", path, "--before", "2026-11-02T00:00:00Z", "--to", arch}, &out, &errb, day.Add(10*24*time.Hour))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"moved 1 record (seq 1 to 1,", "written before 2026-11-02T00:00:00Z to " + arch, path + " keeps 2 records, from seq 2"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output %q lacks %q", out.String(), want)
		}
	}
	for file, want := range map[string]string{arch: "1 of 1 record shown", path: "2 of 2 records shown"} {
		var o, e bytes.Buffer
		if code := runAudit(t.Context(), []string{"--journal", file}, &o, &e); code != 0 || !strings.Contains(e.String(), want) || strings.Contains(e.String(), "seq") {
			t.Errorf("audit %s: exit %d, stderr %q; want %q and no seq break", file, code, e.String(), want)
		}
	}
	out.Reset()
	if code := archiveAt([]string{"--journal", path, "--before", "2026-11-02T00:00:00Z", "--to", arch + ".2"}, &out, &errb, day.Add(10*24*time.Hour)); code != 0 || !strings.Contains(out.String(), "nothing written") {
		t.Errorf("again: exit %d, %q; want 0 and nothing written", code, out.String())
	}
	if _, err := os.Stat(arch + ".2"); err == nil {
		t.Error("an archive of nothing was written")
	}
}

// TestArchiveCommandRefuses: a running writer is named and nothing moves
// (exit 1); a bad command line is exit 2.
func TestArchiveCommandRefuses(t *testing.T) {
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	path := archiveJournal(t, day)
	arch := filepath.Join(filepath.Dir(path), "old.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := archiveAt([]string{"--journal", path, "--before", "2026-11-02T00:00:00Z", "--to", arch}, &out, &errb, day.Add(10*24*time.Hour))
	j.Close()
	if code != 1 || !strings.Contains(errb.String(), "open for appending in another process: stop the desk") {
		t.Errorf("with a writer: exit %d, %q", code, errb.String())
	}
	if _, err := os.Stat(arch); err == nil {
		t.Error("an archive was written while a writer held the journal")
	}
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--journal", path, "--to", arch}, "are required"},
		{[]string{"--journal", path, "--before", "-5h", "--to", arch}, "positive duration"},
		{[]string{"--journal", path, "--before", "2026-11-02T00:00:00", "--to", arch}, "with its offset"},
		{[]string{"--journal", path, "--before", "720h", "--to", path}, "is the journal itself"},
	} {
		errb.Reset()
		if code := archiveAt(c.args, &out, &errb, day.Add(10*24*time.Hour)); code != exitUsage || !strings.Contains(errb.String(), c.says) {
			t.Errorf("%q: exit %d, %q; want %d saying %q", c.args, code, errb.String(), exitUsage, c.says)
		}
	}
}
