package control

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// countingAdapter accepts every setpoint and counts those it was handed.
type countingAdapter struct {
	mu   sync.Mutex
	seen int
}

func (a *countingAdapter) Apply(_ context.Context, sp adapters.Setpoint) adapters.Result {
	a.mu.Lock()
	a.seen++
	a.mu.Unlock()
	return adapters.Result{ID: sp.ID, Charger: sp.Charger, Status: adapters.StatusAccepted, AppliedKW: sp.KW}
}

func (a *countingAdapter) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.seen
}

// runOnJournal is one run of a desk over the test site's fleet times (the
// same each run, as a simulated or replayed day's are) with the journal
// at path: it confirms an event and returns how many setpoints reached the
// hardware and what the controller was told of them.
func runOnJournal(t *testing.T, path, tag string) (reached int, pr Progress, ids []string) {
	t.Helper()
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	s := newSite(t)
	quiet := slog.New(slog.DiscardHandler)
	g := adapters.NewGuard(j, adapters.GuardOptions{Now: s.Now, Logger: quiet})
	defer g.Close()
	hw := &countingAdapter{}
	if err := g.AddAdapter("site", hw, 0, 0); err != nil {
		t.Fatal(err)
	}
	snap := s.Snapshot()
	infos := make([]feeds.ChargerInfo, snap.NumChargers())
	for i := range infos {
		infos[i] = snap.ChargerAt(i).ChargerInfo
		infos[i].Adapter = "site"
	}
	g.UpdateTopology(infos)
	rec := &recordingSender{Sender: g}
	c, err := New(Options{Fleet: s, Sender: rec, Journal: j, IDTag: tag, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{site: s, c: c}
	id := r.confirmed(t, capF1("DR-1", 100))
	v, _ := c.Event(id)
	return hw.count(), v.Progress, rec.ids()
}

// recordingSender passes setpoints on and keeps their ids.
type recordingSender struct {
	Sender
	mu  sync.Mutex
	got []string
}

func (r *recordingSender) ApplyBatch(ctx context.Context, sps []adapters.Setpoint) []adapters.Result {
	r.mu.Lock()
	for _, sp := range sps {
		r.got = append(r.got, sp.ID)
	}
	r.mu.Unlock()
	return r.Sender.ApplyBatch(ctx, sps)
}

func (r *recordingSender) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

// A simulated day run again with the same journal makes its plans at the
// same fleet times: without a tag per run its setpoint ids were the last
// run's, and the guard answered them with the last run's results (never
// sending them) or refused them as ids used for another setpoint.
func TestRunTagKeepsARerunsSetpointsItsOwn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	first, pr1, ids1 := runOnJournal(t, path, "run1")
	if first == 0 || pr1.ByStatus[adapters.StatusAccepted] != first {
		t.Fatalf("first run: %d setpoints reached the hardware, progress %+v", first, pr1.ByStatus)
	}
	for _, id := range ids1 {
		if !strings.Contains(id, ".1~run1/") {
			t.Fatalf("first run's setpoint id %q has no run tag", id)
		}
	}
	second, pr2, _ := runOnJournal(t, path, "run2")
	if second != first || pr2.ByStatus[adapters.StatusAccepted] != first {
		t.Errorf("second run with its own tag: %d setpoints reached the hardware (first run %d), progress %+v",
			second, first, pr2.ByStatus)
	}
	// What the tag prevents: the same run again, untagged twice.
	untagged := filepath.Join(t.TempDir(), "audit.jsonl")
	runOnJournal(t, untagged, "")
	again, _, _ := runOnJournal(t, untagged, "")
	if again != 0 {
		t.Errorf("an untagged rerun reached the hardware with %d setpoints: the guard no longer takes a known id for a re-send, and this test's premise is gone", again)
	}
}

func TestIDTagMustBePlain(t *testing.T) {
	s := newSite(t)
	for _, tag := range []string{"a/b", "run 1", "x~y"} {
		if _, err := New(Options{Fleet: s, IDTag: tag}); err == nil || !strings.Contains(err.Error(), "IDTag") {
			t.Errorf("IDTag %q: err %v, want one naming IDTag", tag, err)
		}
	}
	if _, err := New(Options{Fleet: s, IDTag: "k3x-9_A"}); err != nil {
		t.Errorf("IDTag k3x-9_A: %v", err)
	}
}
