package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestStatusV2GSaysWhatItLeavesOut: status's V2G line read "discharge
// 1,409 kW …" whatever it left out, a figure of part of the fleet read as
// the whole (the stale count printed on another line), and "discharge
// 0.0 kW" when it counted no charger at all. A line that leaves chargers
// out says so after its figures ("○ at least: …", as the desk's ○); one
// that counted none says unknown; --json keeps its fields and adds
// stale_plugged, unheard, partial and unknown.
func TestStatusV2GSaysWhatItLeavesOut(t *testing.T) {
	v2gLine := func(out string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "V2G ") {
				return l
			}
		}
		return ""
	}
	// CP-2 is never heard from.
	url := feedServer(t, batchOf(testHello, testFeeder, testCharger))
	code, out, errs := runCmd("status", "--feed", url, "--window", "1ms")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	want := "V2G       discharge 0.0 kW, import reducible 0.0 kW, 0.0 kWh above departure needs (1 plugged, 1 bidirectional) ○ at least: 1 charger never heard left out"
	if l := v2gLine(out); l != want {
		t.Errorf("with CP-2 never heard, the V2G line reads\n%q, want\n%q", l, want)
	}
	code, out, errs = runCmd("status", "--feed", url, "--window", "1ms", "--json")
	if code != 0 {
		t.Fatalf("--json: exit %d, stderr %s", code, errs)
	}
	var rep statusReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output does not parse: %v\n%s", err, out)
	}
	if v := rep.V2G; v.Plugged != 1 || v.Bidirectional != 1 || v.Unheard != 1 || v.StalePlugged != 0 || !v.Partial || v.Unknown {
		t.Errorf("--json v2g = %+v, want plugged 1, bidirectional 1, unheard 1, partial", v)
	}
	for _, field := range []string{`"discharge_kw"`, `"plugged": 1`, `"unheard": 1`, `"stale_plugged": 0`, `"partial": true`, `"unknown": false`} {
		if !strings.Contains(out, field) {
			t.Errorf("--json lacks %s:\n%s", field, out)
		}
	}

	// No charger frame at all: nothing counted.
	url = feedServer(t, batchOf(testHello, testFeeder))
	code, out, errs = runCmd("status", "--feed", url, "--window", "1ms")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	if l := v2gLine(out); l != "V2G       unknown: no charger it would count is heard fresh (2 chargers never heard)" {
		t.Errorf("with no charger heard, the V2G line reads %q", l)
	}

	// Stale plugged chargers (a link loss, on the desk's own snapshot).
	var b bytes.Buffer
	statusV2G{DischargeKW: 1409, ImportReducibleKW: 3881, EnergyAboveNeedKWh: 5701, Plugged: 1105, Bidirectional: 349,
		StalePlugged: 40, Unheard: 3, Partial: true}.writeText(&b)
	if got, want := b.String(), "V2G       discharge 1,409 kW, import reducible 3,881 kW, 5,701 kWh above departure needs (1,105 plugged, 349 bidirectional) ○ at least: 40 plugged chargers stale, 3 never heard left out\n"; got != want {
		t.Errorf("with 40 stale and 3 never heard:\n%q, want\n%q", got, want)
	}
	b.Reset()
	statusV2G{StalePlugged: 1, Partial: true, Unknown: true}.writeText(&b)
	if got, want := b.String(), "V2G       unknown: no charger it would count is heard fresh (1 plugged charger stale)\n"; got != want {
		t.Errorf("with the one plugged charger stale: %q, want %q", got, want)
	}
}
