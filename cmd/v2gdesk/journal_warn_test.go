package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A journal that dispatch --scenario appends to is warned of when its scan
// found lines that are not records or seqs that go back, as `setpoint` and a
// desk with --adapters warn: it was appended to without a word.
func TestDispatchWarnsOfADamagedJournal(t *testing.T) {
	journal := filepath.Join(t.TempDir(), "audit.jsonl")
	damaged := `{"seq":1,"ts":"2026-11-27T10:00:00Z","kind":"login","operator":"ana"}` + "\n" +
		`{"seq":2,"ts":"2026-11-27T10:00:01Z","kind":"logout","operator":"ana"}` + "\n" +
		"not a record\n" +
		`{"seq":1,"ts":"2026-11-27T10:00:02Z","kind":"login","operator":"bo"}` + "\n"
	if err := os.WriteFile(journal, []byte(damaged), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runArgs(t, "--scenario", "demo", "--event", capF08, "--yes", "--journal", journal)
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	for _, want := range []string{
		`msg="audit journal has lines that are not records; ` + "`v2gdesk audit --journal` lists them\" journal=" + journal + " lines=1 first=3",
		`msg="audit journal's seqs go back: two processes wrote it, or it was pieced together from copies; ` + "`v2gdesk audit --journal` says where\" journal=" + journal + ` first="line 4: seq 1 follows seq 2" breaks=1`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}
