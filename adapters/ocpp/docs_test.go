package ocpp_test

import (
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/ocpp"
	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestAdaptersDocExampleOCPPSettings decodes the ocpp adapter of the
// --adapters example in docs/adapters.md, and its chargers' settings, as
// the central system does at start-up.
func TestAdaptersDocExampleOCPPSettings(t *testing.T) {
	ex := docstest.Read(t, "docs/adapters.md").Block(t, "json")
	cfg, err := adapters.ParseConfig(strings.NewReader(ex))
	if err != nil {
		t.Fatalf("the --adapters example does not parse: %v", err)
	}
	found := false
	for _, a := range cfg.Adapters {
		if a.Kind != adapters.KindOCPP {
			continue
		}
		found = true
		s, chargers, err := ocpp.ParseSettings(a.Settings, cfg.ChargersOf(a.Name))
		if err != nil {
			t.Fatalf("adapter %q: %v", a.Name, err)
		}
		if s.RateUnit != "A" || s.Voltage != 230 || s.Phases != 3 {
			t.Errorf("settings %+v: want the example's A, 230 V, 3 phases", s)
		}
		if len(chargers) != 1 || chargers[0].Identity != "DEPOT-CP01" || chargers[0].Connector != 1 {
			t.Errorf("chargers %+v: want CP01 as DEPOT-CP01 on connector 1", chargers)
		}
	}
	if !found {
		t.Fatal("the --adapters example has no ocpp adapter")
	}
}
