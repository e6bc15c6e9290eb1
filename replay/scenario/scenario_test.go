package scenario

import (
	"bytes"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestReadNorwaySessions(t *testing.T) {
	got, st, err := ReadNorwaySessions(open(t, "norway_sessions_excerpt.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 13 || st.Skipped != 1 || len(got) != 12 || !strings.Contains(st.Notes[0], "NA") {
		t.Fatalf("rows %d skipped %d sessions %d notes %q", st.Rows, st.Skipped, len(got), st.Notes)
	}
	first := got[0]
	want := NorwaySession{Location: "ASK", User: "ASK_Plass15", SessionID: "ASK_18266",
		Plugin:  time.Date(2019, 11, 28, 19, 8, 0, 0, time.UTC),
		Plugout: time.Date(2019, 11, 29, 8, 20, 0, 0, time.UTC), EnergyKWh: 19.96}
	if first != want {
		t.Errorf("first = %+v, want %+v", first, want)
	}
}

func TestReadNorwayUsers(t *testing.T) {
	got, st, err := ReadNorwayUsers(open(t, "norway_users_excerpt.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 6 || len(got) != 6 {
		t.Fatalf("rows %d users %d", st.Rows, len(got))
	}
	u := got["ASK_Plass19"]
	if !u.OK || math.Abs(u.ChargingKW-10.93846) > 1e-9 || math.Abs(u.BatteryKWh-81.752) > 1e-9 {
		t.Errorf("ASK_Plass19 = %+v", u)
	}
	na := 0
	for _, u := range got {
		if !u.OK {
			na++
		}
	}
	if na != 1 {
		t.Errorf("%d users without estimates, want 1", na)
	}
}

func TestReadTetouan(t *testing.T) {
	rows, st, err := ReadTetouan(open(t, "tetouan_excerpt.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 145 || st.Skipped != 0 {
		t.Fatalf("rows %d skipped %d", len(rows), st.Skipped)
	}
	if !rows[0].Time.Equal(time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)) || rows[0].Zones[0] != 34055.6962 {
		t.Errorf("first row = %+v", rows[0])
	}
	if !rows[144].Time.Equal(time.Date(2017, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("row 144 at %v", rows[144].Time)
	}
}

func TestImporterHeaders(t *testing.T) {
	if _, _, err := ReadNorwaySessions(strings.NewReader("a;b\r\n")); !errors.Is(err, ErrCSV) {
		t.Errorf("sessions: %v", err)
	}
	if _, _, err := ReadNorwayUsers(strings.NewReader("")); !errors.Is(err, ErrCSV) {
		t.Errorf("users: %v", err)
	}
	if _, _, err := ReadTetouan(strings.NewReader("DateTime,x\n")); !errors.Is(err, ErrCSV) {
		t.Errorf("tetouan: %v", err)
	}
	rows, st, err := ReadTetouan(strings.NewReader("DateTime,T,H,W,Zone 1 x,Zone 2 x,Zone 3 x\n13/45/17 0:00,1,1,1,1,1,1\n1/1/17 0:10,1,1,1,NaN,1,1\n1/1/17 0:20,1,1,1,1,2,3"))
	if err != nil || len(rows) != 1 || st.Skipped != 2 {
		t.Errorf("rows %d skipped %d err %v", len(rows), st.Skipped, err)
	}
}

// small returns a valid two-feeder scenario.
func small() *Scenario {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	d := time.Date(2024, 2, 4, 0, 0, 0, 0, loc)
	base := make([]float64, 144)
	for i := range base {
		base[i] = float64(100 + i)
	}
	return &Scenario{Version: Version, Site: "T", TimeZone: "Asia/Shanghai", Day: "2024-02-04", LoadStepMinutes: 10,
		ChargeEfficiency: 0.95, DischargeEfficiency: 0.95,
		Feeders: []Feeder{{ID: "F01", ImportLimitKW: 500, BaseKW: base}, {ID: "F02", ImportLimitKW: 500, BaseKW: base}},
		Sessions: []Session{{ID: "S-1", Charger: "CP-0001", Feeder: "F01", Plugin: d.Add(18 * time.Hour), Plugout: d.Add(23 * time.Hour),
			EnergyKWh: 20, MaxKW: 7, V2G: true, BatteryKWh: 60}},
		Prices: ChinaTOU()}
}

// nextCar returns a second session at the charger of sc's first, plugged
// in at hh:mm of the day until 07:00 the next morning.
func nextCar(sc *Scenario, hh, mm int) Session {
	n := sc.Sessions[0]
	n.ID = "S-2"
	n.Plugin = sc.Start().Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	n.Plugout = sc.Start().Add(31 * time.Hour)
	return n
}

func TestChargers(t *testing.T) {
	sc := small()
	sc.Sessions = append(sc.Sessions, nextCar(sc, 23, 30))
	other := nextCar(sc, 1, 0)
	other.ID, other.Charger = "S-3", "CP-0002"
	sc.Sessions = append(sc.Sessions, other)
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sc.Chargers(), " "); got != "CP-0001 CP-0002" {
		t.Errorf("Chargers() = %s, want CP-0001 CP-0002", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Scenario)
		want   string
	}{
		{"ok", func(*Scenario) {}, ""},
		{"version", func(s *Scenario) { s.Version = 9 }, "version"},
		{"zone", func(s *Scenario) { s.TimeZone = "Mars/Olympus" }, "time zone"},
		{"day", func(s *Scenario) { s.Day = "4.2.2024" }, "day"},
		{"duplicate feeder", func(s *Scenario) { s.Feeders[1].ID = "F01" }, "feeder 1"},
		{"limit", func(s *Scenario) { s.Feeders[0].ImportLimitKW = 0 }, "import_limit_kw"},
		{"steps", func(s *Scenario) { s.Feeders[1].BaseKW = s.Feeders[1].BaseKW[:10] }, "base-load steps"},
		{"nan base", func(s *Scenario) { s.Feeders[0].BaseKW[3] = math.NaN() }, "base_kw[3]"},
		{"unknown feeder", func(s *Scenario) { s.Sessions[0].Feeder = "F09" }, "unknown feeder"},
		{"plugout", func(s *Scenario) { s.Sessions[0].Plugout = s.Sessions[0].Plugin }, "plugout"},
		{"max kw", func(s *Scenario) { s.Sessions[0].MaxKW = -1 }, "max_kw"},
		{"efficiency", func(s *Scenario) { s.ChargeEfficiency = 1.5 }, "efficiency"},
		{"price", func(s *Scenario) { s.Prices[0].From = "25:00" }, "price band"},
		// Each of these was accepted and failed later, far from the cause,
		// or not at all.
		{"step overflow", func(s *Scenario) { s.LoadStepMinutes = 100000000 }, "load_step_minutes 100000000: want 1 to 1440"},
		{"negative export limit", func(s *Scenario) { v := -1.0; s.Feeders[0].ExportLimitKW = &v }, "feeder F01: export_limit_kw -1"},
		{"negative system limit", func(s *Scenario) { s.SystemLimitKW = -5 }, "system_import_limit_kw -5"},
		{"huge base", func(s *Scenario) { s.Feeders[0].BaseKW[3] = 1e300 }, "feeder F01: base_kw[3] 1e+300"},
		{"huge max kw", func(s *Scenario) { s.Sessions[0].MaxKW = 1e300 }, "max_kw 1e+300"},
		{"huge price", func(s *Scenario) { s.Prices[0].Price = 1e300 }, "prices[0] ("},
		{"plugout years on", func(s *Scenario) { s.Sessions[0].Plugout = s.Sessions[0].Plugin.AddDate(10, 0, 0) }, "not within a week of the scenario day"},
		// A charger hosts its sessions one at a time.
		{"turns", func(s *Scenario) { s.Sessions = append(s.Sessions, nextCar(s, 23, 30)) }, ""},
		{"turns back to back", func(s *Scenario) { s.Sessions = append(s.Sessions, nextCar(s, 23, 0)) }, ""},
		{"turns overlap", func(s *Scenario) { s.Sessions = append(s.Sessions, nextCar(s, 22, 59)) },
			"sessions 0 (S-1, 2024-02-04T18:00:00+08:00 to 2024-02-04T23:00:00+08:00) and 1 (S-2, 2024-02-04T22:59:00+08:00 to 2024-02-05T07:00:00+08:00) overlap at charger CP-0001"},
		{"turns overlap listed later", func(s *Scenario) {
			early := nextCar(s, 10, 0)
			early.Plugout = early.Plugin.Add(9 * time.Hour) // 10:00 to 19:00, into S-1's 18:00
			s.Sessions = append(s.Sessions, early)
		}, "sessions 1 (S-2, 2024-02-04T10:00:00+08:00 to 2024-02-04T19:00:00+08:00) and 0 (S-1, 2024-02-04T18:00:00+08:00 to 2024-02-04T23:00:00+08:00) overlap at charger CP-0001"},
		{"turns other feeder", func(s *Scenario) {
			n := nextCar(s, 23, 30)
			n.Feeder = "F02"
			s.Sessions = append(s.Sessions, n)
		}, "session 1 (S-2): charger CP-0001 has feeder F01, max_kw 7, v2g true in session 0 (S-1), here feeder F02"},
		{"turns other bounds", func(s *Scenario) {
			n := nextCar(s, 23, 30)
			n.V2G = false
			s.Sessions = append(s.Sessions, n)
		}, "here feeder F01, max_kw 7, v2g false"},
		{"charger empty", func(s *Scenario) { s.Sessions[0].Charger = "" }, "session 0 (S-1): charger empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := small()
			tt.mutate(sc)
			err := sc.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestJSONAndCSVRoundTrip(t *testing.T) {
	sc := small()
	var buf bytes.Buffer
	if err := sc.WriteGzip(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Sessions) != 1 || !got.Sessions[0].Plugin.Equal(sc.Sessions[0].Plugin) || got.Feeders[1].BaseKW[143] != 243 {
		t.Fatalf("round trip lost data: %+v", got)
	}
	if _, err := Read(strings.NewReader(`{"version":1,"bogus":2}`)); err == nil {
		t.Error("unknown field accepted")
	}

	buf.Reset()
	if err := WriteSessionsCSV(&buf, sc.Sessions); err != nil {
		t.Fatal(err)
	}
	ss, err := ReadSessionsCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 || ss[0].ID != "S-1" || ss[0].Feeder != "F01" || ss[0].Charger != "CP-0001" || !ss[0].V2G || ss[0].BatteryKWh != 60 ||
		!ss[0].Plugout.Equal(sc.Sessions[0].Plugout) {
		t.Errorf("sessions CSV round trip = %+v", ss)
	}
	buf.Reset()
	if err := WriteLoadsCSV(&buf, sc); err != nil {
		t.Fatal(err)
	}
	lt, err := ReadLoadsCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(lt.Times) != 144 || lt.Feeders[1] != "F02" || lt.KW[10][1] != 110 {
		t.Errorf("loads CSV round trip: %d rows %v", len(lt.Times), lt.Feeders)
	}
	_, err = ReadSessionsCSV(strings.NewReader("id,site,plugin,plugout,kwh,max_kw,v2g,battery_kwh\nS,F,2024-02-04T18:00:00+08:00,2024-02-04T19:00:00+08:00,x,7,true,60\n"))
	if !errors.Is(err, ErrCSV) || !strings.Contains(err.Error(), "line 2, column kwh") {
		t.Errorf("bad kwh: %v", err)
	}
}

func TestBaseAndPrice(t *testing.T) {
	sc := small()
	s := sc.Start()
	tests := []struct {
		at        time.Duration
		base      float64
		priceName string
	}{
		{0, 100, "valley"},
		{15 * time.Minute, 101, "valley"},
		{10*time.Hour + 30*time.Minute, 162.5, "peak"},
		{13 * time.Hour, 177.5, "flat"},
		{19 * time.Hour, 213.5, "peak"},
		{23*time.Hour + 59*time.Minute, 243, "valley"},
	}
	for _, tt := range tests {
		if got := sc.BaseAt(0, s.Add(tt.at)); math.Abs(got-tt.base) > 1e-9 {
			t.Errorf("BaseAt(%v) = %v, want %v", tt.at, got, tt.base)
		}
		p, ok := sc.PriceAt(s.Add(tt.at))
		if !ok || p.Name != tt.priceName {
			t.Errorf("PriceAt(%v) = %+v %v, want %s", tt.at, p, ok, tt.priceName)
		}
	}
	if got := sc.Sessions[0].TargetKWh(); got != 54 {
		t.Errorf("target = %v, want 54 (90%% of 60)", got)
	}
}
