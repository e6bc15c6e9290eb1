package main

import (
	"log/slog"
	"sort"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// peerFaultsBy is what logPeerFaults reads (*adapters.Guard has it).
type peerFaultsBy interface {
	PeerFaultsByAdapter() map[string]adapters.PeerFaults
}

// logPeerFaults logs, one line per adapter, what its peers sent that it
// could not use, when that is not nothing: each fault was logged when it
// happened, and this line at stop is the sum an engineer looking at a run
// finds without counting them. A warning, so the dashboard's log file keeps
// it.
func logPeerFaults(log *slog.Logger, g peerFaultsBy) {
	by := g.PeerFaultsByAdapter()
	names := make([]string, 0, len(by))
	for name := range by {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := by[name]
		if f.Total() == 0 {
			continue
		}
		log.Warn("adapters: peer faults at stop (messages from its charge points or devices it could not use; each was logged when it came)",
			"adapter", name, "malformed", f.Malformed, "unmatched_answers", f.Unmatched,
			"refused_connections", f.Refused, "bad_values", f.BadValues)
	}
}
