package adapters_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
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
