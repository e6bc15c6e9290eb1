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
