package modbus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEncodeDecode(t *testing.T) {
	tests := []struct {
		t     RegType
		order string
		raw   float64
		want  []uint16
		err   string
	}{
		{Int16, "high_first", -2, []uint16{0xfffe}, ""},
		{Int16, "high_first", 40000, nil, "does not fit int16"},
		{Uint16, "high_first", 110, []uint16{110}, ""},
		{Uint16, "high_first", -1, nil, "does not fit uint16"},
		{Int32, "high_first", -750, []uint16{0xffff, 0xfd12}, ""},
		{Int32, "low_first", 750, []uint16{750, 0}, ""},
		{Int32, "low_first", 70000, []uint16{70000 - 65536, 1}, ""},
		{Uint32, "high_first", 1 << 20, []uint16{16, 0}, ""},
		{Uint32, "high_first", -5, nil, "does not fit uint32"},
		{Float32, "high_first", 7.5, []uint16{0x40f0, 0}, ""},
		{Float32, "low_first", 7.5, []uint16{0, 0x40f0}, ""},
		{Int32, "high_first", 1.5, nil, "not whole"},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s/%s/%v", tt.t, tt.order, tt.raw)
		m := &RegMap{WordOrder: tt.order}
		w, err := m.Encode(tt.t, tt.raw)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: err %v, want %q", name, err, tt.err)
			}
			continue
		}
		if err != nil || fmt.Sprint(w) != fmt.Sprint(tt.want) {
			t.Errorf("%s: %v %v, want %v", name, w, err, tt.want)
			continue
		}
		back, err := m.Decode(tt.t, w)
		if err != nil || back != tt.raw {
			t.Errorf("%s: decoded %v %v", name, back, err)
		}
	}
}

func TestSetpointRaw(t *testing.T) {
	tests := []struct {
		scale float64
		sign  string
		typ   RegType
		kw    float64
		raw   float64
	}{
		{0.1, "import_positive", Uint16, 7.4, 74},
		{0.1, "import_positive", Uint16, 7.46, 74}, // toward zero, never more
		{0.01, "export_positive", Int32, -7.5, 750},
		{0.01, "export_positive", Int32, 3.333, -333}, // toward zero
		{1, "import_positive", Float32, 2.25, 2.25},
	}
	for _, tt := range tests {
		m := &RegMap{Setpoint: SetpointRegister{Register: Register{Type: tt.typ, Scale: tt.scale}, Sign: tt.sign}}
		raw := m.SetpointRaw(tt.kw)
		if raw != tt.raw {
			t.Errorf("%+v: raw %v, want %v", tt, raw, tt.raw)
		}
		if back := m.SetpointKW(raw); fmt.Sprintf("%.4f", back) != fmt.Sprintf("%.4f", tt.raw*tt.scale*map[string]float64{"import_positive": 1, "export_positive": -1}[tt.sign]) {
			t.Errorf("%+v: back to %v kW", tt, back)
		}
	}
}

func TestShippedMaps(t *testing.T) {
	for _, f := range []string{"dc-bidirectional-30kw.json", "ac-22kw.json"} {
		m, err := LoadRegMap(filepath.Join("maps", f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Origin, "Illustrative") || m.Control == nil || m.Control.Release == nil || m.Watchdog == nil {
			t.Errorf("%s: %+v", f, m)
		}
	}
	if _, err := LoadRegMap(filepath.Join("testdata", "bad-map.json")); err == nil ||
		!strings.Contains(err.Error(), "setpoint.type") || !strings.Contains(err.Error(), "word_order") {
		t.Fatalf("bad map: %v", err)
	}
}

// TestLoadRegMapRefusesOverridingKeys: a second "sign" would flip what a
// positive raw value means, silently; so would a "Scale".
func TestLoadRegMapRefusesOverridingKeys(t *testing.T) {
	dir := t.TempDir()
	for name, doc := range map[string]string{
		`key "sign" appears twice`:         `{"model":"m","origin":"o","setpoint":{"address":1,"type":"int16","sign":"import_positive","sign":"export_positive"}}`,
		`key "Scale" is not in lower case`: `{"model":"m","origin":"o","setpoint":{"address":1,"type":"int16","Scale":10}}`,
	} {
		path := filepath.Join(dir, "m.json")
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadRegMap(path); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err %v, want %q", doc, err, name)
		}
	}
}

// TestLoadRegMapRequiresAWatchdog: a map without a watchdog was accepted,
// and its device then held every setpoint past its validity (for ever, if
// the desk stopped): the watchdog is how the validity reaches a Modbus
// device (docs/adapters.md, Safety rules).
func TestLoadRegMapRequiresAWatchdog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	doc := `{"model":"m","origin":"o","setpoint":{"address":1,"type":"int16"},"control_mode":{"address":2,"type":"uint16","value":1}}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadRegMap(path); err == nil || !strings.Contains(err.Error(), "watchdog is required") || !strings.Contains(err.Error(), path) {
		t.Fatalf("a map without a watchdog: err %v, want it refused, naming the file and the watchdog", err)
	}
}
