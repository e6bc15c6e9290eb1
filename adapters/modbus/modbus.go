package modbus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	mb "github.com/simonvetter/modbus"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// defaultTimeout is how long a request waits for the device when the
// settings give no timeout.
const defaultTimeout = 2 * time.Second

// Settings configure an adapter of kind "modbus".
type Settings struct {
	Map     string             `json:"map,omitempty"`     // default register map file for its chargers
	Timeout *adapters.Duration `json:"timeout,omitempty"` // per request; default 2s; "0s" is an error
}

// ChargerSettings are the per-charger settings.
type ChargerSettings struct {
	URL  string `json:"url"`            // tcp://host:port
	Unit uint8  `json:"unit,omitempty"` // Modbus unit id; default 1
	Map  string `json:"map,omitempty"`  // overrides the adapter's map
}

// device is one charger's connection and map. mu serialises its
// transactions: a write and its read-back must not interleave with another.
type device struct {
	id   string
	url  string
	unit uint8
	m    *RegMap

	mu     sync.Mutex
	client *mb.ModbusClient
}

// Adapter writes setpoints to Modbus TCP devices. Safe for concurrent use.
type Adapter struct {
	timeout time.Duration
	log     *slog.Logger
	devices map[string]*device
	// malformed counts answers that broke the Modbus TCP framing
	// (PeerFaults): each fails its setpoint with a reason, and the count
	// lets the desk say that a device, not the desk, is at fault.
	malformed atomic.Int64
}

// FromConfig builds an adapter from its raw settings and chargers. Map
// paths are relative to baseDir (the --adapters file's directory).
func FromConfig(raw json.RawMessage, chargers []adapters.ChargerConfig, baseDir string, lg *slog.Logger) (*Adapter, error) {
	var s Settings
	if err := adapters.DecodeSettings(raw, &s); err != nil {
		return nil, err
	}
	if err := adapters.CheckPositive("timeout", s.Timeout, defaultTimeout); err != nil {
		return nil, fmt.Errorf("modbus settings: %w", err)
	}
	if lg == nil {
		lg = slog.Default()
	}
	a := &Adapter{timeout: adapters.OrDefault(s.Timeout, defaultTimeout), log: lg, devices: map[string]*device{}}
	maps := map[string]*RegMap{}
	var errs []error
	for _, c := range chargers {
		var cs ChargerSettings
		if err := adapters.DecodeSettings(c.Settings, &cs); err != nil {
			errs = append(errs, fmt.Errorf("charger %q: %w", c.ID, err))
			continue
		}
		if cs.URL == "" {
			errs = append(errs, fmt.Errorf("charger %q: modbus settings: url is required (tcp://host:port)", c.ID))
			continue
		}
		if cs.Unit == 0 {
			cs.Unit = 1
		}
		path := cs.Map
		if path == "" {
			path = s.Map
		}
		if path == "" {
			errs = append(errs, fmt.Errorf("charger %q: no register map (settings.map)", c.ID))
			continue
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(baseDir, path)
		}
		m, ok := maps[path]
		if !ok {
			var err error
			if m, err = LoadRegMap(path); err != nil {
				errs = append(errs, fmt.Errorf("charger %q: %w", c.ID, err))
				continue
			}
			maps[path] = m
		}
		a.devices[c.ID] = &device{id: c.ID, url: cs.URL, unit: cs.Unit, m: m}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return a, nil
}

// AddDevice serves charger through map m at url (tcp://host:port).
func (a *Adapter) AddDevice(charger, url string, unit uint8, m *RegMap) {
	a.devices[charger] = &device{id: charger, url: url, unit: unit, m: m}
}

// New returns an adapter with no devices; add them with AddDevice.
func New(timeout time.Duration, lg *slog.Logger) *Adapter {
	if lg == nil {
		lg = slog.Default()
	}
	return &Adapter{timeout: timeout, log: lg, devices: map[string]*device{}}
}

// Apply implements adapters.Adapter.
func (a *Adapter) Apply(ctx context.Context, sp adapters.Setpoint) adapters.Result {
	d, ok := a.devices[sp.Charger]
	if !ok {
		return adapters.Result{Status: adapters.StatusRejected, Reason: fmt.Sprintf("charger %q has no Modbus device", sp.Charger)}
	}
	raw := d.m.SetpointRaw(sp.KW)
	spWords, err := d.m.Encode(d.m.Setpoint.Type, raw)
	if err != nil {
		return adapters.Result{Status: adapters.StatusRejected, Reason: fmt.Sprintf("%s: setpoint %g kW: %v", d.m.Model, sp.KW, err)}
	}
	type write struct {
		name     string
		addr     uint16
		w        []uint16
		watchdog bool // w is worked out when it is written
	}
	// The setpoint goes first, then the watchdog, then the control mode.
	// The watchdog arms whatever the setpoint register holds, so it must
	// never be written before the new setpoint is: a setpoint write that
	// fails after a watchdog write would re-arm the previous, expired
	// setpoint for the whole new validity. In this order a failed setpoint
	// write changes nothing, and a failure after it leaves a new value that
	// no new watchdog arms (the device holds it at most while an earlier,
	// still valid watchdog runs). Writing the release on failure was the
	// other choice; it is not taken because not every map has a release
	// value and that write can fail too.
	writes := []write{{name: "setpoint", addr: d.m.Setpoint.Address, w: spWords}}
	var capped string // said in the result when the watchdog is shorter than the validity
	if wd := d.m.Watchdog; wd != nil {
		// Checked now, so a validity too short is refused before anything
		// is written; the words are worked out again just before the
		// watchdog write (below).
		if _, _, err := watchdogWords(d.m, sp.ValidUntil, time.Now()); err != nil {
			return adapters.Result{Status: adapters.StatusRejected, Reason: err.Error()}
		}
		writes = append(writes, write{name: "watchdog", addr: wd.Address, watchdog: true})
	}
	if c := d.m.Control; c != nil {
		w, err := d.m.Encode(c.Type, float64(c.Value))
		if err != nil {
			return adapters.Result{Status: adapters.StatusFailed, Reason: fmt.Sprintf("control_mode: %v", err)}
		}
		writes = append(writes, write{name: "control_mode", addr: c.Address, w: w})
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return adapters.Result{Status: adapters.StatusTimeout, Reason: "not sent: " + err.Error()}
	}
	c, reused, err := d.connect(a.timeout)
	if err != nil {
		return adapters.Result{Status: adapters.StatusFailed, Reason: err.Error()}
	}
	var done []string // writes that went through, for the reason of a later failure
	for i, w := range writes {
		if w.watchdog {
			// The device counts the watchdog from when it takes it: count
			// what is left of the validity now, after the setpoint write
			// (and any wait for the device), or the setpoint would be held
			// past valid_until by that much.
			words, note, err := watchdogWords(d.m, sp.ValidUntil, time.Now())
			if err != nil {
				return adapters.Result{Status: adapters.StatusFailed,
					Reason: fmt.Sprintf("%s: watchdog not written: %v; already written: %s", d.url, err, strings.Join(done, ", "))}
			}
			w.w, writes[i].w, capped = words, words, note
		}
		err := c.WriteRegisters(w.addr, w.w)
		if err != nil && i == 0 && reused && connLost(err) {
			// Devices and gateways close connections that sat idle (or
			// lived long); we learn it only on the next request. Open a
			// new one and write the setpoint again: writing the same value
			// to the same register twice is harmless, and nothing else
			// of this setpoint was written yet.
			d.drop()
			a.log.Info("modbus: connection closed by the device; reconnecting", "charger", d.id, "url", d.url, "err", err)
			if c, _, err = d.connect(a.timeout); err != nil {
				return adapters.Result{Status: adapters.StatusFailed, Reason: err.Error()}
			}
			err = c.WriteRegisters(w.addr, w.w)
		}
		if err != nil {
			d.drop()
			if errors.Is(err, mb.ErrRequestTimedOut) {
				// The request went out and no answer came: the device may
				// hold it. timeout says the outcome is unknown; failed
				// would say it was not delivered.
				return adapters.Result{Status: adapters.StatusTimeout,
					Reason: fmt.Sprintf("%s: write %s at %d: no answer within %v; the device may hold it", d.url, w.name, w.addr, a.timeout)}
			}
			if closedUnanswered(err) {
				// The request went out whole and the device closed the
				// connection instead of answering: as with no answer, it
				// may have taken the write (a device that resets after
				// applying it). failed would say it was not delivered, and
				// a DR event does not release a charger whose setpoint
				// failed.
				reason := fmt.Sprintf("%s: write %s at %d: the device closed the connection before answering (%v); the device may hold it", d.url, w.name, w.addr, err)
				if len(done) > 0 {
					reason += fmt.Sprintf("; already written: %s", strings.Join(done, ", "))
				}
				return adapters.Result{Status: adapters.StatusTimeout, Reason: reason}
			}
			reason := fmt.Sprintf("%s: write %s at %d: %v", d.url, w.name, w.addr, err)
			if what := a.notModbus(err, d, w.addr); what != "" {
				reason += ": " + what
			}
			if len(done) > 0 {
				reason += fmt.Sprintf("; already written: %s", strings.Join(done, ", "))
			}
			return adapters.Result{Status: adapters.StatusFailed, Reason: reason}
		}
		done = append(done, w.name)
	}
	// Read everything back: a device that does not hold what we wrote (wrong
	// map, read-only register, device-side limit) must not be reported as applied.
	var held []uint16 // what the setpoint register reads back
	for _, w := range writes {
		got, err := c.ReadRegisters(w.addr, uint16(len(w.w)), mb.HOLDING_REGISTER)
		if err != nil {
			// Every write was acknowledged, so the device most likely holds
			// the setpoint (armed by the new watchdog): failed would say it
			// was not delivered. What it holds was not seen, though, so it
			// is not accepted either.
			d.drop()
			why := err.Error()
			if errors.Is(err, mb.ErrRequestTimedOut) {
				why = fmt.Sprintf("no answer within %v", a.timeout)
			}
			if what := a.notModbus(err, d, w.addr); what != "" {
				why += ": " + what
			}
			return adapters.Result{Status: adapters.StatusUnverified, AppliedKW: d.m.SetpointKW(raw),
				Reason: fmt.Sprintf("%s: written (%s acknowledged), but reading back %s at %d failed: %s; not verified: the device most likely holds %v (%g kW)%s",
					d.url, strings.Join(done, ", "), w.name, w.addr, why, raw, d.m.SetpointKW(raw), capped)}
		}
		if !equal(got, w.w) {
			return adapters.Result{Status: adapters.StatusFailed,
				Reason: fmt.Sprintf("%s: %s at %d reads back %v, wrote %v", d.url, w.name, w.addr, got, w.w)}
		}
		if w.name == "setpoint" {
			held = got
		}
	}
	v, err := d.m.Decode(d.m.Setpoint.Type, held)
	if err != nil {
		return adapters.Result{Status: adapters.StatusFailed, Reason: err.Error()}
	}
	return adapters.Result{Status: adapters.StatusAccepted, AppliedKW: d.m.SetpointKW(v),
		Reason: fmt.Sprintf("%s: setpoint register %d holds %v (verified)%s", d.m.Model, d.m.Setpoint.Address, v, capped)}
}

// notModbus counts and logs an answer that broke the Modbus TCP framing
// and says what the peer speaks (notmodbus.go); "" for any other error.
func (a *Adapter) notModbus(err error, d *device, addr uint16) string {
	if !errors.Is(err, mb.ErrProtocolError) {
		return ""
	}
	a.malformed.Add(1)
	what := notModbus(err, d.url, d.unit, addr, a.timeout)
	a.log.Warn("modbus: the device's answer is not Modbus TCP", "charger", d.id, "url", d.url, "what", what)
	return what
}

// PeerFaults implements adapters.PeerFaultReporter: answers that broke
// the Modbus TCP framing count as malformed.
func (a *Adapter) PeerFaults() adapters.PeerFaults {
	return adapters.PeerFaults{Malformed: int(a.malformed.Load())}
}

// watchdogWords encodes what is left at now of a validity ending at until
// in whole watchdog units of m, rounded down as the OCPP schedule duration
// is: rounding up would hold the setpoint past its validity (10 s in a 60 s
// unit was written as one unit, 60 s). A validity longer than the map's max
// is capped (the device drops the setpoint early, which is safe), and note
// says so and when. Less than one unit is an error: a watchdog of 0 is
// never written, since many devices read it as "no watchdog", which would
// hold the setpoint for ever.
func watchdogWords(m *RegMap, until, now time.Time) (words []uint16, note string, err error) {
	wd := m.Watchdog
	left := until.Sub(now)
	units := math.Floor(left.Seconds() / wd.Scale)
	if units < 1 {
		return nil, "", fmt.Errorf("%s: validity %s is shorter than one watchdog unit (%s)", m.Model, left.Round(time.Millisecond), unitOf(wd.Scale))
	}
	if units > float64(wd.Max) {
		units = float64(wd.Max)
		note = fmt.Sprintf("; watchdog capped at the map's max %d × %s: the device falls back at %s, before valid_until %s",
			wd.Max, unitOf(wd.Scale), now.Add(time.Duration(units*wd.Scale*float64(time.Second))).UTC().Format(time.RFC3339),
			until.UTC().Format(time.RFC3339))
	}
	if words, err = m.Encode(wd.Type, units); err != nil {
		return nil, "", fmt.Errorf("watchdog: %w", err)
	}
	return words, note, nil
}

// unitOf names one watchdog unit of scale seconds, e.g. "60s".
func unitOf(scale float64) string {
	return time.Duration(scale * float64(time.Second)).String()
}

// Release implements adapters.Releaser: it writes the control-mode release
// value, handing the device back to local control.
func (a *Adapter) Release(ctx context.Context, charger string) error {
	d, ok := a.devices[charger]
	if !ok {
		return fmt.Errorf("modbus: %q: %w", charger, adapters.ErrUnknownCharger)
	}
	if d.m.Control == nil || d.m.Control.Release == nil {
		return fmt.Errorf("modbus: %s has no control-mode release value: %w", d.m.Model, adapters.ErrNotSupported)
	}
	w, err := d.m.Encode(d.m.Control.Type, float64(*d.m.Control.Release))
	if err != nil {
		return fmt.Errorf("modbus: release value: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	c, reused, err := d.connect(a.timeout)
	if err != nil {
		return err
	}
	err = c.WriteRegisters(d.m.Control.Address, w)
	if err != nil && reused && connLost(err) {
		// As in Apply: the device closed the idle connection; the release
		// is one write of one value, so writing it again is harmless.
		d.drop()
		if c, _, err = d.connect(a.timeout); err != nil {
			return err
		}
		err = c.WriteRegisters(d.m.Control.Address, w)
	}
	if err != nil {
		d.drop()
		if what := a.notModbus(err, d, d.m.Control.Address); what != "" {
			return fmt.Errorf("modbus: %s: write control_mode release: %w: %s", d.url, err, what)
		}
		return fmt.Errorf("modbus: %s: write control_mode release: %w", d.url, err)
	}
	return nil
}

// Close closes every open connection.
func (a *Adapter) Close() error {
	for _, d := range a.devices {
		d.mu.Lock()
		d.drop()
		d.mu.Unlock()
	}
	return nil
}

// connect returns the device's open client, opening it if needed, and
// whether it was already open (and so may have been closed by the device
// since). Callers hold d.mu.
func (d *device) connect(timeout time.Duration) (*mb.ModbusClient, bool, error) {
	if d.client != nil {
		return d.client, true, nil
	}
	c, err := d.open(timeout)
	return c, false, err
}

// open opens a new client. Callers hold d.mu.
func (d *device) open(timeout time.Duration) (*mb.ModbusClient, error) {
	c, err := mb.NewClient(&mb.ClientConfiguration{URL: d.url, Timeout: timeout, Logger: log.New(io.Discard, "", 0)})
	if err != nil {
		return nil, fmt.Errorf("modbus: %s: %w", d.url, err)
	}
	if err := c.Open(); err != nil {
		return nil, fmt.Errorf("modbus: connect %s: %w", d.url, err)
	}
	if err := c.SetUnitId(d.unit); err != nil {
		c.Close()
		return nil, fmt.Errorf("modbus: %s: unit %d: %w", d.url, d.unit, err)
	}
	d.client = c
	return c, nil
}

// connLost reports whether err says the TCP connection was closed or
// reset, as opposed to a Modbus exception or a timeout.
func connLost(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED)
}

// closedUnanswered reports whether err says the device closed the
// connection while the adapter waited for its answer (end of stream, a
// reset): the request was written, so the device may have taken it. A reset
// can also come as the request is written; the outcome is unknown either
// way, and unknown is timeout. A write that could not go out at all (a
// broken pipe, a closed client) is not.
func closedUnanswered(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
}

// drop closes the client after an error so the next call reconnects.
// Callers hold d.mu.
func (d *device) drop() {
	if d.client != nil {
		d.client.Close()
		d.client = nil
	}
}

func equal(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
