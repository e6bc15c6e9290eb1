package alarm

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// fleetRig feeds protocol v1 JSON frames into a feeds.Fleet on a fake
// clock, the way a desk does, and hands its snapshots to an Engine.
type fleetRig struct {
	t     *testing.T
	now   time.Time
	fleet *feeds.Fleet
	eng   *Engine
	// catchUps and catching are what the rig's source says of its seeks
	// (feeds.FleetOptions.CatchingUp).
	catchUps uint64
	catching bool
}

func newFleetRig(t *testing.T) *fleetRig {
	r := &fleetRig{t: t, now: t0}
	r.fleet = feeds.NewFleet(feeds.FleetOptions{
		Clock: func() time.Time { return r.now }, Wall: func() time.Time { return r.now },
		StaleAfter: 2 * time.Minute,
		CatchingUp: func() (uint64, bool) { return r.catchUps, r.catching },
	})
	r.eng = NewEngine(Options{DelayOn: 30 * time.Second, Clock: func() time.Time { return r.now }})
	r.fleet.HandleLink(feeds.LinkEvent{Up: true, At: t0})
	r.send(feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Test", TimeZone: "UTC", TS: t0,
		Feeders: []feeds.FeederInfo{{ID: "F01", ImportLimitKW: 1000}, {ID: "F02", ImportLimitKW: 500}},
		Chargers: []feeds.ChargerInfo{
			{ID: "CP-1", Feeder: "F01", MaxChargeKW: 11, MaxDischargeKW: 11},
			{ID: "CP-2", Feeder: "F01", MaxChargeKW: 7.4},
			{ID: "CP-3", Feeder: "F02", MaxChargeKW: 22},
		}})
	return r
}

func (r *fleetRig) send(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		r.t.Fatal(err)
	}
	r.fleet.HandleFrame(raw)
}

func (r *fleetRig) feeder(id string, kw float64) {
	r.send(feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: id, TS: r.now, KW: kw})
}

func (r *fleetRig) charger(id string, st feeds.ChargerState) {
	r.send(feeds.ChargerFrame{Header: feeds.NewHeader(feeds.TypeCharger), ID: id, TS: r.now, State: st, Plugged: st != feeds.StateAvailable})
}

// step advances the clock, sends what every live device reports, and lets
// the engine observe a snapshot.
func (r *fleetRig) step(d time.Duration, f01kw float64, silent ...string) *Board {
	r.now = r.now.Add(d)
	quiet := map[string]bool{}
	for _, s := range silent {
		quiet[s] = true
	}
	if !quiet["F01"] {
		r.feeder("F01", f01kw)
	}
	if !quiet["F02"] {
		r.feeder("F02", 100)
	}
	for _, c := range []string{"CP-1", "CP-2"} {
		if !quiet[c] {
			r.charger(c, feeds.StateCharging)
		}
	}
	if s := r.fleet.Snapshot(); s.Stats.RejectTotal() != 0 {
		r.t.Fatalf("rejected: %s", s.Stats.LastReject)
	}
	r.eng.Observe(r.fleet.Snapshot())
	return r.eng.Board()
}

func TestAlarmsFromFleet(t *testing.T) {
	r := newFleetRig(t)
	r.charger("CP-3", feeds.StateCharging)
	b := r.step(time.Second, 500)
	if b.Counts.Listed != 0 {
		t.Fatalf("alarms on a healthy fleet: %+v", b.Alarms)
	}

	// F01 at 105 % for 40 s: high after the delay.
	r.step(10*time.Second, 1050)
	if _, ok := r.eng.Board().Find("loading/F01"); ok {
		t.Fatal("loading alarm before delay-on")
	}
	b = r.step(30*time.Second, 1050)
	if a, ok := b.Find("loading/F01"); !ok || a.Severity != SevHigh || a.Feeder != "F01" || a.Value != 105 {
		t.Fatalf("loading/F01: %+v %v", a, ok)
	}

	// CP-3 went quiet 10 s after its last frame; after 2 min it is stale.
	b = r.step(2*time.Minute, 1050, "CP-3")
	a, ok := b.Find("comm_lost/CP-3")
	if !ok || a.Severity != SevStale || a.Feeder != "F02" || a.Value < 120 {
		t.Fatalf("comm_lost/CP-3: %+v %v", a, ok)
	}

	// CP-1 faults; CP-2 says it is offline.
	r.now = r.now.Add(time.Second)
	r.charger("CP-1", feeds.StateFaulted)
	r.charger("CP-2", feeds.StateOffline)
	r.eng.Observe(r.fleet.Snapshot())
	b = r.eng.Board()
	if a, ok := b.Find("fault/CP-1"); !ok || a.Severity != SevFault || a.Priority != PriorityMedium {
		t.Fatalf("fault/CP-1: %+v %v", a, ok)
	}
	if a, ok := b.Find("comm_lost/CP-2"); !ok || a.Value != 0 {
		t.Fatalf("comm_lost/CP-2 (offline): %+v %v", a, ok)
	}

	// Everything recovers: the alarms return to normal, unacknowledged.
	r.charger("CP-3", feeds.StateCharging)
	b = r.step(time.Second, 400)
	for _, id := range []string{"loading/F01", "comm_lost/CP-3", "fault/CP-1", "comm_lost/CP-2"} {
		a, ok := b.Find(id)
		if !ok || a.State != StateRTNUnack || a.Active {
			t.Errorf("%s after recovery: %+v %v", id, a, ok)
		}
	}
	if b.Counts.Unack != 4 || b.Counts.Active != 0 {
		t.Fatalf("counts after recovery: %+v", b.Counts)
	}
}

func TestStaleFeederFromFleet(t *testing.T) {
	r := newFleetRig(t)
	r.charger("CP-3", feeds.StateCharging)
	r.step(time.Second, 500)
	b := r.step(3*time.Minute, 500, "F02", "CP-3")
	a, ok := b.Find("stale_feed/F02")
	if !ok || a.Feeder != "F02" || b.FeederSeverity("F02") != SevStale {
		t.Fatalf("stale_feed/F02: %+v %v", a, ok)
	}
	// The link goes down: one feed-wide alarm.
	r.now = r.now.Add(time.Second)
	r.fleet.HandleLink(feeds.LinkEvent{Up: false, At: r.now})
	r.eng.Observe(r.fleet.Snapshot())
	if a, ok := r.eng.Board().Find("feed_down/feed"); !ok || !a.Active {
		t.Fatalf("feed_down: %+v %v", a, ok)
	}
}

// BenchmarkObserve100k evaluates every alarm condition on a fleet of 100
// feeders and 100,000 chargers: what each new snapshot costs the shared
// engine, with 1 % of chargers faulted and 1 % offline, and healthy.
func BenchmarkObserve100k(b *testing.B) {
	b.Run("2pct_alarming", func(b *testing.B) { benchObserve(b, true, 2066) })
	b.Run("healthy", func(b *testing.B) { benchObserve(b, false, 66) })
}

func benchObserve(b *testing.B, faults bool, wantActive int) {
	now := t0
	fl := feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return now }, Wall: func() time.Time { return now }})
	hello := feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Bench", TimeZone: "UTC", TS: t0}
	for f := range 100 {
		hello.Feeders = append(hello.Feeders, feeds.FeederInfo{ID: fmt.Sprintf("F%03d", f), ImportLimitKW: 1000})
	}
	for c := range 100_000 {
		hello.Chargers = append(hello.Chargers, feeds.ChargerInfo{ID: fmt.Sprintf("CP-%06d", c), Feeder: fmt.Sprintf("F%03d", c%100), MaxChargeKW: 11})
	}
	// Over MaxFrameBytes as JSON: hand the decoded topology to the Fleet.
	if err := fl.Apply(&hello); err != nil {
		b.Fatal(err)
	}
	for f := range 100 {
		if err := fl.Apply(&feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: fmt.Sprintf("F%03d", f), TS: now, KW: float64(800 + 3*f)}); err != nil {
			b.Fatal(err)
		}
	}
	for c := range 100_000 {
		st := feeds.StateCharging
		switch {
		case faults && c%100 == 7:
			st = feeds.StateFaulted
		case faults && c%100 == 8:
			st = feeds.StateOffline
		}
		if err := fl.Apply(&feeds.ChargerFrame{Header: feeds.NewHeader(feeds.TypeCharger), ID: fmt.Sprintf("CP-%06d", c), TS: now, State: st, KW: 7, Plugged: true}); err != nil {
			b.Fatal(err)
		}
	}
	snap := fl.Snapshot()
	e := NewEngine(Options{DelayOn: -1, Clock: func() time.Time { return now }})
	b.ReportAllocs()
	seq := snap.Seq
	for b.Loop() {
		s := *snap
		seq++
		s.Seq = seq
		e.Observe(&s)
	}
	b.StopTimer()
	// 66 feeders are at 90 % or more (800 + 3f kW of 1,000).
	if c := e.Board().Counts; c.Active != wantActive {
		b.Fatalf("active alarms %d, want %d", c.Active, wantActive)
	}
}

// TestLinkDownIsOneAlarm: when the link drops, every charger and feeder
// goes stale with it. The operator gets the one alarm that says why, not
// one per charger on top (thousands, at a real site, burying it). With the
// link up, a silent charger is its own alarm (TestAlarmsFromFleet).
func TestLinkDownIsOneAlarm(t *testing.T) {
	r := newFleetRig(t)
	r.step(time.Second, 400)
	r.fleet.HandleLink(feeds.LinkEvent{Up: false, At: r.now})
	r.now = r.now.Add(5 * time.Minute)
	r.eng.Observe(r.fleet.Snapshot())
	b := r.eng.Board()
	if _, ok := b.Find("feed_down/feed"); !ok || b.Counts.Listed != 1 {
		var ids []string
		for _, a := range b.Alarms {
			ids = append(ids, a.ID)
		}
		t.Fatalf("link down for 5 min: alarms %v, want only feed_down/feed", ids)
	}
}
