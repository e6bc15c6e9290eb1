package alarm

import (
	"slices"
	"strconv"
	"strings"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// maxNamedLeft is how many sources the log line of dropLeft names; the
// rest are counted.
const maxNamedLeft = 20

// dropLeft takes off the list the alarms of chargers and feeders that are
// no longer in s's topology: a hello left them out (decommissioned,
// moved to another site), and the fleet forgot them. Their conditions can
// no longer be judged or cleared, nobody can open their pages, and
// ISA-18.2 takes a source removed from service out of the alarm system.
// Kept, a live desk on a site that replaces 5% of its chargers an hour
// listed 900 "no data" alarms of chargers that no longer existed after 30
// hours, and the list grew for as long as the desk ran. Nothing goes
// unsaid: one line in the log counts them and names the first
// maxNamedLeft. It looks only when the topology has changed (a new
// hello): alarms are raised only for the sources of a snapshot. A snapshot
// without a topology (no hello yet) drops nothing. Called with e.mu held.
func (e *Engine) dropLeft(s *feeds.Snapshot) {
	topo := s.TopologyID()
	if topo == (feeds.TopologyID{}) || topo == e.topo {
		return
	}
	e.topo = topo
	var gone []string
	unack := 0
	for id, en := range e.alarms {
		if en.held || e.inTopology(s, en) {
			continue
		}
		gone = append(gone, id)
		if en.Unacknowledged() {
			unack++
		}
		delete(e.alarms, id)
		delete(e.timed, id)
	}
	for id := range e.pending {
		if _, ok := s.Feeder(id); !ok {
			delete(e.pending, id)
		}
	}
	for id := range e.under {
		if _, ok := s.Feeder(id); !ok {
			delete(e.under, id)
		}
	}
	if len(gone) == 0 {
		return
	}
	slices.Sort(gone)
	named := strings.Join(gone[:min(len(gone), maxNamedLeft)], ", ")
	if len(gone) > maxNamedLeft {
		named += ", and " + strconv.Itoa(len(gone)-maxNamedLeft) + " more"
	}
	e.opts.Logger.Warn("alarm: sources no longer in the topology; their alarms leave the list",
		"alarms", len(gone), "unacknowledged", unack, "ids", named)
}

// inTopology reports whether en's source is in s's topology, or is not a
// charger or feeder (the feed itself, a DR event's cap).
func (e *Engine) inTopology(s *feeds.Snapshot, en *entry) bool {
	switch en.Kind {
	case KindFault, KindCommLost:
		_, ok := s.ChargerIndex(en.Source)
		return ok
	case KindLoading:
		_, ok := s.Feeder(en.Source)
		return ok
	case KindStaleFeed:
		if en.Source == feedSource {
			return true
		}
		_, ok := s.Feeder(en.Source)
		return ok
	}
	return true
}
