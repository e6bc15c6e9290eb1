package wsjson

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// checkTopology refuses a hello whose topology a desk's fleet refuses
// whole (bad_topology, docs/protocol.md): a feeder or a charger declared
// twice, or a charger on a feeder the hello does not declare. Of a charger
// declared twice, either bound could be meant, so neither is taken.
func checkTopology(h *feeds.Hello) error {
	feeders := make(map[string]bool, len(h.Feeders))
	for _, f := range h.Feeders {
		if feeders[f.ID] {
			return fmt.Errorf("%s: hello %q: feeder %q declared twice", feeds.RejectBadTopology, h.Site, f.ID)
		}
		feeders[f.ID] = true
	}
	chargers := make(map[string]bool, len(h.Chargers))
	for _, c := range h.Chargers {
		if chargers[c.ID] {
			return fmt.Errorf("%s: hello %q: charger %q declared twice", feeds.RejectBadTopology, h.Site, c.ID)
		}
		chargers[c.ID] = true
		if !feeders[c.Feeder] {
			return fmt.Errorf("%s: hello %q: charger %q is on feeder %q, which the hello does not declare", feeds.RejectBadTopology, h.Site, c.ID, c.Feeder)
		}
	}
	return nil
}
