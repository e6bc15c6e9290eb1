package sshd

import (
	"net"
	"sync"
	"time"
)

// Backoff slows down addresses that keep failing to authenticate: after
// Threshold failures in a row from one address, connections from it are
// refused for Base, doubling with every further failure up to Max. A
// successful login clears the address. It is safe for concurrent use.
type Backoff struct {
	threshold int
	base, max time.Duration
	now       func() time.Time

	mu    sync.Mutex
	addrs map[string]*strikes
}

type strikes struct {
	failures int
	until    time.Time // refused before this
	last     time.Time // latest failure
}

// maxTracked bounds the addresses remembered, so a scan from many addresses
// cannot grow the map without limit; the oldest quiet ones are forgotten first.
const maxTracked = 10000

// NewBackoff returns a Backoff; now is its clock (nil: time.Now). A threshold
// below 1 disables it.
func NewBackoff(threshold int, base, max time.Duration, now func() time.Time) *Backoff {
	if now == nil {
		now = time.Now
	}
	if max < base {
		max = base
	}
	return &Backoff{threshold: threshold, base: base, max: max, now: now, addrs: map[string]*strikes{}}
}

// host is the part of a remote address back-off is keyed on: the IP, since a
// client picks a new source port for each attempt.
func host(addr net.Addr) string {
	if addr == nil {
		return ""
	}
	h, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	return h
}

// Blocked reports whether addr is being refused and for how much longer.
func (b *Backoff) Blocked(addr net.Addr) (time.Duration, bool) {
	if b == nil || b.threshold < 1 {
		return 0, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.addrs[host(addr)]
	if !ok {
		return 0, false
	}
	left := s.until.Sub(b.now())
	return left, left > 0
}

// Fail records a failed authentication from addr and returns how long the
// address is now refused (0 while under the threshold).
func (b *Backoff) Fail(addr net.Addr) time.Duration {
	if b == nil || b.threshold < 1 {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	h := host(addr)
	s, ok := b.addrs[h]
	if !ok {
		if len(b.addrs) >= maxTracked {
			b.pruneLocked(now)
		}
		s = &strikes{}
		b.addrs[h] = s
	}
	s.failures++
	s.last = now
	if s.failures < b.threshold {
		return 0
	}
	d := b.base
	for i := b.threshold; i < s.failures && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	s.until = now.Add(d)
	return d
}

// Succeed clears addr after a successful login.
func (b *Backoff) Succeed(addr net.Addr) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.addrs, host(addr))
}

// pruneLocked forgets addresses not refused now, oldest first, until the map
// is under its bound; if all are refused, it forgets the oldest anyway.
func (b *Backoff) pruneLocked(now time.Time) {
	for h, s := range b.addrs {
		if !s.until.After(now) && now.Sub(s.last) > b.max {
			delete(b.addrs, h)
		}
	}
	for len(b.addrs) >= maxTracked {
		var oldest string
		var at time.Time
		for h, s := range b.addrs {
			if oldest == "" || s.last.Before(at) {
				oldest, at = h, s.last
			}
		}
		delete(b.addrs, oldest)
	}
}
