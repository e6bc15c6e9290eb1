package main

import (
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/scenario"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// options are the builder's choices; docs/replay.md documents the defaults.
type options struct {
	Seed          int64
	Site          string
	TimeZone      string
	Day           string // the demo day, a weekday
	Feeders       int
	Sessions      int
	V2GShare      float64
	Overloaded    int     // feeders whose limit unmanaged charging exceeds
	OverloadMin   float64 // by this much at least (0.10 = 10%)
	OverloadMax   float64
	HeadroomMin   float64 // other feeders: limit = day peak × (1 + headroom)
	HeadroomMax   float64
	BaseToEVMin   float64 // base-load peak as a multiple of the feeder's unmanaged EV peak
	BaseToEVMax   float64
	MaxConnection time.Duration // longer sessions are left out
	MinEnergyKWh  float64       // smaller sessions are left out
	DefaultKW     float64       // when Dataset2 has no estimate for the user
	DefaultBatt   float64
	ZoneMonths    []time.Month // Tetouan days are picked from these months
	EveningFrom   int          // hour; the evening window for overload checks
	EveningTo     int
}

func defaultOptions() options {
	return options{Seed: 20240117, Site: "Demo City", TimeZone: "Asia/Shanghai", Day: "2024-01-17",
		Feeders: 12, Sessions: 3000, V2GShare: 0.30, Overloaded: 4, OverloadMin: 0.10, OverloadMax: 0.25,
		HeadroomMin: 0.08, HeadroomMax: 0.30, BaseToEVMin: 2.0, BaseToEVMax: 4.0,
		MaxConnection: 36 * time.Hour, MinEnergyKWh: 1, DefaultKW: 7.4, DefaultBatt: 60,
		ZoneMonths: []time.Month{time.January, time.February}, EveningFrom: 17, EveningTo: 23}
}

// build composes the demo scenario and returns it with a human report.
func build(in *inputs, o options, log *slog.Logger) (*scenario.Scenario, string, error) {
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 0x76326764))
	var rep strings.Builder

	raw, st, err := scenario.ReadNorwaySessions(in.sessions)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", in.sessionsPath, err)
	}
	fmt.Fprintf(&rep, "Norwegian sessions: %d rows, %d skipped\n", st.Rows, st.Skipped)
	users, ust, err := scenario.ReadNorwayUsers(in.users)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", in.usersPath, err)
	}
	fmt.Fprintf(&rep, "Norwegian user estimates: %d rows, %d skipped\n", ust.Rows, ust.Skipped)
	zones, zst, err := scenario.ReadTetouan(in.zones)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", in.zonesPath, err)
	}
	fmt.Fprintf(&rep, "Tetouan rows: %d, %d skipped\n", zst.Rows, zst.Skipped)

	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		return nil, "", err
	}
	day, err := time.ParseInLocation("2006-01-02", o.Day, loc)
	if err != nil {
		return nil, "", err
	}
	sc := &scenario.Scenario{Version: scenario.Version, Site: o.Site, TimeZone: o.TimeZone, Day: o.Day, LoadStepMinutes: 10,
		ChargeEfficiency: scenario.DefaultChargeEfficiency, DischargeEfficiency: scenario.DefaultDischargeEfficiency,
		Prices: scenario.ChinaTOU(), Currency: "CNY"}
	sc.Notes = append(sc.Notes,
		fmt.Sprintf("built by replay/builddemo with seed %d", o.Seed),
		"EV sessions: Sørensen et al., residential EV charging in 12 Norwegian locations, doi:10.5281/zenodo.13896176, CC BY 4.0",
		"feeder base loads: Salam & El Hibaoui, Power Consumption of Tetouan City, UCI ML Repository, CC BY 4.0")

	// feeder base curves: weekday zone curves, one distinct (zone, day) each
	days := zoneWeekdays(zones, o.ZoneMonths)
	if len(days) < o.Feeders {
		return nil, "", fmt.Errorf("%d feeders need a Tetouan weekday each, and the chosen months have %d", o.Feeders, len(days))
	}
	rng.Shuffle(len(days), func(i, j int) { days[i], days[j] = days[j], days[i] })
	for f := 0; f < o.Feeders; f++ {
		zone, d := f%3, days[f]
		curve := make([]float64, 144)
		for i := range curve {
			curve[i] = d.rows[i].Zones[zone]
		}
		sc.Feeders = append(sc.Feeders, scenario.Feeder{ID: fmt.Sprintf("F%02d", f+1), Name: fmt.Sprintf("Feeder %02d", f+1),
			ImportLimitKW: 1, BaseKW: curve})
		sc.Notes = append(sc.Notes, fmt.Sprintf("F%02d base: Tetouan zone %d on %s (%s), scaled", f+1, zone+1,
			d.date.Format("2006-01-02"), d.date.Weekday()))
	}

	// sessions: weekday plug-ins, shifted to the demo day at their wall-clock time
	var eligible []scenario.NorwaySession
	for _, s := range raw {
		wd := s.Plugin.Weekday()
		if wd == time.Saturday || wd == time.Sunday || s.Plugout.Sub(s.Plugin) > o.MaxConnection || s.EnergyKWh < o.MinEnergyKWh {
			continue
		}
		eligible = append(eligible, s)
	}
	if len(eligible) < o.Sessions {
		return nil, "", fmt.Errorf("only %d eligible sessions, want %d", len(eligible), o.Sessions)
	}
	fmt.Fprintf(&rep, "eligible weekday sessions: %d; picking %d\n", len(eligible), o.Sessions)
	pick := rng.Perm(len(eligible))[:o.Sessions]
	chosen := make([]scenario.NorwaySession, len(pick))
	for i, p := range pick {
		chosen[i] = eligible[p]
	}
	sort.SliceStable(chosen, func(i, j int) bool { return clockOf(chosen[i].Plugin) < clockOf(chosen[j].Plugin) })
	defaults := 0
	for i, s := range chosen {
		plugin := time.Date(day.Year(), day.Month(), day.Day(), s.Plugin.Hour(), s.Plugin.Minute(), 0, 0, loc)
		ss := scenario.Session{ID: fmt.Sprintf("S-%04d", i+1), Charger: fmt.Sprintf("CP-%04d", i+1),
			Feeder: sc.Feeders[rng.IntN(o.Feeders)].ID, Plugin: plugin, Plugout: plugin.Add(s.Plugout.Sub(s.Plugin)),
			EnergyKWh: round(s.EnergyKWh, 100), MaxKW: o.DefaultKW, BatteryKWh: o.DefaultBatt, V2G: rng.Float64() < o.V2GShare}
		if u, ok := users[s.User]; ok && u.OK {
			ss.MaxKW, ss.BatteryKWh = round(u.ChargingKW, 100), round(u.BatteryKWh, 10)
		} else {
			defaults++
		}
		// the estimate can be smaller than what the session took: the battery
		// holds at least the energy wanted on top of a 10% reserve
		ss.BatteryKWh = math.Max(ss.BatteryKWh, math.Ceil(ss.EnergyKWh/0.9))
		sc.Sessions = append(sc.Sessions, ss)
	}
	fmt.Fprintf(&rep, "sessions without a Dataset2 estimate (defaults %.1f kW, %.0f kWh): %d\n", o.DefaultKW, o.DefaultBatt, defaults)
	wrapped, ownCharger := wrapOvernight(sc, day)
	fmt.Fprintf(&rep, "sessions past midnight, also plugged in from 00:00 as the car of an evening before: %d (at the session's charger: %d; of sessions over a day, at a charger of their own: %d)\n",
		wrapped, wrapped-ownCharger, ownCharger)
	sc.Notes = append(sc.Notes, fmt.Sprintf("S-%04d..S-%04d: the sessions still plugged in at midnight (or at the next), from 00:00 as the car of the evening before (or the one before that), with the state of charge unmanaged charging since its plug-in reached, at the session's charger (before the session plugs in), or for the sessions over a day at chargers of their own, CP-%04d..CP-%04d",
		o.Sessions+1, o.Sessions+wrapped, o.Sessions+1, o.Sessions+ownCharger))

	// scale base loads against each feeder's unmanaged EV load, then set limits
	ev, err := unmanagedEV(sc, log)
	if err != nil {
		return nil, "", err
	}
	for f := range sc.Feeders {
		evPeak := maxOf(ev[f])
		k := o.BaseToEVMin + rng.Float64()*(o.BaseToEVMax-o.BaseToEVMin)
		scale := k * evPeak / maxOf(sc.Feeders[f].BaseKW)
		for i, v := range sc.Feeders[f].BaseKW {
			sc.Feeders[f].BaseKW[i] = round(v*scale, 10)
		}
	}
	over := rng.Perm(o.Feeders)[:o.Overloaded]
	isOver := map[int]bool{}
	for _, f := range over {
		isOver[f] = true
	}
	fmt.Fprintf(&rep, "%-4s %10s %10s %10s %10s %8s\n", "feed", "base peak", "EV peak", "peak", "limit", "loading")
	for f := range sc.Feeders {
		total := make([]float64, len(ev[f]))
		evening := 0.0
		for m := range total {
			t := day.Add(time.Duration(m) * time.Minute)
			total[m] = sc.BaseAt(f, t) + ev[f][m]
			if h := t.Hour(); h >= o.EveningFrom && h < o.EveningTo {
				evening = math.Max(evening, total[m])
			}
		}
		peak := maxOf(total)
		var limit float64
		if isOver[f] {
			u := o.OverloadMin + rng.Float64()*(o.OverloadMax-o.OverloadMin)
			limit = evening / (1 + u)
		} else {
			limit = peak * (1 + o.HeadroomMin + rng.Float64()*(o.HeadroomMax-o.HeadroomMin))
		}
		limit = math.Round(limit/10) * 10
		sc.Feeders[f].ImportLimitKW = limit
		fmt.Fprintf(&rep, "%-4s %10.0f %10.0f %10.0f %10.0f %7.0f%%\n", sc.Feeders[f].ID, maxOf(sc.Feeders[f].BaseKW), maxOf(ev[f]), peak, limit, 100*peak/limit)
	}
	if err := sc.Validate(); err != nil {
		return nil, "", err
	}
	return sc, rep.String(), nil
}

// unmanagedEV simulates the day without base load or setpoints and returns
// each feeder's EV load per minute.
func unmanagedEV(sc *scenario.Scenario, log *slog.Logger) ([][]float64, error) {
	bare := *sc
	bare.Feeders = make([]scenario.Feeder, len(sc.Feeders))
	for i, f := range sc.Feeders {
		bare.Feeders[i] = scenario.Feeder{ID: f.ID, ImportLimitKW: 1, BaseKW: make([]float64, len(f.BaseKW))}
	}
	s, err := sim.New(&bare, sim.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(sc.Feeders))
	for s.Now().Before(s.End()) {
		for i, l := range s.FeederLoads() {
			out[i] = append(out[i], l.KW)
		}
		s.Step(time.Minute)
	}
	st := s.Stats()
	log.Info("unmanaged day", "departed", st.Departed, "unmet_sessions", st.UnmetSessions, "unmet_kwh", math.Round(st.UnmetKWh))
	return out, nil
}

type zoneDay struct {
	date time.Time
	rows []scenario.TetouanRow
}

// zoneWeekdays returns the complete Monday-to-Friday days in months.
func zoneWeekdays(rows []scenario.TetouanRow, months []time.Month) []zoneDay {
	var out []zoneDay
	for i := 0; i+144 <= len(rows); {
		d := rows[i].Time
		if d.Hour() != 0 || d.Minute() != 0 {
			i++
			continue
		}
		ok := rows[i+143].Time.Equal(d.Add(1430 * time.Minute))
		wd := d.Weekday()
		inMonth := false
		for _, m := range months {
			inMonth = inMonth || d.Month() == m
		}
		if ok && inMonth && wd != time.Saturday && wd != time.Sunday {
			out = append(out, zoneDay{date: d, rows: rows[i : i+144]})
		}
		i += 144
	}
	return out
}

func clockOf(t time.Time) int { return t.Hour()*60 + t.Minute() }

func round(x, prec float64) float64 { return math.Round(x*prec) / prec }

func maxOf(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}
