package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeskJournalErrorNamesTheFlag: the dashboard given a --journal that
// is not a journal, or in a directory that does not exist, said "v2gdesk:
// audit journal: audit journal: notes.txt is not an audit journal: …",
// the journal's error wrapped in its own words again and the flag not
// named. It names --journal once, as setpoint and dispatch do.
func TestDeskJournalErrorNamesTheFlag(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("shift notes\nnothing to report\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{notes, filepath.Join(dir, "no", "j.jsonl")} {
		sim, err := openIngest(ingestOptions{scenario: "demo", start: demoStart, speed: 60}, quiet)
		if err != nil {
			t.Fatal(err)
		}
		desk, err := startDesk(sim, deskOptions{journal: path}, quiet)
		if err == nil {
			desk.stop()
			t.Fatalf("%s: the desk started", path)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "--journal "+path+": audit journal: ") {
			t.Errorf("%s: %q, want it to start with --journal %s: audit journal:", path, msg, path)
		}
		if strings.Contains(msg, "audit journal: audit journal") {
			t.Errorf("%s: %q says audit journal twice", path, msg)
		}
	}
}
