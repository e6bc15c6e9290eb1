package control

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// slowSender passes setpoints on to a guard, and moves the site's clock by
// lag before the next batch it is armed for: the fleet time a solve and
// its send take on a day sped up to 600x (the simulator's clock runs on
// while the controller plans, a minute of it every 100 ms).
type slowSender struct {
	Sender
	site *testSite
	mu   sync.Mutex
	lag  time.Duration
}

func (s *slowSender) arm(lag time.Duration) {
	s.mu.Lock()
	s.lag = lag
	s.mu.Unlock()
}

func (s *slowSender) ApplyBatch(ctx context.Context, sps []adapters.Setpoint) []adapters.Result {
	s.mu.Lock()
	lag := s.lag
	s.lag = 0
	s.mu.Unlock()
	if lag > 0 {
		s.site.report(lag)
	}
	return s.Sender.ApplyBatch(ctx, sps)
}

// MinInterval passes the guard's rate limit on (RateLimiter).
func (s *slowSender) MinInterval() time.Duration {
	return s.Sender.(interface{ MinInterval() time.Duration }).MinInterval()
}

// guardedRig is a controller sending through a real guard on the site's
// clock, with the guard's default rate limit (10 s per charger), as a
// simulated desk's is; the journal is returned for reading back.
func guardedRig(t *testing.T, site *seekingSite) (*Controller, *slowSender, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	quiet := slog.New(slog.DiscardHandler)
	g := adapters.NewGuard(j, adapters.GuardOptions{Now: site.Now, MinInterval: adapters.DefaultMinInterval, Logger: quiet})
	t.Cleanup(g.Close)
	if err := g.AddAdapter("site", &countingAdapter{}, 0, 0); err != nil {
		t.Fatal(err)
	}
	snap := site.Snapshot()
	infos := make([]feeds.ChargerInfo, snap.NumChargers())
	for i := range infos {
		infos[i] = snap.ChargerAt(i).ChargerInfo
		infos[i].Adapter = "site"
	}
	g.UpdateTopology(infos)
	snd := &slowSender{Sender: g, site: site.testSite}
	c, err := New(Options{Fleet: site, Sender: snd, Journal: j, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return c, snd, path
}

// TestSeekNearSlotEndIsNotFollowedAtTheSameInstant: on the demo desk at
// 600x, `:seek 23:58` with a DR event running. The seek's re-plan was made
// on the snapshot of 23:58 and its setpoints went out at 00:00 (the
// simulator's clock ran on while it was solved), and the next step planned
// the new slot of 00:00 at once: the guard refused 92 of its 156 setpoints
// ("previous setpoint ... was 0s ago; minimum interval is 10s") and the
// chargers stayed on the seek's. Here the seek lands at 18:12 and its plan
// goes out at 18:15. The slot's plan now waits out the guard's rate limit
// after that send (18:16, the next simulated minute), and every setpoint
// of both is accepted; the chargers are never left without a valid
// setpoint in between.
func TestSeekNearSlotEndIsNotFollowedAtTheSameInstant(t *testing.T) {
	ctx := context.Background()
	site := &seekingSite{testSite: newSite(t)}
	c, snd, path := guardedRig(t, site)
	r := &rig{site: site.testSite, c: c}
	id := r.confirmed(t, capF1("", 120))
	c.Step(ctx)

	site.seek(ctx, c, 12*time.Minute) // 18:00 -> 18:12
	snd.arm(3 * time.Minute)          // its plan goes out at 18:15
	c.Step(ctx)
	v, _ := c.Event(id)
	if v.Plans != 2 || v.LastWhy.Kind != WhySeek {
		t.Fatalf("after the seek: plans %d, last %q; want 2, the seek's", v.Plans, v.LastReason)
	}
	seekValid := v.Progress.ValidUntil

	// The step right after, at the same fleet instant (18:15): the seek's
	// plan went out in this simulated minute, so the slot's waits.
	c.Step(ctx)
	if v, _ = c.Event(id); v.Plans != 2 {
		t.Errorf("at 18:15, the instant the seek's plan went out: %d plans, want still 2: last %q", v.Plans, v.LastReason)
	}
	if want := site.Now().Add(adapters.DefaultMinInterval); !v.NextPlan.Equal(want) {
		t.Errorf("next plan due %s, want %s: the guard's rate limit after the seek's send", v.NextPlan, want)
	}
	// The next simulated minute: the slot's plan.
	site.report(time.Minute) // 18:16
	c.Step(ctx)
	v, _ = c.Event(id)
	if v.Plans != 3 || v.LastWhy.Kind != WhyNewSlot || v.LastReason != "new slot 18:15" {
		t.Errorf("at 18:16: plans %d, last %q; want 3, \"new slot 18:15\"", v.Plans, v.LastReason)
	}
	if !seekValid.After(site.Now()) {
		t.Errorf("the seek's setpoints were valid until %s, before the slot's plan at %s", seekValid, site.Now())
	}
	if n := v.Progress.Total[adapters.StatusRejected]; n != 0 {
		t.Errorf("%d setpoints rejected over the event's plans (%v); want none", n, v.Progress.Failed)
	}
	if v.Progress.Done != v.Progress.Sent || v.Progress.ByStatus[adapters.StatusAccepted] != v.Progress.Sent {
		t.Errorf("latest plan: %d sent, %d answered, %v; want every one accepted", v.Progress.Sent, v.Progress.Done, v.Progress.ByStatus)
	}
	if recs := readJournal(t, path); strings.Contains(recs, "rate limit") {
		t.Errorf("the journal holds rate-limit refusals:\n%s", recs)
	}
	// And the slots after follow on the boundaries again.
	site.report(14 * time.Minute) // 18:30
	c.Step(ctx)
	if v, _ = c.Event(id); v.Plans != 4 || v.LastReason != "new slot 18:30" {
		t.Errorf("at 18:30: plans %d, last %q; want 4, \"new slot 18:30\"", v.Plans, v.LastReason)
	}
}

// readJournal returns the journal at path, line by line, for a test's
// message.
func readJournal(t *testing.T, path string) string {
	t.Helper()
	var b strings.Builder
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error {
		b.WriteString(string(r.Kind) + " " + r.Charger + " " + string(r.Status) + " " + r.Reason + "\n")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDriftWaitsMinReplanFromTheSend: MinReplan lets a plan's setpoints
// show in the measurements before the scope's load is judged again, and
// they show from when they went out. A plan made on the snapshot of 18:15
// whose send ended at 18:18 (the simulated clock ran on meanwhile) was
// followed by a drift re-plan at 18:18, on measurements from before its
// setpoints; it now waits until 18:20, and says so.
func TestDriftWaitsMinReplanFromTheSend(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, nil)
	id := r.confirmed(t, capF1("", 120))
	var once sync.Once
	r.site.report(15 * time.Minute) // 18:15: the new slot
	r.snd.onApply = func([]adapters.Setpoint) { once.Do(func() { r.site.report(3 * time.Minute) }) }
	r.c.Step(ctx)
	v, _ := r.c.Event(id)
	if v.Plans != 2 || v.LastReason != "new slot 18:15" {
		t.Fatalf("at 18:15: plans %d, last %q; want 2, the new slot's", v.Plans, v.LastReason)
	}
	r.site.report(0, 60) // 18:18, F1 60 kW over its plan
	r.c.Step(ctx)
	v, _ = r.c.Event(id)
	if v.Plans != 2 {
		t.Errorf("at 18:18, as the 18:15 plan's send ended: re-planned (%q), want it to wait MinReplan", v.LastReason)
	}
	if want := t0.Add(20 * time.Minute); !v.NextPlan.Equal(want) || !v.NextPlanEarly {
		t.Errorf("next plan %s (early %v), want %s, early", v.NextPlan, v.NextPlanEarly, want)
	}
	r.site.report(2*time.Minute, 60) // 18:20
	r.c.Step(ctx)
	if v, _ = r.c.Event(id); v.Plans != 3 || v.LastWhy.Kind != WhyDrift && v.LastWhy.Kind != WhyOverCap {
		t.Errorf("at 18:20: plans %d, last %q; want 3, for the drift", v.Plans, v.LastReason)
	}
}
