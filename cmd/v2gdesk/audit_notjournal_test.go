package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditRefusesAFileThatIsNotAJournal: 'audit --journal' on some other
// file (the adapters file, a .v2grec recording) printed an empty table, one
// "line N is not a record" per line (hundreds of lines of binary for a
// recording) and exited 0. The commands that append to a journal refuse
// such a file as not an audit journal; audit says the same, once, and
// exits 1 with no table.
func TestAuditRefusesAFileThatIsNotAJournal(t *testing.T) {
	dir := t.TempDir()
	notJournal := filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(notJournal, []byte("{\n  \"journal\": \"audit.jsonl\",\n  \"adapters\": []\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"v":1,"type":"v2grec"}` + "\n"))
	zw.Close()
	rec := filepath.Join(dir, "day.v2grec")
	if err := os.WriteFile(rec, gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file, want string
	}{
		{notJournal, "v2gdesk audit: " + notJournal + ": not an audit journal: none of its 4 lines is a journal record (line 1: "},
		{rec, "v2gdesk audit: " + rec + ": not an audit journal: it is gzip-compressed (a recording? play it with `v2gdesk replay " + rec + "`)"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"audit", "--journal", c.file}, &out, &errb)
		if code != 1 || !strings.HasPrefix(errb.String(), c.want) || strings.Count(errb.String(), "\n") != 1 || out.Len() != 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 1, nothing on stdout and one line starting %q", filepath.Base(c.file), code, out.String(), errb.String(), c.want)
		}
	}
}

// TestAuditRefusesAnAdaptersFileWithAKindOnALine: an adapters file written
// one adapter a line has lines that are JSON objects with a "kind"
// ({"name": "commissioning", "kind": "dryrun"}). audit showed such a line
// as a record of seq 0 written in year 1 ("0001-01-01 00:00:00 dryrun"),
// said "1 of 1 records shown" and exited 0. A journal numbers its records
// from 1 and stamps their time, so a line without seq or ts is not one.
func TestAuditRefusesAnAdaptersFileWithAKindOnALine(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site.json")
	body := "{\n  \"journal\": \"audit.jsonl\",\n  \"adapters\": [\n" +
		"    {\"name\": \"sim\", \"kind\": \"wsjson\", \"settings\": {\"url\": \"ws://127.0.0.1:8765/v1\"}},\n" +
		"    {\"name\": \"commissioning\", \"kind\": \"dryrun\"}\n  ],\n  \"chargers\": []\n}\n"
	if err := os.WriteFile(site, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"audit", "--journal", site}, &out, &errb)
	want := "v2gdesk audit: " + site + ": not an audit journal: none of its 8 lines is a journal record"
	if code != 1 || out.Len() != 0 || !strings.HasPrefix(errb.String(), want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1, nothing on stdout, stderr starting %q", code, out.String(), errb.String(), want)
	}
}
