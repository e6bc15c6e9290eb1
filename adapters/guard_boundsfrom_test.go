package adapters_test

import (
	"context"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestGuardNamesTheTopologysBound: where a hello's bound is tighter than
// the adapters file's, a refusal or a clamp said only "not bidirectional"
// or "bounds [0, 6] kW", which read as the file's own figures to an
// operator whose file says otherwise. The reason, and so the journal's
// result record, now names the hello and what the file says; a bound of
// the file's own is worded as before.
func TestGuardNamesTheTopologysBound(t *testing.T) {
	fa := &fakeAdapter{}
	r := newRig(t, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	r.g.SetCharger(adapters.ChargerConfig{ID: "ONEWAY", Adapter: "a", MaxChargeKW: 11, MaxDischargeKW: 10})
	r.g.SetCharger(adapters.ChargerConfig{ID: "SMALL", Adapter: "a", MaxChargeKW: 11, MaxDischargeKW: 10})
	r.g.UpdateTopologyFrom("its peer's hello", []feeds.ChargerInfo{
		{ID: "ONEWAY", MaxChargeKW: 22},                  // one-way by the hello, a larger max than the file's
		{ID: "SMALL", MaxChargeKW: 6, MaxDischargeKW: 4}, // both sides tighter than the file
		{ID: "AC", MaxChargeKW: 22},                      // the file is the tighter
	})
	tests := []struct {
		sp     adapters.Setpoint
		status adapters.Status
		kw     float64
		reason string
	}{
		{sp("b1", "ONEWAY", -5), adapters.StatusRejected, 0,
			`charger "ONEWAY" is not bidirectional: discharge of 5 kW refused (one-way by its peer's hello; the adapters file says it may discharge 10 kW)`},
		{sp("b2", "ONEWAY", 30), adapters.StatusClamped, 11, "clamped from 30 to 11 kW (bounds [0, 11] kW)"},
		{sp("b3", "SMALL", 9), adapters.StatusClamped, 6,
			"clamped from 9 to 6 kW (bounds [-4, 6] kW: charge up to 6 kW by its peer's hello; the adapters file says 11 kW)"},
		{sp("b4", "SMALL", -8), adapters.StatusClamped, -4,
			"clamped from -8 to -4 kW (bounds [-4, 6] kW: discharge up to 4 kW by its peer's hello; the adapters file says 10 kW)"},
		{sp("b5", "AC", -1), adapters.StatusRejected, 0, `charger "AC" is not bidirectional: discharge of 1 kW refused`},
		{sp("b6", "AC", 15), adapters.StatusClamped, 11, "clamped from 15 to 11 kW (bounds [0, 11] kW)"},
	}
	for _, tt := range tests {
		res := r.g.Apply(context.Background(), tt.sp)
		if res.Status != tt.status || res.AppliedKW != tt.kw || !strings.HasPrefix(res.Reason, tt.reason) {
			t.Errorf("%s %g kW: %s %g kW %q;\nwant %s %g kW %q", tt.sp.Charger, tt.sp.KW, res.Status, res.AppliedKW, res.Reason, tt.status, tt.kw, tt.reason)
		}
		if tt.status == adapters.StatusRejected && strings.Contains(res.Reason, "(bounds") {
			t.Errorf("%s: a refusal reads as a clamp: %q", tt.sp.ID, res.Reason)
		}
	}
	// The journal keeps the reason as the result's detail.
	var found bool
	for _, rec := range readRecords(t, r.path) {
		if rec.Kind == adapters.RecResult && rec.Setpoint == "b1" {
			found = strings.Contains(rec.Detail, "one-way by its peer's hello; the adapters file says it may discharge 10 kW")
		}
	}
	if !found {
		t.Errorf("the journal's result of b1 does not name the hello's bound:\n%+v", readRecords(t, r.path))
	}
	// The feed's hello is named so by UpdateTopology.
	r.g.UpdateTopology([]feeds.ChargerInfo{{ID: "ONEWAY", MaxChargeKW: 22}})
	if res := r.g.Apply(context.Background(), sp("b7", "ONEWAY", -5)); !strings.Contains(res.Reason, "(one-way by the feed's hello; the adapters file says it may discharge 10 kW)") {
		t.Errorf("after UpdateTopology: %q", res.Reason)
	}
}
