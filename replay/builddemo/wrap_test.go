package main

import (
	"math"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/scenario"
)

// TestWrapOvernight checks that a session running past midnight also plugs
// in at 00:00 with the state of charge its unmanaged charging reached by
// midnight, wanting the rest, and that a session over by midnight does not.
func TestWrapOvernight(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	day := time.Date(2024, 1, 17, 0, 0, 0, 0, loc)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	sc := &scenario.Scenario{ChargeEfficiency: 0.95, Sessions: []scenario.Session{
		// full by midnight: 10 kWh at 0.95 × 3.7 kW takes under 3 h
		{ID: "S-0001", Charger: "CP-0001", Feeder: "F01", Plugin: at(20, 0), Plugout: at(31, 0), EnergyKWh: 10, MaxKW: 3.7, BatteryKWh: 60, V2G: true},
		// an hour of charging before midnight: 7.03 of 20 kWh
		{ID: "S-0002", Charger: "CP-0002", Feeder: "F02", Plugin: at(23, 0), Plugout: at(30, 30), EnergyKWh: 20, MaxKW: 7.4, BatteryKWh: 60},
		// gone at midnight exactly, and gone before it
		{ID: "S-0003", Charger: "CP-0003", Feeder: "F01", Plugin: at(18, 0), Plugout: at(24, 0), EnergyKWh: 5, MaxKW: 7.4, BatteryKWh: 60},
		{ID: "S-0004", Charger: "CP-0004", Feeder: "F01", Plugin: at(8, 0), Plugout: at(17, 0), EnergyKWh: 5, MaxKW: 7.4, BatteryKWh: 60},
		// plugged in over 24 h and empty on arrival: 0.95 × 2 kW × 17 h
		{ID: "S-0005", Charger: "CP-0005", Feeder: "F03", Plugin: at(7, 0), Plugout: at(33, 0), EnergyKWh: 40, MaxKW: 2, BatteryKWh: 40},
		// plugged in late for 35 h: past the second midnight too, so the
		// car of the evening before last is still there at 00:00
		{ID: "S-0006", Charger: "CP-0006", Feeder: "F04", Plugin: at(22, 0), Plugout: at(57, 0), EnergyKWh: 30, MaxKW: 1, BatteryKWh: 50, V2G: true},
	}}
	if n, own := wrapOvernight(sc, day); n != 5 || own != 3 {
		t.Fatalf("wrapped %d sessions, %d at chargers of their own, want 5, 3", n, own)
	}
	want := []scenario.Session{
		{ID: "S-0007", Charger: "CP-0001", Feeder: "F01", Plugin: day, Plugout: at(7, 0), EnergyKWh: 0, MaxKW: 3.7, BatteryKWh: 60, V2G: true, ArrivalSoC: 0.9},
		{ID: "S-0008", Charger: "CP-0002", Feeder: "F02", Plugin: day, Plugout: at(6, 30), EnergyKWh: 12.97, MaxKW: 7.4, BatteryKWh: 60, ArrivalSoC: 0.6838},
		// S-0005 and S-0006 last more than a day: their copies would
		// overlap them, so they get chargers of their own
		{ID: "S-0009", Charger: "CP-0007", Feeder: "F03", Plugin: day, Plugout: at(9, 0), EnergyKWh: 7.7, MaxKW: 2, BatteryKWh: 40, ArrivalSoC: 0.8075},
		// arrival 15 kWh; 2 h by the first midnight, 26 h by the second
		{ID: "S-0010", Charger: "CP-0008", Feeder: "F04", Plugin: day, Plugout: at(33, 0), EnergyKWh: 28.1, MaxKW: 1, BatteryKWh: 50, V2G: true, ArrivalSoC: 0.338},
		{ID: "S-0011", Charger: "CP-0009", Feeder: "F04", Plugin: day, Plugout: at(9, 0), EnergyKWh: 5.3, MaxKW: 1, BatteryKWh: 50, V2G: true, ArrivalSoC: 0.794},
	}
	// the scenario the copies make is valid: chargers take turns
	sc.Version, sc.TimeZone, sc.Day, sc.LoadStepMinutes, sc.DischargeEfficiency = scenario.Version, "Asia/Shanghai", "2024-01-17", 10, 0.95
	for _, f := range []string{"F01", "F02", "F03", "F04"} {
		sc.Feeders = append(sc.Feeders, scenario.Feeder{ID: f, ImportLimitKW: 100, BaseKW: make([]float64, 144)})
	}
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := len(sc.Chargers()); got != 9 {
		t.Errorf("%d chargers, want 9: the 6 sessions', 3 of their own for the copies of sessions over a day", got)
	}
	got := sc.Sessions[6:]
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID || g.Charger != w.Charger || g.Feeder != w.Feeder || !g.Plugin.Equal(w.Plugin) || !g.Plugout.Equal(w.Plugout) ||
			g.MaxKW != w.MaxKW || g.BatteryKWh != w.BatteryKWh || g.V2G != w.V2G ||
			math.Abs(g.EnergyKWh-w.EnergyKWh) > 1e-9 || math.Abs(g.ArrivalSoC-w.ArrivalSoC) > 1e-9 {
			t.Errorf("wrapped %d:\n got %+v\nwant %+v", i, g, w)
		}
		// the morning part continues the evening part: the same target
		if orig := sc.Sessions[[]int{0, 1, 4, 5, 5}[i]]; math.Abs(g.TargetKWh()-orig.TargetKWh()) > 0.01 {
			t.Errorf("%s: target %.2f kWh, its evening part's %.2f", g.ID, g.TargetKWh(), orig.TargetKWh())
		}
	}
}
