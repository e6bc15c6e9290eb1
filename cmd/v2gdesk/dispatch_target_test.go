package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestWriteProgressSaysTheTarget: `dispatch --follow` printed an export's
// progress as "F10 −1,810 kW (cap −2,000)" where the desk's page says
// "export target 2,000 kW". The line and its miss alarm say what the desk
// says, for an import cap, an export and a shed.
func TestWriteProgressSaysTheTarget(t *testing.T) {
	at := time.Date(2026, 2, 4, 18, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		kind                  feeds.EventKind
		measured, capKW       float64
		target, missed, wrong string
	}{
		{feeds.EventImportCap, 1810, 1525, "(cap 1,525 kW)", "▲ cap missed since 18:05: 1,810 kW against cap 1,525 kW", "target"},
		{feeds.EventExport, -1810, -2000, "(export target 2,000 kW)", "▲ export target missed since 18:05: −1,810 kW against export target 2,000 kW", "cap"},
		{feeds.EventShed, 3300, 3210, "(shed target 3,210 kW)", "▲ shed target missed since 18:05: 3,300 kW against shed target 3,210 kW", "cap"},
	} {
		v := control.EventView{Event: feeds.EventFrame{ID: "DR-1", Kind: c.kind, Scope: "F10", Start: at, KW: 2000}, Plans: 2,
			LastPlan: at.Add(15 * time.Minute), LastReason: "new slot 18:15",
			Progress: control.Progress{Sent: 2, Done: 2, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 2}},
			Track:    []control.TrackPoint{{At: at.Add(15 * time.Minute), MeasuredKW: c.measured, CapKW: c.capKW}},
			Alarm:    &control.CapAlarm{Since: at.Add(5 * time.Minute), MeasuredKW: c.measured, CapKW: c.capKW}}
		var b strings.Builder
		writeProgress(&b, v)
		got := b.String()
		if !strings.Contains(got, c.target) || !strings.Contains(got, c.missed) {
			t.Errorf("%s: progress\n%s\nwant %q and %q", c.kind, got, c.target, c.missed)
		}
		if strings.Contains(got, c.wrong) {
			t.Errorf("%s: progress says %q:\n%s", c.kind, c.wrong, got)
		}
	}
}

// TestDispatchPreviewExportTarget: an export's preview table titled its
// column "cap" over −2,000 kW rows; it is the export's target, named as the
// desk's chart names it.
func TestDispatchPreviewExportTarget(t *testing.T) {
	ev := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(ev, []byte(`{"v":1,"type":"event","id":"DR-43","kind":"export","scope":"F08",
		"start":"2024-01-17T18:00:00+08:00","end":"2024-01-17T18:30:00+08:00","kw":300}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runArgs(t, "--scenario", "demo", "--event", ev)
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	if !regexp.MustCompile(`(?m)^F08 load, kW {3}before    after   target$`).MatchString(out) ||
		!strings.Contains(out, "\n  target column: export target 300 kW\n") {
		t.Errorf("export preview does not name its target:\n%s", out)
	}
}

// TestDispatchFollowExportTarget: `dispatch --follow` on an export the
// demo's F08 cannot deliver printed "(cap −300)", "▲ cap missed since" and,
// at its end, "cap missed from 16:01": every line now says the export
// target, as the desk does.
func TestDispatchFollowExportTarget(t *testing.T) {
	dir := t.TempDir()
	ev := filepath.Join(dir, "event.json")
	if err := os.WriteFile(ev, []byte(`{"v":1,"type":"event","id":"DR-44","kind":"export","scope":"F08",
		"start":"2024-01-17T16:00:00+08:00","end":"2024-01-17T16:30:00+08:00","kw":300}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runArgs(t, "--scenario", "demo", "--event", ev, "--yes", "--follow", "--journal", filepath.Join(dir, "audit.jsonl"))
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	for _, want := range []string{" (export target 300 kW)", "    ▲ export target missed since 16:", "\nexport target missed since 16:"} {
		if !strings.Contains(out, want) {
			t.Errorf("--follow on an export does not say %q:\n%s", want, out)
		}
	}
	for _, wrong := range []string{"(cap ", "cap missed"} {
		if strings.Contains(out, wrong) {
			t.Errorf("--follow on an export says %q:\n%s", wrong, out)
		}
	}
}
