package adapters

// PeerFaults counts what an adapter's peers (charge points, devices, a
// protocol v1 server) sent that the adapter could not use. Each was logged
// or answered where it happened; the counts are what lets an operator see
// that a peer misbehaves without reading the log.
type PeerFaults struct {
	// Malformed counts messages that could not be read or that broke the
	// protocol (a malformed OCPP answer, an ack without applied_kw, a frame
	// that is not JSON).
	Malformed int
	// Unmatched counts answers to no request of ours still waiting: a
	// second answer to one call, or one that came after we stopped waiting.
	Unmatched int
	// Refused counts connections refused before their session: from a
	// peer not in the configuration, on an address other than the listen
	// address, offering no subprotocol we speak, or a second connection of
	// a connected charge point that could not replace the first. It was
	// "unknown peers", which read as a stranger on the desk for a known
	// charge point turned away.
	Refused int
	// BadValues counts measurements that could not be read.
	BadValues int
}

// Total is the sum of every count.
func (f PeerFaults) Total() int { return f.Malformed + f.Unmatched + f.Refused + f.BadValues }

// Add returns the sum of f and o, count by count.
func (f PeerFaults) Add(o PeerFaults) PeerFaults {
	return PeerFaults{Malformed: f.Malformed + o.Malformed, Unmatched: f.Unmatched + o.Unmatched,
		Refused: f.Refused + o.Refused, BadValues: f.BadValues + o.BadValues}
}

// PeerFaultReporter is the optional capability of an Adapter (or of what
// it talks through) to say what its peers sent that it could not use. The
// Guard sums it over its adapters.
type PeerFaultReporter interface {
	PeerFaults() PeerFaults
}

// PeerFaults is the sum of the peer faults of every adapter that reports
// them; the desk shows it on the overview when it is not zero.
func (g *Guard) PeerFaults() PeerFaults {
	var sum PeerFaults
	for _, f := range g.PeerFaultsByAdapter() {
		sum = sum.Add(f)
	}
	return sum
}

// PeerFaultsByAdapter is each reporting adapter's peer faults by its name,
// for a log line that says which adapter's peers misbehaved.
func (g *Guard) PeerFaultsByAdapter() map[string]PeerFaults {
	g.life.RLock()
	ls := make([]*lane, 0, len(g.lanes))
	for _, l := range g.lanes {
		ls = append(ls, l)
	}
	g.life.RUnlock()
	out := make(map[string]PeerFaults, len(ls))
	for _, l := range ls {
		// Asked outside the guard's locks: an adapter takes its own.
		if r, ok := l.a.(PeerFaultReporter); ok {
			out[l.name] = r.PeerFaults()
		}
	}
	return out
}
