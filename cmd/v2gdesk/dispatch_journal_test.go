package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestDispatchScenarioTempJournal: `dispatch --scenario --yes` without
// --journal writes a new journal of its own in the temporary directory
// each run (two runs do not share one), never follows a name planted there
// beforehand, and says on stderr where the journal is.
func TestDispatchScenarioTempJournal(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	// What another user of the machine could plant under the old fixed name.
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(tmp, "v2gdesk-scenario-audit.jsonl")); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for run := range 2 {
		code, out, stderr := runArgs(t, "--scenario", "demo", "--event", capF08, "--yes", "--operator", "ana")
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", run, code, stderr)
		}
		matches, err := filepath.Glob(filepath.Join(tmp, "v2gdesk-scenario-audit-*.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		if len(matches) != run+1 {
			t.Fatalf("run %d: journals in the temporary directory %v, want %d", run, matches, run+1)
		}
		var path string
		for _, m := range matches {
			if !strings.Contains(strings.Join(paths, "\n"), m) {
				path = m
			}
		}
		want := "v2gdesk dispatch: no --journal: setpoints go to the temporary journal " + path +
			", left in the temporary directory (give --journal FILE to keep them elsewhere)\n"
		if !strings.Contains(stderr, want) {
			t.Errorf("run %d: stderr does not name the journal; want %q in\n%s", run, want, stderr)
		}
		if !strings.Contains(out, "journal "+path+"\n") {
			t.Errorf("run %d: stdout does not name the journal %s:\n%s", run, path, out)
		}
		if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
			t.Errorf("run %d: journal %s: %v, want records", run, path, err)
		}
		paths = append(paths, path)
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep\n" {
		t.Errorf("the planted link's target now holds %q (%v)", b, err)
	}
}

// TestDispatchSameEventTwiceIntoOneJournal: a second `dispatch --yes` of
// the same event into the same journal is refused up front, naming the
// event, the journal and when it was confirmed; it used to plan, then have
// every setpoint refused as "used for another setpoint" (the ids name the
// event and the fleet time, which a scenario repeats), and exit 1 with 0
// applied. The preview alone (without --yes) still runs.
func TestDispatchSameEventTwiceIntoOneJournal(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	args := []string{"--scenario", "demo", "--event", capF08, "--yes", "--operator", "ana", "--journal", journal}
	if code, _, stderr := runArgs(t, args...); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	before, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runArgs(t, args...)
	if code != 1 || !strings.Contains(stderr, "event DR-17 was already confirmed in the journal "+journal+" (at ") ||
		!strings.Contains(stderr, "give the event a new id, or use another --journal") {
		t.Fatalf("second run: exit %d, stderr %q", code, stderr)
	}
	if out != "" {
		t.Errorf("the refused run printed a plan:\n%s", out)
	}
	if after, err := os.ReadFile(journal); err != nil || string(after) != string(before) {
		t.Errorf("the refused run wrote to the journal (%v)", err)
	}
	if code, _, stderr := runArgs(t, "--scenario", "demo", "--event", capF08); code != 0 {
		t.Errorf("a preview of the same event: exit %d: %s", code, stderr)
	}
}

// TestDispatchConfirmedEventRefusedBeforeTheFeed: with --feed the journal
// is the adapters file's, and an event it already holds a confirmation of
// is refused before the feed is dialled (the refusal came after the
// feed's topology and the charge points' wait, up to --timeout each).
// Here the feed is a port nothing listens on: the refusal, not the feed's
// timeout, must be what the run says.
func TestDispatchConfirmedEventRefusedBeforeTheFeed(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(`{"journal":"audit.jsonl","min_interval":"0s","adapters":[{"name":"site","kind":"wsjson"}],"chargers":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(dir, "audit.jsonl")
	j, _, err := adapters.OpenJournal(journal)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(adapters.Record{Kind: adapters.RecDispatchConfirm, Operator: "ana", Event: "DR-17", Detail: "an earlier run"}); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	code, out, stderr := runArgs(t, "--feed", "ws://"+addr+"/", "--adapters", cfg, "--event", capF08, "--yes",
		"--operator", "omar", "--timeout", "5s")
	if code != 1 || !strings.Contains(stderr, "event DR-17 was already confirmed in the journal "+journal+" (at ") {
		t.Fatalf("exit %d, stderr %q; want the refusal naming DR-17 and %s", code, stderr, journal)
	}
	if out != "" {
		t.Errorf("the refused run printed:\n%s", out)
	}
}
