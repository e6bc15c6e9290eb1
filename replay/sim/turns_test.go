package sim

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

// turnsScenario is testScenario with last evening's car at CP-0001 too
// (S-0, plugged in from 00:00 to 07:00, before tonight's S-1 at 17:00),
// listed after the others, as replay/builddemo lists its copies.
func turnsScenario(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc := testScenario(t)
	night := sc.Sessions[0]
	night.ID, night.Plugin, night.Plugout = "S-0", sc.Start(), sc.Start().Add(7*time.Hour)
	night.EnergyKWh, night.ArrivalSoC = 5, 0.5
	sc.Sessions = append(sc.Sessions, night)
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	return sc
}

func newTurnsSim(t testing.TB, sc *scenario.Scenario, start time.Duration) *Sim {
	t.Helper()
	s, err := New(sc, Options{Start: sc.Start().Add(start), Logger: quiet, Clock: clock.NewFake(time.Unix(0, 0)), Heartbeat: -1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// chargerFrames returns the charger frames in batches for id.
func chargerFrames(t *testing.T, batches [][]byte, id string) []feeds.ChargerFrame {
	t.Helper()
	var out []feeds.ChargerFrame
	for _, f := range stateChargers(t, batches) {
		if f.ID == id {
			out = append(out, f)
		}
	}
	return out
}

func TestChargerHostsItsSessionsInTurn(t *testing.T) {
	sc := turnsScenario(t)
	s := newTurnsSim(t, sc, 0)

	var hello feeds.Hello
	if err := json.Unmarshal(s.Hello(), &hello); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range hello.Chargers {
		ids = append(ids, c.ID)
	}
	if got := strings.Join(ids, " "); got != "CP-0001 CP-0002 CP-0003" {
		t.Fatalf("hello chargers %s, want each charger once: CP-0001 CP-0002 CP-0003", got)
	}
	if n := len(stateChargers(t, s.StateFrames())); n != 3 {
		t.Fatalf("state frames hold %d chargers, want 3", n)
	}

	// Last evening's car is plugged in from 00:00 and takes setpoints.
	s.Step(time.Minute)
	st, _ := s.EV("CP-0001")
	if !st.Plugged || st.Session != "S-0" || st.EnergyKWh <= 30 || !st.Departure.Equal(sc.Start().Add(7*time.Hour)) {
		t.Fatalf("CP-0001 at 00:01: %+v, want S-0 plugged, from 30 kWh, leaving 07:00", st)
	}
	until := sc.Start().Add(9 * time.Hour) // past S-0's plug-out
	ack := s.ApplySetpoint(feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: "n1", Charger: "CP-0001", KW: -4, ValidUntil: until})
	if ack.Status != feeds.AckAccepted || ack.AppliedKW != -4 {
		t.Fatalf("setpoint for last evening's car: %+v", ack)
	}
	f := chargerFrames(t, s.Step(time.Minute), "CP-0001")
	if len(f) != 1 || f[0].State != feeds.StateDischarging || f[0].SetpointKW == nil || *f[0].SetpointKW != -4 {
		t.Fatalf("CP-0001 frames after -4 kW: %+v", f)
	}

	// At 07:00 it leaves; the setpoint goes with it and the charger is free
	// until tonight's car: setpoints are refused as for any empty charger.
	var at7 []feeds.ChargerFrame
	for s.Now().Before(sc.Start().Add(7 * time.Hour)) {
		at7 = chargerFrames(t, s.Step(time.Minute), "CP-0001")
	}
	if len(at7) != 1 || at7[0].Plugged || at7[0].State != feeds.StateAvailable {
		t.Fatalf("CP-0001 frames at 07:00: %+v, want available, unplugged", at7)
	}
	st, _ = s.EV("CP-0001")
	if st.Plugged || st.Left || st.SetpointKW != nil || st.Session != "S-1" {
		t.Fatalf("CP-0001 at 07:00: %+v, want free, waiting for S-1, no setpoint", st)
	}
	ack = s.ApplySetpoint(feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: "n2", Charger: "CP-0001", KW: 3, ValidUntil: until})
	if ack.Status != feeds.AckRejected || ack.Reason != "no EV plugged in at charger CP-0001" {
		t.Fatalf("setpoint for the free charger: %+v", ack)
	}
	if got := s.Stats().Departed; got != 1 {
		t.Fatalf("departed %d by 07:00, want 1 (S-0)", got)
	}

	// Tonight's car arrives at 17:00 with its own battery and target.
	var at17 []feeds.ChargerFrame
	for s.Now().Before(sc.Start().Add(17 * time.Hour)) {
		at17 = chargerFrames(t, s.Step(time.Minute), "CP-0001")
	}
	tonight := sc.Sessions[0]
	if len(at17) != 1 || !at17[0].Plugged || at17[0].State != feeds.StateCharging || at17[0].Departure == nil ||
		!at17[0].Departure.Equal(tonight.Plugout) || at17[0].SoC == nil || math.Abs(*at17[0].SoC-tonight.ArrivalKWh()/tonight.BatteryKWh) > 1e-4 {
		t.Fatalf("CP-0001 frame at 17:00: %+v, want tonight's car charging, leaving 23:00", at17)
	}
	st, _ = s.EV("CP-0001")
	if st.Session != "S-1" || st.TargetKWh != tonight.TargetKWh() || st.Left {
		t.Fatalf("CP-0001 at 17:00: %+v", st)
	}
	s.Step(7 * time.Hour)
	st, _ = s.EV("CP-0001")
	if !st.Left || st.Plugged {
		t.Fatalf("CP-0001 at the end of the day: %+v, want left", st)
	}
	if got := s.Stats().Departed; got != 4 {
		t.Errorf("departed %d, want 4 (S-0 to S-3)", got)
	}
}

// A car that plugs in at the step the last left, at the same power, is
// still reported: the charger's frame carries the new car's departure.
func TestChargerReportsBackToBackCars(t *testing.T) {
	sc := turnsScenario(t)
	first := &sc.Sessions[3]
	// 17:05, off the quarter hours' full refresh
	first.Plugin, first.Plugout, first.ArrivalSoC, first.EnergyKWh = sc.Start().Add(16*time.Hour), sc.Start().Add(17*time.Hour+5*time.Minute), 0.1, 40
	sc.Sessions[0].Plugin = first.Plugout
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	s := newTurnsSim(t, sc, 16*time.Hour+50*time.Minute)
	var at17 []feeds.ChargerFrame
	for s.Now().Before(first.Plugout) {
		at17 = chargerFrames(t, s.Step(time.Minute), "CP-0001")
	}
	if len(at17) != 1 || at17[0].Departure == nil || !at17[0].Departure.Equal(sc.Sessions[0].Plugout) || at17[0].KW != 7 {
		t.Fatalf("CP-0001 frames at 17:05: %+v, want one for tonight's car at 7 kW leaving 23:00", at17)
	}
}

// A late start and a seek run a charger through its sessions as stepping
// does, and a setpoint taken during a seek reaches the car plugged in at
// the time the seek reaches.
func TestCatchUpRunsThroughTurns(t *testing.T) {
	sc := turnsScenario(t)
	stepped := newTurnsSim(t, sc, 0)
	stepped.Step(18 * time.Hour)
	late := newTurnsSim(t, sc, 18*time.Hour)
	a, _ := stepped.EV("CP-0001")
	b, _ := late.EV("CP-0001")
	if a.Session != "S-1" || a.EnergyKWh != b.EnergyKWh || a.Session != b.Session || a.ChargedKWh != b.ChargedKWh || stepped.Stats() != late.Stats() {
		t.Fatalf("stepped to 18:00 %+v %+v, started at 18:00 %+v %+v", a, stepped.Stats(), b, late.Stats())
	}

	at := sc.Start().Add(8 * time.Hour)
	s := newTurnsSim(t, sc, 6*time.Hour)
	s.seeking = &seekState{at: at}
	ack := s.ApplySetpoint(feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: "q", Charger: "CP-0001", KW: 2, ValidUntil: at.Add(time.Hour)})
	if ack.Status != feeds.AckRejected || !strings.Contains(ack.Reason, "no EV plugged in") {
		t.Errorf("setpoint for 08:00, between CP-0001's cars, during a seek: %+v", ack)
	}
	s.seeking = &seekState{at: sc.Start().Add(18 * time.Hour)}
	ack = s.ApplySetpoint(feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: "r", Charger: "CP-0001", KW: 2, ValidUntil: at.Add(11 * time.Hour)})
	if ack.Status != feeds.AckAccepted {
		t.Errorf("setpoint for 18:00, tonight's car plugged in, during a seek: %+v", ack)
	}
}
