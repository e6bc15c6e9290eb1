package ocpp

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// Settings configure the central system (the "settings" of an adapter of
// kind "ocpp").
type Settings struct {
	// Listen is the address charge points connect to, e.g. ":8887" or
	// "10.20.0.5:8887". ocpp-go binds the port on every interface, so a
	// host part is enforced per connection instead: a charge point that
	// arrives on another local address is refused before its OCPP session
	// starts (and counted in Counts.WrongAddress). Port 0 picks a free port
	// (see Port).
	Listen string `json:"listen"`
	// RateUnit is "W" (default) or "A". With "A" the limit is
	// kW*1000/(Voltage*Phases).
	RateUnit string  `json:"rate_unit,omitempty"`
	Voltage  float64 `json:"voltage,omitempty"` // phase voltage for "A"; default 230
	Phases   int     `json:"phases,omitempty"`  // for "A"; default 3
	// ProfileIDBase + connector id is the stable chargingProfileId per connector.
	ProfileIDBase int `json:"profile_id_base,omitempty"` // default 7000
	StackLevel    int `json:"stack_level,omitempty"`     // default 1
	// HeartbeatInterval is told to charge points at boot; default 60s;
	// "0s" is an error, not the default.
	HeartbeatInterval *adapters.Duration `json:"heartbeat_interval,omitempty"`
	// AcceptUnknown lets charge points not in the config connect (their
	// telemetry is counted, not forwarded). Default false: they are refused.
	AcceptUnknown bool `json:"accept_unknown,omitempty"`
	// Site names the site in the telemetry hello (default "ocpp"), and
	// TimeZone is its IANA zone (default "UTC"): a desk on these chargers
	// alone shows its clock, load curves and time-of-use bands in it.
	Site     string `json:"site,omitempty"`
	TimeZone string `json:"time_zone,omitempty"`
}

// ChargerSettings are the per-charger "settings" for this adapter.
type ChargerSettings struct {
	Identity  string `json:"identity,omitempty"`  // OCPP charge point identity; default the charger id
	Connector int    `json:"connector,omitempty"` // default 1
}

// Charger is one connector this central system controls.
type Charger struct {
	ID        string
	Feeder    string
	Bounds    adapters.Bounds
	Identity  string
	Connector int
}

// ParseSettings decodes an adapter's settings and its chargers' settings,
// filling defaults.
func ParseSettings(raw json.RawMessage, chargers []adapters.ChargerConfig) (Settings, []Charger, error) {
	var s Settings
	if err := adapters.DecodeSettings(raw, &s); err != nil {
		return s, nil, err
	}
	if err := adapters.CheckPositive("heartbeat_interval", s.HeartbeatInterval, defaultHeartbeat); err != nil {
		return s, nil, fmt.Errorf("ocpp settings: %w", err)
	}
	if s.RateUnit == "" {
		s.RateUnit = "W"
	}
	if s.Voltage == 0 {
		s.Voltage = 230
	}
	if s.Phases == 0 {
		s.Phases = 3
	}
	if s.ProfileIDBase == 0 {
		s.ProfileIDBase = 7000
	}
	if s.StackLevel == 0 {
		s.StackLevel = 1
	}
	var errs []error
	if s.RateUnit != "W" && s.RateUnit != "A" {
		errs = append(errs, fmt.Errorf("ocpp settings: rate_unit %q must be \"W\" or \"A\"", s.RateUnit))
	}
	if s.Voltage < 0 || s.Phases < 1 || s.Phases > 3 || s.StackLevel < 0 || s.ProfileIDBase < 0 {
		errs = append(errs, errors.New("ocpp settings: voltage must be > 0, phases 1..3, stack_level and profile_id_base >= 0"))
	}
	if _, err := listenPort(s.Listen); err != nil {
		errs = append(errs, fmt.Errorf("ocpp settings: listen: %w", err))
	}
	if s.Site == "" {
		s.Site = "ocpp"
	}
	if s.TimeZone == "" {
		s.TimeZone = "UTC"
	}
	if _, err := time.LoadLocation(s.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("ocpp settings: time_zone %q: %w", s.TimeZone, err))
	}
	out := make([]Charger, 0, len(chargers))
	seen := map[string]string{}
	for _, c := range chargers {
		var cs ChargerSettings
		if err := adapters.DecodeSettings(c.Settings, &cs); err != nil {
			errs = append(errs, fmt.Errorf("charger %q: %w", c.ID, err))
			continue
		}
		if cs.Identity == "" {
			cs.Identity = c.ID
		}
		if cs.Connector == 0 {
			cs.Connector = 1
		}
		if cs.Connector < 0 {
			errs = append(errs, fmt.Errorf("charger %q: connector %d must be >= 1", c.ID, cs.Connector))
		}
		key := cs.Identity + "#" + strconv.Itoa(cs.Connector)
		if other, dup := seen[key]; dup {
			errs = append(errs, fmt.Errorf("charger %q: identity %q connector %d already used by %q", c.ID, cs.Identity, cs.Connector, other))
		}
		seen[key] = c.ID
		out = append(out, Charger{ID: c.ID, Feeder: c.Feeder, Bounds: c.Bounds(), Identity: cs.Identity, Connector: cs.Connector})
	}
	return s, out, errors.Join(errs...)
}

// defaultHeartbeat is the heartbeat interval told to charge points when the
// settings give none.
const defaultHeartbeat = 60 * time.Second

func (s Settings) heartbeat() time.Duration {
	return adapters.OrDefault(s.HeartbeatInterval, defaultHeartbeat)
}

// listenPort returns the port of a listen address.
func listenPort(addr string) (int, error) {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", addr, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 0 || n > 65535 {
		return 0, fmt.Errorf("%q: bad port", addr)
	}
	return n, nil
}
