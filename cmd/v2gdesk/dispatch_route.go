package main

import (
	"fmt"
	"strings"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// routeCheck looks, before a dispatch is sent, at which of the plan's
// chargers the adapters route. refuse is set when none is: every setpoint
// would be journalled as rejected after the dispatch was reported sent, so
// nothing is sent and msg says what routes how many. When only some are
// routed msg says how many are not, to be said before sending; "" when all
// are (or nothing is sent).
func routeCheck(d *dispatchRun, sps []plan.Setpoint, s *feeds.Snapshot) (msg string, refuse bool) {
	if d.unrouted == nil || len(sps) == 0 {
		return "", false
	}
	var unrouted []string
	why := ""
	for _, sp := range sps {
		if w := d.unrouted(sp.Charger); w != "" {
			if why == "" {
				why = w
			}
			unrouted = append(unrouted, sp.Charger)
		}
	}
	if len(unrouted) == 0 {
		return "", false
	}
	if len(unrouted) < len(sps) {
		return fmt.Sprintf("%s routes %s of the %s chargers the plan commands; the %s others (%s) will not be sent to, their setpoints journalled as rejected: %s",
			d.routes, count(len(sps)-len(unrouted)), count(len(sps)), count(len(unrouted)), firstFew(unrouted), why), false
	}
	fleetRouted := 0
	for i := range s.NumChargers() {
		if d.unrouted(s.ChargerAt(i).ID) == "" {
			fleetRouted++
		}
	}
	return fmt.Sprintf("%s routes none of the %s chargers the plan commands (it routes %s of the feed's %s): nothing sent; %s. Route them in the file's \"chargers\", or name the adapter the feed routes them to (docs/adapters.md)",
		d.routes, count(len(sps)), count(fleetRouted), count(s.NumChargers()), why), true
}

// firstFew is "CP-1, CP-2, CP-3 and 7 more".
func firstFew(ids []string) string {
	const n = 3
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %s more", strings.Join(ids[:n], ", "), count(len(ids)-n))
}
