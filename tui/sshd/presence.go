package sshd

import (
	"sort"
	"sync"
	"time"
)

// Present is one connected session.
type Present struct {
	ID       uint64 // unique within a Server's life
	Operator Operator
	Remote   string    // client address
	Since    time.Time // when the session started
}

// Presence is the registry of who is connected. A dashboard reads it to show
// who else is at the desk; the Server adds and removes sessions. It is safe
// for concurrent use.
type Presence struct {
	mu       sync.Mutex
	next     uint64
	sessions map[uint64]Present
	version  uint64
}

// NewPresence returns an empty registry.
func NewPresence() *Presence {
	return &Presence{sessions: map[uint64]Present{}}
}

// Join records a session and returns its entry with a fresh ID.
func (p *Presence) Join(op Operator, remote string, since time.Time) Present {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next++
	e := Present{ID: p.next, Operator: op, Remote: remote, Since: since}
	p.sessions[e.ID] = e
	p.version++
	return e
}

// Leave forgets the session with the given ID; unknown IDs are ignored so a
// deferred Leave is always safe.
func (p *Presence) Leave(id uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.sessions[id]; ok {
		delete(p.sessions, id)
		p.version++
	}
}

// List returns the connected sessions, oldest first.
func (p *Presence) List() []Present {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Present, 0, len(p.sessions))
	for _, e := range p.sessions {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Len returns the number of connected sessions.
func (p *Presence) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.sessions)
}

// Version increases with every join and leave, so a view can tell cheaply
// whether to redraw.
func (p *Presence) Version() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.version
}

// Operators returns who is connected, one entry per name (an operator with
// two sessions is listed once), sorted by name: what a header shows.
func (p *Presence) Operators() []Operator {
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := map[string]bool{}
	var out []Operator
	for _, e := range p.sessions {
		if !seen[e.Operator.Name] {
			seen[e.Operator.Name] = true
			out = append(out, e.Operator)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SessionsPerName returns how many sessions each connected operator name
// has: presence counts by name, so a second session under a name is told
// by its count, not by a new name.
func (p *Presence) SessionsPerName() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for _, e := range p.sessions {
		out[e.Operator.Name]++
	}
	return out
}

// Labels returns who is connected as a header shows them, "ana (dispatcher)",
// one per name, sorted by name. A dashboard can take it as a plain
// func() []string without importing this package.
func (p *Presence) Labels() []string {
	ops := p.Operators()
	out := make([]string, len(ops))
	for i, o := range ops {
		out[i] = o.String()
	}
	return out
}
