package main

import (
	"fmt"
	"strings"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/tui"
)

// routeCheck looks, before a dispatch is sent, at which of the plan's
// chargers the adapters route. refuse is set when none is: every setpoint
// would be journalled as rejected after the dispatch was reported sent, so
// nothing is sent and msg says what routes how many. When only some are
// routed msg says how many are not, to be said before sending; "" when all
// are (or nothing is sent). It counts setpoints and those of them that
// change power in the desk's words (tui.SetpointsText), as the dispatch
// page says it.
func routeCheck(d *dispatchRun, sps []plan.Setpoint, s *feeds.Snapshot) (msg string, refuse bool) {
	if d.unrouted == nil || len(sps) == 0 {
		return "", false
	}
	var unrouted []string
	why := ""
	routedChanging := 0
	for _, sp := range sps {
		w := d.unrouted(sp.Charger)
		if w == "" {
			if sp.Changes {
				routedChanging++
			}
			continue
		}
		if why == "" {
			why = w
		}
		unrouted = append(unrouted, sp.Charger)
	}
	if len(unrouted) == 0 {
		return "", false
	}
	all := tui.SetpointsText(len(sps), plan.Changing(sps))
	if len(unrouted) < len(sps) {
		return fmt.Sprintf("%s routes %s of the plan's %s; the %s others (%s) will not be sent to, their setpoints journalled as rejected: %s",
			d.routes, tui.SetpointsText(len(sps)-len(unrouted), routedChanging), all, count(len(unrouted)), firstFew(unrouted), why), false
	}
	fleetRouted := 0
	for i := range s.NumChargers() {
		if d.unrouted(s.ChargerAt(i).ID) == "" {
			fleetRouted++
		}
	}
	return fmt.Sprintf("%s routes none of the plan's %s; of the feed's %s chargers it routes %s: nothing sent; %s. Route them in the file's \"chargers\", or name the adapter the feed routes them to (docs/adapters.md)",
		d.routes, all, count(s.NumChargers()), count(fleetRouted), why), true
}

// firstFew is "CP-1, CP-2, CP-3 and 7 more".
func firstFew(ids []string) string {
	const n = 3
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %s more", strings.Join(ids[:n], ", "), count(len(ids)-n))
}
