package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// A feeder without an import limit (0 in its hello, as the feeders of an
// OCPP central system are) has no loading: the desk shows "—", and status
// said "0.0%", as if a feeder drawing 50 kW were unloaded.
func TestStatusTextFeederWithoutALimitHasNoLoading(t *testing.T) {
	r := statusReport{Feed: "ws://x/v1", Mode: feeds.ModeLive, Site: "Depot", TimeZone: "UTC", At: time.Date(2024, 1, 17, 18, 57, 0, 0, time.UTC),
		System: statusSystem{KW: 450, LimitKW: 400, LoadingPct: 112.5},
		Feeders: []statusFeeder{
			{ID: "F01", Seen: true, KW: 50, LimitKW: 0, Chargers: 3},
			{ID: "F02", Seen: true, KW: 400, LimitKW: 400, LoadingPct: 100, Chargers: 5},
		},
	}
	var b bytes.Buffer
	r.writeText(&b)
	for _, want := range []string{
		"  F01       50.0 kW  limit        0.0 kW        —    3 chargers  ✓ OK",
		"  F02        400 kW  limit        400 kW   100.0%    5 chargers",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}
