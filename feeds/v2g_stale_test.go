package feeds

import (
	"testing"
	"time"
)

// TestV2GStalePlugged holds the V2G figures to saying what they leave out:
// a stale charger's flexibility is unknown, so a feeder whose plugged
// chargers are all stale (a link loss) reports 0 kW with StalePlugged
// counting them, and the desk can draw "unknown" rather than "none".
func TestV2GStalePlugged(t *testing.T) {
	fl, clk := newTestFleet(t, FleetOptions{StaleAfter: time.Minute})
	fl.HandleFrame([]byte(helloJSON))
	fl.HandleFrame([]byte(feederJSON))
	fl.HandleFrame([]byte(chargerJSON)) // CP-1 on F1, plugged, bidirectional
	fl.HandleFrame([]byte(`{"v":1,"type":"charger","id":"CP-2","ts":"2024-02-04T18:00:05+08:00","state":"available","kw":0,"plugged":false}`))
	s := fl.Snapshot()
	if f1, _ := s.Feeder("F1"); f1.V2G.StalePlugged != 0 || f1.V2G.Plugged != 1 {
		t.Fatalf("fresh F1 V2G = %+v, want 1 plugged, 0 stale", f1.V2G)
	}
	clk.Advance(61 * time.Second)
	s = fl.Snapshot()
	f1, _ := s.Feeder("F1")
	// CP-2 is stale too, but its latest frame said unplugged: it is not
	// counted as plugged flexibility left out.
	if f1.V2G.StalePlugged != 1 || f1.V2G.Plugged != 0 || f1.V2G.ImportReducibleKW != 0 {
		t.Errorf("stale F1 V2G = %+v, want Plugged 0, StalePlugged 1", f1.V2G)
	}
	if s.V2G.StalePlugged != 1 {
		t.Errorf("system V2G = %+v, want StalePlugged 1 (the feeders' sum)", s.V2G)
	}
}

// TestV2GUnheard: a feeder whose chargers the topology lists but that
// have never been heard from reported V2G 0 with nothing to say so (only
// stale ones counted as unknown): the desk drew 0, "none available",
// before any charger frame and for a feeder whose telemetry never came.
// The hello does not say whether they are plugged, so they are counted
// in Unheard, and the figures are Unknown with none counted, Partial with
// some.
func TestV2GUnheard(t *testing.T) {
	fl, _ := newTestFleet(t, FleetOptions{StaleAfter: time.Minute})
	fl.HandleFrame([]byte(helloJSON))
	fl.HandleFrame([]byte(feederJSON))
	s := fl.Snapshot()
	f1, _ := s.Feeder("F1")
	if f1.V2G.Unheard != 2 || !f1.V2G.Unknown() {
		t.Errorf("F1 before any charger frame: V2G %+v, want 2 unheard and Unknown", f1.V2G)
	}
	if s.V2G.Unheard != 3 || !s.V2G.Unknown() {
		t.Errorf("system before any charger frame: V2G %+v, want 3 unheard (the feeders' sum) and Unknown", s.V2G)
	}
	fl.HandleFrame([]byte(chargerJSON)) // CP-1 on F1, plugged, bidirectional
	s = fl.Snapshot()
	f1, _ = s.Feeder("F1")
	if f1.V2G.Unheard != 1 || f1.V2G.Plugged != 1 || f1.V2G.Unknown() || !f1.V2G.Partial() {
		t.Errorf("F1 with CP-2 unheard: V2G %+v, want 1 plugged, 1 unheard: Partial, not Unknown", f1.V2G)
	}
	fl.HandleFrame([]byte(`{"v":1,"type":"charger","id":"CP-2","ts":"2024-02-04T18:00:05+08:00","state":"available","kw":0,"plugged":false}`))
	s = fl.Snapshot()
	f1, _ = s.Feeder("F1")
	if f1.V2G.Unheard != 0 || f1.V2G.Partial() {
		t.Errorf("F1 every charger heard: V2G %+v, want nothing left out", f1.V2G)
	}
}
