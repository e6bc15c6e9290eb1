package adapters_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/adapterstest"
	"github.com/v2gdesk/v2gdesk/feeds"
)

var t0 = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fakeAdapter records what it is asked and answers with respond (accept as
// asked by default). If journal is set, it checks that each setpoint is
// already in the journal when it arrives.
type fakeAdapter struct {
	mu           sync.Mutex
	calls        []adapters.Setpoint
	respond      func(ctx context.Context, sp adapters.Setpoint) adapters.Result
	journal      string
	notInJournal []string
}

func (f *fakeAdapter) Apply(ctx context.Context, sp adapters.Setpoint) adapters.Result {
	f.mu.Lock()
	f.calls = append(f.calls, sp)
	if f.journal != "" {
		b, _ := os.ReadFile(f.journal)
		if !strings.Contains(string(b), `"kind":"setpoint"`) || !strings.Contains(string(b), `"setpoint":"`+sp.ID+`"`) {
			f.notInJournal = append(f.notInJournal, sp.ID)
		}
	}
	respond := f.respond
	f.mu.Unlock()
	if respond != nil {
		return respond(ctx, sp)
	}
	return adapters.Result{Status: adapters.StatusAccepted, AppliedKW: sp.KW}
}

func (f *fakeAdapter) Calls() []adapters.Setpoint {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]adapters.Setpoint(nil), f.calls...)
}

// rig is a guard with a journal in a temp dir and chargers V2G (±10 kW, via
// "a") and AC (11 kW one-way, via "a").
type rig struct {
	g     *adapters.Guard
	j     *adapters.Journal
	path  string
	clock *fakeClock
}

func newRig(t *testing.T, opts adapters.GuardOptions, named map[string]adapters.Adapter) *rig {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	return openRig(t, path, opts, named)
}

func openRig(t *testing.T, path string, opts adapters.GuardOptions, named map[string]adapters.Adapter) *rig {
	t.Helper()
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: t0}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	g := adapters.NewGuard(j, opts)
	for name, a := range named {
		if err := g.AddAdapter(name, a, 2, 8); err != nil {
			t.Fatal(err)
		}
	}
	g.SetCharger(adapters.ChargerConfig{ID: "V2G", Adapter: "a", MaxChargeKW: 10, MaxDischargeKW: 10})
	g.SetCharger(adapters.ChargerConfig{ID: "AC", Adapter: "a", MaxChargeKW: 11})
	t.Cleanup(func() { g.Close(); j.Close() })
	return &rig{g: g, j: j, path: path, clock: clock}
}

func sp(id, charger string, kw float64) adapters.Setpoint {
	return adapters.Setpoint{ID: id, Charger: charger, KW: kw, ValidUntil: t0.Add(15 * time.Minute), Operator: "alice", Event: "DR-1", Reason: "test"}
}

func readRecords(t *testing.T, path string) []adapters.Record {
	t.Helper()
	var out []adapters.Record
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGuardRules(t *testing.T) {
	outOfBounds := func(_ context.Context, sp adapters.Setpoint) adapters.Result {
		return adapters.Result{Status: adapters.StatusAccepted, AppliedKW: 50}
	}
	tests := []struct {
		name    string
		sp      func() adapters.Setpoint
		respond func(context.Context, adapters.Setpoint) adapters.Result
		want    adapters.Status
		applied float64
		reason  string
		sentKW  float64 // power the adapter saw; NaN: not called
	}{
		{"within bounds", func() adapters.Setpoint { return sp("s1", "V2G", 7) }, nil, adapters.StatusAccepted, 7, "", 7},
		{"discharge within bounds", func() adapters.Setpoint { return sp("s1", "V2G", -6) }, nil, adapters.StatusAccepted, -6, "", -6},
		{"charge above max is clamped", func() adapters.Setpoint { return sp("s1", "AC", 22) }, nil, adapters.StatusClamped, 11, "clamped from 22 to 11", 11},
		{"discharge beyond max is clamped", func() adapters.Setpoint { return sp("s1", "V2G", -25) }, nil, adapters.StatusClamped, -10, "clamped from -25 to -10", -10},
		{"discharge on one-way charger", func() adapters.Setpoint { return sp("s1", "AC", -3) }, nil, adapters.StatusRejected, 0, "not bidirectional", math.NaN()},
		{"no validity", func() adapters.Setpoint { s := sp("s1", "V2G", 5); s.ValidUntil = time.Time{}; return s }, nil, adapters.StatusRejected, 0, "no validity", math.NaN()},
		{"expired", func() adapters.Setpoint { s := sp("s1", "V2G", 5); s.ValidUntil = t0.Add(-time.Second); return s }, nil, adapters.StatusRejected, 0, "expired", math.NaN()},
		{"validity too long", func() adapters.Setpoint { s := sp("s1", "V2G", 5); s.ValidUntil = t0.Add(2 * time.Hour); return s }, nil, adapters.StatusRejected, 0, "longer than the maximum 1h0m0s", math.NaN()},
		{"valid_from after valid_until", func() adapters.Setpoint {
			s := sp("s1", "V2G", 5)
			s.ValidFrom = s.ValidUntil.Add(time.Minute)
			return s
		}, nil, adapters.StatusRejected, 0, "not before valid_until", math.NaN()},
		{"starts in the future", func() adapters.Setpoint { s := sp("s1", "V2G", 5); s.ValidFrom = t0.Add(10 * time.Minute); return s }, nil, adapters.StatusRejected, 0, "in the future", math.NaN()},
		{"unknown charger", func() adapters.Setpoint { return sp("s1", "NOPE", 5) }, nil, adapters.StatusRejected, 0, "unknown charger", math.NaN()},
		{"not a number", func() adapters.Setpoint { return sp("s1", "V2G", math.NaN()) }, nil, adapters.StatusRejected, 0, "not a number", math.NaN()},
		{"no id", func() adapters.Setpoint { return sp("", "V2G", 5) }, nil, adapters.StatusRejected, 0, "no id", math.NaN()},
		{"adapter claims more than bounds", func() adapters.Setpoint { return sp("s1", "V2G", 5) }, outOfBounds, adapters.StatusFailed, 0, "outside the charger's bounds", 5},
		{"adapter rejects", func() adapters.Setpoint { return sp("s1", "V2G", 5) },
			func(context.Context, adapters.Setpoint) adapters.Result {
				return adapters.Result{Status: adapters.StatusRejected, Reason: "charge point answered Rejected"}
			}, adapters.StatusRejected, 0, "answered Rejected", 5},
		{"adapter panics", func() adapters.Setpoint { return sp("s1", "V2G", 5) },
			func(context.Context, adapters.Setpoint) adapters.Result { panic("boom") }, adapters.StatusFailed, 0, "panicked: boom", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fa := &fakeAdapter{respond: tt.respond}
			r := newRig(t, adapters.GuardOptions{MaxValidity: time.Hour}, map[string]adapters.Adapter{"a": fa})
			s := tt.sp()
			res := r.g.Apply(context.Background(), s)
			if res.Status != tt.want || !strings.Contains(res.Reason, tt.reason) {
				t.Fatalf("got %s %q, want %s containing %q", res.Status, res.Reason, tt.want, tt.reason)
			}
			if res.Status.Applied() && res.AppliedKW != tt.applied {
				t.Errorf("applied %g kW, want %g", res.AppliedKW, tt.applied)
			}
			if res.ID != s.ID || res.Charger != s.Charger {
				t.Errorf("result names %q/%q, want %q/%q", res.ID, res.Charger, s.ID, s.Charger)
			}
			calls := fa.Calls()
			if math.IsNaN(tt.sentKW) {
				if len(calls) != 0 {
					t.Fatalf("adapter called %d times, want never", len(calls))
				}
			} else if len(calls) != 1 || calls[0].KW != tt.sentKW {
				t.Fatalf("adapter calls %+v, want one at %g kW", calls, tt.sentKW)
			}
			recs := readRecords(t, r.path)
			last := recs[len(recs)-1]
			if last.Kind != adapters.RecResult || last.Status != tt.want || last.Operator != "alice" || last.Event != "DR-1" {
				t.Errorf("last journal record %+v, want a %s result naming operator and event", last, tt.want)
			}
			if !math.IsNaN(tt.sentKW) && (recs[0].Kind != adapters.RecSetpoint || *recs[0].KW != tt.sentKW) {
				t.Errorf("first record %+v, want the setpoint at %g kW", recs[0], tt.sentKW)
			}
		})
	}
}

func TestGuardJournalsBeforeHardware(t *testing.T) {
	fa := &fakeAdapter{}
	r := newRig(t, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	fa.journal = r.path
	res := r.g.ApplyBatch(context.Background(), []adapters.Setpoint{sp("s1", "V2G", 3), sp("s2", "AC", 4)})
	for _, x := range res {
		if x.Status != adapters.StatusAccepted {
			t.Fatalf("result %+v, want accepted", x)
		}
	}
	if len(fa.Calls()) != 2 || len(fa.notInJournal) != 0 {
		t.Fatalf("calls %d, setpoints not yet journalled when the adapter saw them: %v", len(fa.Calls()), fa.notInJournal)
	}
}

func TestGuardJournalFailureSendsNothing(t *testing.T) {
	fa := &fakeAdapter{}
	r := newRig(t, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	r.j.Close()
	res := r.g.Apply(context.Background(), sp("s1", "V2G", 3))
	if res.Status != adapters.StatusFailed || !strings.Contains(res.Reason, "not sent") {
		t.Fatalf("result %+v, want failed: not sent", res)
	}
	if n := len(fa.Calls()); n != 0 {
		t.Fatalf("adapter called %d times with a dead journal", n)
	}
}

func TestGuardRateLimit(t *testing.T) {
	fa := &fakeAdapter{}
	r := newRig(t, adapters.GuardOptions{MinInterval: 30 * time.Second}, map[string]adapters.Adapter{"a": fa})
	steps := []struct {
		advance time.Duration
		id      string
		charger string
		want    adapters.Status
	}{
		{0, "a1", "V2G", adapters.StatusAccepted},
		{10 * time.Second, "a2", "V2G", adapters.StatusRejected}, // too soon
		{0, "b1", "AC", adapters.StatusAccepted},                 // other charger unaffected
		{21 * time.Second, "a3", "V2G", adapters.StatusAccepted}, // 31 s after a1
		// The clock goes back (a simulation seeked back): a3, sent in the
		// guard's future, does not count; the limit holds from a4 on.
		{-20 * time.Minute, "a4", "V2G", adapters.StatusAccepted},
		{10 * time.Second, "a5", "V2G", adapters.StatusRejected},
	}
	for _, s := range steps {
		r.clock.Add(s.advance)
		p := sp(s.id, s.charger, 2)
		p.ValidUntil = r.clock.Now().Add(time.Minute)
		res := r.g.Apply(context.Background(), p)
		if res.Status != s.want {
			t.Fatalf("%s: %+v, want %s", s.id, res, s.want)
		}
		if s.want == adapters.StatusRejected && !strings.Contains(res.Reason, "rate limit") {
			t.Errorf("%s: reason %q does not name the rate limit", s.id, res.Reason)
		}
	}
	if n := len(fa.Calls()); n != 4 {
		t.Fatalf("adapter calls %d, want 4", n)
	}
}

func TestGuardIdempotentIDs(t *testing.T) {
	fa := &fakeAdapter{}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	r := openRig(t, path, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	first := r.g.Apply(context.Background(), sp("same", "V2G", 4))
	// The same setpoint again, twice in one batch.
	again := r.g.ApplyBatch(context.Background(), []adapters.Setpoint{sp("same", "V2G", 4), sp("same", "V2G", 4)})
	for _, a := range again {
		if a != first {
			t.Fatalf("resent id gave %+v, want the first result %+v", a, first)
		}
	}
	// In one batch, a new id twice: applied once, both get the same result.
	pair := r.g.ApplyBatch(context.Background(), []adapters.Setpoint{sp("twin", "AC", 2), sp("twin", "AC", 2)})
	if pair[0] != pair[1] || pair[0].Status != adapters.StatusAccepted {
		t.Fatalf("twin results %+v", pair)
	}
	r.g.Close()
	r.j.Close()
	// After a restart the journal remembers.
	r2 := openRig(t, path, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	after := r2.g.Apply(context.Background(), sp("same", "V2G", 4))
	if after.Status != first.Status || after.AppliedKW != first.AppliedKW {
		t.Fatalf("after restart %+v, want first %+v", after, first)
	}
	if n := len(fa.Calls()); n != 2 {
		t.Fatalf("adapter calls %d, want 2 (same once, twin once)", n)
	}
	if st := r2.g.Stats(); st.Duplicates != 1 {
		t.Errorf("duplicates after restart %d, want 1", st.Duplicates)
	}
}

// TestGuardRefusesIDReusedForAnotherSetpoint: an id used again for another
// charger, power or validity is refused and journalled, in one process and
// after a restart (from the journal), and never answered with the first
// setpoint's result.
func TestGuardRefusesIDReusedForAnotherSetpoint(t *testing.T) {
	fa := &fakeAdapter{}
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	r := openRig(t, path, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	if first := r.g.Apply(context.Background(), sp("OVR-1", "AC", 5)); first.Status != adapters.StatusAccepted {
		t.Fatalf("first %+v", first)
	}
	later := sp("OVR-1", "AC", 5)
	later.ValidUntil = later.ValidUntil.Add(time.Minute)
	others := map[string]adapters.Setpoint{
		`charger "AC", not "V2G"`: sp("OVR-1", "V2G", -20),
		"5 kW, not 7":             sp("OVR-1", "AC", 7),
		"valid until":             later,
	}
	check := func(g *adapters.Guard, when string) {
		t.Helper()
		for want, o := range others {
			res := g.Apply(context.Background(), o)
			if res.Status != adapters.StatusRejected || !strings.Contains(res.Reason, "was used for another setpoint") || !strings.Contains(res.Reason, want) {
				t.Errorf("%s: %+v, want rejected naming %q", when, res, want)
			}
		}
	}
	check(r.g, "same process")
	if st := r.g.Stats(); st.Results[adapters.StatusRejected] != 3 || st.Duplicates != 0 {
		t.Errorf("stats %+v, want 3 rejected and no duplicate", st)
	}
	r.g.Close()
	r.j.Close()
	r2 := openRig(t, path, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	check(r2.g, "after a restart")
	// The first setpoint itself still gets its first result.
	if again := r2.g.Apply(context.Background(), sp("OVR-1", "AC", 5)); again.Status != adapters.StatusAccepted || again.AppliedKW != 5 {
		t.Errorf("same setpoint after restart %+v, want the first result", again)
	}
	if n := len(fa.Calls()); n != 1 {
		t.Fatalf("adapter calls %d, want 1", n)
	}
	var rejected int
	for _, rec := range readRecords(t, path) {
		if rec.Kind == adapters.RecResult && rec.Status == adapters.StatusRejected && strings.Contains(rec.Detail, "another setpoint") {
			rejected++
		}
	}
	if rejected != 6 {
		t.Errorf("%d reuse rejections journalled, want 6", rejected)
	}
}

func TestGuardSentWithoutResultIsNotResent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	kw := 5.0
	if err := j.Append(adapters.Record{Kind: adapters.RecSetpoint, Setpoint: "crashed", Charger: "V2G", KW: &kw}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	fa := &fakeAdapter{}
	r := openRig(t, path, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	res := r.g.Apply(context.Background(), sp("crashed", "V2G", 5))
	if res.Status != adapters.StatusFailed || !strings.Contains(res.Reason, "outcome unknown") || len(fa.Calls()) != 0 {
		t.Fatalf("result %+v calls %d, want failed outcome unknown and no call", res, len(fa.Calls()))
	}
}

func TestGuardDryRun(t *testing.T) {
	fa := &fakeAdapter{}
	r := newRig(t, adapters.GuardOptions{DryRun: true}, map[string]adapters.Adapter{"a": fa})
	res := r.g.ApplyBatch(context.Background(), []adapters.Setpoint{sp("d1", "V2G", 4), sp("d2", "AC", 30)})
	if !res[0].DryRun || res[0].Status != adapters.StatusAccepted || res[1].Status != adapters.StatusClamped || res[1].AppliedKW != 11 {
		t.Fatalf("dry-run results %+v", res)
	}
	if n := len(fa.Calls()); n != 0 {
		t.Fatalf("dry run reached the adapter %d times", n)
	}
	for _, rec := range readRecords(t, r.path) {
		if !rec.DryRun {
			t.Errorf("record %+v not marked dry_run", rec)
		}
	}
}

// blocker answers only when released, or gives up with ctx.
type blocker struct {
	release chan struct{}
	started chan string
}

func (b *blocker) Apply(ctx context.Context, sp adapters.Setpoint) adapters.Result {
	b.started <- sp.ID
	<-b.release
	return adapters.Result{Status: adapters.StatusAccepted, AppliedKW: sp.KW}
}

func TestGuardSlowAdapterTimesOutAlone(t *testing.T) {
	slow := &blocker{release: make(chan struct{}), started: make(chan string, 8)}
	fast := &fakeAdapter{}
	r := newRig(t, adapters.GuardOptions{BatchTimeout: time.Second}, map[string]adapters.Adapter{"a": fast, "slow": slow})
	r.g.SetCharger(adapters.ChargerConfig{ID: "DC", Adapter: "slow", MaxChargeKW: 50, MaxDischargeKW: 50})
	res := r.g.ApplyBatch(context.Background(), []adapters.Setpoint{sp("f1", "V2G", 3), sp("s1", "DC", 20), sp("f2", "AC", 5)})
	if res[0].Status != adapters.StatusAccepted || res[2].Status != adapters.StatusAccepted {
		t.Fatalf("fast adapter blocked by slow one: %+v", res)
	}
	if res[1].Status != adapters.StatusTimeout || !strings.Contains(res[1].Reason, `"slow"`) {
		t.Fatalf("slow result %+v, want timeout naming the adapter", res[1])
	}
	<-slow.started
	close(slow.release)
	r.g.Close() // waits for the worker, which journals the late answer
	var late []adapters.Record
	for _, rec := range readRecords(t, r.path) {
		if rec.Kind == adapters.RecLateResult {
			late = append(late, rec)
		}
	}
	if len(late) != 1 || late[0].Setpoint != "s1" || late[0].Status != adapters.StatusAccepted {
		t.Fatalf("late results %+v, want s1 accepted", late)
	}
	// The late acceptance is counted in place of the timeout reported.
	if st := r.g.Stats(); st.Late != 1 || st.Results[adapters.StatusTimeout] != 0 || st.Results[adapters.StatusAccepted] != 3 {
		t.Errorf("stats %+v, want 3 accepted (one late), no timeout", st)
	}
}

func TestGuardQueueFull(t *testing.T) {
	slow := &blocker{release: make(chan struct{}), started: make(chan string, 8)}
	j, _, err := adapters.OpenJournal(filepath.Join(t.TempDir(), "a.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	g := adapters.NewGuard(j, adapters.GuardOptions{BatchTimeout: time.Second, Now: (&fakeClock{t: t0}).Now})
	if err := g.AddAdapter("slow", slow, 1, 1); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"c1", "c2", "c3"} {
		g.SetCharger(adapters.ChargerConfig{ID: id, Adapter: "slow", MaxChargeKW: 7})
	}
	first := make(chan adapters.Result)
	go func() { first <- g.Apply(context.Background(), sp("q1", "c1", 1)) }()
	<-slow.started // the one worker is now busy with q1
	res := g.ApplyBatch(context.Background(), []adapters.Setpoint{sp("q1b", "c1b", 1), sp("q2", "c2", 1), sp("q3", "c3", 1)})
	// q1b is unknown: rejected. q2 waits in the queue of one until the
	// deadline, so it is never sent: failed, not a timeout (which read "the
	// charger may hold it"); q3 finds the queue full.
	want := []adapters.Status{adapters.StatusRejected, adapters.StatusFailed, adapters.StatusFailed}
	for i, w := range want {
		if res[i].Status != w {
			t.Fatalf("result %d %+v, want %s", i, res[i], w)
		}
	}
	if want := "not sent: the batch deadline passed while the setpoint waited in the adapter's queue"; res[1].Reason != want {
		t.Errorf("q2's reason %q, want %q", res[1].Reason, want)
	}
	// q1's Apply counts it waiting before it returns its timeout: read
	// after, or a loaded machine reads the count before q1's goroutine has
	// seen its own deadline (it failed so once, "waiting 0").
	if r := <-first; r.Status != adapters.StatusTimeout {
		t.Fatalf("q1 %+v, want timeout", r)
	}
	if st := g.Stats(); st.Waiting != 1 {
		t.Errorf("waiting %d, want 1 (q1, with the adapter; q2 was never sent and waits for nothing)", st.Waiting)
	}
	if !strings.Contains(res[2].Reason, "queue is full") {
		t.Errorf("reason %q", res[2].Reason)
	}
	close(slow.release)
	g.Close()
	// q2 was never sent: no answer, so no late_result and not counted late.
	if st := g.Stats(); st.QueueFull != 1 || st.Late != 1 {
		t.Errorf("stats %+v, want 1 queue full and 1 late (q1 answered; q2 not sent)", st)
	}
}

func TestGuardTopologyBoundsAndRoutes(t *testing.T) {
	fa := &fakeAdapter{}
	r := newRig(t, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	r.g.UpdateTopology([]feeds.ChargerInfo{
		{ID: "V2G", MaxChargeKW: 6, MaxDischargeKW: 20, Adapter: "other"}, // tighter charge bound than config
		{ID: "HELLO", MaxChargeKW: 7, Adapter: "a"},                       // only in the topology
	})
	res := r.g.ApplyBatch(context.Background(), []adapters.Setpoint{sp("t1", "V2G", 9), sp("t2", "HELLO", 3)})
	if res[0].Status != adapters.StatusClamped || res[0].AppliedKW != 6 || res[0].Adapter != "a" {
		t.Fatalf("V2G %+v, want clamped to 6 via config route a", res[0])
	}
	if res[1].Status != adapters.StatusAccepted {
		t.Fatalf("HELLO %+v", res[1])
	}
}

func TestGuardRelease(t *testing.T) {
	r := newRig(t, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": adapters.DryRun{}})
	if err := r.g.Release(context.Background(), "V2G", "bob", "end of event"); err != nil {
		t.Fatal(err)
	}
	recs := readRecords(t, r.path)
	if len(recs) != 2 || recs[0].Kind != adapters.RecRelease || recs[0].Detail != "requested" || recs[1].Status != adapters.StatusAccepted || recs[1].Operator != "bob" {
		t.Fatalf("records %+v", recs)
	}
	fa := &fakeAdapter{}
	r2 := newRig(t, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	if err := r2.g.Release(context.Background(), "V2G", "bob", ""); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Fatalf("release on an adapter without Releaser: %v", err)
	}
	// Latest is each charger's latest setpoint with its result.
	if _, ok := r.g.Latest("V2G"); ok {
		t.Error("Latest before any setpoint")
	}
	res := r.g.ApplyBatch(context.Background(), []adapters.Setpoint{sp("l1", "V2G", 4), sp("l2", "V2G", 5)})
	if o, ok := r.g.Latest("V2G"); !ok || o.Setpoint.ID != "l2" || !o.Setpoint.ValidUntil.Equal(t0.Add(15*time.Minute)) || o.Result != res[1] {
		t.Errorf("Latest(V2G) = %+v, %t; want l2 with %+v", o, ok, res[1])
	}
	// CanRelease says beforehand what Release will find.
	if !r.g.CanRelease("V2G") || r2.g.CanRelease("V2G") || r.g.CanRelease("NOPE") {
		t.Errorf("CanRelease: releaser %t, without %t, unknown charger %t; want true, false, false",
			r.g.CanRelease("V2G"), r2.g.CanRelease("V2G"), r.g.CanRelease("NOPE"))
	}
}

// The rate limit holds across processes on one journal: two `v2gdesk
// setpoint` runs in a row each made their own guard, and both got through
// (found in an audit). A guard on a simulated clock, days before the
// journal's wall-clock times, is not blocked by them.
func TestGuardRateLimitAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	wall := func() time.Time { return time.Now() }
	opts := adapters.GuardOptions{MinInterval: time.Hour, Now: wall}
	first := openRig(t, path, opts, map[string]adapters.Adapter{"a": &fakeAdapter{}})
	p := sp("r1", "V2G", 2)
	p.ValidUntil = time.Now().Add(time.Minute)
	if res := first.g.Apply(context.Background(), p); res.Status != adapters.StatusAccepted {
		t.Fatalf("first setpoint: %+v", res)
	}
	first.g.Close()
	first.j.Close()

	second := openRig(t, path, opts, map[string]adapters.Adapter{"a": &fakeAdapter{}})
	p2 := sp("r2", "V2G", 3)
	p2.ValidUntil = time.Now().Add(time.Minute)
	if res := second.g.Apply(context.Background(), p2); res.Status != adapters.StatusRejected || !strings.Contains(res.Reason, "rate limit") {
		t.Errorf("second process, same charger within the interval: %+v, want a rate-limit refusal", res)
	}
	p3 := sp("r3", "AC", 3)
	p3.ValidUntil = time.Now().Add(time.Minute)
	if res := second.g.Apply(context.Background(), p3); res.Status != adapters.StatusAccepted {
		t.Errorf("another charger: %+v", res)
	}
	second.g.Close()
	second.j.Close()

	// A simulated day in the past (the demo day's date; not the rigs' t0,
	// a fixed date that may lie after the journal's wall-clock records, as
	// it did on the day this test was written): its guard's clock is
	// before every journal record, so none of them counts.
	simNow := time.Date(2024, 1, 17, 18, 0, 0, 0, time.UTC)
	sim := openRig(t, path, adapters.GuardOptions{MinInterval: time.Hour, Now: func() time.Time { return simNow }},
		map[string]adapters.Adapter{"a": &fakeAdapter{}})
	ps := sp("s1", "V2G", 2)
	ps.ValidUntil = simNow.Add(15 * time.Minute)
	if res := sim.g.Apply(context.Background(), ps); res.Status != adapters.StatusAccepted {
		t.Errorf("a simulated clock before the journal's records: %+v", res)
	}
}

// applyPastDeadline applies sp under a deadline passed only once the
// adapter has it (a.started), and returns the batch's result.
func applyPastDeadline(t *testing.T, g *adapters.Guard, a *lateAnswerer, sp adapters.Setpoint) adapters.Result {
	t.Helper()
	ctx := adapterstest.NewDeadline()
	res := make(chan adapters.Result, 1)
	go func() { res <- g.Apply(ctx, sp) }()
	if id := <-a.started; id != sp.ID {
		t.Fatalf("adapter got %q, want %q", id, sp.ID)
	}
	ctx.Pass()
	return <-res
}

// lateAnswerer answers only when released, or reports a timeout when its
// context ends first, as a real adapter does.
type lateAnswerer struct {
	started chan string
	release chan struct{}
}

func (a *lateAnswerer) Apply(ctx context.Context, sp adapters.Setpoint) adapters.Result {
	a.started <- sp.ID
	select {
	case <-a.release:
		return adapters.Result{Status: adapters.StatusAccepted, AppliedKW: sp.KW, Reason: "held"}
	case <-ctx.Done():
		return adapters.Result{Status: adapters.StatusTimeout, Reason: "no answer before the deadline"}
	}
}

func TestGuardJournalsTheRealLateAnswer(t *testing.T) {
	a := &lateAnswerer{started: make(chan string, 1), release: make(chan struct{})}
	r := newRig(t, adapters.GuardOptions{BatchTimeout: time.Hour, LateGrace: time.Hour}, map[string]adapters.Adapter{"a": a})
	res := applyPastDeadline(t, r.g, a, sp("late1", "V2G", -5.43))
	if res.Status != adapters.StatusTimeout {
		t.Fatalf("result %+v, want timeout at the batch deadline", res)
	}
	if w := r.g.Stats().Waiting; w != 1 {
		t.Errorf("Waiting = %d after the deadline, want 1", w)
	}
	close(a.release) // the equipment answers after the batch stopped waiting
	r.g.Close()
	if w := r.g.Stats().Waiting; w != 0 {
		t.Errorf("Waiting = %d after Close, want 0", w)
	}
	var kinds []adapters.RecordKind
	var late *adapters.Record
	for _, rec := range readRecords(t, r.path) {
		kinds = append(kinds, rec.Kind)
		if rec.Kind == adapters.RecLateResult {
			late = &rec
		}
	}
	want := []adapters.RecordKind{adapters.RecSetpoint, adapters.RecResult, adapters.RecLateResult}
	if len(kinds) != 3 || kinds[0] != want[0] || kinds[1] != want[1] || kinds[2] != want[2] {
		t.Fatalf("records %v, want %v", kinds, want)
	}
	if late.Status != adapters.StatusAccepted || late.AppliedKW == nil || *late.AppliedKW != -5.43 {
		t.Fatalf("late_result %+v, want accepted at -5.43 kW", *late)
	}
	// The charger's page and the overview's counts say what the charger
	// did, not the timeout reported at the deadline.
	st := r.g.Stats()
	if st.Late != 1 || st.Results[adapters.StatusTimeout] != 0 || st.Results[adapters.StatusAccepted] != 1 {
		t.Errorf("stats %+v, want one accepted (late), no timeout", st)
	}
	if o, ok := r.g.Latest("V2G"); !ok || !o.Late || o.Setpoint.ID != "late1" || o.Result.Status != adapters.StatusAccepted || o.Result.AppliedKW != -5.43 {
		t.Errorf("latest %+v, want late1 accepted late at -5.43 kW", o)
	}
}

func TestGuardWritesNoLateResultWithoutAnAnswer(t *testing.T) {
	a := newSilentAdapter()
	r := newRig(t, adapters.GuardOptions{BatchTimeout: time.Hour, LateGrace: time.Millisecond}, map[string]adapters.Adapter{"a": a})
	if res := applyUnanswered(t, r.g, a, sp("never", "V2G", 3)); res.Status != adapters.StatusTimeout {
		t.Fatalf("result %+v, want timeout", res)
	}
	r.g.Close()
	for _, rec := range readRecords(t, r.path) {
		if rec.Kind == adapters.RecLateResult {
			t.Fatalf("late_result %+v written for no answer", rec)
		}
	}
	if st := r.g.Stats(); st.Late != 0 || st.Results[adapters.StatusTimeout] != 1 {
		t.Errorf("stats %+v, want one timeout, nothing late", st)
	}
	if o, ok := r.g.Latest("V2G"); !ok || o.Late || o.Result.Status != adapters.StatusTimeout {
		t.Errorf("latest %+v, want the timeout", o)
	}
}

// TestGuardRoundsToWatts: what goes to the adapter is whole watts, rounded
// toward zero within the bounds, never -0; a difference below 1 W is not a
// clamp.
func TestGuardRoundsToWatts(t *testing.T) {
	fa := &fakeAdapter{}
	r := newRig(t, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	r.g.SetCharger(adapters.ChargerConfig{ID: "ODD", Adapter: "a", MaxChargeKW: 7.4006, MaxDischargeKW: 7.4006})
	tests := []struct {
		charger string
		kw      float64
		sent    float64
		status  adapters.Status
	}{
		{"V2G", 3.095469740394127e-7, 0, adapters.StatusAccepted},
		{"AC", math.Copysign(0, -1), 0, adapters.StatusAccepted},
		{"AC", -1e-7, 0, adapters.StatusAccepted}, // below a watt: not a discharge
		{"V2G", 4.35, 4.35, adapters.StatusAccepted},
		{"V2G", -5.4329, -5.432, adapters.StatusAccepted},
		{"ODD", 9, 7.4, adapters.StatusClamped},
		{"ODD", -9, -7.4, adapters.StatusClamped},
	}
	for i, tt := range tests {
		r.clock.Add(time.Minute)
		s := sp(fmt.Sprintf("w%d", i), tt.charger, tt.kw)
		s.ValidUntil = r.clock.Now().Add(time.Minute)
		res := r.g.Apply(context.Background(), s)
		calls := fa.Calls()
		got := calls[len(calls)-1].KW
		if res.Status != tt.status || got != tt.sent || math.Signbit(got) != math.Signbit(tt.sent) {
			t.Errorf("%s %v kW: sent %v (%+v), want %v, %s", tt.charger, tt.kw, got, res, tt.sent, tt.status)
		}
	}
}

// TestGuardWaitLate: WaitLate hands a one-shot caller the answer that came
// after the timeout it was told (whether it asks before or after it
// came), and gives up with its context when none comes.
func TestGuardWaitLate(t *testing.T) {
	a := &lateAnswerer{started: make(chan string, 1), release: make(chan struct{})}
	r := newRig(t, adapters.GuardOptions{BatchTimeout: time.Hour, LateGrace: time.Hour}, map[string]adapters.Adapter{"a": a})
	if res := applyPastDeadline(t, r.g, a, sp("wl1", "V2G", 4)); res.Status != adapters.StatusTimeout {
		t.Fatalf("result %+v, want timeout", res)
	}
	got := make(chan adapters.Result, 1)
	go func() {
		l, err := r.g.WaitLate(context.Background(), "wl1")
		if err != nil {
			t.Error(err)
		}
		got <- l
	}()
	close(a.release)
	if l := <-got; l.Status != adapters.StatusAccepted || l.AppliedKW != 4 || l.ID != "wl1" {
		t.Fatalf("late answer %+v, want wl1 accepted at 4 kW", l)
	}
	// Asked again once it came: at once.
	if l, err := r.g.WaitLate(context.Background(), "wl1"); err != nil || l.Status != adapters.StatusAccepted {
		t.Fatalf("second wait: %+v, %v", l, err)
	}
	if _, err := r.g.WaitLate(context.Background(), "nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown id: %v, want an error naming it", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := newSilentAdapter()
	r2 := newRig(t, adapters.GuardOptions{BatchTimeout: time.Hour, LateGrace: time.Millisecond}, map[string]adapters.Adapter{"a": b})
	if res := applyUnanswered(t, r2.g, b, sp("wl2", "V2G", 4)); res.Status != adapters.StatusTimeout {
		t.Fatalf("result %+v, want timeout", res)
	}
	if _, err := r2.g.WaitLate(ctx, "wl2"); !errors.Is(err, context.Canceled) {
		t.Errorf("no answer, context ended: %v, want context.Canceled", err)
	}
}
