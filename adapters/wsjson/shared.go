package wsjson

import (
	"sync"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Shared is one connection that several adapters send through (the desk's
// feed subscriber when more than one wsjson adapter uses it). Every ack
// read on it is offered to each adapter; one that no adapter was waiting
// for is counted once, here, not once by each adapter that did not match
// it (which would count the other adapters' acks as unmatched). Safe for
// concurrent use.
type Shared struct {
	send FrameSender

	mu        sync.Mutex
	members   []*Adapter
	unmatched int
}

// NewShared returns a Shared connection sending through s.
func NewShared(s FrameSender) *Shared { return &Shared{send: s} }

// Adapter returns a new adapter sending through the shared connection. The
// first one reports the connection's own faults (its unmatched acks, and
// what the sender counts) so that the guard's sum has them once.
func (sh *Shared) Adapter() *Adapter {
	a := New(sh.send)
	a.shared = sh
	sh.mu.Lock()
	a.reportsShared = len(sh.members) == 0
	sh.members = append(sh.members, a)
	sh.mu.Unlock()
	return a
}

// HandleAck delivers an ack read on the shared connection to the adapter
// waiting for it; an ack that none is waiting for is counted once.
func (sh *Shared) HandleAck(ack feeds.AckFrame) { sh.HandleAckErr(ack, nil) }

// HandleAckErr is HandleAck with err, when set, saying how the ack broke
// the protocol (see Adapter.HandleAckErr).
func (sh *Shared) HandleAckErr(ack feeds.AckFrame, err error) {
	sh.mu.Lock()
	members := sh.members
	sh.mu.Unlock()
	for _, a := range members {
		if a.match(ack, err) {
			return
		}
	}
	sh.mu.Lock()
	sh.unmatched++
	sh.mu.Unlock()
	if err != nil && len(members) > 0 {
		members[0].countProtocol()
	}
}

// Unmatched returns how many acks no adapter on the connection was waiting
// for.
func (sh *Shared) Unmatched() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.unmatched
}

// peerFaults is what the connection itself counts: its unmatched acks and
// what the sender reports.
func (sh *Shared) peerFaults() adapters.PeerFaults {
	f := adapters.PeerFaults{Unmatched: sh.Unmatched()}
	if r, ok := sh.send.(adapters.PeerFaultReporter); ok {
		f = f.Add(r.PeerFaults())
	}
	return f
}
