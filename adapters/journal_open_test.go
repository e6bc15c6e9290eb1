package adapters_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// writeMonth appends n setpoints with their results, one every 15 minutes
// from t0, each valid for 20 minutes, as the guard journals them; it leaves
// the journal closed.
func writeMonth(t *testing.T, path string, n int) {
	t.Helper()
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for i := range n {
		at := t0.Add(time.Duration(i) * 15 * time.Minute)
		until := at.Add(20 * time.Minute)
		kw := 5.0
		id := fmt.Sprintf("sp-%d", i)
		if err := j.Append(adapters.Record{TS: at, Kind: adapters.RecSetpoint, Charger: "AC", Setpoint: id, KW: &kw, RequestedKW: &kw, ValidFrom: &at, ValidUntil: &until}); err != nil {
			t.Fatal(err)
		}
		if err := j.Append(adapters.Record{TS: at, Kind: adapters.RecResult, Charger: "AC", Setpoint: id, Status: adapters.StatusAccepted, AppliedKW: &kw}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOpenForgetsExpiredWhileReading: with ForgetBefore, an id whose
// setpoint has expired is forgotten when its result is read, so the open
// never holds the file's ids all at once; it ends where OpenJournal and
// ForgetExpired end: the valid id, the rejection without a validity and
// the setpoint a restart cut off are remembered, the others not.
func TestOpenForgetsExpiredWhileReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	const n = 500
	writeMonth(t, path, n)
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	kw := 5.0
	last := t0.Add(n * 15 * time.Minute)
	until := last.Add(20 * time.Minute)
	if err := j.Append(
		adapters.Record{TS: last, Kind: adapters.RecResult, Charger: "AC", Setpoint: "rej", RequestedKW: &kw, Status: adapters.StatusRejected, Detail: "unknown charger"},
		adapters.Record{TS: last, Kind: adapters.RecSetpoint, Charger: "AC", Setpoint: "cut", KW: &kw, RequestedKW: &kw, ValidFrom: &last, ValidUntil: &until},
		// A late answer whose result could not be written: still unknown.
		adapters.Record{TS: last, Kind: adapters.RecSetpoint, Charger: "AC", Setpoint: "lateonly", KW: &kw, RequestedKW: &kw, ValidFrom: &last, ValidUntil: &until},
		adapters.Record{TS: last, Kind: adapters.RecLateResult, Charger: "AC", Setpoint: "lateonly", Status: adapters.StatusAccepted, AppliedKW: &kw},
	); err != nil {
		t.Fatal(err)
	}
	j.Close()

	cutoff := last.Add(-time.Minute) // sp-(n-1) is still valid
	whole, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if peak := adapters.JournalPeakOnOpen(whole); peak < n {
		t.Errorf("OpenJournal held at most %d ids; want all %d (it forgets nothing)", peak, n)
	}
	wholeForgot := whole.ForgetExpired(cutoff)
	wantIDs := adapters.JournalOutcomes(whole)
	whole.Close()

	j, _, err = adapters.OpenJournalWith(path, adapters.OpenOptions{ForgetBefore: cutoff})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if peak := adapters.JournalPeakOnOpen(j); peak > 8 {
		t.Errorf("held up to %d ids while opening; want at most 8 (the expired forgotten as read)", peak)
	}
	if got := adapters.JournalOutcomes(j); got != wantIDs || got != 4 {
		t.Errorf("remembers %d ids; OpenJournal and ForgetExpired remember %d; want 4", got, wantIDs)
	}
	for _, id := range []string{fmt.Sprintf("sp-%d", n-1), "rej", "cut", "lateonly"} {
		if _, ok := j.Outcome(id); !ok {
			t.Errorf("%s forgotten; it is still valid, has no validity or was cut off", id)
		}
	}
	for _, id := range []string{"cut", "lateonly"} {
		if r, _ := j.Outcome(id); r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, "outcome unknown") {
			t.Errorf("%s: %+v, want failed, outcome unknown", id, r)
		}
	}
	if _, ok := j.Outcome("sp-0"); ok {
		t.Error("sp-0 is remembered; it expired long before the cutoff")
	}
	g := adapters.NewGuard(j, adapters.GuardOptions{Now: func() time.Time { return cutoff.Add(adapters.DefaultBatchTimeout) }})
	defer g.Close()
	if got := g.Stats().Forgotten; got != wholeForgot || got != n-1 {
		t.Errorf("guard counts %d forgotten; OpenJournal then ForgetExpired forgot %d; want %d", got, wholeForgot, n-1)
	}
}

// TestOpenOptionsForUsesGuardClock: the cutoff is the guard's clock less
// its batch timeout (the default when unset), as NewGuard's.
func TestOpenOptionsForUsesGuardClock(t *testing.T) {
	now := func() time.Time { return t0 }
	if got := adapters.OpenOptionsFor(adapters.GuardOptions{Now: now}).ForgetBefore; !got.Equal(t0.Add(-adapters.DefaultBatchTimeout)) {
		t.Errorf("default batch timeout: cutoff %v", got)
	}
	if got := adapters.OpenOptionsFor(adapters.GuardOptions{Now: now, BatchTimeout: time.Minute}).ForgetBefore; !got.Equal(t0.Add(-time.Minute)) {
		t.Errorf("1m batch timeout: cutoff %v", got)
	}
}
