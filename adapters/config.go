package adapters

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// Kind names an adapter implementation in the --adapters file.
type Kind string

// The adapter kinds the --adapters file may name.
const (
	KindOCPP   Kind = "ocpp"
	KindModbus Kind = "modbus"
	KindWSJSON Kind = "wsjson"
	KindInproc Kind = "inproc"
	KindDryRun Kind = "dryrun"
)

// Defaults for the guard settings a config may leave out.
const (
	DefaultMaxValidity  = 4 * time.Hour
	DefaultMinInterval  = 10 * time.Second
	DefaultBatchTimeout = 5 * time.Second
	DefaultLateGrace    = 30 * time.Second
	DefaultWorkers      = 4
	DefaultQueueDepth   = 1024
)

// The largest workers and queue an adapter may ask for: far above what a
// site needs (a queue holds one batch of setpoints per charger), low enough
// that a slip of the finger cannot exhaust memory at start-up.
const (
	maxWorkers = 256
	maxQueue   = 1 << 20
)

// Config is the --adapters file: guard settings, adapters by name and the
// chargers they serve. docs/adapters.md documents the format.
type Config struct {
	DryRun       bool            `json:"dry_run,omitempty"`
	MaxValidity  *Duration       `json:"max_validity,omitempty"`  // absent: 4h; "0s" is an error
	MinInterval  *Duration       `json:"min_interval,omitempty"`  // absent: 10s; "0s": no limit
	BatchTimeout *Duration       `json:"batch_timeout,omitempty"` // absent: 5s; "0s" is an error
	Journal      string          `json:"journal,omitempty"`
	Adapters     []AdapterConfig `json:"adapters"`
	Chargers     []ChargerConfig `json:"chargers"`
}

// AdapterConfig declares one adapter: a name chargers route to, its kind and
// kind-specific settings (see each sub-package's Settings type).
type AdapterConfig struct {
	Name     string          `json:"name"`
	Kind     Kind            `json:"kind"`
	Workers  int             `json:"workers,omitempty"`  // concurrent Apply calls; default 4, at most maxWorkers
	Queue    int             `json:"queue,omitempty"`    // queued setpoints before refusing; default 1024, at most maxQueue
	Settings json.RawMessage `json:"settings,omitempty"` // kind-specific
}

// ChargerConfig declares one charger's bounds and route. Settings are
// kind-specific (OCPP identity and connector, Modbus address and map).
type ChargerConfig struct {
	ID             string          `json:"id"`
	Feeder         string          `json:"feeder,omitempty"`
	Adapter        string          `json:"adapter"`
	MaxChargeKW    float64         `json:"max_charge_kw"`    // required in the file
	MaxDischargeKW float64         `json:"max_discharge_kw"` // 0 or absent: not bidirectional
	Settings       json.RawMessage `json:"settings,omitempty"`
}

// Bounds returns the charger's power bounds.
func (c ChargerConfig) Bounds() Bounds {
	return Bounds{MaxChargeKW: c.MaxChargeKW, MaxDischargeKW: c.MaxDischargeKW}
}

// Bounds are the power limits of a charger: it may charge up to MaxChargeKW
// and discharge up to MaxDischargeKW (0: it cannot discharge).
type Bounds struct {
	MaxChargeKW    float64 `json:"max_charge_kw"`
	MaxDischargeKW float64 `json:"max_discharge_kw"`
}

// String shows the bounds as the interval of allowed kW, e.g. "[-10, 11] kW".
func (b Bounds) String() string {
	lo := -b.MaxDischargeKW
	if lo == 0 {
		lo = 0 // not -0
	}
	return fmt.Sprintf("[%g, %g] kW", lo, b.MaxChargeKW)
}

// Bidirectional reports whether the charger may discharge.
func (b Bounds) Bidirectional() bool { return b.MaxDischargeKW > 0 }

// Tighter returns the bounds that respect both b and o.
func (b Bounds) Tighter(o Bounds) Bounds {
	return Bounds{MaxChargeKW: math.Min(b.MaxChargeKW, o.MaxChargeKW), MaxDischargeKW: math.Min(b.MaxDischargeKW, o.MaxDischargeKW)}
}

// Duration is a time.Duration written as a Go duration string ("15m", "5s")
// in JSON. Decoding checks only the syntax; whoever holds the field checks
// its sign with CheckNonNegative, because only the holder can name the field
// in the message (encoding/json adds no field to a decoder's error).
type Duration time.Duration

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &DurationError{Raw: b, Err: errors.New("a duration must be a string like \"15m\"")}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return &DurationError{Raw: b, Err: err}
	}
	*d = Duration(v)
	return nil
}

// DurationError is a Duration that does not decode. It keeps the value as
// written, because encoding/json adds no field or offset to an
// Unmarshaler's error: the config's reader finds the value by it and names
// the field ("at byte 17: batch_timeout: duration \"soon\": ...").
type DurationError struct {
	Raw []byte // the JSON value as written
	Err error
}

// Error quotes the value as written and says why it is not a duration.
func (e *DurationError) Error() string {
	var s string
	if json.Unmarshal(e.Raw, &s) == nil {
		return fmt.Sprintf("duration %q: %v", s, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Raw, e.Err)
}

// Unwrap returns time.ParseDuration's error.
func (e *DurationError) Unwrap() error { return e.Err }

// CheckNonNegative returns an error naming field when d is negative.
func (d Duration) CheckNonNegative(field string) error {
	if d < 0 {
		return fmt.Errorf("%s %q must not be negative", field, time.Duration(d))
	}
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// Or returns d, or def when d is zero.
func (d Duration) Or(def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return time.Duration(d)
}

// ErrConfig marks every error of a --adapters file.
var ErrConfig = errors.New("adapters config")

// LoadConfig reads and validates a --adapters file.
func LoadConfig(path string) (*Config, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		// Said as the other file flags say it: "read DIR: is a
		// directory" named neither the flag's file nor what it wants.
		return nil, fmt.Errorf("%w: %s is a directory, not an adapters file (one JSON object)", ErrConfig, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	cfg, err := ParseConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig decodes and validates a --adapters document. Unknown fields
// are errors: a misspelt safety setting must not be silently ignored. So
// are a key given twice or in another case (either would silently override
// a bound; see CheckKeys), a second document after the first, and a charger
// without max_charge_kw.
func ParseConfig(r io.Reader) (*Config, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: read: %w", ErrConfig, err)
	}
	var cfg Config
	if err := DecodeDocument(b, &cfg); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if err := CheckKeys(b); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if err := requireMaxCharge(b); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// requireMaxCharge refuses a charger without max_charge_kw: decoded, its
// absence is 0, which would stop the charger instead of bounding it (and a
// commissioning check would "succeed" by doing so). max_discharge_kw may be
// left out: 0 means not bidirectional, the safe default. Run after
// CheckKeys, so the key can only be spelt one way.
func requireMaxCharge(b []byte) error {
	var doc struct {
		Chargers []struct {
			ID          string   `json:"id"`
			MaxChargeKW *float64 `json:"max_charge_kw"`
		} `json:"chargers"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	var errs []error
	for i, ch := range doc.Chargers {
		if ch.MaxChargeKW == nil {
			errs = append(errs, fmt.Errorf("%w: chargers[%d] %q: max_charge_kw is required (0 is a charger that may not draw power; write it if that is meant)", ErrConfig, i, ch.ID))
		}
	}
	return errors.Join(errs...)
}

// Validate checks names, kinds, routes and bounds, naming what is wrong and
// where.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...))
	}
	for _, err := range []error{
		CheckPositive("max_validity", c.MaxValidity, DefaultMaxValidity),
		CheckPositive("batch_timeout", c.BatchTimeout, DefaultBatchTimeout),
	} {
		if err != nil {
			bad("%w", err)
		}
	}
	if c.MinInterval != nil {
		if err := c.MinInterval.CheckNonNegative("min_interval"); err != nil {
			bad("%w", err)
		}
	}
	names := map[string]bool{}
	for i, a := range c.Adapters {
		switch {
		case strings.TrimSpace(a.Name) == "":
			bad("adapters[%d]: name is empty", i)
		case names[a.Name]:
			bad("adapters[%d]: name %q used twice", i, a.Name)
		}
		names[a.Name] = true
		switch a.Kind {
		case KindOCPP, KindModbus, KindWSJSON, KindInproc, KindDryRun:
		default:
			bad("adapters[%d] %q: kind %q is not one of ocpp, modbus, wsjson, inproc, dryrun", i, a.Name, a.Kind)
		}
		if takesNoSettings(a.Kind) {
			if err := noSettings(a.Settings); err != nil {
				bad("adapters[%d] %q (%s): %w", i, a.Name, a.Kind, err)
			}
		}
		if a.Workers < 0 || a.Queue < 0 {
			bad("adapters[%d] %q: workers and queue must not be negative", i, a.Name)
		}
		// Both are allocated up front: a typo must not take the desk's memory.
		if a.Workers > maxWorkers {
			bad("adapters[%d] %q: workers %d is more than %d", i, a.Name, a.Workers, maxWorkers)
		}
		if a.Queue > maxQueue {
			bad("adapters[%d] %q: queue %d is more than %d", i, a.Name, a.Queue, maxQueue)
		}
	}
	ids := map[string]bool{}
	for i, ch := range c.Chargers {
		switch {
		case strings.TrimSpace(ch.ID) == "":
			bad("chargers[%d]: id is empty", i)
		case ids[ch.ID]:
			bad("chargers[%d]: id %q used twice", i, ch.ID)
		}
		ids[ch.ID] = true
		if !names[ch.Adapter] {
			bad("chargers[%d] %q: adapter %q is not declared in adapters", i, ch.ID, ch.Adapter)
		}
		// At most the protocol's bound on a power, which a feed's hello is
		// held to too: a bound of 1e300 kW bounds nothing.
		if !finite(ch.MaxChargeKW) || ch.MaxChargeKW < 0 || ch.MaxChargeKW > feeds.MaxMagnitude {
			bad("chargers[%d] %q: max_charge_kw %v must be a number from 0 to %g", i, ch.ID, ch.MaxChargeKW, float64(feeds.MaxMagnitude))
		}
		if !finite(ch.MaxDischargeKW) || ch.MaxDischargeKW < 0 || ch.MaxDischargeKW > feeds.MaxMagnitude {
			bad("chargers[%d] %q: max_discharge_kw %v must be a number from 0 (not bidirectional) to %g", i, ch.ID, ch.MaxDischargeKW, float64(feeds.MaxMagnitude))
		}
	}
	return errors.Join(errs...)
}

// GuardOptions returns the guard settings of the config, defaults filled in.
func (c *Config) GuardOptions() GuardOptions {
	minInterval := DefaultMinInterval
	if c.MinInterval != nil {
		minInterval = time.Duration(*c.MinInterval)
	}
	return GuardOptions{
		DryRun:       c.DryRun,
		MaxValidity:  OrDefault(c.MaxValidity, DefaultMaxValidity),
		MinInterval:  minInterval,
		BatchTimeout: OrDefault(c.BatchTimeout, DefaultBatchTimeout),
	}
}

// CheckPositive refuses a duration given as zero or less where only a
// positive one means anything: taking "0s" for "absent" would put the
// default def in its place without a word (4 h for a max_validity of "0s").
// Absent (nil) is fine.
func CheckPositive(field string, d *Duration, def time.Duration) error {
	switch {
	case d == nil:
		return nil
	case *d < 0:
		return d.CheckNonNegative(field)
	case *d == 0:
		return fmt.Errorf("%s %q: want a positive duration (leave it out for the default %v)", field, time.Duration(*d), def)
	}
	return nil
}

// OrDefault is d, or def when d is absent (nil).
func OrDefault(d *Duration, def time.Duration) time.Duration {
	if d == nil {
		return def
	}
	return time.Duration(*d)
}

// ChargersOf returns the chargers routed to the named adapter.
func (c *Config) ChargersOf(adapter string) []ChargerConfig {
	var out []ChargerConfig
	for _, ch := range c.Chargers {
		if ch.Adapter == adapter {
			out = append(out, ch)
		}
	}
	return out
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
