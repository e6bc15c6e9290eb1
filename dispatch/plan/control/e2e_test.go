package control_test

import (
	"context"
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// demoDesk is the demo day served by the simulator over websocket, with a
// desk subscribed to it: fleet, guard, journal, websocket adapter (setpoints
// on the same connection as the telemetry) and controller. Simulated time
// moves only when the test advances the fake clock.
type demoDesk struct {
	t     *testing.T
	ctx   context.Context
	clk   *clock.Fake
	sim   *sim.Sim
	srv   *sim.Server
	fleet *feeds.Fleet
	guard *adapters.Guard
	j     *adapters.Journal
	ctl   *control.Controller
}

func newDemoDesk(t *testing.T, at time.Duration) *demoDesk {
	if testing.Short() {
		t.Skip("end-to-end demo day: not in -short")
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(at), Clock: clk, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := sim.NewServer(s, sim.ServerOptions{Logger: quiet})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	go srv.Run(ctx)

	d := &demoDesk{t: t, ctx: ctx, clk: clk, sim: s, srv: srv}
	var ws *wsjson.Adapter
	d.fleet = feeds.NewFleet(feeds.FleetOptions{Clock: s.Now, OnAck: func(a feeds.AckFrame) { ws.HandleAck(a) }})
	sub := feeds.NewSubscriber("ws"+strings.TrimPrefix(hs.URL, "http")+"/v1", feeds.SubscriberOptions{})
	ws = wsjson.New(sub)
	go sub.Run(ctx, d.fleet)

	j, _, err := adapters.OpenJournal(filepath.Join(t.TempDir(), "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	d.j = j
	d.guard = adapters.NewGuard(j, adapters.GuardOptions{Now: s.Now, Logger: quiet})
	t.Cleanup(d.guard.Close)
	if err := d.guard.AddAdapter(sim.DefaultAdapter, ws, 0, 0); err != nil {
		t.Fatal(err)
	}
	d.waitFor("the hello and the first state", func(s *feeds.Snapshot) bool { return s.HaveTopology && s.Feeders[0].Seen })
	snap := d.fleet.Snapshot()
	infos := make([]feeds.ChargerInfo, snap.NumChargers())
	for i := range infos {
		infos[i] = snap.ChargerAt(i).ChargerInfo
	}
	d.guard.UpdateTopology(infos)
	d.ctl, err = control.New(control.Options{Fleet: d.fleet, Sender: d.guard, Journal: j, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// waitFor polls the fleet until ok holds. The deadline is generous: only a
// broken pipeline should ever reach it.
func (d *demoDesk) waitFor(what string, ok func(*feeds.Snapshot) bool) {
	d.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if s := d.fleet.Snapshot(); s != nil && ok(s) {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// step advances simulated time by one simulator step, waits until the
// desk has the step's feeder frames, and lets the controller do its work.
func (d *demoDesk) step() {
	d.t.Helper()
	before := d.sim.Now()
	d.clk.BlockUntil(1)
	d.clk.Advance(sim.DefaultStep)
	deadline := time.Now().Add(30 * time.Second)
	for !d.sim.Now().After(before) {
		if time.Now().After(deadline) {
			d.t.Fatalf("the simulator did not step from %s", before.Format("15:04"))
		}
		time.Sleep(time.Millisecond)
	}
	now := d.sim.Now()
	d.waitFor("the feeders at "+now.Format("15:04"), func(s *feeds.Snapshot) bool {
		for _, f := range s.Feeders {
			if f.TS.Before(now) {
				return false
			}
		}
		return true
	})
	d.ctl.Step(d.ctx)
}

// TestDemoDayCapOnOverloadedFeeder: at 17:00 on the demo day feeders are
// overloaded; the on-call engineer takes triage's suggestion for the worst
// one, a dispatcher confirms it, setpoints go to the simulator over the
// websocket adapter, and within two slots the feeder's measured load is at
// or under the cap (within the documented tolerance) and stays there; no EV
// that could still have reached its target leaves short.
func TestDemoDayCapOnOverloadedFeeder(t *testing.T) {
	d := newDemoDesk(t, 17*time.Hour)
	// Unmanaged evening charging overloads the first feeders before 18:00.
	var over []control.Overload
	for len(over) == 0 || over[0].Level < control.LevelOver || over[0].Over < 5*time.Minute {
		if h := d.sim.Now().Hour(); h >= 19 {
			t.Fatalf("no feeder over its limit for 5 minutes by 19:00: %+v", over)
		}
		d.step()
		over = control.Triage(d.fleet.Snapshot(), control.TriageOptions{})
	}
	worst := over[0]
	t.Logf("triage: %s %.0f%% (%.0f of %.0f kW), over for %s", worst.Feeder, worst.Loading, worst.KW, worst.LimitKW, worst.Over)

	sug, err := d.ctl.Suggest(d.ctx, worst.Feeder)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("suggested: %s", sug)
	if sug.AvoidableShort != 0 {
		t.Errorf("suggestion leaves %d EVs short that would have made it unmanaged", sug.AvoidableShort)
	}
	// The suggestion asks only what the plugged-in EVs can do: the plan
	// of the proposed cap meets it (or the suggestion says it is the most
	// they can shed, and still its plan meets it).
	if sug.Pct < control.SuggestPct || sug.Limited != (sug.Pct > control.SuggestPct) || sug.Event.KW < sug.FloorKW {
		t.Errorf("suggestion %s: %.0f%%, limited %t, cap %.0f kW, floor %.1f kW", sug, sug.Pct, sug.Limited, sug.Event.KW, sug.FloorKW)
	}
	ana := control.Actor{Name: "ana", Dispatcher: true}
	id, err := d.ctl.Propose(sug.Event, control.OriginTriage, ana)
	if err != nil {
		t.Fatal(err)
	}
	pv, err := d.ctl.Preview(d.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if pv.CapShortfallKWh > 0.05 {
		t.Errorf("the suggested cap %s misses by %.2f kWh in its preview", control.Describe(sug.Event), pv.CapShortfallKWh)
	}
	if err := d.ctl.Confirm(d.ctx, id, ana, control.ConfirmOptions{Second: true}); err != nil {
		t.Fatal(err)
	}
	confirmed := d.sim.Now()
	v, _ := d.ctl.Event(id)
	if v.Progress.Done != v.Progress.Sent || v.Progress.Sent == 0 {
		t.Fatalf("progress after confirm: %+v", v.Progress)
	}
	if n := v.Progress.ByStatus[adapters.StatusAccepted] + v.Progress.ByStatus[adapters.StatusClamped]; n != v.Progress.Sent {
		t.Fatalf("%d of %d setpoints applied: %v", n, v.Progress.Sent, v.Progress.Failed)
	}
	if d.srv.Stats().Setpoints == 0 {
		t.Fatal("no setpoint reached the simulator's websocket")
	}

	// Who was plugged in on the feeder at confirmation, and could they
	// still reach their target by departure charging at full power?
	eff := d.sim.Scenario().ChargeEfficiency
	reachable := map[string]bool{}
	e0 := map[string]float64{}
	snap := d.fleet.Snapshot()
	for i := 0; i < snap.NumChargers(); i++ {
		c := snap.ChargerAt(i)
		if c.Feeder != worst.Feeder {
			continue
		}
		e, ok := d.sim.EV(c.ID)
		if !ok || !e.Plugged {
			continue
		}
		e0[c.ID] = e.EnergyKWh
		reachable[c.ID] = e.EnergyKWh+eff*e.MaxChargeKW*e.Departure.Sub(confirmed).Hours() >= e.TargetKWh
	}

	capKW, tol := sug.Event.KW, d.ctl.ToleranceKW(worst.Feeder)
	twoSlots := confirmed.Add(30 * time.Minute)
	// Two hours of the event are enough to see it hold; then it is cancelled.
	until := confirmed.Add(2 * time.Hour)
	if sug.Event.End.Before(until) {
		until = sug.Event.End
	}
	for d.sim.Now().Before(until) {
		d.step()
		now := d.sim.Now()
		if now.Minute()%15 == 0 {
			f, _ := d.fleet.Snapshot().Feeder(worst.Feeder)
			t.Logf("%s: %s measured %.0f kW, cap %.0f kW", now.Format("15:04"), worst.Feeder, f.KW, capKW)
		}
		if now.Before(twoSlots) {
			continue
		}
		f, _ := d.fleet.Snapshot().Feeder(worst.Feeder)
		if f.KW > capKW+tol {
			t.Errorf("%s: %s at %.1f kW, cap %.0f kW + tolerance %.1f kW", now.Format("15:04"), worst.Feeder, f.KW, capKW, tol)
		}
	}
	if until.Equal(sug.Event.End) {
		d.step()
	} else if err := d.ctl.Cancel(d.ctx, id, ana, "test over"); err != nil {
		t.Fatal(err)
	}
	v, _ = d.ctl.Event(id)
	if !v.State.Final() || v.Progress.ReleaseUnsupported == 0 {
		t.Errorf("after cancel: state %s, %d chargers left to expire; want ended or cancelled, and the websocket adapter cannot release",
			v.State, v.Progress.ReleaseUnsupported)
	}
	if v.Alarm != nil {
		t.Errorf("cap-miss alarm raised: %+v", *v.Alarm)
	}
	t.Logf("event %s %s: %d plans (%d re-plans), answers %v, failed %v", id, control.Describe(sug.Event), v.Plans, v.Replans, v.Progress.Total, v.Progress.Failed)

	var short []string
	for ch, ok := range reachable {
		e, _ := d.sim.EV(ch)
		if !ok || !e.Left && e.Plugged && e.Departure.After(d.sim.Now()) && e.EnergyKWh+eff*e.MaxChargeKW*e.Departure.Sub(d.sim.Now()).Hours() >= e.TargetKWh {
			continue // could not have made it, or still can
		}
		if e.TargetKWh-e.EnergyKWh > 0.1 {
			short = append(short, ch)
			t.Logf("short: %s plugged %s departs %s, holds %.1f of %.1f kWh at %.1f kW max, left %t, held %.1f kWh at confirmation", ch, e.Plugin.Format("15:04"), e.Departure.Format("15:04"), e.EnergyKWh, e.TargetKWh, e.MaxChargeKW, e.Left, e0[ch])
		}
	}
	if len(short) > 0 {
		t.Errorf("%d EVs left (or can no longer reach) their target although they could have: %v", len(short), short)
	}
	if math.IsNaN(capKW) || len(reachable) == 0 {
		t.Fatalf("no EVs on %s to judge", worst.Feeder)
	}
}
