package feeds

import (
	"context"
	"sync"
	"time"
)

// DefaultHubEvery is the Hub's publishing interval when none is given:
// four snapshots a second is as fast as a dashboard needs to redraw.
const DefaultHubEvery = 250 * time.Millisecond

// SnapshotSource is anything that hands out Snapshots; Fleet is one.
type SnapshotSource interface {
	Snapshot() *Snapshot
}

// Hub fans one ingest out to many consumers (dashboards of several SSH
// sessions, a recorder, a planner). Every consumer has a one-slot channel
// that always holds the latest snapshot: a slow consumer skips snapshots
// (counted as drops) and never blocks ingest or the other consumers.
type Hub struct {
	src   SnapshotSource
	every time.Duration

	mu     sync.Mutex
	subs   map[*hubSub]struct{}
	last   *Snapshot
	closed bool
}

type hubSub struct {
	ch    chan *Snapshot
	drops uint64 // guarded by Hub.mu
}

// NewHub returns a Hub that publishes src's snapshot at most every every
// (DefaultHubEvery when every <= 0), and only when it changed.
func NewHub(src SnapshotSource, every time.Duration) *Hub {
	if every <= 0 {
		every = DefaultHubEvery
	}
	return &Hub{src: src, every: every, subs: make(map[*hubSub]struct{})}
}

// Subscribe returns a channel of snapshots, primed with the latest one if
// any, and a function that unsubscribes (safe to call more than once). The
// channel is closed on unsubscribe and when Run returns.
func (h *Hub) Subscribe() (<-chan *Snapshot, func()) {
	sub := &hubSub{ch: make(chan *Snapshot, 1)}
	h.mu.Lock()
	if h.closed {
		close(sub.ch)
		h.mu.Unlock()
		return sub.ch, func() {}
	}
	if h.last != nil {
		sub.ch <- h.last
	}
	h.subs[sub] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if _, ok := h.subs[sub]; ok {
				delete(h.subs, sub)
				close(sub.ch)
			}
		})
	}
}

// Drops returns how many snapshots the consumer of ch skipped because it
// had not taken the previous one yet; 0 for an unknown channel.
func (h *Hub) Drops(ch <-chan *Snapshot) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		if (<-chan *Snapshot)(sub.ch) == ch {
			return sub.drops
		}
	}
	return 0
}

// Consumers returns the number of subscribed consumers.
func (h *Hub) Consumers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// Run publishes until ctx is done, then closes every consumer's channel and
// returns ctx.Err().
func (h *Hub) Run(ctx context.Context) error {
	t := time.NewTicker(h.every)
	defer t.Stop()
	h.Publish()
	for {
		select {
		case <-ctx.Done():
			h.mu.Lock()
			h.closed = true
			for sub := range h.subs {
				delete(h.subs, sub)
				close(sub.ch)
			}
			h.mu.Unlock()
			return ctx.Err()
		case <-t.C:
			h.Publish()
		}
	}
}

// Publish takes a snapshot now and, if it differs from the last one
// published, offers it to every consumer. Run calls it on every tick; tests
// and replay seeking call it directly.
func (h *Hub) Publish() {
	s := h.src.Snapshot()
	h.mu.Lock()
	defer h.mu.Unlock()
	if s == nil || s == h.last || h.closed {
		return
	}
	h.last = s
	for sub := range h.subs {
		select {
		case sub.ch <- s:
			continue
		default:
		}
		// The slot holds an older snapshot the consumer has not taken:
		// replace it. Only Publish sends, under h.mu, so the second send
		// cannot block.
		select {
		case <-sub.ch:
			sub.drops++
		default:
		}
		sub.ch <- s
	}
}
