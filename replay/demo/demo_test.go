package demo

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/sim"
)

func TestDemoScenario(t *testing.T) {
	sc, err := Scenario()
	if err != nil {
		t.Fatal(err)
	}
	if sc.Site != "Demo City" || sc.TimeZone != "Asia/Shanghai" || len(sc.Feeders) < 10 || len(sc.Sessions) < 2500 {
		t.Fatalf("demo: site %q tz %q, %d feeders, %d sessions", sc.Site, sc.TimeZone, len(sc.Feeders), len(sc.Sessions))
	}
	v2g := 0
	for _, s := range sc.Sessions {
		if s.V2G {
			v2g++
		}
		if !strings.HasPrefix(s.Charger, "CP-") || !strings.HasPrefix(s.ID, "S-") {
			t.Fatalf("session ids not neutral: %s %s", s.ID, s.Charger)
		}
	}
	if share := float64(v2g) / float64(len(sc.Sessions)); share < 0.25 || share > 0.35 {
		t.Errorf("V2G share %.2f, want about 0.30", share)
	}
	if p, ok := sc.PriceAt(sc.Start().Add(19 * time.Hour)); !ok || p.Name != "peak" {
		t.Errorf("19:00 price band %+v", p)
	}
}

// TestUnmanagedEveningOverloads re-enacts the demo day without setpoints and
// checks that unmanaged charging overloads at least two feeders in the
// evening, by 10 to 25 percent at most.
func TestUnmanagedEveningOverloads(t *testing.T) {
	sc, err := Scenario()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(sc, sim.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	worst := map[string]float64{} // evening loading, fraction of the limit
	for s.Now().Before(s.End()) {
		if h := s.Now().Hour(); h >= 17 && h < 23 {
			for _, l := range s.FeederLoads() {
				if r := l.KW / l.LimitKW; r > worst[l.ID] {
					worst[l.ID] = r
				}
			}
		}
		s.Step(time.Minute)
	}
	over := 0
	for id, r := range worst {
		if r > 1 {
			over++
			if r > 1.26 {
				t.Errorf("%s evening loading %.0f%%, want at most about 125%%", id, 100*r)
			}
		}
	}
	if over < 2 {
		t.Fatalf("%d feeders overloaded in the evening, want at least 2 (%v)", over, worst)
	}
	t.Logf("%d feeders overloaded in the evening: %v", over, worst)
}

// TestDemoStartsWithLastEveningsCars checks the demo day is a steady-state
// weekday: at 03:00 most of last evening's EVs are still plugged in (it
// used to have 91 of 3,000, the few that plugged in after midnight), with
// the state of charge they reached by midnight, and unmanaged they overload no feeder overnight,
// so the night is the valley smart charging fills.
func TestDemoStartsWithLastEveningsCars(t *testing.T) {
	sc, err := Scenario()
	if err != nil {
		t.Fatal(err)
	}
	start := sc.Start()
	at3 := start.Add(3 * time.Hour)
	plugged, carried := 0, 0
	for _, s := range sc.Sessions {
		if !s.Plugin.After(at3) && s.Plugout.After(at3) {
			plugged++
		}
		// a car carried over has the state of charge it reached by
		// midnight; the two real sessions that plugged in at 00:00 have none
		if s.Plugin.Equal(start) && s.ArrivalSoC > 0 {
			carried++
		}
	}
	if plugged < 1500 || carried < 1500 {
		t.Errorf("%d EVs plugged in at 03:00, %d of them since 00:00; want at least 1,500 of each", plugged, carried)
	}
	s, err := sim.New(sc, sim.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for s.Now().Before(start.Add(7 * time.Hour)) {
		for _, l := range s.FeederLoads() {
			if l.KW > l.LimitKW {
				t.Fatalf("%s overloaded unmanaged at %s: %.0f of %.0f kW", l.ID, s.Now().Format("15:04"), l.KW, l.LimitKW)
			}
		}
		s.Step(time.Minute)
	}
	t.Logf("%d EVs plugged in at 03:00, %d since 00:00", plugged, carried)
}

// TestDemoCarsShareTheirChargers checks last evening's cars are at the
// chargers tonight's take over: the demo city has a charger per session
// of the day (3,000), plus one for each copy of a session that lasts more
// than a day, which cannot take turns with it. It had a charger per copy,
// 4,827 in all: the copies' idle from the morning on, the evening cars' empty all night.
func TestDemoCarsShareTheirChargers(t *testing.T) {
	sc, err := Scenario()
	if err != nil {
		t.Fatal(err)
	}
	sessions := map[string]int{}
	for _, s := range sc.Sessions {
		sessions[s.Charger]++
	}
	shared := 0
	for _, n := range sessions {
		if n > 1 {
			shared++
		}
	}
	if n := len(sc.Chargers()); n != 3065 || shared != 1762 {
		t.Errorf("%d chargers, %d of them hosting two sessions; want 3,065 and 1,762 (the copies of 1,762 sessions of at most a day)", n, shared)
	}
}
