package adapters_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// fill sends n setpoints with new ids (valid for validity from the rig's
// clock) in one batch, and fails the test unless each gets a result.
func fill(t *testing.T, r *rig, prefix string, n int, validity time.Duration) {
	t.Helper()
	sps := make([]adapters.Setpoint, n)
	for i := range sps {
		sps[i] = sp(fmt.Sprintf("%s-%d", prefix, i), "AC", 5)
		sps[i].ValidUntil = r.clock.Now().Add(validity)
	}
	for i, res := range r.g.ApplyBatch(context.Background(), sps) {
		if res.ID != sps[i].ID || res.Status == "" {
			t.Fatalf("result %d: %+v", i, res)
		}
	}
}

// TestGuardForgetsExpiredIDs: an id is remembered while its setpoint is
// valid (a re-send gets the first result), and forgotten once its validity
// and the batch timeout have passed and the set of ids has grown enough to
// be pruned; a re-send then is refused as expired, never applied.
func TestGuardForgetsExpiredIDs(t *testing.T) {
	r := newRig(t, adapters.GuardOptions{DryRun: true}, nil)
	first := r.g.Apply(context.Background(), sp("first", "V2G", 4)) // valid until t0+15m
	if first.Status != adapters.StatusAccepted {
		t.Fatalf("first: %+v", first)
	}
	r.clock.Add(10 * time.Minute)
	if again := r.g.Apply(context.Background(), sp("first", "V2G", 4)); again != first {
		t.Fatalf("re-send while valid: %+v, want the first result %+v", again, first)
	}
	// Past valid_until, within the margin: still remembered, even through a
	// prune.
	r.clock.Add(5*time.Minute + adapters.DefaultBatchTimeout/2)
	fill(t, r, "a", adapters.MinPruneAt, time.Minute)
	st := r.g.Stats()
	if st.Prunes != 1 || st.Forgotten != 0 || st.Duplicates != 1 {
		t.Fatalf("after the first prune within the margin: %+v", st)
	}
	if again := r.g.Apply(context.Background(), sp("first", "V2G", 4)); again != first {
		t.Fatalf("re-send within the margin: %+v, want the first result %+v", again, first)
	}
	// Past the margin: the next prune (the set has doubled) forgets it, and
	// the "a" ids, still valid, stay.
	r.clock.Add(adapters.DefaultBatchTimeout)
	fill(t, r, "b", adapters.MinPruneAt+1, time.Minute)
	st = r.g.Stats()
	if st.Prunes != 2 || st.Forgotten != 1 || st.Remembered != 2*adapters.MinPruneAt+1 {
		t.Fatalf("after the second prune: %+v, want 2 prunes, 1 forgotten, %d remembered", st, 2*adapters.MinPruneAt+1)
	}
	if _, ok := r.j.Outcome("first"); ok {
		t.Error("the journal still remembers the forgotten id")
	}
	res := r.g.Apply(context.Background(), sp("first", "V2G", 4))
	if res.Status != adapters.StatusRejected || !strings.Contains(res.Reason, "expired") {
		t.Fatalf("re-send after expiry: %+v, want rejected as expired", res)
	}
	if st := r.g.Stats(); st.Duplicates != 2 {
		t.Errorf("duplicates %d, want 2 (the re-send after expiry is not one)", st.Duplicates)
	}
	// The rejection is journalled and remembered like any first outcome.
	if again := r.g.Apply(context.Background(), sp("first", "V2G", 4)); again != res {
		t.Errorf("second re-send after expiry: %+v, want %+v", again, res)
	}
}

// TestGuardKeepsInFlightIDs: an id whose setpoint is still with its adapter
// is not forgotten, however old its validity by the guard's clock.
func TestGuardKeepsInFlightIDs(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	fa := &fakeAdapter{respond: func(_ context.Context, sp adapters.Setpoint) adapters.Result {
		if sp.ID == "slow" {
			close(arrived)
			<-release
		}
		return adapters.Result{Status: adapters.StatusAccepted, AppliedKW: sp.KW}
	}}
	// A generous batch deadline: the test releases the adapter itself.
	r := newRig(t, adapters.GuardOptions{BatchTimeout: time.Hour}, map[string]adapters.Adapter{"a": fa})
	done := make(chan adapters.Result)
	go func() {
		s := sp("slow", "V2G", 3)
		s.ValidUntil = t0.Add(time.Minute)
		done <- r.g.Apply(context.Background(), s)
	}()
	<-arrived
	r.clock.Add(3 * time.Hour) // past valid_until and the margin
	fill(t, r, "x", adapters.MinPruneAt, time.Minute)
	if st := r.g.Stats(); st.Prunes != 1 || st.Forgotten != 0 {
		t.Fatalf("after a prune with slow in flight: %+v", st)
	}
	close(release)
	first := <-done
	if first.Status != adapters.StatusAccepted {
		t.Fatalf("slow: %+v", first)
	}
	s := sp("slow", "V2G", 3)
	s.ValidUntil = t0.Add(time.Minute)
	if again := r.g.Apply(context.Background(), s); again != first {
		t.Fatalf("re-send of the in-flight id: %+v, want its first result %+v", again, first)
	}
}

// TestGuardSeenBounded: 100,000 setpoints while the clock moves on keep the
// guard's set of ids, and the journal's outcomes, bounded by what is still
// valid, not by what was ever sent.
func TestGuardSeenBounded(t *testing.T) {
	const total, batch = 100_000, 500
	const validity, step = time.Minute, 30 * time.Second
	r := newRig(t, adapters.GuardOptions{DryRun: true}, nil)
	// Live ids: those valid, or within the batch timeout after it, at most
	// (validity + margin) / step + 1 batches.
	live := int((validity+adapters.DefaultBatchTimeout)/step+1) * batch
	bound := max(adapters.MinPruneAt, 2*live) + batch
	peak := 0
	for k := range total / batch {
		fill(t, r, fmt.Sprintf("b%d", k), batch, validity)
		r.clock.Add(step)
		st := r.g.Stats()
		peak = max(peak, st.Remembered)
		if st.Remembered > bound {
			t.Fatalf("after %d setpoints the guard remembers %d ids, bound %d", (k+1)*batch, st.Remembered, bound)
		}
		if n := adapters.JournalOutcomes(r.j); n > bound {
			t.Fatalf("after %d setpoints the journal remembers %d outcomes, bound %d", (k+1)*batch, n, bound)
		}
	}
	st := r.g.Stats()
	if st.Forgotten+st.Remembered != total || st.Prunes == 0 {
		t.Fatalf("stats %+v: forgotten + remembered should be %d", st, total)
	}
	t.Logf("%d setpoints: peak %d ids remembered (bound %d), %d prunes, %d forgotten", total, peak, bound, st.Prunes, st.Forgotten)
}

// TestGuardForgetsJournalsExpiredIDsOnOpen: the ids a journal read on open
// are forgotten when the guard is made if their validity and the batch
// timeout have passed by its clock (a re-send is refused as expired), so a
// long journal is not held in memory; ids still valid, and a guard's
// rejections (journalled without a validity), are remembered; a simulated
// clock before the journal's times forgets none.
func TestGuardForgetsJournalsExpiredIDsOnOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	r := openRig(t, path, adapters.GuardOptions{DryRun: true}, nil)
	old := r.g.Apply(context.Background(), sp("old", "V2G", 4)) // valid until t0+15m
	r.clock.Add(time.Hour)
	fresh := sp("fresh", "AC", 5)
	fresh.ValidUntil = r.clock.Now().Add(15 * time.Minute)
	first := r.g.Apply(context.Background(), fresh)
	rej := r.g.Apply(context.Background(), sp("rej", "nope", 1))
	if old.Status != adapters.StatusAccepted || first.Status != adapters.StatusAccepted || rej.Status != adapters.StatusRejected {
		t.Fatalf("setup: old %+v, fresh %+v, rej %+v", old, first, rej)
	}
	r.g.Close()
	r.j.Close()

	// A simulated day two days before the journal's records: nothing has
	// expired by its clock.
	sim := &fakeClock{t: t0.Add(-48 * time.Hour)}
	rs := openRig(t, path, adapters.GuardOptions{DryRun: true, Now: sim.Now}, nil)
	if st := rs.g.Stats(); st.Forgotten != 0 || adapters.JournalOutcomes(rs.j) != 3 {
		t.Fatalf("simulated clock: forgotten %d, journal outcomes %d; want 0 and 3", st.Forgotten, adapters.JournalOutcomes(rs.j))
	}
	rs.g.Close()
	rs.j.Close()

	// Five minutes after fresh was sent: old's validity ended 50 minutes
	// ago, past the batch timeout.
	later := &fakeClock{t: t0.Add(time.Hour + 5*time.Minute)}
	r2 := openRig(t, path, adapters.GuardOptions{DryRun: true, Now: later.Now}, nil)
	if st := r2.g.Stats(); st.Forgotten != 1 {
		t.Errorf("forgotten on open %d, want 1 (old)", st.Forgotten)
	}
	if n := adapters.JournalOutcomes(r2.j); n != 2 {
		t.Errorf("journal outcomes after open %d, want 2 (fresh, rej)", n)
	}
	if _, ok := r2.j.Outcome("old"); ok {
		t.Error("the journal still remembers old")
	}
	if again := r2.g.Apply(context.Background(), fresh); again.Status != first.Status || again.AppliedKW != first.AppliedKW {
		t.Errorf("re-send of fresh: %+v, want its first result %+v", again, first)
	}
	if again := r2.g.Apply(context.Background(), sp("rej", "nope", 1)); again.Status != rej.Status || again.Reason != rej.Reason {
		t.Errorf("re-send of rej: %+v, want its first result %+v", again, rej)
	}
	res := r2.g.Apply(context.Background(), sp("old", "V2G", 4))
	if res.Status != adapters.StatusRejected || !strings.Contains(res.Reason, "expired") {
		t.Errorf("re-send of old: %+v, want rejected as expired, never applied", res)
	}
}

// TestGuardForgetsChargersThatLeft: on a site whose chargers come and go,
// a prune drops the send times the rate limit no longer counts and the
// latest setpoints of chargers no hello or config names once they have
// lapsed; a charger still configured keeps its latest setpoint, and one
// sent to within MinInterval is still rate-limited.
func TestGuardForgetsChargersThatLeft(t *testing.T) {
	r := newRig(t, adapters.GuardOptions{DryRun: true, MinInterval: time.Minute}, nil)
	const n = 200
	var topo []feeds.ChargerInfo
	var sps []adapters.Setpoint
	for i := range n {
		id := fmt.Sprintf("C%03d", i)
		topo = append(topo, feeds.ChargerInfo{ID: id, MaxChargeKW: 11, Adapter: "a"})
		sps = append(sps, sp("first-"+id, id, 5))
	}
	r.g.UpdateTopology(topo)
	sps = append(sps, sp("v2g", "V2G", 4))
	for i, res := range r.g.ApplyBatch(context.Background(), sps) {
		if res.Status != adapters.StatusAccepted {
			t.Fatalf("setpoint %d: %+v", i, res)
		}
	}
	if last, latest := adapters.GuardChargerMaps(r.g); last != n+1 || latest != n+1 {
		t.Fatalf("after the first batch: %d send times, %d latest setpoints; want %d each", last, latest, n+1)
	}
	// The chargers leave the hello; their setpoints (valid 15 minutes)
	// lapse and the batch timeout passes; new setpoints for AC fill the
	// set of ids up to a prune.
	r.g.UpdateTopology(nil)
	r.clock.Add(15*time.Minute + adapters.DefaultBatchTimeout + time.Second)
	fill(t, r, "ac", adapters.MinPruneAt, time.Minute)
	if st := r.g.Stats(); st.Prunes == 0 {
		t.Fatalf("no prune: %+v", st)
	}
	last, latest := adapters.GuardChargerMaps(r.g)
	if last != 1 {
		t.Errorf("%d send times kept, want 1 (AC, just sent to)", last)
	}
	if latest != 2 {
		t.Errorf("%d latest setpoints kept, want 2 (the configured AC and V2G)", latest)
	}
	if _, ok := r.g.Latest("C007"); ok {
		t.Error("a charger that left still has its lapsed latest setpoint")
	}
	if o, ok := r.g.Latest("V2G"); !ok || o.Setpoint.ID != "v2g" {
		t.Errorf("V2G, still configured: latest %+v %v, want v2g", o, ok)
	}
	again := sp("ac-again", "AC", 3)
	again.ValidUntil = r.clock.Now().Add(10 * time.Minute)
	res := r.g.Apply(context.Background(), again)
	if res.Status != adapters.StatusRejected || !strings.Contains(res.Reason, "rate limit") {
		t.Errorf("AC again within MinInterval: %+v, want rejected by the rate limit", res)
	}
}
