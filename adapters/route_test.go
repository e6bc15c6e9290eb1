package adapters_test

import (
	"path/filepath"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Route gives, as figures, what Unrouted says: a screen in another
// language words the fault again from them.
func TestRouteAgreesWithUnrouted(t *testing.T) {
	r := openRig(t, filepath.Join(t.TempDir(), "j.jsonl"), adapters.GuardOptions{}, map[string]adapters.Adapter{"a": &fakeAdapter{}})
	r.g.SetCharger(adapters.ChargerConfig{ID: "GONE", Adapter: "b", MaxChargeKW: 11})
	r.g.UpdateTopology([]feeds.ChargerInfo{{ID: "BARE", MaxChargeKW: 11}})
	for _, c := range []struct {
		charger, adapter string
		fault            adapters.RouteFault
	}{
		{"AC", "a", adapters.RouteOK},
		{"GONE", "b", adapters.RouteNotRunning},
		{"BARE", "", adapters.RouteNone},
		{"NOPE", "", adapters.RouteUnknown},
	} {
		f, a := r.g.Route(c.charger)
		if f != c.fault || a != c.adapter {
			t.Errorf("Route(%s) = %d, %q; want %d, %q", c.charger, f, a, c.fault, c.adapter)
		}
		if why := r.g.Unrouted(c.charger); (why == "") != (f == adapters.RouteOK) {
			t.Errorf("%s: Route says %d, Unrouted %q", c.charger, f, why)
		}
	}
}
