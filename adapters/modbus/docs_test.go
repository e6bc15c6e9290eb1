package modbus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// docExamples returns the ```json examples of docs/adapters.md in order:
// the --adapters file, then the register map.
func docExamples(t *testing.T) []string {
	t.Helper()
	out := docstest.Read(t, "docs/adapters.md").Blocks("json")
	if len(out) != 2 {
		t.Fatalf("docs/adapters.md has %d JSON examples, want 2 (the --adapters file and a register map)", len(out))
	}
	return out
}

// TestAdaptersDocExamples feeds the examples of docs/adapters.md to the
// decoders they are for: the --adapters file to adapters.ParseConfig, and
// its modbus adapter, with the register map example at the path its
// settings name, to FromConfig, as a desk starting on that file does.
func TestAdaptersDocExamples(t *testing.T) {
	ex := docExamples(t)
	cfg, err := adapters.ParseConfig(strings.NewReader(ex[0]))
	if err != nil {
		t.Fatalf("the --adapters example does not parse: %v", err)
	}
	if len(cfg.Adapters) != 5 || len(cfg.Chargers) != 2 {
		t.Fatalf("%d adapters and %d chargers, want the 5 kinds and 2 chargers of the example", len(cfg.Adapters), len(cfg.Chargers))
	}

	dir := t.TempDir()
	var mapPath string
	for _, a := range cfg.Adapters {
		if a.Kind != adapters.KindModbus {
			continue
		}
		var s Settings
		if err := adapters.DecodeSettings(a.Settings, &s); err != nil {
			t.Fatalf("adapter %q: %v", a.Name, err)
		}
		mapPath = filepath.Join(dir, s.Map)
		if err := os.MkdirAll(filepath.Dir(mapPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(mapPath, []byte(ex[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		ad, err := FromConfig(a.Settings, cfg.ChargersOf(a.Name), dir, nil)
		if err != nil {
			t.Fatalf("adapter %q of the example with the map example: %v", a.Name, err)
		}
		if len(ad.devices) != len(cfg.ChargersOf(a.Name)) {
			t.Errorf("adapter %q has %d devices, want one per charger routed to it", a.Name, len(ad.devices))
		}
	}
	if mapPath == "" {
		t.Fatal("the --adapters example has no modbus adapter")
	}
	m, err := LoadRegMap(mapPath)
	if err != nil {
		t.Fatalf("the register map example does not load: %v", err)
	}
	if m.Setpoint.Type != Int32 || m.Control == nil || m.Watchdog == nil {
		t.Errorf("map %+v: want an int32 setpoint, a control mode and a watchdog, as the example has", m)
	}
}
