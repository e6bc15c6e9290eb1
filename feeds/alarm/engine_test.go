package alarm

import (
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

var t0 = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

// feederSnap is a snapshot with one seen feeder F07 (limit 4,000 kW) at pct.
func feederSnap(seq uint64, at time.Time, pct float64) *feeds.Snapshot {
	return &feeds.Snapshot{
		Seq: seq, At: at, HaveTopology: true,
		Stats: feeds.FeedStats{Connected: true, LastFrame: at},
		Feeders: []feeds.FeederState{{
			FeederInfo: feeds.FeederInfo{ID: "F07", ImportLimitKW: 4000},
			Seen:       true, TS: at, KW: 40 * pct, LimitKW: 4000, LoadingPct: pct,
		}},
	}
}

func TestLoadingDeadbandAndDelayOn(t *testing.T) {
	type step struct {
		sec     int
		pct     float64
		wantSev Severity // SevNone: not listed or returned to normal
		wantSt  State
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"below warning never alarms", []step{{0, 80, SevNone, StateNormal}, {60, 89.9, SevNone, StateNormal}}},
		{"warning waits for delay-on", []step{
			{0, 92, SevNone, StateNormal}, {29, 93, SevNone, StateNormal}, {30, 93, SevWarn, StateUnack}}},
		{"a spike shorter than delay-on is ignored", []step{
			{0, 120, SevNone, StateNormal}, {10, 80, SevNone, StateNormal}, {20, 120, SevNone, StateNormal}, {45, 120, SevNone, StateNormal}}},
		{"straight to high after delay", []step{{0, 118, SevNone, StateNormal}, {30, 118, SevHigh, StateUnack}}},
		{"warning first then high after its own delay", []step{
			{0, 95, SevNone, StateNormal}, {30, 95, SevWarn, StateUnack}, {40, 105, SevWarn, StateUnack}, {70, 105, SevHigh, StateUnack}}},
		{"deadband holds high just under threshold", []step{
			{0, 105, SevNone, StateNormal}, {30, 105, SevHigh, StateUnack}, {40, 97.5, SevHigh, StateUnack}, {50, 96.9, SevWarn, StateUnack}}},
		{"deadband holds warning then returns to normal unacked", []step{
			{0, 91, SevNone, StateNormal}, {30, 91, SevWarn, StateUnack}, {40, 88, SevWarn, StateUnack}, {50, 86.5, SevWarn, StateRTNUnack}}},
		{"chatter around 90 does not re-raise within deadband", []step{
			{0, 90.5, SevNone, StateNormal}, {30, 90.5, SevWarn, StateUnack}, {35, 89.5, SevWarn, StateUnack}, {40, 90.2, SevWarn, StateUnack}, {45, 88.1, SevWarn, StateUnack}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewEngine(Options{Clock: func() time.Time { return t0 }})
			for i, s := range tt.steps {
				e.Observe(feederSnap(uint64(i+1), t0.Add(time.Duration(s.sec)*time.Second), s.pct))
				a, ok := e.Board().Find("loading/F07")
				if tt.steps[i].wantSt == StateNormal {
					if ok {
						t.Fatalf("step %d (%ds %.1f%%): alarm listed %+v, want none", i, s.sec, s.pct, a)
					}
					continue
				}
				if !ok {
					t.Fatalf("step %d (%ds %.1f%%): no alarm, want %v %v", i, s.sec, s.pct, s.wantSev, s.wantSt)
				}
				if a.Severity != s.wantSev || a.State != s.wantSt {
					t.Fatalf("step %d (%ds %.1f%%): got sev %v state %v, want %v %v", i, s.sec, s.pct, a.Severity, a.State, s.wantSev, s.wantSt)
				}
			}
		})
	}
}

func TestAckLifecycle(t *testing.T) {
	e := NewEngine(Options{DelayOn: -1, Clock: func() time.Time { return t0 }})
	e.Observe(feederSnap(1, t0, 110))
	if err := e.Ack("loading/F07", "ana"); err != nil {
		t.Fatal(err)
	}
	a, _ := e.Board().Find("loading/F07")
	if a.State != StateAcked || a.AckedBy != "ana" || !a.AckedAt.Equal(t0) {
		t.Fatalf("after ack: %+v", a)
	}
	if err := e.Ack("loading/F07", "bo"); !errors.Is(err, ErrNotAckable) {
		t.Fatalf("second ack: err %v, want ErrNotAckable", err)
	}
	// Cleared after ack: leaves the list.
	e.Observe(feederSnap(2, t0.Add(time.Minute), 50))
	if _, ok := e.Board().Find("loading/F07"); ok {
		t.Fatal("acked alarm still listed after return to normal")
	}
	// Raised again, cleared before ack: returned-unacked until acked.
	e.Observe(feederSnap(3, t0.Add(2*time.Minute), 101))
	e.Observe(feederSnap(4, t0.Add(3*time.Minute), 50))
	a, _ = e.Board().Find("loading/F07")
	if a.State != StateRTNUnack || !a.First.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("after clear: %+v", a)
	}
	// Nothing is active, but a HIGH waits to be acknowledged: a badge of
	// the unacknowledged shows that, not the calm of the active ones.
	if c := e.Board().Counts; c.Highest != SevNone || c.HighestUnack != SevHigh || c.Unack != 1 {
		t.Fatalf("counts %+v, want highest none and highest unacknowledged HIGH", c)
	}
	if err := e.Ack("loading/F07", "ana"); err != nil {
		t.Fatal(err)
	}
	if e.Board().Counts.Listed != 0 {
		t.Fatal("acked returned alarm still listed")
	}
	if err := e.Ack("loading/F99", "ana"); !errors.Is(err, ErrUnknownAlarm) {
		t.Fatalf("unknown: %v", err)
	}
	if err := e.Ack("loading/F07", ""); !errors.Is(err, ErrNoOperator) {
		t.Fatalf("no operator: %v", err)
	}
}

func TestEscalationReannunciates(t *testing.T) {
	e := NewEngine(Options{DelayOn: -1, Clock: func() time.Time { return t0 }})
	e.Observe(feederSnap(1, t0, 95))
	if err := e.Ack("loading/F07", "ana"); err != nil {
		t.Fatal(err)
	}
	e.Observe(feederSnap(2, t0.Add(time.Second), 120))
	a, _ := e.Board().Find("loading/F07")
	if a.State != StateUnack || a.Severity != SevHigh || a.Priority != PriorityHigh || a.AckedBy != "" {
		t.Fatalf("escalated alarm: %+v", a)
	}
	// De-escalation keeps the state.
	e.Ack("loading/F07", "ana")
	seq := a.Seq
	e.Observe(feederSnap(3, t0.Add(2*time.Second), 93))
	a, _ = e.Board().Find("loading/F07")
	if a.State != StateAcked || a.Severity != SevWarn {
		t.Fatalf("de-escalated alarm: %+v", a)
	}
	// ... and says when it changed, without asking for attention again.
	if want := t0.Add(2 * time.Second); !a.Last.Equal(want) || a.Seq != seq {
		t.Errorf("de-escalated alarm: last %v seq %d, want last %v and seq %d unchanged", a.Last, a.Seq, want, seq)
	}
}

func TestShelve(t *testing.T) {
	wall := t0
	e := NewEngine(Options{DelayOn: -1, Clock: func() time.Time { return wall }})
	e.Observe(feederSnap(1, t0, 110))
	if err := e.Shelve("loading/F07", "ana", "  ", time.Hour); !errors.Is(err, ErrReasonRequired) {
		t.Fatalf("blank reason: %v", err)
	}
	if err := e.Shelve("loading/F07", "ana", "planned works", time.Hour); err != nil {
		t.Fatal(err)
	}
	b := e.Board()
	a, _ := b.Find("loading/F07")
	if a.State != StateShelved || a.ShelveReason != "planned works" || a.ShelvedBy != "ana" || !a.ShelvedUntil.Equal(t0.Add(time.Hour)) {
		t.Fatalf("shelved: %+v", a)
	}
	if b.Counts.Shelved != 1 || b.Counts.Unack != 0 || b.FeederSeverity("F07") != SevNone {
		t.Fatalf("counts %+v feeder sev %v", b.Counts, b.FeederSeverity("F07"))
	}
	// Still active when the shelf expires: annunciated again.
	wall = t0.Add(time.Hour)
	a, _ = e.Board().Find("loading/F07")
	if a.State != StateUnack {
		t.Fatalf("after expiry: %+v", a)
	}
	if err := e.Unshelve("loading/F07", "ana"); !errors.Is(err, ErrNotShelved) {
		t.Fatalf("unshelve unshelved: %v", err)
	}
	// Shelved then cleared then unshelved: leaves the list.
	e.Shelve("loading/F07", "ana", "works", 0)
	e.Observe(feederSnap(2, t0.Add(time.Minute), 10))
	if err := e.Unshelve("loading/F07", "bo"); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.Board().Find("loading/F07"); ok {
		t.Fatal("cleared alarm listed after unshelve")
	}
}

func TestObserveIgnoresOldSnapshots(t *testing.T) {
	e := NewEngine(Options{DelayOn: -1})
	if !e.Observe(feederSnap(5, t0, 110)) {
		t.Fatal("first snapshot ignored")
	}
	if e.Observe(feederSnap(5, t0.Add(time.Minute), 10)) || e.Observe(feederSnap(4, t0.Add(time.Minute), 10)) {
		t.Fatal("repeated or older Seq observed")
	}
	if a, ok := e.Board().Find("loading/F07"); !ok || a.State != StateUnack {
		t.Fatalf("alarm changed by an ignored snapshot: %+v", a)
	}
}

func TestFeedDownAndStaleFeeder(t *testing.T) {
	e := NewEngine(Options{DelayOn: -1})
	s := feederSnap(1, t0, 50)
	e.Observe(s)
	s2 := feederSnap(2, t0.Add(time.Minute), 50)
	s2.Stats.Connected = false
	s2.Feeders[0].Stale = true
	s2.Feeders[0].TS = t0
	e.Observe(s2)
	b := e.Board()
	down, ok := b.Find("feed_down/feed")
	if !ok || down.Severity != SevStale {
		t.Fatalf("feed down: %+v %v", down, ok)
	}
	// With the whole link down the feeder's staleness is the link's: one
	// alarm, not one per feeder and charger (an alarm flood buried the
	// feed-down alarm under thousands of charger ones).
	if _, ok := b.Find("stale_feed/F07"); ok || b.Counts.Listed != 1 {
		t.Fatalf("with the link down: %d alarms listed, stale feeder alarm %v; want only feed down", b.Counts.Listed, ok)
	}
	// The link back, the feeder still silent: now that is its own alarm.
	s3 := feederSnap(3, t0.Add(2*time.Minute), 50)
	s3.Feeders[0].Stale = true
	s3.Feeders[0].TS = t0
	e.Observe(s3)
	b = e.Board()
	st, ok := b.Find("stale_feed/F07")
	if !ok || st.Value != 120 || b.FeederSeverity("F07") != SevStale {
		t.Fatalf("stale feeder: %+v %v", st, ok)
	}
}

// TestSharedEngine runs sessions that observe and acknowledge at once; run
// with -race. Every session sees the one acknowledgement.
func TestSharedEngine(t *testing.T) {
	e := NewEngine(Options{DelayOn: -1, Clock: func() time.Time { return t0 }})
	e.Observe(feederSnap(1, t0, 110))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.Observe(feederSnap(uint64(2+i), t0.Add(time.Duration(i)*time.Second), 110))
			errs <- e.Ack("loading/F07", "op")
			_ = e.Board()
		}()
	}
	wg.Wait()
	close(errs)
	oks := 0
	for err := range errs {
		if err == nil {
			oks++
		} else if !errors.Is(err, ErrNotAckable) {
			t.Fatal(err)
		}
	}
	if oks != 1 {
		t.Fatalf("%d successful acks, want exactly 1", oks)
	}
	if a, _ := e.Board().Find("loading/F07"); a.State != StateAcked {
		t.Fatalf("state %v", a.State)
	}
}

// TestNoChatter: a load that settles over the warning threshold and then
// wanders across it every few seconds raises one alarm, not one per
// crossing, and it clears only once the load has fallen clear of the
// deadband. (Excursions shorter than the delay-on raise nothing at all:
// TestLoadingDeadbandAndDelayOn.)
func TestNoChatter(t *testing.T) {
	e := NewEngine(Options{Clock: func() time.Time { return t0 }})
	raises := 0
	prev := StateNormal
	seq := uint64(0)
	for s := 0; s < 1800; s += 2 { // half an hour, a sample every 2 s
		pct := 90 + 1.8*math.Sin(float64(s)/7) // 88.2 .. 91.8, crossing 90 every ~22 s
		if s < 60 {
			pct = 92
		}
		seq++
		e.Observe(feederSnap(seq, t0.Add(time.Duration(s)*time.Second), pct))
		a, ok := e.Board().Find("loading/F07")
		st := StateNormal
		if ok {
			st = a.State
		}
		if st == StateUnack && prev != StateUnack {
			raises++
		}
		prev = st
	}
	if raises != 1 {
		t.Fatalf("%d raises, want 1", raises)
	}
	// Then it falls away: 86.9 % is below 90 - 3.
	seq++
	e.Observe(feederSnap(seq, t0.Add(time.Hour), 86.9))
	if a, _ := e.Board().Find("loading/F07"); a.Active {
		t.Fatal("still active well below the deadband")
	}
}

// TestSeekBackwards: after a replay seeks back, delay-on counts from the
// new time rather than waiting for the old one.
func TestSeekBackwards(t *testing.T) {
	e := NewEngine(Options{Clock: func() time.Time { return t0 }})
	e.Observe(feederSnap(1, t0.Add(time.Hour), 95)) // warning pending since t0+1h
	e.Observe(feederSnap(2, t0, 95))                // seek back an hour
	e.Observe(feederSnap(3, t0.Add(30*time.Second), 95))
	if a, ok := e.Board().Find("loading/F07"); !ok || a.Severity != SevWarn {
		t.Fatalf("after seeking back and 30 s over: %+v %v", a, ok)
	}
}

// TestFeedStaleAfter: on a live desk a silent link raises one feed-wide
// stale alarm by the wall clock, and clears when frames flow again.
func TestFeedStaleAfter(t *testing.T) {
	wall := t0
	e := NewEngine(Options{FeedStaleAfter: 10 * time.Second, Clock: func() time.Time { return wall }})
	s := feederSnap(1, t0, 50) // LastFrame t0
	e.Observe(s)
	wall = t0.Add(11 * time.Second)
	s2 := feederSnap(2, t0.Add(11*time.Second), 50)
	s2.Stats.LastFrame = t0
	e.Observe(s2)
	a, ok := e.Board().Find("stale_feed/feed")
	if !ok || a.Value != 11 || a.Severity != SevStale {
		t.Fatalf("stale feed: %+v %v", a, ok)
	}
	e.Observe(feederSnap(3, t0.Add(12*time.Second), 50)) // LastFrame = its own time again
	if a, _ := e.Board().Find("stale_feed/feed"); a.Active || a.State != StateRTNUnack {
		t.Fatalf("after frames return: %+v", a)
	}
}

// TestConditions checks that conditions held outside the engine (a DR cap
// missed) are raised on Observe and return to normal when no longer listed.
func TestConditions(t *testing.T) {
	var conds []Condition
	e := NewEngine(Options{Conditions: func() []Condition { return conds }})
	fl := feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return time.Date(2024, 1, 17, 19, 0, 0, 0, time.UTC) }})
	fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"S","tz":"UTC","ts":"2024-01-17T19:00:00Z","feeders":[{"id":"F1","import_limit_kw":100}],"chargers":[]}`))
	conds = []Condition{{Kind: KindCapMissed, Source: "DR-1", Feeder: "F1", Severity: SevHigh, Value: 42}}
	fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-01-17T19:00:00Z","kw":50}`))
	e.Observe(fl.Snapshot())
	a, ok := e.Board().Find("cap_missed/DR-1")
	if !ok || !a.Active || a.State != StateUnack || a.Severity != SevHigh || a.Value != 42 {
		t.Fatalf("cap missed alarm = %+v, %v; want active, unacknowledged, high, 42", a, ok)
	}
	conds = nil
	fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-01-17T19:01:00Z","kw":50}`))
	e.Observe(fl.Snapshot())
	if a, _ := e.Board().Find("cap_missed/DR-1"); a.Active || a.State != StateRTNUnack {
		t.Fatalf("after the cap is met: %+v; want returned to normal, unacknowledged", a)
	}
}

// TestFeedLostIsHighPriority checks that losing all telemetry is annunciated
// at high priority and listed first: the loading alarms raised before it are
// held on frozen data, and the link is why.
func TestFeedLostIsHighPriority(t *testing.T) {
	for _, tc := range []struct {
		name string
		lose func(s *feeds.Snapshot)
		id   string
	}{
		{"link down", func(s *feeds.Snapshot) { s.Stats.Connected = false }, "feed_down/feed"},
		{"feed silent", func(s *feeds.Snapshot) { s.Stats.LastFrame = t0 }, "stale_feed/feed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wall := t0
			e := NewEngine(Options{DelayOn: -1, FeedStaleAfter: time.Minute, Clock: func() time.Time { return wall }})
			e.Observe(feederSnap(1, t0, 120))
			if a, ok := e.Board().Find("loading/F07"); !ok || a.Priority != PriorityHigh {
				t.Fatalf("loading alarm before the loss: %+v %v", a, ok)
			}
			wall = t0.Add(2 * time.Minute)
			s := feederSnap(2, wall, 120)
			tc.lose(s)
			e.Observe(s)
			b := e.Board()
			lost, ok := b.Find(tc.id)
			if !ok || lost.Priority != PriorityHigh {
				t.Fatalf("%s: %+v %v; want priority high", tc.id, lost, ok)
			}
			if len(b.Alarms) != 2 || b.Alarms[0].ID != tc.id {
				t.Fatalf("list order %v; want %s first", ids(b), tc.id)
			}
		})
	}
}

func ids(b *Board) []string {
	var out []string
	for _, a := range b.Alarms {
		out = append(out, a.ID)
	}
	return out
}

// TestSourceEndedRaisesNoLinkAlarm: when the source ends (the scenario day
// is over) the link is down for want of anything to send: no "feed link
// down" alarm, and the feeders going stale with it raise none either.
func TestSourceEndedRaisesNoLinkAlarm(t *testing.T) {
	e := NewEngine(Options{DelayOn: -1})
	e.Observe(feederSnap(1, t0, 50))
	s := feederSnap(2, t0.Add(10*time.Minute), 50)
	s.Stats.Connected, s.Stats.Ended, s.Stats.EndedAt = false, true, t0
	s.Feeders[0].Stale, s.Feeders[0].TS = true, t0
	e.Observe(s)
	if b := e.Board(); b.Counts.Listed != 0 {
		t.Fatalf("after the end of the source: %v listed; want none", ids(b))
	}
}
