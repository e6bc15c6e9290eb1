package tui

import (
	"fmt"
	"strings"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// reasonUnrouted is the decline the desk journals for a plan none of whose
// chargers the adapters reach: the CLI's ("v2gdesk dispatch: no planned
// charger is routed by --adapters FILE"), said by the desk.
const reasonUnrouted = "no planned charger is routed by %s"

// unroutedPlan is what the adapters do not reach of a plan: its setpoints
// (total, of which changing change their EV's power), the chargers of
// those no adapter routes (ids; routedChanging of the changing ones are
// routed), and why the first of them is not routed.
type unroutedPlan struct {
	total, changing int
	routedChanging  int
	ids             []string
	fault           adapters.RouteFault
	adapter         string
}

// none reports whether no charger of the plan is routed.
func (u unroutedPlan) none() bool { return u.total > 0 && len(u.ids) == u.total }

// routeCache is the dispatch page's unroutedPlan for one preview, worked
// out once: the page asked the adapters about every setpoint of the plan on
// each redraw and key, and about every charger of the feed when none was
// routed (100,000 questions a key with --adapters on a large site). A plan
// does not change while it is shown: a new one is a new preview. What the
// adapters route changes with the feed's topology (the guard learns each
// hello), so the topologies it was worked out on are kept too. Holding pv
// keeps it alive, so a new preview is never at the same address.
type routeCache struct {
	pv           *plan.Preview
	latest, snap feeds.TopologyID
	u            unroutedPlan
	// fleet: routed and all are worked out (only when none of the plan's
	// chargers is routed).
	fleet       bool
	routed, all int
}

// topologies are the topology ids of the newest snapshot (what the guard
// routes by) and of the one shown (whose chargers the page counts).
func (m *Model) topologies() (latest, snap feeds.TopologyID) {
	if m.latest != nil {
		latest = m.latest.TopologyID()
	}
	if m.snap != nil {
		snap = m.snap.TopologyID()
	}
	return latest, snap
}

// unrouted looks at which of pv's chargers the desk's adapters route, as
// the CLI does before sending; the zero value when the desk has no routing
// to ask or every charger is routed. It asks once per preview (routeCache).
func (m *Model) unrouted(pv *plan.Preview) unroutedPlan {
	route := m.opts.Routing
	if route == nil || pv == nil || len(pv.Setpoints) == 0 {
		return unroutedPlan{}
	}
	latest, snap := m.topologies()
	if c := &m.routes; c.pv == pv && c.latest == latest && c.snap == snap {
		return c.u
	}
	u := unroutedPlan{total: len(pv.Setpoints), changing: plan.Changing(pv.Setpoints)}
	for _, sp := range pv.Setpoints {
		f, a := route(sp.Charger)
		if f == adapters.RouteOK {
			if sp.Changes {
				u.routedChanging++
			}
			continue
		}
		if len(u.ids) == 0 {
			u.fault, u.adapter = f, a
		}
		u.ids = append(u.ids, sp.Charger)
	}
	m.routes = routeCache{pv: pv, latest: latest, snap: snap, u: u}
	return u
}

// fleetRouted is how many of the shown feed's chargers the adapters route,
// and how many it has, for the preview unrouted last looked at.
func (m *Model) fleetRouted() (routed, all int) {
	c := &m.routes
	if c.fleet {
		return c.routed, c.all
	}
	if s := m.snap; s != nil {
		c.all = s.NumChargers()
		for i := range c.all {
			if f, _ := m.opts.Routing(s.ChargerAt(i).ID); f == adapters.RouteOK {
				c.routed++
			}
		}
	}
	c.fleet = true
	return c.routed, c.all
}

// routeWhy words why the first unrouted charger is not routed, as the
// guard says it (adapters.Guard.Unrouted).
func (m *Model) routeWhy(u unroutedPlan) string {
	t := m.tr.t
	id := u.ids[0]
	switch u.fault {
	case adapters.RouteUnknown:
		return fmt.Sprintf(t("charger %q: no bounds known (not in the adapters file or the topology)"), id)
	case adapters.RouteNone:
		return fmt.Sprintf(t("charger %q has no adapter route"), id)
	}
	return fmt.Sprintf(t("charger %q routes to adapter %q, which is not running"), id, u.adapter)
}

// unroutedLine is the dispatch page's sentence on the plan's unrouted
// chargers; "" when every one is routed. It counts setpoints and, of them,
// those that change their EV's power, as the enter line does: "the 5
// chargers the plan commands" read as five chargers changing, of which the
// plan left two as they were.
func (m *Model) unroutedLine(u unroutedPlan) string {
	if len(u.ids) == 0 {
		return ""
	}
	t := m.tr.t
	if u.none() {
		routed, all := m.fleetRouted()
		return m.st.high.Render("✕ " + plural(all, t("%s routes none of the plan's %s; of the feed's %s charger it routes %s: nothing can be sent (c declines the event); %s"),
			t("%s routes none of the plan's %s; of the feed's %s chargers it routes %s: nothing can be sent (c declines the event); %s"),
			m.opts.Routes, setpointsText(t, u.total, u.changing), thousands(int64(all)), thousands(int64(routed)), m.routeWhy(u)))
	}
	routed := u.total - len(u.ids)
	return m.st.warn.Render("△ " + plural(len(u.ids), t("%s routes %s of the plan's %s; the %s other (%s) will not be sent to, its setpoint journalled as rejected: %s"),
		t("%s routes %s of the plan's %s; the %s others (%s) will not be sent to, their setpoints journalled as rejected: %s"),
		m.opts.Routes, setpointsText(t, routed, u.routedChanging), setpointsText(t, u.total, u.changing),
		thousands(int64(len(u.ids))), m.firstFew(u.ids), m.routeWhy(u)))
}

// setpointsText counts a plan's setpoints and those of them that change
// their EV's power: "5 setpoints (3 change power)", in t's language.
func setpointsText(t func(string) string, n, changing int) string {
	return plural(n, t("%s setpoint"), t("%s setpoints"), thousands(int64(n))) + " (" +
		plural(changing, t("%s changes power"), t("%s change power"), thousands(int64(changing))) + ")"
}

// SetpointsText is setpointsText in English, for `v2gdesk dispatch`: the
// command line counts a plan's setpoints in the desk's words.
func SetpointsText(n, changing int) string {
	return setpointsText(translator{}.t, n, changing)
}

// firstFew is "CP-1, CP-2, CP-3 and 7 more".
func (m *Model) firstFew(ids []string) string {
	const n = 3
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf(m.tr.t("%s and %s more"), strings.Join(ids[:n], ", "), thousands(int64(len(ids)-n)))
}
