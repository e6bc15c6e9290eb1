package control

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestTriageRanksBySeverityThenLoading: the worst level first, then the
// highest loading (the desk's triage and alarm list rank so: a feeder at
// 125 % that went over 2 minutes ago comes before one at 120 % for 10),
// then the longest over its limit.
func TestTriageRanksBySeverityThenLoading(t *testing.T) {
	// Feeders (limit 100 kW) and their load, minute by minute over the last
	// 40 minutes: how long each has been over is in its history.
	type spec struct {
		id      string
		now     float64 // load now
		overFor int     // minutes over the limit before now
	}
	specs := []spec{
		{"FA", 120, 10}, // HIGH for 10 min
		{"FB", 105, 30}, // OVER for 30 min
		{"FC", 125, 2},  // HIGH for 2 min: less time over than FA, more loading
		{"FF", 120, 20}, // HIGH for 20 min: FA's loading, longer over
		{"FD", 92, 0},   // WATCH
		{"FE", 50, 0},   // fine: not listed
	}
	now := t0
	clock := now.Add(-40 * time.Minute)
	fl := feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return clock }})
	var feeders, chargers []string
	for _, s := range specs {
		feeders = append(feeders, fmt.Sprintf(`{"id":"%s","import_limit_kw":100}`, s.id))
	}
	for i := 0; i < 4; i++ {
		chargers = append(chargers, fmt.Sprintf(`{"id":"CP-%d","feeder":"FA","max_charge_kw":11,"max_discharge_kw":0}`, i))
	}
	fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"T","tz":"Asia/Shanghai","ts":"` + clock.Format(time.RFC3339) +
		`","feeders":[` + strings.Join(feeders, ",") + `],"chargers":[` + strings.Join(chargers, ",") + `]}`))
	for m := 40; m >= 0; m-- {
		clock = now.Add(-time.Duration(m) * time.Minute)
		for _, s := range specs {
			kw := 80.0
			if m <= s.overFor {
				kw = s.now
			}
			if s.overFor == 0 {
				kw = s.now
			}
			fl.HandleFrame([]byte(fmt.Sprintf(`{"v":1,"type":"feeder","id":"%s","ts":"%s","kw":%g}`, s.id, clock.Format(time.RFC3339), kw)))
		}
	}
	for i, kw := range []float64{3.7, 11, 7.4, 0} {
		fl.HandleFrame([]byte(fmt.Sprintf(`{"v":1,"type":"charger","id":"CP-%d","ts":"%s","state":"charging","kw":%g,"plugged":true}`, i, clock.Format(time.RFC3339), kw)))
	}
	snap := fl.Snapshot()
	if n := snap.Stats.RejectTotal(); n != 0 {
		t.Fatalf("frames rejected: %s", snap.Stats.LastReject)
	}
	got := Triage(snap, TriageOptions{TopChargers: 2})
	var order []string
	for _, o := range got {
		order = append(order, fmt.Sprintf("%s:%s", o.Feeder, o.Level))
	}
	if want := "FC:HIGH FF:HIGH FA:HIGH FB:OVER FD:WATCH"; strings.Join(order, " ") != want {
		t.Fatalf("order %v, want %s", order, want)
	}
	fa := got[2]
	if fa.Over < 10*time.Minute || fa.Over > 11*time.Minute {
		t.Errorf("FA over for %s, want about 10 min", fa.Over)
	}
	if len(fa.Top) != 2 || fa.Top[0].Charger != "CP-1" || fa.Top[1].Charger != "CP-2" || math.Abs(fa.ChargingKW-22.1) > 1e-9 {
		t.Errorf("FA top %+v, charging %.1f kW; want CP-1, CP-2 of 22.1 kW", fa.Top, fa.ChargingKW)
	}
	if ff := got[1]; ff.Over < 20*time.Minute || ff.Over > 21*time.Minute {
		t.Errorf("FF over for %s, want about 20 min", ff.Over)
	}
	if got[4].Over != 0 {
		t.Errorf("FD (under its limit) over for %s, want 0", got[3].Over)
	}
	if Triage(nil, TriageOptions{}) != nil {
		t.Error("triage of no snapshot is not empty")
	}
}

// suggestSite is feeder F (limit 100 kW) with the given chargers plugged
// in at t0, each at half of 60 kWh with a target of 80%: "A" bidirectional
// (11 kW both ways) leaving in 4 h, "B" 11 kW one way leaving in 1 h 45 min
// (too tight to steer: the planner leaves it unmanaged, in the base load).
func suggestSite(t *testing.T, chargers ...string) *feeds.Fleet {
	t.Helper()
	fl := feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return t0 }})
	spec := map[string]struct {
		dis  float64
		stay time.Duration
	}{"A": {11, 4 * time.Hour}, "B": {0, 105 * time.Minute}}
	var hello []string
	for _, id := range chargers {
		hello = append(hello, fmt.Sprintf(`{"id":"%s","feeder":"F","max_charge_kw":11,"max_discharge_kw":%g}`, id, spec[id].dis))
	}
	frames := []string{`{"v":1,"type":"hello","site":"T","tz":"Asia/Shanghai","ts":"` + t0.Format(time.RFC3339) +
		`","feeders":[{"id":"F","import_limit_kw":100}],"chargers":[` + strings.Join(hello, ",") + `]}`}
	for _, id := range chargers {
		frames = append(frames, fmt.Sprintf(`{"v":1,"type":"charger","id":"%s","ts":"%s","state":"charging","kw":11,"plugged":true,"soc":0.5,"battery_kwh":60,"target_soc":0.8,"departure":"%s"}`,
			id, t0.Format(time.RFC3339), t0.Add(spec[id].stay).Format(time.RFC3339)))
	}
	frames = append(frames, fmt.Sprintf(`{"v":1,"type":"feeder","id":"F","ts":"%s","kw":%g}`, t0.Format(time.RFC3339), 100+11*float64(len(chargers))))
	for _, f := range frames {
		fl.HandleFrame([]byte(f))
	}
	if s := fl.Snapshot(); s.Stats.RejectTotal() != 0 {
		t.Fatalf("frames rejected: %s", s.Stats.LastReject)
	}
	return fl
}

// TestSuggestAchievableCap: the suggested cap is 95% of the limit when the
// EVs can hold the feeder there, and otherwise the lowest level they can
// hold in every slot of the window, said plainly. The base load is peakKW
// for highSlots slots of 15 min, then 60 kW; the window runs to the end of
// the evening peak (22:00, 16 slots), while A is plugged in. A can take
// 11 kW off in any one slot by discharging (MinNetKW −11); B adds 11 kW
// it cannot shed until it leaves.
func TestSuggestAchievableCap(t *testing.T) {
	cases := []struct {
		name      string
		chargers  []string
		peakKW    float64
		highSlots int
		floor     float64 // envelope floor over the window
		pct       float64
		capKW     float64
		limited   bool
		note      string
	}{
		// 100 − 11 = 89 kW is in reach: 95% stands.
		{name: "reachable", chargers: []string{"A"}, peakKW: 100, highSlots: 2, floor: 89, pct: 95, capKW: 95},
		// 110 − 11 = 99 kW: 95% is out of reach, 99% is the most A can do.
		{name: "above 95%", chargers: []string{"A"}, peakKW: 110, highSlots: 2, floor: 99, pct: 99, capKW: 99, limited: true,
			note: "cap F at 99% until 22:00: the most the plugged-in EVs can shed (95% is out of reach); "},
		// B's 11 kW stays: 110 + 11 − 11 = 110 kW, the feeder stays over.
		{name: "over the limit", chargers: []string{"A", "B"}, peakKW: 110, highSlots: 2, floor: 110, pct: 110, capKW: 110, limited: true,
			note: "cap F at 110% until 22:00: the most the plugged-in EVs can shed; the rest needs manual switching; "},
		// 99 kW for two hours asks 22 kWh of discharge, more than A can
		// give and still reach its target: the envelope (each slot on its
		// own) says 99 kW, the plan cannot hold it, and the cap follows the
		// plan. A needs 48 − 8 × 2.6125 = 27.1 kWh at 20:00 to charge to its
		// 48 kWh by 22:00, so it can give 0.95 × 2.9 kWh over the two hours:
		// 1.38 kW on average, 108.6 kW, 109%.
		{name: "several slots at once", chargers: []string{"A"}, peakKW: 110, highSlots: 8, floor: 99, pct: 109, capKW: 109, limited: true,
			note: "cap F at 109% until 22:00: the most the plugged-in EVs can shed; the rest needs manual switching; "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fl := suggestSite(t, tc.chargers...)
			base := plan.FuncForecaster(func(_ string, _ time.Time, _ time.Duration, n int) []float64 {
				kw := make([]float64, n)
				for i := range kw {
					kw[i] = 60
					if i < tc.highSlots {
						kw[i] = tc.peakKW
					}
				}
				return kw
			})
			c, err := New(Options{Fleet: fl, Logger: slog.New(slog.DiscardHandler),
				Forecast: func(*feeds.Snapshot) plan.Forecaster { return base }})
			if err != nil {
				t.Fatal(err)
			}
			s, err := c.Suggest(context.Background(), "F")
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s (floor %.1f kW)", s, s.FloorKW)
			if math.Abs(s.FloorKW-tc.floor) > 1e-9 {
				t.Errorf("floor %.3f kW, want %.0f", s.FloorKW, tc.floor)
			}
			if s.Limited != tc.limited {
				t.Errorf("limited %t, want %t", s.Limited, tc.limited)
			}
			if s.Pct != tc.pct {
				t.Errorf("pct %.0f, want %.0f", s.Pct, tc.pct)
			}
			if s.Event.KW != tc.capKW {
				t.Errorf("cap %.1f kW, want %.0f", s.Event.KW, tc.capKW)
			}
			if want := time.Date(2024, 2, 4, 22, 0, 0, 0, t0.Location()); !s.Event.End.Equal(want) {
				t.Errorf("until %s, want 22:00", s.Event.End.Format("15:04"))
			}
			if s.Preview.CapMissed() {
				t.Errorf("the suggested cap misses by %.2f kWh in its own plan", s.Preview.CapShortfallKWh)
			}
			if s.Short != 0 {
				t.Errorf("%d EVs short", s.Short)
			}
			if tc.note != "" && !strings.HasPrefix(s.String(), tc.note) {
				t.Errorf("String() = %q, want it to start %q", s, tc.note)
			}
			if !tc.limited && (s.LimitNote() != "" || !strings.HasPrefix(s.String(), "cap F at 95% until 22:00: 1 charger,")) {
				t.Errorf("String() = %q for a cap in reach", s)
			}
		})
	}
}

// A suggestion proposed, cancelled and suggested again in the same minute
// gets a new id: the second was refused as "the id is taken".
func TestSuggestionIDIsFree(t *testing.T) {
	r := newRig(t, nil)
	if got := r.c.freeID("T-F1-1800"); got != "T-F1-1800" {
		t.Fatalf("free id: %q", got)
	}
	ev := capF1("T-F1-1800", 120)
	if _, err := r.c.Propose(ev, OriginTriage, ana); err != nil {
		t.Fatal(err)
	}
	if got := r.c.freeID("T-F1-1800"); got != "T-F1-1800-2" {
		t.Errorf("taken id: %q, want T-F1-1800-2", got)
	}
}
