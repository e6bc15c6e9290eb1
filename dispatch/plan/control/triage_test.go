package control

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

func TestTriageRanksBySeverityThenTimeOver(t *testing.T) {
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
		{"FC", 125, 2},  // HIGH for 2 min: less time over than FA
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
	if want := "FA:HIGH FC:HIGH FB:OVER FD:WATCH"; strings.Join(order, " ") != want {
		t.Fatalf("order %v, want %s", order, want)
	}
	fa := got[0]
	if fa.Over < 10*time.Minute || fa.Over > 11*time.Minute {
		t.Errorf("FA over for %s, want about 10 min", fa.Over)
	}
	if len(fa.Top) != 2 || fa.Top[0].Charger != "CP-1" || fa.Top[1].Charger != "CP-2" || math.Abs(fa.ChargingKW-22.1) > 1e-9 {
		t.Errorf("FA top %+v, charging %.1f kW; want CP-1, CP-2 of 22.1 kW", fa.Top, fa.ChargingKW)
	}
	if got[3].Over != 0 {
		t.Errorf("FD (under its limit) over for %s, want 0", got[3].Over)
	}
	if Triage(nil, TriageOptions{}) != nil {
		t.Error("triage of no snapshot is not empty")
	}
}
