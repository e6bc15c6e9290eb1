package scenario

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds/jsonwhere"
)

// Version is the scenario JSON version this package reads and writes.
const Version = 1

// ErrInvalid is wrapped by every error Validate returns.
var ErrInvalid = errors.New("invalid scenario")

// Default efficiencies of the battery model (grid side to battery and back).
const (
	DefaultChargeEfficiency    = 0.95
	DefaultDischargeEfficiency = 0.95
)

// Scenario is one day of exogenous inputs.
type Scenario struct {
	Version  int    `json:"version"`
	Site     string `json:"site"`
	TimeZone string `json:"tz"`  // IANA name
	Day      string `json:"day"` // YYYY-MM-DD in TimeZone; the day starts at 00:00
	// LoadStepMinutes is the resolution of every feeder's BaseKW.
	LoadStepMinutes     int         `json:"load_step_minutes"`
	ChargeEfficiency    float64     `json:"charge_efficiency"`
	DischargeEfficiency float64     `json:"discharge_efficiency"`
	Feeders             []Feeder    `json:"feeders"`
	Sessions            []Session   `json:"sessions"`
	Prices              []PriceBand `json:"prices,omitempty"`
	Currency            string      `json:"currency,omitempty"`
	Notes               []string    `json:"notes,omitempty"` // provenance, one line each
	SystemLimitKW       float64     `json:"system_import_limit_kw,omitempty"`
	loc                 *time.Location
}

// Feeder is one distribution feeder (transformer) of the site.
type Feeder struct {
	ID            string   `json:"id"`
	Name          string   `json:"name,omitempty"`
	ImportLimitKW float64  `json:"import_limit_kw"`
	ExportLimitKW *float64 `json:"export_limit_kw,omitempty"`
	// BaseKW is the load without EVs, one value per LoadStepMinutes from the
	// start of the day (the mean over that step).
	BaseKW []float64 `json:"base_kw"`
}

// Session is one EV's visit to a charger. A charger may host several
// sessions, one after another (Validate refuses overlapping ones); its
// feeder, max_kw and v2g are the same in each, being the charger's.
type Session struct {
	ID      string    `json:"id"`      // neutral, e.g. S-0001
	Charger string    `json:"charger"` // neutral, e.g. CP-0001
	Feeder  string    `json:"feeder"`
	Plugin  time.Time `json:"plugin"`
	Plugout time.Time `json:"plugout"`
	// EnergyKWh is the energy the driver wants (the energy the real session
	// delivered).
	EnergyKWh  float64 `json:"kwh"`
	MaxKW      float64 `json:"max_kw"` // charging power limit, grid side
	V2G        bool    `json:"v2g"`    // can discharge, up to MaxKW
	BatteryKWh float64 `json:"battery_kwh"`
	// ArrivalSoC is the state of charge at plug-in, 0..1. When zero,
	// ArrivalKWh derives it (see there).
	ArrivalSoC float64 `json:"arrival_soc,omitempty"`
}

// ArrivalKWh returns the energy in the battery at plug-in: ArrivalSoC when
// set, otherwise enough that the wanted energy tops the battery up to 90%
// (never below zero).
func (s Session) ArrivalKWh() float64 {
	if s.ArrivalSoC > 0 {
		return s.ArrivalSoC * s.BatteryKWh
	}
	return math.Max(0, 0.9*s.BatteryKWh-s.EnergyKWh)
}

// TargetKWh returns the energy the driver wants at departure: arrival
// energy plus the wanted energy, at most the battery.
func (s Session) TargetKWh() float64 {
	return math.Min(s.BatteryKWh, s.ArrivalKWh()+s.EnergyKWh)
}

// PriceBand is one time-of-use band; From and To are HH:MM local times, To
// exclusive, and a band may wrap midnight (23:00-07:00).
type PriceBand struct {
	Name  string  `json:"name"` // peak, flat or valley
	From  string  `json:"from"`
	To    string  `json:"to"`
	Price float64 `json:"price"` // per kWh
}

// Location returns the scenario's time zone (UTC if it cannot be loaded;
// Validate reports that).
func (sc *Scenario) Location() *time.Location {
	if sc.loc != nil {
		return sc.loc
	}
	loc, err := time.LoadLocation(sc.TimeZone)
	if err != nil {
		return time.UTC
	}
	sc.loc = loc
	return loc
}

// Start returns 00:00 of the scenario's day.
func (sc *Scenario) Start() time.Time {
	d, err := time.ParseInLocation("2006-01-02", sc.Day, sc.Location())
	if err != nil {
		return time.Time{}
	}
	return d
}

// Step returns the base-load resolution.
func (sc *Scenario) Step() time.Duration { return time.Duration(sc.LoadStepMinutes) * time.Minute }

// End returns the end of the base-load curves.
func (sc *Scenario) End() time.Time {
	n := 0
	if len(sc.Feeders) > 0 {
		n = len(sc.Feeders[0].BaseKW)
	}
	return sc.Start().Add(time.Duration(n) * sc.Step())
}

// BaseAt returns feeder f's base load at t, interpolated linearly between
// the midpoints of its steps and held flat beyond the first and last.
func (sc *Scenario) BaseAt(f int, t time.Time) float64 {
	b := sc.Feeders[f].BaseKW
	if len(b) == 0 {
		return 0
	}
	x := float64(t.Sub(sc.Start()))/float64(sc.Step()) - 0.5
	if x <= 0 {
		return b[0]
	}
	i := int(x)
	if i >= len(b)-1 {
		return b[len(b)-1]
	}
	frac := x - float64(i)
	return b[i]*(1-frac) + b[i+1]*frac
}

// PriceAt returns the time-of-use band in force at t, and false when no
// band covers it.
func (sc *Scenario) PriceAt(t time.Time) (PriceBand, bool) {
	lt := t.In(sc.Location())
	m := lt.Hour()*60 + lt.Minute()
	for _, p := range sc.Prices {
		from, err1 := parseHHMM(p.From)
		to, err2 := parseHHMM(p.To)
		if err1 != nil || err2 != nil {
			continue
		}
		if (from <= to && m >= from && m < to) || (from > to && (m >= from || m < to)) {
			return p, true
		}
	}
	return PriceBand{}, false
}

// ParseClock parses HH:MM into minutes after midnight.
func ParseClock(s string) (int, error) { return parseHHMM(s) }

func parseHHMM(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("time of day %q: want HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// sessionReach is how far before the scenario day a session may plug in
// (still plugged in from days before) and after it plug out (the real data
// has cars that stay two days): a week, so a mistyped year is caught.
const sessionReach = 7 * 24 * time.Hour

// Validate checks the scenario is usable: version, time zone, day, load
// step, limits, efficiencies, feeders, sessions and price bands. The first
// problem found is returned, wrapping ErrInvalid, and says what is wrong
// and where (a feeder's or a session's index and id).
func (sc *Scenario) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, a...))
	}
	if sc.Version != Version {
		return bad("version %d, want %d", sc.Version, Version)
	}
	if _, err := time.LoadLocation(sc.TimeZone); err != nil || sc.TimeZone == "" {
		return bad("time zone %q: %v", sc.TimeZone, err)
	}
	if sc.Start().IsZero() {
		return bad("day %q: want YYYY-MM-DD", sc.Day)
	}
	if sc.LoadStepMinutes <= 0 || sc.LoadStepMinutes > 24*60 {
		return bad("load_step_minutes %d: want 1 to 1440", sc.LoadStepMinutes)
	}
	// Every quantity is finite and of a size a distribution network has:
	// beyond that, sums and prices in the planner lose their meaning.
	const most = 1e9
	inRange := func(v float64) bool { return v >= 0 && v <= most }
	if !inRange(sc.SystemLimitKW) {
		return bad("system_import_limit_kw %v: want 0 (none) to %g", sc.SystemLimitKW, most)
	}
	for _, e := range []float64{sc.ChargeEfficiency, sc.DischargeEfficiency} {
		if !(e > 0 && e <= 1) {
			return bad("efficiency %v not in (0, 1]", e)
		}
	}
	if len(sc.Feeders) == 0 {
		return bad("no feeders")
	}
	feeders := map[string]bool{}
	for i, f := range sc.Feeders {
		if f.ID == "" || feeders[f.ID] {
			return bad("feeder %d: id %q empty or repeated", i, f.ID)
		}
		feeders[f.ID] = true
		if !(f.ImportLimitKW > 0) || f.ImportLimitKW > most {
			return bad("feeder %s: import_limit_kw %v: want more than 0, at most %g", f.ID, f.ImportLimitKW, most)
		}
		if f.ExportLimitKW != nil && !inRange(*f.ExportLimitKW) {
			return bad("feeder %s: export_limit_kw %v: want 0 to %g", f.ID, *f.ExportLimitKW, most)
		}
		if len(f.BaseKW) != len(sc.Feeders[0].BaseKW) || len(f.BaseKW) == 0 {
			return bad("feeder %s: %d base-load steps, feeder %s has %d", f.ID, len(f.BaseKW), sc.Feeders[0].ID, len(sc.Feeders[0].BaseKW))
		}
		for j, v := range f.BaseKW {
			if !(math.Abs(v) <= most) {
				return bad("feeder %s: base_kw[%d] %v: want a finite number of at most %g kW", f.ID, j, v, most)
			}
		}
	}
	ids, chargers := map[string]bool{}, map[string][]int{}
	var chargerOrder []string
	for i, s := range sc.Sessions {
		where := fmt.Sprintf("session %d (%s)", i, s.ID)
		first := -1
		if on := chargers[s.Charger]; len(on) > 0 {
			first = on[0]
		}
		switch {
		case s.ID == "" || ids[s.ID]:
			return bad("%s: id empty or repeated", where)
		case s.Charger == "":
			return bad("%s: charger empty", where)
		case first >= 0 && !sameCharger(sc.Sessions[first], s):
			f := sc.Sessions[first]
			return bad("%s: charger %s has feeder %s, max_kw %v, v2g %t in session %d (%s), here feeder %s, max_kw %v, v2g %t: sessions at one charger share its feeder and bounds",
				where, s.Charger, f.Feeder, f.MaxKW, f.V2G, first, f.ID, s.Feeder, s.MaxKW, s.V2G)
		case !feeders[s.Feeder]:
			return bad("%s: unknown feeder %q", where, s.Feeder)
		case s.Plugin.IsZero() || !s.Plugout.After(s.Plugin):
			return bad("%s: plugout %v not after plugin %v", where, s.Plugout, s.Plugin)
		case s.Plugin.Before(sc.Start().Add(-sessionReach)) || s.Plugout.After(sc.Start().Add(24*time.Hour+sessionReach)):
			return bad("%s: plugin %v to plugout %v is not within a week of the scenario day %s", where,
				s.Plugin.Format(time.RFC3339), s.Plugout.Format(time.RFC3339), sc.Day)
		case !inRange(s.EnergyKWh) || !(s.MaxKW > 0) || !(s.BatteryKWh > 0) || s.MaxKW > most || s.BatteryKWh > most:
			return bad("%s: kwh %v, max_kw %v, battery_kwh %v: want kwh >= 0 and positive max_kw and battery, each at most %g", where, s.EnergyKWh, s.MaxKW, s.BatteryKWh, most)
		case s.ArrivalSoC < 0 || s.ArrivalSoC > 1:
			return bad("%s: arrival_soc %v not in 0..1", where, s.ArrivalSoC)
		}
		ids[s.ID] = true
		if first < 0 {
			chargerOrder = append(chargerOrder, s.Charger)
		}
		chargers[s.Charger] = append(chargers[s.Charger], i)
	}
	for _, c := range chargerOrder {
		if err := sc.checkTurns(c, chargers[c]); err != nil {
			return err
		}
	}
	for i, p := range sc.Prices {
		if !(math.Abs(p.Price) <= most) {
			return bad("prices[%d] (%s): price %v: want a finite number of at most %g", i, p.Name, p.Price, most)
		}
		if _, err := parseHHMM(p.From); err != nil {
			return bad("price band %s: %v", p.Name, err)
		}
		if _, err := parseHHMM(p.To); err != nil {
			return bad("price band %s: %v", p.Name, err)
		}
	}
	return nil
}

// sameCharger reports whether a and b agree on what belongs to their
// charger rather than to the car: the feeder it hangs on and the bounds the
// simulator announces once for it (max_kw, v2g).
func sameCharger(a, b Session) bool {
	return a.Feeder == b.Feeder && a.MaxKW == b.MaxKW && a.V2G == b.V2G
}

// checkTurns checks that the sessions at charger c (indices into
// sc.Sessions, in scenario order) take turns: a charger hosts one car at a
// time, so no two of them overlap. A session may plug in at the instant
// the one before plugs out.
func (sc *Scenario) checkTurns(c string, on []int) error {
	if len(on) < 2 {
		return nil
	}
	byPlugin := append([]int(nil), on...)
	sort.SliceStable(byPlugin, func(x, y int) bool {
		return sc.Sessions[byPlugin[x]].Plugin.Before(sc.Sessions[byPlugin[y]].Plugin)
	})
	for k := 1; k < len(byPlugin); k++ {
		i, j := byPlugin[k-1], byPlugin[k]
		a, b := sc.Sessions[i], sc.Sessions[j]
		if b.Plugin.Before(a.Plugout) {
			return fmt.Errorf("%w: sessions %d (%s, %s to %s) and %d (%s, %s to %s) overlap at charger %s: a charger hosts one session at a time",
				ErrInvalid, i, a.ID, a.Plugin.Format(time.RFC3339), a.Plugout.Format(time.RFC3339),
				j, b.ID, b.Plugin.Format(time.RFC3339), b.Plugout.Format(time.RFC3339), c)
		}
	}
	return nil
}

// Chargers returns the scenario's charger ids, each once, in the order of
// their first session. A charger hosts its sessions one after another.
func (sc *Scenario) Chargers() []string {
	seen := make(map[string]bool, len(sc.Sessions))
	var out []string
	for _, s := range sc.Sessions {
		if !seen[s.Charger] {
			seen[s.Charger] = true
			out = append(out, s.Charger)
		}
	}
	return out
}

// Read decodes a scenario from JSON, gzip-compressed or not, and validates it.
func Read(r io.Reader) (*Scenario, error) {
	br := bufio.NewReader(r)
	var src io.Reader = br
	magic, _ := br.Peek(2)
	compressed := bytes.Equal(magic, []byte{0x1f, 0x8b})
	if compressed {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("scenario: gzip: %w", err)
		}
		defer zr.Close()
		src = zr
	}
	// Read whole, so that an error can be placed in the file: which of
	// thousands of sessions, and where (the decoder would hold all of one
	// JSON value in its buffer anyway).
	b, err := io.ReadAll(src)
	if compressed && errors.Is(err, io.ErrUnexpectedEOF) {
		// A gzip file cut short (a copy stopped half way): it said
		// "read: unexpected EOF", where a plain file cut short says so.
		return nil, fmt.Errorf("scenario: the gzip-compressed file ends in the middle of its stream, after %d bytes of JSON (cut short?): %w", len(b), err)
	}
	if err != nil {
		return nil, fmt.Errorf("scenario: read: %w", err)
	}
	var sc Scenario
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return nil, fmt.Errorf("scenario: %w", jsonwhere.Explain(b, err))
	}
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	return &sc, nil
}

// ReadFile reads the scenario at path (see Read).
func ReadFile(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sc, nil
}

// WriteGzip writes the scenario as gzip-compressed JSON.
func (sc *Scenario) WriteGzip(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(zw)
	if err := enc.Encode(sc); err != nil {
		return fmt.Errorf("scenario: encode: %w", err)
	}
	return zw.Close()
}
