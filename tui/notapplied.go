package tui

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// reasonSubject is the charger a reason is about: the one it begins with,
// `charger "CP-0124" routes to adapter "sim", which is not running`,
// `charge point "CP-0049": not connected`, or the guard's rate limit's,
// `rate limit: previous setpoint for "CP-0163" was 4s ago; minimum interval
// is 10s`. After a `v2gdesk sim` seek back the guard refused a plan's 149
// setpoints by rate limit, one line each, and the event's page was nothing
// but them: its measurement, next re-plan and keys pushed off the screen.
var reasonSubject = regexp.MustCompile(`^(?:charger|charge point) "([^"]*)"|^rate limit: previous setpoint for "([^"]*)"`)

// reasonAgo is the time since a charger's previous setpoint in a rate
// limit's reason.
var reasonAgo = regexp.MustCompile(`was \S+ ago`)

// namedAlso is how many more chargers a grouped reason names after its
// first: enough to find them in the journal, short enough for one line.
const namedAlso = 2

// NotApplied words why an event's setpoints were not applied, one item per
// reason with its count ("65× charger "CP-0124" routes to adapter "sim",
// which is not running (also CP-0125, CP-0126 and 62 more)"), the most
// frequent first. Reasons that differ only in the charger they begin with
// are one item: the guard's and the adapters' reasons name the charger, and
// a feed routed to an adapter that is not running gave one line per charger
// (65 on a feeder, 900 for a system event), on the desk's page and in
// `v2gdesk dispatch`. The command line and the desk share it, the command
// line in English.
func NotApplied(failed map[string]int) []string {
	return notApplied(failed, func(s string) string { return s })
}

// notApplied is NotApplied with t for the words the desk adds to the
// adapters' own (their reasons stay as they gave them).
func notApplied(failed map[string]int, t func(string) string) []string {
	type group struct {
		reasons map[string]string // charger -> its reason
		ids     []string
		n       int
		plain   string // the reason, when it names no charger
	}
	groups := map[string]*group{}
	for r, n := range failed {
		key, id := r, ""
		if loc := reasonSubject.FindStringSubmatchIndex(r); loc != nil {
			at := 2 // the submatch that matched
			if loc[at] < 0 {
				at = 4
			}
			id = r[loc[at]:loc[at+1]]
			// A rate limit's time since the previous setpoint differs
			// charger by charger: the reason is the same.
			key = reasonAgo.ReplaceAllString(r[:loc[at]]+r[loc[at+1]:], "was … ago")
		}
		g := groups[key]
		if g == nil {
			g = &group{reasons: map[string]string{}}
			groups[key] = g
		}
		g.n += n
		if id == "" {
			g.plain = r
			continue
		}
		if _, seen := g.reasons[id]; !seen {
			g.ids = append(g.ids, id)
		}
		g.reasons[id] = r
	}
	type item struct {
		n    int
		text string
	}
	items := make([]item, 0, len(groups))
	for _, g := range groups {
		if len(g.ids) == 0 {
			items = append(items, item{g.n, fmt.Sprintf("%d× %s", g.n, g.plain)})
			continue
		}
		sort.Strings(g.ids)
		text := fmt.Sprintf("%d× %s", g.n, g.reasons[g.ids[0]])
		if also := g.ids[1:]; len(also) > 0 {
			named := also[:min(namedAlso, len(also))]
			if more := len(also) - len(named); more > 0 {
				text += " " + fmt.Sprintf(t("(also %s and %d more)"), strings.Join(named, ", "), more)
			} else {
				text += " " + fmt.Sprintf(t("(also %s)"), strings.Join(named, ", "))
			}
		}
		items = append(items, item{g.n, text})
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].n != items[j].n {
			return items[i].n > items[j].n
		}
		return items[i].text < items[j].text
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.text
	}
	return out
}
