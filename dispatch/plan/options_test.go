package plan

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// siteAt is site() seen at fleet time at (reports stamped at now): the
// chargers' states of charge are then at-now old.
func siteAt(t *testing.T, at time.Time, soc float64, depart time.Duration) *feeds.Snapshot {
	t.Helper()
	fl := feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return at }})
	ts := now.Format(time.RFC3339)
	var chargers []string
	for i := 0; i < 4; i++ {
		chargers = append(chargers, fmt.Sprintf(`{"id":"CP-%d","feeder":"F%d","max_charge_kw":10,"max_discharge_kw":10}`, i, 1+i%2))
	}
	frames := []string{`{"v":1,"type":"hello","site":"Test","tz":"Asia/Shanghai","ts":"` + ts + `",
		"feeders":[{"id":"F1","import_limit_kw":150},{"id":"F2","import_limit_kw":150}],
		"chargers":[` + strings.Join(chargers, ",") + `]}`}
	for i := 0; i < 4; i++ {
		frames = append(frames, fmt.Sprintf(`{"v":1,"type":"charger","id":"CP-%d","ts":"%s","state":"charging","kw":10,"plugged":true,"soc":%g,"battery_kwh":60,"target_soc":0.8,"departure":"%s"}`,
			i, ts, soc, now.Add(depart).Format(time.RFC3339)))
	}
	frames = append(frames, `{"v":1,"type":"feeder","id":"F1","ts":"`+ts+`","kw":100}`, `{"v":1,"type":"feeder","id":"F2","ts":"`+ts+`","kw":100}`)
	for _, f := range frames {
		fl.HandleFrame([]byte(f))
	}
	s := fl.Snapshot()
	if n := s.Stats.RejectTotal(); n != 0 {
		t.Fatalf("test frames rejected: %s", s.Stats.LastReject)
	}
	return s
}

func TestPlannerOptions(t *testing.T) {
	later := now.Add(6 * time.Minute)
	capF1 := &feeds.EventFrame{ID: "DR", Kind: feeds.EventImportCap, Scope: "F1", Start: now, End: now.Add(time.Hour), KW: 90}
	tests := []struct {
		name  string
		snap  *feeds.Snapshot
		event *feeds.EventFrame
		opts  Options
		check func(t *testing.T, p *Plan)
	}{
		{"scope only plans the event's feeder", siteAt(t, now, 0.5, 6*time.Hour), capF1, Options{ScopeOnly: true}, func(t *testing.T, p *Plan) {
			if len(p.Chargers) != 2 || p.Chargers[0] != "CP-0" || p.Chargers[1] != "CP-2" {
				t.Errorf("chargers %v, want CP-0 and CP-2 (F1)", p.Chargers)
			}
			// F2's two EVs charge unmanaged in its base: 100 − 20 + 2×10.
			if b := p.Problem.Feeders[1].BaseKW[0]; math.Abs(b-100) > 1e-9 {
				t.Errorf("F2 base %v, want 100", b)
			}
			if b := p.Baseline.Feeders["F2"][0]; math.Abs(b-100) > 1e-9 {
				t.Errorf("F2 baseline %v, want 100 (unchanged by ScopeOnly)", b)
			}
		}},
		{"without scope only every EV is planned", siteAt(t, now, 0.5, 6*time.Hour), capF1, Options{}, func(t *testing.T, p *Plan) {
			if len(p.Chargers) != 4 {
				t.Errorf("%d chargers planned, want 4", len(p.Chargers))
			}
		}},
		{"from now starts at the minute", siteAt(t, later, 0.5, 6*time.Hour), nil, Options{FromNow: true}, func(t *testing.T, p *Plan) {
			if !p.Start.Equal(later) {
				t.Errorf("start %s, want %s", p.Start, later)
			}
		}},
		{"aligned to the slot by default", siteAt(t, later, 0.5, 6*time.Hour), nil, Options{}, func(t *testing.T, p *Plan) {
			if !p.Start.Equal(now) {
				t.Errorf("start %s, want %s", p.Start, now)
			}
		}},
		{"state of charge carried to now", siteAt(t, later, 0.5, 6*time.Hour), nil, Options{}, func(t *testing.T, p *Plan) {
			// 30 kWh reported 6 minutes ago at 10 kW, 95 % efficient.
			if e := p.Problem.EVs[0].EnergyKWh; math.Abs(e-(30+10*0.95*0.1)) > 1e-9 {
				t.Errorf("E0 %v, want 30.95", e)
			}
		}},
		{"no spare time: left unmanaged", siteAt(t, now, 0.5, 2*time.Hour), nil, Options{MinSpare: 25 * time.Minute}, func(t *testing.T, p *Plan) {
			// 18 kWh to go at 9.5 kW takes 1 h 54 min of a 2 h stay.
			if len(p.Chargers) != 0 || p.Unsteered != 4 {
				t.Errorf("planned %d, unsteered %d; want 0 and 4", len(p.Chargers), p.Unsteered)
			}
			if b := p.Problem.Feeders[0].BaseKW[0]; math.Abs(b-100) > 1e-9 {
				t.Errorf("F1 base %v, want 100 (their unmanaged load)", b)
			}
		}},
		{"spare time: steered, no V2G under the V2G spare", siteAt(t, now, 0.5, 3*time.Hour), nil,
			Options{MinSpare: 25 * time.Minute, V2GMinSpare: 2 * time.Hour}, func(t *testing.T, p *Plan) {
				if len(p.Chargers) != 4 || p.Problem.EVs[0].MaxDischargeKW != 0 {
					t.Errorf("planned %d, discharge %v; want 4 and 0", len(p.Chargers), p.Problem.EVs[0].MaxDischargeKW)
				}
			}},
		{"plenty of spare time: V2G allowed", siteAt(t, now, 0.5, 6*time.Hour), nil,
			Options{MinSpare: 25 * time.Minute, V2GMinSpare: 2 * time.Hour}, func(t *testing.T, p *Plan) {
				if p.Problem.EVs[0].MaxDischargeKW != 10 {
					t.Errorf("discharge %v, want 10", p.Problem.EVs[0].MaxDischargeKW)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Build(tc.snap, tc.event, HistoryForecaster{Snap: tc.snap}, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, p)
		})
	}
}
