package modbus

import (
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// RegType is how a value is laid out in registers.
type RegType string

// The register types a map may use.
const (
	Int16   RegType = "int16"
	Uint16  RegType = "uint16"
	Int32   RegType = "int32"
	Uint32  RegType = "uint32"
	Float32 RegType = "float32"
)

// words returns how many 16-bit registers t takes.
func (t RegType) words() int {
	switch t {
	case Int32, Uint32, Float32:
		return 2
	}
	return 1
}

// Register is one value in a map.
type Register struct {
	Address uint16  `json:"address"` // 0-based protocol address of the first register
	Type    RegType `json:"type"`
	// Scale is engineering units per raw unit: kW for the setpoint, seconds
	// for the watchdog (e.g. 0.1 means one raw unit is 100 W). Default 1.
	Scale float64 `json:"scale,omitempty"`
}

// SetpointRegister is the power register.
type SetpointRegister struct {
	Register
	// Sign is "import_positive" (default: positive raw charges) or
	// "export_positive" (positive raw discharges).
	Sign string `json:"sign,omitempty"`
}

// ControlRegister switches the device between local and remote control.
type ControlRegister struct {
	Register
	Value   int64  `json:"value"`             // written with each setpoint, after it and the watchdog (remote control)
	Release *int64 `json:"release,omitempty"` // written on release (local control); absent: release unsupported
}

// WatchdogRegister holds the time after which the device drops the
// setpoint and falls back to its own behaviour.
type WatchdogRegister struct {
	Register
	Max int64 `json:"max,omitempty"` // largest raw value the device accepts; default the type's maximum
}

// RegMap is the register map of one device model.
type RegMap struct {
	Model     string            `json:"model"`
	Origin    string            `json:"origin"`     // where the layout comes from
	WordOrder string            `json:"word_order"` // "high_first" (default) or "low_first", for 32-bit values
	Setpoint  SetpointRegister  `json:"setpoint"`
	Control   *ControlRegister  `json:"control_mode,omitempty"`
	Watchdog  *WatchdogRegister `json:"watchdog,omitempty"`
}

// LoadRegMap reads and validates a register map file.
func LoadRegMap(path string) (*RegMap, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("register map: %w", err)
	}
	var m RegMap
	if err := adapters.DecodeDocument(b, &m); err != nil {
		return nil, fmt.Errorf("register map %s: %w", path, err)
	}
	// A second "sign" or a "SCALE" would silently override the first (see
	// adapters.CheckKeys): the map decides the sign and size of what is
	// written, so it is held to the same rule as the --adapters file.
	if err := adapters.CheckKeys(b); err != nil {
		return nil, fmt.Errorf("register map %s: %w", path, err)
	}
	if err := m.validate(); err != nil {
		return nil, fmt.Errorf("register map %s: %w", path, err)
	}
	return &m, nil
}

func (m *RegMap) validate() error {
	var errs []error
	if m.WordOrder == "" {
		m.WordOrder = "high_first"
	}
	if m.WordOrder != "high_first" && m.WordOrder != "low_first" {
		errs = append(errs, fmt.Errorf("word_order %q must be high_first or low_first", m.WordOrder))
	}
	if m.Setpoint.Sign == "" {
		m.Setpoint.Sign = "import_positive"
	}
	if m.Setpoint.Sign != "import_positive" && m.Setpoint.Sign != "export_positive" {
		errs = append(errs, fmt.Errorf("setpoint.sign %q must be import_positive or export_positive", m.Setpoint.Sign))
	}
	// The watchdog is how a setpoint's validity reaches the device: without
	// one the device would hold the last setpoint past its valid_until,
	// for ever if the desk stopped, against the rule that every setpoint
	// falls back to the charger's own behaviour when it lapses.
	if m.Watchdog == nil {
		errs = append(errs, errors.New("watchdog is required: without one the device would hold a setpoint past its valid_until (for ever, if the desk stops)"))
	}
	regs := map[string]*Register{"setpoint": &m.Setpoint.Register}
	if m.Control != nil {
		regs["control_mode"] = &m.Control.Register
	}
	if m.Watchdog != nil {
		regs["watchdog"] = &m.Watchdog.Register
	}
	for name, r := range regs {
		if r.Scale == 0 {
			r.Scale = 1
		}
		switch r.Type {
		case Int16, Uint16, Int32, Uint32, Float32:
		default:
			errs = append(errs, fmt.Errorf("%s.type %q must be int16, uint16, int32, uint32 or float32", name, r.Type))
		}
		if r.Scale < 0 || !finite(r.Scale) {
			errs = append(errs, fmt.Errorf("%s.scale %v must be > 0", name, r.Scale))
		}
		if int(r.Address)+r.Type.words() > 65536 {
			errs = append(errs, fmt.Errorf("%s.address %d runs past the register space", name, r.Address))
		}
	}
	if m.Control != nil && m.Control.Type == Float32 {
		errs = append(errs, errors.New("control_mode must be an integer register"))
	}
	if m.Watchdog != nil && m.Watchdog.Max == 0 {
		m.Watchdog.Max = maxRaw(m.Watchdog.Type)
	}
	return errors.Join(errs...)
}

// maxRaw is the largest integer a register type holds (2^24 for float32,
// the largest whole number it holds exactly).
func maxRaw(t RegType) int64 {
	switch t {
	case Int16:
		return math.MaxInt16
	case Uint16:
		return math.MaxUint16
	case Int32:
		return math.MaxInt32
	case Uint32:
		return math.MaxUint32
	}
	return 1 << 24
}

// Encode lays raw out in registers of type t with the map's word order. It
// fails when raw does not fit: a value must never wrap around.
func (m *RegMap) Encode(t RegType, raw float64) ([]uint16, error) {
	if !finite(raw) {
		return nil, fmt.Errorf("value %v is not a number", raw)
	}
	if t != Float32 && raw != math.Trunc(raw) {
		return nil, fmt.Errorf("value %v is not whole for %s", raw, t)
	}
	var hi, lo uint16
	switch t {
	case Int16:
		if raw < math.MinInt16 || raw > math.MaxInt16 {
			return nil, fmt.Errorf("value %v does not fit int16", raw)
		}
		return []uint16{uint16(int16(raw))}, nil
	case Uint16:
		if raw < 0 || raw > math.MaxUint16 {
			return nil, fmt.Errorf("value %v does not fit uint16", raw)
		}
		return []uint16{uint16(raw)}, nil
	case Int32:
		if raw < math.MinInt32 || raw > math.MaxInt32 {
			return nil, fmt.Errorf("value %v does not fit int32", raw)
		}
		u := uint32(int32(raw))
		hi, lo = uint16(u>>16), uint16(u)
	case Uint32:
		if raw < 0 || raw > math.MaxUint32 {
			return nil, fmt.Errorf("value %v does not fit uint32", raw)
		}
		u := uint32(raw)
		hi, lo = uint16(u>>16), uint16(u)
	case Float32:
		if math.Abs(raw) > math.MaxFloat32 {
			return nil, fmt.Errorf("value %v does not fit float32", raw)
		}
		u := math.Float32bits(float32(raw))
		hi, lo = uint16(u>>16), uint16(u)
	default:
		return nil, fmt.Errorf("unknown register type %q", t)
	}
	if m.WordOrder == "low_first" {
		return []uint16{lo, hi}, nil
	}
	return []uint16{hi, lo}, nil
}

// Decode is the inverse of Encode.
func (m *RegMap) Decode(t RegType, w []uint16) (float64, error) {
	if len(w) != t.words() {
		return 0, fmt.Errorf("%s needs %d registers, got %d", t, t.words(), len(w))
	}
	switch t {
	case Int16:
		return float64(int16(w[0])), nil
	case Uint16:
		return float64(w[0]), nil
	}
	hi, lo := w[0], w[1]
	if m.WordOrder == "low_first" {
		hi, lo = lo, hi
	}
	u := uint32(hi)<<16 | uint32(lo)
	switch t {
	case Int32:
		return float64(int32(u)), nil
	case Uint32:
		return float64(u), nil
	case Float32:
		return float64(math.Float32frombits(u)), nil
	}
	return 0, fmt.Errorf("unknown register type %q", t)
}

// SetpointRaw converts kW to the setpoint register's raw value, rounding
// toward zero so rounding never asks for more power than the guard allowed.
func (m *RegMap) SetpointRaw(kW float64) float64 {
	v := kW / m.Setpoint.Scale
	if m.Setpoint.Sign == "export_positive" {
		v = -v
	}
	if m.Setpoint.Type == Float32 {
		return v
	}
	return math.Trunc(v + math.Copysign(1e-9, v))
}

// SetpointKW converts a raw setpoint value back to kW.
func (m *RegMap) SetpointKW(raw float64) float64 {
	kw := raw * m.Setpoint.Scale
	if m.Setpoint.Sign == "export_positive" {
		kw = -kw
	}
	return kw
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
