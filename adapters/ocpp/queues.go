package ocpp

import (
	"sync"

	"github.com/lorenzodonini/ocpp-go/ocppj"
)

// watchedQueues is ocpp-go's map of per-charge-point request queues, with a
// look at when its dispatcher has taken in that a charge point's queue is
// gone. ocpp-go's dispatcher learns of a disconnect asynchronously: the
// queue is removed at once and the dispatcher told through a channel; until
// it reads that, it keeps the old connection's call as in flight. A
// connection of the same identity created before then inherits that state,
// and its calls wait in its queue until a call enqueued after ocpp-go's
// 30 s request timeout moves them: a charge point that reconnected at once
// (or whose earlier link admit just closed) would take no setpoint.
//
// The dispatcher reads the channel and looks the queue up (Get); finding
// none, it drops the old call's state. So a Get that finds no queue after a
// Remove is the moment the dispatcher has let the old connection go, and
// admit waits for it (settled) before admitting a new connection.
type watchedQueues struct {
	*ocppj.FIFOQueueMap
	mu sync.Mutex
	// removed are the identities whose queue was removed and not yet
	// found missing: each channel is closed when it is.
	removed map[string]chan struct{}
}

func newWatchedQueues() *watchedQueues {
	return &watchedQueues{FIFOQueueMap: ocppj.NewFIFOQueueMap(0), removed: map[string]chan struct{}{}}
}

// Remove notes that the dispatcher has yet to see clientID's queue gone,
// then removes it.
func (q *watchedQueues) Remove(clientID string) {
	q.mu.Lock()
	if _, ok := q.removed[clientID]; !ok {
		q.removed[clientID] = make(chan struct{})
	}
	q.mu.Unlock()
	q.FIFOQueueMap.Remove(clientID)
}

// Get looks up clientID's queue; not finding it settles a removal.
func (q *watchedQueues) Get(clientID string) (ocppj.RequestQueue, bool) {
	rq, ok := q.FIFOQueueMap.Get(clientID)
	if !ok {
		q.mu.Lock()
		if ch, pending := q.removed[clientID]; pending {
			close(ch)
			delete(q.removed, clientID)
		}
		q.mu.Unlock()
	}
	return rq, ok
}

// Init empties the map (ocpp-go's dispatcher does at Stop) and settles
// every removal: no dispatcher is left to see them.
func (q *watchedQueues) Init() {
	q.mu.Lock()
	for id, ch := range q.removed {
		close(ch)
		delete(q.removed, id)
	}
	q.mu.Unlock()
	q.FIFOQueueMap.Init()
}

// settled returns a channel closed once the dispatcher has seen clientID's
// last removed queue gone (closed already when no removal waits).
func (q *watchedQueues) settled(clientID string) <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	if ch, ok := q.removed[clientID]; ok {
		return ch
	}
	done := make(chan struct{})
	close(done)
	return done
}
