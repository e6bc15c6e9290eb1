package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// routeFixture writes an adapters file with cfgBody and an import cap on
// the live peer's feeder F1 starting now.
func routeFixture(t *testing.T, cfgBody string) (cfg, ev, journal string) {
	t.Helper()
	dir := t.TempDir()
	cfg = filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(cfgBody), 0o644); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Minute)
	ev = filepath.Join(dir, "event.json")
	body := `{"v":1,"type":"event","id":"DR-ROUTE","kind":"import_cap","scope":"F1","start":"` + now.Format(time.RFC3339) +
		`","end":"` + now.Add(time.Hour).Format(time.RFC3339) + `","kw":90}`
	if err := os.WriteFile(ev, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg, ev, filepath.Join(dir, "audit.jsonl")
}

// journalled counts the journal's records of kind (none when it does not
// exist).
func journalled(t *testing.T, path string, kind adapters.RecordKind) int {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	n := 0
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error {
		if r.Kind == kind {
			n++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// An adapters file that routes none of the plan's chargers (the feed routes
// them to "site", the file runs only "other") is refused before anything is
// sent, naming the file and the counts. It journalled all 4 setpoints as
// rejected after reporting them sent.
func TestDispatchRefusesAPlanNoneOfWhoseChargersIsRouted(t *testing.T) {
	url, setpoints := livePeer(t)
	cfg, ev, journal := routeFixture(t, `{"journal":"audit.jsonl","min_interval":"0s","adapters":[{"name":"other","kind":"wsjson"}],"chargers":[]}`)
	code, out, stderr := runArgs(t, "--feed", url, "--event", ev, "--adapters", cfg, "--yes", "--operator", "ana")
	if code != 1 {
		t.Errorf("exit %d, want 1\nstdout %s\nstderr %s", code, out, stderr)
	}
	want := "--adapters " + cfg + " routes none of the plan's 4 setpoints (4 change power); of the feed's 4 chargers it routes 0: nothing sent; " +
		`charger "CP-0" routes to adapter "site", which is not running`
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if strings.Contains(out, "sent by") {
		t.Errorf("reported sent:\n%s", out)
	}
	if n := setpoints(); n != 0 {
		t.Errorf("peer got %d setpoints, want none", n)
	}
	if n := journalled(t, journal, adapters.RecResult); n != 0 {
		t.Errorf("journal holds %d results, want none", n)
	}
	// The proposal journalled is declined, saying why.
	if n := journalled(t, journal, control.RecDispatchDecline); n != 1 {
		t.Errorf("journal holds %d declines, want 1", n)
	}
}

// A file that routes only some of them: the dispatch goes ahead, saying
// first how many are not routed and which.
func TestDispatchSaysUpFrontHowManyChargersAreUnrouted(t *testing.T) {
	url, setpoints := livePeer(t)
	cfg, ev, journal := routeFixture(t, `{"journal":"audit.jsonl","min_interval":"0s","adapters":[{"name":"other","kind":"wsjson"}],"chargers":[`+
		`{"id":"CP-0","adapter":"other","max_charge_kw":11},{"id":"CP-1","adapter":"other","max_charge_kw":11}]}`)
	code, out, stderr := runArgs(t, "--feed", url, "--event", ev, "--adapters", cfg, "--yes", "--operator", "ana")
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	want := "△ --adapters " + cfg + " routes 2 setpoints (2 change power) of the plan's 4 setpoints (4 change power); the 2 others (CP-2, CP-3) will not be sent to"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if n := setpoints(); n != 2 {
		t.Errorf("peer got %d setpoints, want 2", n)
	}
	// Sent ones journalled as setpoints, all four with their result.
	if n, r := journalled(t, journal, adapters.RecSetpoint), journalled(t, journal, adapters.RecResult); n != 2 || r != 4 {
		t.Errorf("journal holds %d setpoints and %d results, want 2 and 4", n, r)
	}
	if !strings.Contains(out, "2 accepted · 2 rejected") {
		t.Errorf("progress does not show 2 accepted and 2 rejected:\n%s", out)
	}
}
