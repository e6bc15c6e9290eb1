package ocpp_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/ocpp"
)

// A desk on OCPP chargers alone takes its site name and clock from the
// central system's hello: they come from the settings, UTC by default, and
// a zone that does not exist is an error naming the field.
func TestSiteAndTimeZoneSettings(t *testing.T) {
	chargers := []adapters.ChargerConfig{{ID: "CP-A", Adapter: "o", Feeder: "F1", MaxChargeKW: 11}}
	for _, tc := range []struct {
		raw, site, tz, err string
	}{
		{raw: `{"listen":":0"}`, site: "ocpp", tz: "UTC"},
		{raw: `{"listen":":0","site":"Depot North","time_zone":"Asia/Shanghai"}`, site: "Depot North", tz: "Asia/Shanghai"},
		{raw: `{"listen":":0","time_zone":"Mars/Olympus"}`, err: `time_zone "Mars/Olympus"`},
		{raw: `{"listen":":0","heartbeat_interval":"-30s"}`, err: `heartbeat_interval "-30s" must not be negative`},
		// "0s" was taken for absent: charge points were told 60 s.
		{raw: `{"listen":":0","heartbeat_interval":"0s"}`, err: `heartbeat_interval "0s": want a positive duration (leave it out for the default 1m0s)`},
	} {
		s, chs, err := ocpp.ParseSettings(json.RawMessage(tc.raw), chargers)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want one naming %s", tc.raw, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.raw, err)
		}
		h := ocpp.New(s, chs, nil).Hello(s.Site)
		if h.Site != tc.site || h.TimeZone != tc.tz {
			t.Errorf("%s: hello site %q zone %q, want %q and %q", tc.raw, h.Site, h.TimeZone, tc.site, tc.tz)
		}
	}
}
