package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A journal that two processes wrote (each from its own copy, as when the
// lock does not hold across machines) and that was then pieced together
// has seqs that go back. audit said nothing of it and showed the records
// as if in the order they happened; it says where the sequence breaks,
// keeps showing every record and exits 0, as for a line that is not a
// record.
func TestAuditSaysWhereTheSequenceGoesBack(t *testing.T) {
	cfg, journal := writeConfig(t, ackServer(t))
	// One charger per process after the first: the rate limit counts the
	// journal's newest setpoint for a charger.
	setpoint := func(j, charger, id string) {
		t.Helper()
		code, _, errs := runCmd("setpoint", "--adapters", cfg, "--journal", j, "--charger", charger, "--kw", "3", "--for", "15m", "--id", id)
		if code != 0 {
			t.Fatalf("setpoint %s on %s: exit %d, %s", id, j, code, errs)
		}
	}
	setpoint(journal, "AC1", "first") // seq 1 and 2
	copyOf := filepath.Join(filepath.Dir(journal), "copy.jsonl")
	both, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copyOf, both, 0o600); err != nil {
		t.Fatal(err)
	}
	setpoint(journal, "AC2", "here") // seq 3 and 4 in the journal
	setpoint(copyOf, "AC2", "there") // seq 3 and 4 in the copy
	mine, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := os.ReadFile(copyOf)
	if err != nil {
		t.Fatal(err)
	}
	pieced := filepath.Join(filepath.Dir(journal), "pieced.jsonl")
	if err := os.WriteFile(pieced, append(mine, theirs[len(both):]...), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCmd("audit", "--journal", pieced, "--wide")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	want := "v2gdesk audit: " + pieced + ": line 5: seq 3 follows seq 4 (the sequence goes back once in the file): two processes wrote it"
	if !strings.Contains(errs, want) {
		t.Errorf("stderr lacks %q:\n%s", want, errs)
	}
	if !strings.Contains(errs, "6 of 6 records shown") || !strings.Contains(out, "here") || !strings.Contains(out, "there") {
		t.Errorf("not every record shown:\n%s\n%s", out, errs)
	}

	// One writer's journal says nothing of the kind.
	if code, _, errs := runCmd("audit", "--journal", journal); code != 0 || strings.Contains(errs, "follows seq") {
		t.Errorf("one writer's journal: exit %d, stderr %s", code, errs)
	}
}
