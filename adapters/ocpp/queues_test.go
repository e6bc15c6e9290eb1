package ocpp

import "testing"

// closed reports whether ch is closed, without waiting.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// TestWatchedQueuesSettle: a removed queue is settled only once someone
// (ocpp-go's dispatcher) looks it up and finds it gone; a lookup that finds
// a queue settles nothing, and Init (ocpp-go's Stop) settles every removal.
func TestWatchedQueuesSettle(t *testing.T) {
	q := newWatchedQueues()
	if !closed(q.settled("CP")) {
		t.Fatal("an identity never removed is not settled")
	}
	q.GetOrCreate("CP")
	q.Remove("CP")
	s := q.settled("CP")
	if closed(s) {
		t.Fatal("settled before the dispatcher looked the removed queue up")
	}
	q.GetOrCreate("CP") // a new connection's queue, created too early
	if _, ok := q.Get("CP"); !ok || closed(s) {
		t.Fatalf("lookup found a queue (%v) and settled the removal (%v); want found, not settled", ok, closed(s))
	}
	q.Remove("CP")
	if _, ok := q.Get("CP"); ok || !closed(s) {
		t.Fatalf("lookup found a queue (%v), settled %v; want the removal settled", ok, closed(s))
	}
	if !closed(q.settled("CP")) {
		t.Fatal("settled again after the removal was seen")
	}
	q.GetOrCreate("B")
	q.Remove("B")
	b := q.settled("B")
	q.Init()
	if !closed(b) {
		t.Fatal("Init left a removal waiting")
	}
}
