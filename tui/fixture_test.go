package tui

import (
	"encoding/json"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Shanghai on machines without a zoneinfo database

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// The fixture is the demo city at 18:42 on 2026-11-26 (Asia/Shanghai),
// built the way a desk builds it: protocol v1 JSON frames into a
// feeds.Fleet, snapshots into an alarm.Engine.

var (
	shanghai = mustLoc("Asia/Shanghai")
	day      = time.Date(2026, 11, 26, 0, 0, 0, 0, shanghai)
	fixedNow = day.Add(18*time.Hour + 42*time.Minute)
)

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked in: cannot happen
	}
	return l
}

// feederSpec is one demo feeder: its limit and its loading at 18:42.
type feederSpec struct {
	id      string
	name    string
	limit   float64
	at1842  float64 // loading percent at 18:42
	stopped time.Duration
}

var demoFeeders = []feederSpec{
	{"F01", "Riverside", 3500, 62, 0}, {"F02", "Old Town", 3800, 71, 0}, {"F03", "Harbour", 4000, 94, 0},
	{"F04", "Airport Rd", 3000, 55, 0}, {"F05", "University", 4200, 78, 0}, {"F06", "Market", 3600, 66, 0},
	{"F07", "East Park", 4000, 118, 0}, {"F08", "Hillside", 3200, 59, 0}, {"F09", "Station", 4500, 73, 0},
	{"F10", "Depot", 2800, 48, 0}, {"F11", "Lakeside", 3800, 85, 0}, {"F12", "North Gate", 3400, 60, 18*time.Hour + 20*time.Minute},
}

func gauss(h, mu, sd float64) float64 { return math.Exp(-0.5 * ((h - mu) / sd) * ((h - mu) / sd)) }

// shape is a residential feeder's day: low at night, a morning shoulder,
// the evening peak.
func shape(minute float64) float64 {
	h := minute / 60
	return 0.42 + 0.18*gauss(h, 9, 2.5) + 0.12*gauss(h, 13, 3) + 0.55*gauss(h, 19.2, 2.2)
}

func feederKW(i int, f feederSpec, minute float64) float64 {
	ref := shape(18*60 + 42)
	wiggle := 1 + 0.015*math.Sin(minute/7+float64(i))
	return f.limit * f.at1842 / 100 * shape(minute) / ref * wiggle
}

type fixture struct {
	t     testing.TB
	clock time.Time
	fleet *feeds.Fleet
	specs []feederSpec
	snap  *feeds.Snapshot   // at 18:42
	obs   []*feeds.Snapshot // what the alarm engine saw, in order
	ackAt int               // an operator acked the fault after obs[ackAt]
	every int               // minutes between charger rounds (0: only at the end)
}

// engine replays what the alarm engine saw into a new one, so each test
// has its own alarm state.
func (fx *fixture) engine(clock func() time.Time) *alarm.Engine {
	eng := alarm.NewEngine(alarm.Options{Clock: clock})
	for i, s := range fx.obs {
		eng.Observe(s)
		if i == fx.ackAt {
			if err := eng.Ack("fault/CP-0005", "bo"); err != nil {
				fx.t.Fatal(err)
			}
		}
	}
	return eng
}

func (fx *fixture) send(v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		fx.t.Fatal(err)
	}
	fx.fleet.HandleFrame(raw)
}

func ptr[T any](v T) *T { return &v }

// newFixture builds the demo city with chargersPerFeeder chargers on each
// of nFeeders feeders (the first twelve are demoFeeders, more are made up).
// Chargers report every ten minutes from 16:00, or only at the end when
// sparse (for the large benchmark fleets).
func newFixture(t testing.TB, nFeeders, chargersPerFeeder int, sparse bool) *fixture {
	fx := &fixture{t: t, clock: day, ackAt: -1, every: 10}
	if sparse {
		fx.every = 0
	}
	fx.fleet = feeds.NewFleet(feeds.FleetOptions{
		Clock: func() time.Time { return fx.clock },
		Wall:  func() time.Time { return fx.clock },
	})
	specs := make([]feederSpec, nFeeders)
	for i := range specs {
		if i < len(demoFeeders) {
			specs[i] = demoFeeders[i]
		} else {
			specs[i] = feederSpec{id: fmt.Sprintf("F%02d", i+1), limit: 3000 + float64(i%7)*200, at1842: 40 + float64((i*37)%55)}
		}
	}
	hello := feeds.Hello{Header: feeds.NewHeader(feeds.TypeHello), Site: "Demo City", TimeZone: "Asia/Shanghai",
		TS: day, Mode: "simulation", System: &feeds.SystemInfo{ImportLimitKW: 42000}}
	for _, f := range specs {
		hello.Feeders = append(hello.Feeders, feeds.FeederInfo{ID: f.id, Name: f.name, ImportLimitKW: f.limit})
	}
	n := 0
	for fi := range specs {
		for k := 0; k < chargersPerFeeder; k++ {
			n++
			dis := 0.0
			if k%2 == 0 {
				dis = 11
			}
			hello.Chargers = append(hello.Chargers, feeds.ChargerInfo{ID: fmt.Sprintf("CP-%04d", n), Feeder: specs[fi].id,
				MaxChargeKW: []float64{7.4, 11, 22}[k%3], MaxDischargeKW: dis})
		}
	}
	fx.fleet.HandleLink(feeds.LinkEvent{Up: true, At: day})
	if raw, _ := json.Marshal(hello); len(raw) <= feeds.MaxFrameBytes {
		fx.send(hello)
	} else if err := fx.fleet.Apply(&hello); err != nil {
		// A 100,000-charger hello is over MaxFrameBytes on the wire; the
		// benchmarks hand the decoded topology to the Fleet instead.
		t.Fatal(err)
	}
	fx.specs = specs

	// Feeder loads minute by minute; chargers every ten minutes from 16:00
	// (the evening state for the last minute); the alarm engine sees a
	// snapshot every ten minutes from 16:00.
	end := 18*60 + 42
	for m := 0; m <= end; m++ {
		fx.clock = day.Add(time.Duration(m) * time.Minute)
		if m >= 16*60 && ((fx.every > 0 && m%fx.every == 0) || m == end) {
			round := 0
			if m == end {
				round = 1
			}
			fx.clock = fx.clock.Add(-500 * time.Millisecond)
			fx.sendChargers(hello.Chargers, round)
			fx.clock = day.Add(time.Duration(m) * time.Minute)
		}
		if m == 16*60 {
			fx.sendEvents()
		}
		if m == 18*60+15 && len(hello.Chargers) > 8 {
			// Answers to setpoints the desk sent for DR-17.
			for i, st := range []feeds.AckStatus{feeds.AckAccepted, feeds.AckClamped, feeds.AckRejected} {
				c := hello.Chargers[i*2]
				fx.send(feeds.AckFrame{Header: feeds.NewHeader(feeds.TypeAck), ID: fmt.Sprintf("SP-%d", i+1), Charger: c.ID,
					TS: fx.clock, Status: st, AppliedKW: []float64{-11, 5, 0}[i], Reason: []string{"", "max discharge", "not plugged"}[i]})
			}
		}
		for i, f := range specs {
			if f.stopped > 0 && time.Duration(m)*time.Minute > f.stopped {
				continue
			}
			fx.send(feeds.FeederFrame{Header: feeds.NewHeader(feeds.TypeFeeder), ID: f.id, TS: fx.clock, KW: math.Round(feederKW(i, f, float64(m)))})
		}
		if m >= 16*60 && (m%10 == 0 || m == end) {
			fx.obs = append(fx.obs, fx.fleet.Snapshot())
		}
		if m == 18*60+30 && fx.every > 0 {
			fx.ackAt = len(fx.obs) - 1 // an operator acknowledged the fault
		}
	}
	fx.clock = fixedNow
	fx.snap = fx.fleet.Snapshot()
	if n := fx.snap.Stats.RejectTotal(); n != 0 {
		t.Fatalf("fixture: %d frames rejected, latest: %s", n, fx.snap.Stats.LastReject)
	}
	return fx
}

// demoOnce caches the standard demo fixture: building it decodes some
// 20,000 frames, and every view test starts from it.
var demoOnce struct {
	sync.Once
	fx *fixture
}

func demo(t testing.TB) *fixture {
	demoOnce.Do(func() { demoOnce.fx = newFixture(t, 12, 8, false) })
	fx := *demoOnce.fx
	fx.t = t
	return &fx
}

// sendChargers sends one frame per charger; round 1 is the evening state.
func (fx *fixture) sendChargers(cs []feeds.ChargerInfo, round int) {
	for i, c := range cs {
		if i%23 == 22 {
			continue // never heard from
		}
		if i%31 == 30 && fx.clock.After(day.Add(16*time.Hour+time.Minute)) {
			continue // heard at 16:00 only: stale by now
		}
		st := []feeds.ChargerState{feeds.StateCharging, feeds.StateCharging, feeds.StateAvailable, feeds.StateSuspended, feeds.StateCharging}[i%5]
		kw := 0.0
		plugged := st != feeds.StateAvailable
		if st == feeds.StateCharging {
			kw = c.MaxChargeKW
		}
		if c.MaxDischargeKW > 0 && i%4 == 0 && round == 1 {
			st, kw, plugged = feeds.StateDischarging, -c.MaxDischargeKW, true
		}
		if i == 4 {
			st, kw = feeds.StateFaulted, 0
		}
		if i == 9 && round == 1 {
			st, kw = feeds.StateOffline, 0
		}
		fr := feeds.ChargerFrame{Header: feeds.NewHeader(feeds.TypeCharger), ID: c.ID, TS: fx.clock, State: st, KW: kw, Plugged: plugged}
		if plugged {
			fr.SoC = ptr(0.3 + float64(i%7)/10)
			fr.BatteryKWh = ptr(60.0)
			fr.TargetSoC = ptr(0.8)
			fr.Departure = ptr(day.Add(time.Duration(19*60+(i*17)%(14*60)) * time.Minute))
			if i%6 == 0 {
				fr.SetpointKW = ptr(kw)
			}
		}
		fx.send(fr)
	}
}

func (fx *fixture) sendEvents() {
	fx.send(feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "DR-17", Kind: feeds.EventImportCap, Scope: "F07",
		Start: day.Add(18 * time.Hour), End: day.Add(21 * time.Hour), KW: 3600, Source: "grid operator"})
	fx.send(feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "DR-18", Kind: feeds.EventExport, Scope: feeds.ScopeSystem,
		Start: day.Add(19*time.Hour + 30*time.Minute), End: day.Add(20*time.Hour + 30*time.Minute), KW: 1500, Source: "aggregator"})
	fx.send(feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "DR-19", Kind: feeds.EventPrice, Scope: feeds.ScopeSystem,
		Start: day.Add(22 * time.Hour), End: day.Add(24 * time.Hour), KW: 0, Price: ptr(0.31), Source: "tariff"})
}

// demoBands are time-of-use periods like Shanghai's residential tariff.
var demoBands = []TOUBand{
	{0, 6 * time.Hour, TOUValley}, {6 * time.Hour, 8 * time.Hour, TOUFlat}, {8 * time.Hour, 11 * time.Hour, TOUPeak},
	{11 * time.Hour, 18 * time.Hour, TOUFlat}, {18 * time.Hour, 21 * time.Hour, TOUPeak}, {21 * time.Hour, 22 * time.Hour, TOUFlat},
	{22 * time.Hour, 24 * time.Hour, TOUValley},
}

// fakePlan is a plan that continues the demo shape for the whole system.
type fakePlan struct{ total float64 }

func (p fakePlan) SystemPlanKW(from, to time.Time) []float64 {
	n := int(to.Sub(from) / time.Minute)
	out := make([]float64, max(n, 0))
	ref := shape(18*60 + 42)
	for i := range out {
		m := from.Add(time.Duration(i) * time.Minute).Sub(day).Minutes()
		out[i] = p.total * shape(m) / ref * 0.93
	}
	return out
}

// fakeControl is a replay player double: clock, speed, pause, seek. Like
// a real player it is called from Cmd goroutines and the event loop.
type fakeControl struct {
	mu     sync.Mutex
	now    time.Time
	speed  float64
	paused bool
	sought []time.Time
}

func (c *fakeControl) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeControl) Speed() float64 { c.mu.Lock(); defer c.mu.Unlock(); return c.speed }
func (c *fakeControl) Paused() bool   { c.mu.Lock(); defer c.mu.Unlock(); return c.paused }
func (c *fakeControl) Pause()         { c.mu.Lock(); defer c.mu.Unlock(); c.paused = true }
func (c *fakeControl) Resume()        { c.mu.Lock(); defer c.mu.Unlock(); c.paused = false }

func (c *fakeControl) Seek(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sought = append(c.sought, t)
	c.now = t
	return nil
}

func (c *fakeControl) SetSpeed(v float64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v > 3600 {
		return fmt.Errorf("at most 3600×")
	}
	c.speed = v
	return nil
}

// asciiRenderer renders without colour, as under NO_COLOR.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// fakeEvents are DR events an operator entered at the desk.
type fakeEvents []feeds.EventFrame

func (f fakeEvents) OperatorEvents() []feeds.EventFrame { return f }

var operatorEvents = fakeEvents{{Header: feeds.NewHeader(feeds.TypeEvent), ID: "OP-1", Kind: feeds.EventShed, Scope: "F03",
	Start: day.Add(19 * time.Hour), End: day.Add(20 * time.Hour), KW: 200, Source: "ana"}}

// fakeGuard is a guard's counters, fixed: what Options.Setpoints gives.
type fakeGuard adapters.GuardStats

func (g *fakeGuard) Stats() adapters.GuardStats { return adapters.GuardStats(*g) }

// demoGuard is the simulation's guard at 18:42: DR-17's setpoints mostly
// applied, two refused, one timed out and then accepted late. The guard
// counts a late answer in place of the timeout it replaces, so that one is
// among the accepted and no timeout is left.
var demoGuard = &fakeGuard{
	Results: map[adapters.Status]int{adapters.StatusAccepted: 132, adapters.StatusClamped: 9,
		adapters.StatusRejected: 2},
	Late: 1, Duplicates: 3,
}

// wallNow is the desk's wall clock in tests: just after the last frame.
func wallNow() time.Time { return fixedNow.Add(200 * time.Millisecond) }

// testOptions are the desk options on the demo fixture: a simulation at
// 60x, operator ana (dispatcher), no colour.
func testOptions(fx *fixture, lang string) (Options, *fakeControl) {
	ctl := &fakeControl{now: fixedNow, speed: 60}
	return Options{
		Mode: feeds.ModeSimulation, Control: ctl, Alarms: fx.engine(wallNow), Operator: "ana", Role: RoleDispatcher,
		Lang: lang, Renderer: asciiRenderer(), Now: wallNow,
		Plan: fakePlan{total: fx.snap.System.KW}, TimeOfUse: demoBands, Events: operatorEvents,
		Setpoints: demoGuard,
	}, ctl
}

// newTestModel is the dashboard on the demo fixture at w x h.
func newTestModel(t testing.TB, lang string, w, h int) (*Model, *fixture, *fakeControl) {
	fx := demo(t)
	opts, ctl := testOptions(fx, lang)
	m := New(opts)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	m.Update(SnapshotMsg{Snapshot: fx.snap})
	return m, fx, ctl
}

// chargerWithoutAck returns one of the fixture's first 20 chargers whose
// telemetry carries no ack, so that what a page shows as its last ack can
// only come from the guard.
func chargerWithoutAck(t testing.TB, fx *fixture) feeds.ChargerStatus {
	t.Helper()
	for i := 0; i < 20; i++ {
		if ch := fx.snap.ChargerAt(i); ch.LastAck == nil {
			return ch
		}
	}
	t.Fatal("no charger without a telemetry ack among the fixture's first 20")
	return feeds.ChargerStatus{}
}
