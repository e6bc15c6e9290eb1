package plan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch"
	"github.com/v2gdesk/v2gdesk/feeds"
)

var now = time.Date(2024, 2, 4, 18, 0, 0, 0, time.FixedZone("CST", 8*3600))

// fleetOf builds a snapshot from protocol frames, the way a live feed would.
func fleetOf(t *testing.T, frames ...string) *feeds.Snapshot {
	t.Helper()
	fl := feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return now }})
	for _, f := range frames {
		fl.HandleFrame([]byte(f))
	}
	s := fl.Snapshot()
	if n := s.Stats.RejectTotal(); n != 0 {
		t.Fatalf("test frames rejected: %v", s.Stats.Rejects)
	}
	return s
}

// site is two feeders: F1 (limit 150 kW, base 80 kW) with ten 11 kW chargers
// of which five are bidirectional, and F2 (limit 500 kW, base 100 kW) with one
// charger that reports no state of charge.
func site(t *testing.T) *feeds.Snapshot {
	ts := now.Format(time.RFC3339)
	dep := now.Add(6 * time.Hour).Format(time.RFC3339)
	frames := []string{}
	var chargers []string
	for i := 0; i < 10; i++ {
		dis := 0.0
		if i < 5 {
			dis = 11
		}
		chargers = append(chargers, fmt.Sprintf(`{"id":"CP-%02d","feeder":"F1","max_charge_kw":11,"max_discharge_kw":%g}`, i, dis))
	}
	chargers = append(chargers, `{"id":"CP-99","feeder":"F2","max_charge_kw":7,"max_discharge_kw":0}`)
	frames = append(frames, `{"v":1,"type":"hello","site":"Test","tz":"Asia/Shanghai","ts":"`+ts+`",
		"feeders":[{"id":"F1","import_limit_kw":150},{"id":"F2","import_limit_kw":500}],
		"chargers":[`+strings.Join(chargers, ",")+`]}`)
	for i := 0; i < 10; i++ {
		frames = append(frames, fmt.Sprintf(`{"v":1,"type":"charger","id":"CP-%02d","ts":"%s","state":"charging","kw":11,"plugged":true,"soc":0.5,"battery_kwh":60,"target_soc":0.8,"departure":"%s"}`, i, ts, dep))
	}
	frames = append(frames,
		`{"v":1,"type":"charger","id":"CP-99","ts":"`+ts+`","state":"charging","kw":7,"plugged":true}`,
		`{"v":1,"type":"feeder","id":"F1","ts":"`+ts+`","kw":190}`,
		`{"v":1,"type":"feeder","id":"F2","ts":"`+ts+`","kw":107}`,
	)
	return fleetOf(t, frames...)
}

func capEvent(kind feeds.EventKind, scope string, kw float64) *feeds.EventFrame {
	return &feeds.EventFrame{Header: feeds.NewHeader(feeds.TypeEvent), ID: "DR-1", Kind: kind, Scope: scope,
		Start: now, End: now.Add(2 * time.Hour), KW: kw}
}

func TestBuildMapsTheFleet(t *testing.T) {
	p, err := Build(site(t), nil, HistoryForecaster{Snap: site(t)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	prob := p.Problem
	if got, want := len(prob.EVs), 10; got != want {
		t.Fatalf("EVs = %d, want %d (the charger without soc is left out)", got, want)
	}
	if p.Unplanned != 1 {
		t.Errorf("Unplanned = %d, want 1", p.Unplanned)
	}
	if prob.Slots != 48 || prob.SlotMinutes != 15 {
		t.Errorf("slots = %d x %d min, want 48 x 15", prob.Slots, prob.SlotMinutes)
	}
	ev := prob.EVs[0]
	if ev.EnergyKWh != 30 || ev.TargetKWh != 48 || ev.CapacityKWh != 60 || ev.Depart != 24 {
		t.Errorf("EV 0 = %+v, want E0 30, target 48, cap 60, depart slot 24", ev)
	}
	if prob.EVs[7].MaxDischargeKW != 0 {
		t.Errorf("non-bidirectional charger got max discharge %v", prob.EVs[7].MaxDischargeKW)
	}
	// F1 base: 190 measured − 110 of chargers = 80; F2: 107 − 7 + 7 (unplanned kept) = 107.
	if b := prob.Feeders[0].BaseKW[0]; math.Abs(b-80) > 1e-9 {
		t.Errorf("F1 base = %v, want 80", b)
	}
	if b := prob.Feeders[1].BaseKW[0]; math.Abs(b-107) > 1e-9 {
		t.Errorf("F2 base = %v, want 107 (unplanned charger kept in base)", b)
	}
	// Slot 0 at 18:00 local is peak; slot 20 (23:00) is valley.
	if prob.Price[0] != 1.05 || prob.Price[20] != 0.31 {
		t.Errorf("prices slot 0 %v, slot 20 %v, want 1.05 and 0.31", prob.Price[0], prob.Price[20])
	}
	// Unmanaged: every EV charges 11 kW in slot 0.
	if got := p.Baseline.Feeders["F1"][0]; math.Abs(got-190) > 1e-9 {
		t.Errorf("baseline F1 slot 0 = %v, want 190", got)
	}
	// Unmanaged charging stops at the target (48 kWh: 18 kWh, about seven
	// slots at 11 kW), not at a full battery (30 kWh, about twelve), as
	// the car and the simulator do: by slot 8 F1 is back to its base.
	if got := p.Baseline.Feeders["F1"][8]; math.Abs(got-80) > 1e-9 {
		t.Errorf("baseline F1 slot 8 = %v, want 80: every EV holds its target", got)
	}
}

// solvedF1Cap plans and solves a 100 kW import cap on the test site's F1.
func solvedF1Cap(t *testing.T) (*feeds.Snapshot, *Plan, *dispatch.Result) {
	t.Helper()
	snap := site(t)
	p, err := Build(snap, capEvent(feeds.EventImportCap, "F1", 100), HistoryForecaster{Snap: snap}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := dispatch.Solve(context.Background(), p.Problem, dispatch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return snap, p, res
}

func TestPlanMeetsFeederCapWithinBounds(t *testing.T) {
	snap, p, res := solvedF1Cap(t)
	pv, err := p.Preview(res, Options{})
	if err != nil {
		t.Fatal(err)
	}
	after := pv.After.Feeders["F1"]
	for tt := 0; tt < 8; tt++ {
		if after[tt] > 100+1e-3 {
			t.Errorf("slot %d: F1 after = %.3f kW, over the 100 kW cap", tt, after[tt])
		}
	}
	if pv.AvoidableShort != 0 {
		t.Errorf("%d EVs left short that unmanaged charging would have served", pv.AvoidableShort)
	}
	if pv.Affected == 0 || pv.ShiftedKWh <= 0 {
		t.Errorf("preview shows nothing moved: affected %d, shifted %.1f kWh", pv.Affected, pv.ShiftedKWh)
	}
	if pv.FeederDeltaKW["F1"] >= 0 {
		t.Errorf("F1 change in slot 0 = %.1f kW, want a reduction", pv.FeederDeltaKW["F1"])
	}
	if len(pv.Setpoints) != 10 {
		t.Fatalf("%d setpoints, want 10", len(pv.Setpoints))
	}
	for i, sp := range pv.Setpoints {
		c, _ := snap.Charger(sp.Charger)
		if sp.KW > c.MaxChargeKW+1e-6 || sp.KW < -c.MaxDischargeKW-1e-6 {
			t.Errorf("setpoint %d %s = %.3f kW outside [-%v, %v]", i, sp.Charger, sp.KW, c.MaxDischargeKW, c.MaxChargeKW)
		}
		if want := now.Add(20 * time.Minute); !sp.ValidUntil.Equal(want) {
			t.Errorf("setpoint %s valid until %s, want %s", sp.Charger, sp.ValidUntil, want)
		}
	}
}

func TestEventKinds(t *testing.T) {
	snap := site(t)
	price := 3.0
	tests := []struct {
		name  string
		event *feeds.EventFrame
		check func(t *testing.T, p *Plan)
	}{
		{"import cap", capEvent(feeds.EventImportCap, "F1", 120), func(t *testing.T, p *Plan) {
			c := p.Problem.Caps
			if len(c) != 1 || c[0].Scope != "F1" || c[0].MaxKW != 120 || c[0].Start != 0 || c[0].End != 8 {
				t.Errorf("caps = %+v, want one F1 cap of 120 kW over slots 0..8", c)
			}
		}},
		{"export", capEvent(feeds.EventExport, feeds.ScopeSystem, 30), func(t *testing.T, p *Plan) {
			c := p.Problem.Caps
			if len(c) != 1 || c[0].MaxKW != -30 || c[0].Scope != "system" {
				t.Errorf("caps = %+v, want one system cap of -30 kW", c)
			}
		}},
		{"shed", capEvent(feeds.EventShed, "F1", 50), func(t *testing.T, p *Plan) {
			c := p.Problem.Caps
			if len(c) != 8 {
				t.Fatalf("%d caps, want one per slot of the window (8)", len(c))
			}
			if want := p.Baseline.Feeders["F1"][0] - 50; c[0].MaxKW != want {
				t.Errorf("shed cap slot 0 = %v, want baseline − 50 = %v", c[0].MaxKW, want)
			}
		}},
		{"price", &feeds.EventFrame{ID: "P", Kind: feeds.EventPrice, Scope: "system", Start: now, End: now.Add(time.Hour), Price: &price}, func(t *testing.T, p *Plan) {
			if p.Problem.Price[3] != 3 || p.Problem.Price[4] == 3 {
				t.Errorf("price slot 3 %v, slot 4 %v; want 3 inside the window only", p.Problem.Price[3], p.Problem.Price[4])
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Build(snap, tt.event, HistoryForecaster{Snap: snap}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, p)
		})
	}
}

func TestBuildErrors(t *testing.T) {
	snap := site(t)
	price := 1.0
	tests := []struct {
		name  string
		snap  *feeds.Snapshot
		event *feeds.EventFrame
		want  string
	}{
		{"no topology", fleetOf(t), nil, "no topology"},
		{"unknown scope", snap, capEvent(feeds.EventImportCap, "F9", 10), `scope "F9"`},
		{"ended", snap, &feeds.EventFrame{ID: "E", Kind: feeds.EventImportCap, Scope: "F1", Start: now.Add(-3 * time.Hour), End: now.Add(-time.Hour)}, "already ended"},
		{"inverted", snap, &feeds.EventFrame{ID: "E", Kind: feeds.EventImportCap, Scope: "F1", Start: now.Add(time.Hour), End: now}, "not after start"},
		// A mistyped year: planning to it would take memory quadratic in
		// its length, and crashed the desk before MaxHorizon.
		{"a year long", snap, &feeds.EventFrame{ID: "E", Kind: feeds.EventImportCap, Scope: "F1", Start: now, End: now.AddDate(1, 0, 0)}, "a plan looks at most 48h0m0s ahead"},
		{"negative shed", snap, capEvent(feeds.EventShed, "F1", -5), "shed kw -5"},
		{"price without price", snap, capEvent(feeds.EventPrice, "F1", 0), "without a price"},
		{"unknown kind", snap, &feeds.EventFrame{ID: "E", Kind: "boost", Scope: "F1", Start: now, End: now.Add(time.Hour), Price: &price}, `unknown kind "boost"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Build(tt.snap, tt.event, HistoryForecaster{Snap: tt.snap}, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if tt.name == "no topology" && !errors.Is(err, ErrNoTopology) {
				t.Errorf("err %v is not ErrNoTopology", err)
			}
		})
	}
}

// A feeder without a known import limit (one only an OCPP central system
// names) is planned as unlimited, not as limited to 0 kW: nothing is
// curtailed for it and no overload is priced.
func TestFeederWithoutLimitIsNotCurtailed(t *testing.T) {
	ts := now.Format(time.RFC3339)
	dep := now.Add(6 * time.Hour).Format(time.RFC3339)
	frames := []string{`{"v":1,"type":"hello","site":"Test","tz":"Asia/Shanghai","ts":"` + ts + `",
		"feeders":[{"id":"F1","import_limit_kw":0}],
		"chargers":[{"id":"CP-01","feeder":"F1","max_charge_kw":11,"max_discharge_kw":11},{"id":"CP-02","feeder":"F1","max_charge_kw":11,"max_discharge_kw":0}]}`}
	for _, id := range []string{"CP-01", "CP-02"} {
		frames = append(frames, `{"v":1,"type":"charger","id":"`+id+`","ts":"`+ts+`","state":"charging","kw":11,"plugged":true,"soc":0.2,"battery_kwh":60,"target_soc":0.9,"departure":"`+dep+`"}`)
	}
	frames = append(frames, `{"v":1,"type":"feeder","id":"F1","ts":"`+ts+`","kw":40}`)
	snap := fleetOf(t, frames...)
	p, err := Build(snap, nil, HistoryForecaster{Snap: snap}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l := p.Problem.Feeders[0].ImportLimitKW.At(0); l < 1e6 {
		t.Fatalf("F1 planned with an import limit of %v kW; it has none", l)
	}
	res, err := dispatch.Solve(context.Background(), p.Problem, dispatch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Costs.Overload != 0 {
		t.Errorf("overload cost %v on a feeder without a limit", res.Costs.Overload)
	}
	for _, ev := range res.EVs {
		if ev.UnmetKWh > 0.01 {
			t.Errorf("%s left %.2f kWh short: curtailed for a limit F1 does not have", ev.ID, ev.UnmetKWh)
		}
	}
}

// Soonest ranks slots by their place (the hand-back after a DR window): the
// problem's prices rise slot by slot, the tariff is kept aside, and the
// preview's costs are in money, from the tariff.
func TestSoonestPricesBySlotAndCostsByTariff(t *testing.T) {
	snap := site(t)
	p, err := Build(snap, capEvent(feeds.EventImportCap, "F1", 150), HistoryForecaster{Snap: snap}, Options{Soonest: true})
	if err != nil {
		t.Fatal(err)
	}
	prob := p.Problem
	if len(p.Tariff) != prob.Slots || p.Tariff[0] != 1.05 || p.Tariff[20] != 0.31 {
		t.Fatalf("tariff kept aside: %v", p.Tariff)
	}
	for t1 := 1; t1 < prob.Slots; t1++ {
		if prob.Price[t1] <= prob.Price[t1-1] {
			t.Fatalf("prices do not rise at slot %d: %v", t1, prob.Price[:t1+1])
		}
	}
	res, err := dispatch.Solve(context.Background(), prob, dispatch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pv, err := p.Preview(res, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dt := prob.Hours()
	want := res.Costs.Degradation
	for i := range res.EVs {
		for s, kw := range res.EVs[i].KW {
			want += p.Tariff[s] * kw * dt
		}
	}
	if math.Abs(pv.Cost-want) > 1e-6 {
		t.Errorf("preview cost %.4f, want %.4f at the tariff", pv.Cost, want)
	}
	// Earliest first: every EV charges in slot 0 as far as F1's 150 kW
	// allows (70 kW over its 80 kW base), none waits for the valley.
	if math.Abs(res.Feeders[0].KW[0]-150) > 0.5 {
		t.Errorf("F1 in slot 0: %.1f kW, want its 150 kW limit", res.Feeders[0].KW[0])
	}
}

// A plan made at 17:52 (slot 0 17:52-18:07) for a cap from 18:00: slot 0
// starts before the event, so it is not capped (the desk would steer
// chargers eight minutes early) and pays each tariff band for its minutes;
// the cap holds to the end of its window.
func TestMidSlotPlanStartsTheCapWithTheEvent(t *testing.T) {
	start := now.Add(-8 * time.Minute) // 17:52
	p := &Plan{Start: start, Slot: 15 * time.Minute, Problem: &dispatch.Problem{Slots: 48}}
	if from, to := p.slotRange(now, now.Add(2*time.Hour)); from != 1 || to != 9 {
		t.Errorf("18:00-20:00 from a 17:52 plan: slots [%d, %d), want [1, 9): not slot 0, and to the end", from, to)
	}
	// Nor from 17:54 for a window from 17:59: never before its start.
	if from, _ := p.slotRange(start.Add(7*time.Minute), now.Add(time.Hour)); from != 1 {
		t.Errorf("a window from 17:59: first slot %d, want 1", from)
	}
	// A window from now (seconds after the plan's minute) starts at once.
	if from, _ := p.slotRange(start.Add(30*time.Second), now.Add(time.Hour)); from != 0 {
		t.Errorf("a window from 17:52:30: first slot %d, want 0", from)
	}
	loc := time.FixedZone("CST", 8*3600)
	got := ChinaTOU().MeanPrice(start.In(loc), 15*time.Minute, loc)
	if want := (8*0.62 + 7*1.05) / 15; math.Abs(got-want) > 1e-12 {
		t.Errorf("17:52-18:07 price %v, want %v (8 min flat, 7 min peak)", got, want)
	}
}

// TestPreviewCountsNoticeableDischarge: an EV the solver leaves at a few
// hundredths of a kW of discharge (interior point rounding where EVs tie)
// is not counted as discharging; one told to discharge 5 kW is.
func TestPreviewCountsNoticeableDischarge(t *testing.T) {
	_, p, res := solvedF1Cap(t)
	base, err := p.Preview(res, Options{})
	if err != nil {
		t.Fatal(err)
	}
	set := func(i int, kw float64) {
		r := &res.EVs[i]
		r.KW[0], r.ChargeKW[0], r.DischargeKW[0] = kw, max(kw, 0), max(-kw, 0)
	}
	set(0, -0.02)
	set(1, -5)
	pv, err := p.Preview(res, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if base.Discharging != 0 {
		t.Fatalf("the site's plan discharges %d EVs in slot 0; the test needs none", base.Discharging)
	}
	if pv.Discharging != 1 {
		t.Errorf("discharging = %d, want 1: the EV at -5 kW, not the one at -0.02 kW", pv.Discharging)
	}
}

// Each setpoint says whether it changes its EV's power from unmanaged
// charging, as the preview's EVs affected counts: the desk and the CLI
// said "the N chargers the plan commands" of every setpoint, those the plan
// leaves as they would be included.
func TestSetpointsSayWhichChangePower(t *testing.T) {
	_, p, res := solvedF1Cap(t)
	pv, err := p.Preview(res, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, sp := range pv.Setpoints {
		un := unmanagedKW(p.Problem.EVs[i], p.Problem.Slots, p.Problem.Hours())
		if want := math.Abs(sp.KW-un[0]) > noticeableKW; sp.Changes != want {
			t.Errorf("setpoint %s %.2f kW (unmanaged %.2f): Changes %v, want %v", sp.Charger, sp.KW, un[0], sp.Changes, want)
		}
	}
	if n := Changing(pv.Setpoints); n != pv.Affected || n == 0 {
		t.Errorf("%d setpoints change power, the preview affects %d EVs: want the same, not 0", n, pv.Affected)
	}
}

// An EV the solver pauses comes out a few µW off 0 (1.96e-06 kW in a
// journal's reason): its setpoint is 0, not that noise; a real watt stays.
func TestSetpointsDropSolverNoise(t *testing.T) {
	_, p, _ := solvedF1Cap(t)
	schedule := make([][]float64, len(p.Chargers))
	for i := range schedule {
		schedule[i] = []float64{3.5}
	}
	noise := []float64{1.957828138351612e-06, -3e-7, 0.0004999, 0.001, -0.001}
	for i, kw := range noise {
		schedule[i][0] = kw
	}
	sps, err := p.Setpoints(schedule, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 0, 0, 0.001, -0.001}
	for i, w := range want {
		if sps[i].KW != w || math.Signbit(sps[i].KW) != math.Signbit(w) {
			t.Errorf("schedule %g kW: setpoint %g kW, want %g", noise[i], sps[i].KW, w)
		}
	}
	if sps[len(noise)].KW != 3.5 {
		t.Errorf("3.5 kW became %g", sps[len(noise)].KW)
	}
}
