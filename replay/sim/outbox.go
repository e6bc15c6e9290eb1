package sim

import (
	"bytes"
	"sync"
	"sync/atomic"
)

// outbox is what one client is owed: the messages queued for its writer,
// in order, and, once it has fallen behind, the telemetry since, conflated
// (frameSet). A client falls behind when its queue holds QueueLen messages
// or QueueBytes bytes; from then on each telemetry batch for it goes into
// its set, where a charger's newer frame replaces the one held, until its
// writer has written the queue and takes the set, bracketed by conflated
// signals (docs/protocol.md, Conflated). So a slow desk gets every
// charger's latest values and every feeder's load, nothing is queued
// without bound, and it is never dropped for being slow, where it was
// dropped after 64 messages skipped for a full queue and rejoined, 26 MB
// of hello and state behind (docs/benchmarks.md).
//
// Other messages keep their place: a signal or a hello seals the set into
// the queue before it (a catch-up's frames stay between its begin and its
// end), and an ack or a clock signal, which no frame depends on, is queued
// at once.
type outbox struct {
	mu     sync.Mutex
	ready  chan struct{} // poked when a message is queued or the box closed
	msgs   [][]byte
	bytes  int
	closed bool
	set    *frameSet // nil until the client first falls behind
	sets   uint64    // sets sealed on this connection: the signal's number
	// sealing is set while next encodes a set off the lock (spare is the
	// set it took): the client is behind meanwhile, and what is queued
	// then goes after that set.
	sealing bool
	spare   *frameSet
	// onSeal, when set (tests), is called while next encodes a set with
	// the lock released.
	onSeal func()
	split  []telemetryFrame
	lim    boxLimits
	count  *conflationCounts
}

// boxLimits are a Server's bounds on an outbox.
type boxLimits struct {
	queueLen, queueBytes int // beyond either the client is behind: telemetry is conflated
	maxBytes             int // beyond it the client is dropped
	chargers             chargerIndex
}

// conflationCounts is what a Server's outboxes did, for ServerStats.
type conflationCounts struct {
	replaced atomic.Uint64 // frames a newer one of the same charger replaced before they were sent
	sets     atomic.Uint64 // conflated sets sealed into a queue
}

func newOutbox(lim boxLimits, count *conflationCounts) *outbox {
	return &outbox{ready: make(chan struct{}, 1), lim: lim, count: count}
}

// put queues msg, or conflates it into the set when the client is behind.
// It reports false when the queue is over its bound (maxBytes) after it:
// the client is to be dropped.
func (o *outbox) put(msg []byte) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return true
	}
	defer o.poke()
	if !o.behindLocked() {
		o.pushLocked(msg)
		return true
	}
	if jumpsTheSet(msg) {
		o.pushLocked(msg)
		return o.bytes <= o.lim.maxBytes
	}
	frames, ok := o.lim.chargers.split(msg, o.split[:0])
	defer func() {
		clear(frames) // they point into msg, which the queue may not keep
		o.split = frames[:0]
	}()
	if ok {
		if o.set == nil {
			o.set = newFrameSet(len(o.lim.chargers))
		}
		if n, err := o.set.add(frames); err == nil {
			o.count.replaced.Add(n)
			if o.set.full() {
				o.sealLocked()
			}
			return o.bytes <= o.lim.maxBytes
		}
	}
	// Anything else keeps its place after what is held.
	o.sealLocked()
	o.pushLocked(msg)
	return o.bytes <= o.lim.maxBytes
}

// jumpsTheSet reports whether msg may be queued ahead of the set held: an
// ack (the answer to a setpoint, which the charger's frames do not wait
// for) or a clock signal (the speed, which only changes what a desk
// shows).
func jumpsTheSet(msg []byte) bool {
	return bytes.HasPrefix(msg, []byte(`{"v":1,"type":"ack"`)) || bytes.HasPrefix(msg, []byte(clockHead))
}

// behindLocked reports whether the client is behind: telemetry for it is
// conflated.
func (o *outbox) behindLocked() bool {
	return o.sealing || (o.set != nil && !o.set.empty()) || len(o.msgs) >= o.lim.queueLen || o.bytes >= o.lim.queueBytes
}

// behind reports whether the client is behind now, for ServerStats.
func (o *outbox) behind() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return !o.closed && o.behindLocked()
}

func (o *outbox) pushLocked(msg []byte) {
	o.msgs = append(o.msgs, msg)
	o.bytes += len(msg)
}

// sealLocked moves the set held, if any, into the queue.
func (o *outbox) sealLocked() {
	if o.set == nil || o.set.empty() {
		return
	}
	o.sets++
	o.count.sets.Add(1)
	for _, m := range o.set.encode(o.sets) {
		o.pushLocked(m)
	}
}

func (o *outbox) poke() {
	select {
	case o.ready <- struct{}{}:
	default:
	}
}

// next returns the next message to write, waiting for one: the queue's
// first, or, once the queue is written, the set held. It reports false
// when the box is closed and everything owed has been returned.
//
// The set is encoded off the lock: at 100,000 chargers that takes tens of
// milliseconds, which put, and so the Server's fan-out of the simulation's
// steps to every client, would otherwise wait for.
func (o *outbox) next() ([]byte, bool) {
	for {
		o.mu.Lock()
		if len(o.msgs) == 0 && o.set != nil && !o.set.empty() {
			o.sealOffLockLocked()
		}
		if len(o.msgs) > 0 {
			msg := o.msgs[0]
			o.msgs[0] = nil
			o.msgs = o.msgs[1:]
			o.bytes -= len(msg)
			o.mu.Unlock()
			return msg, true
		}
		closed := o.closed
		o.mu.Unlock()
		if closed {
			return nil, false
		}
		<-o.ready
	}
}

// sealOffLockLocked moves the set held into the queue, whose messages are
// all written, encoding it with o.mu released; it returns with o.mu held.
// Messages queued meanwhile go after it.
func (o *outbox) sealOffLockLocked() {
	set := o.set
	if o.spare == nil {
		o.spare = newFrameSet(len(o.lim.chargers))
	}
	o.set, o.spare, o.sealing = o.spare, nil, true
	o.sets++
	n := o.sets
	o.mu.Unlock()
	o.count.sets.Add(1)
	if o.onSeal != nil {
		o.onSeal()
	}
	encoded := set.encode(n)
	o.mu.Lock()
	o.spare, o.sealing = set, false
	if o.set == nil { // discarded meanwhile: the connection failed
		return
	}
	for _, m := range encoded {
		o.bytes += len(m)
	}
	o.msgs = append(encoded, o.msgs...)
}

// close ends the box: put takes nothing more, and next returns what is
// owed and then false.
func (o *outbox) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	o.poke()
}

// discard ends the box and forgets what is owed: the connection failed.
func (o *outbox) discard() {
	o.mu.Lock()
	o.closed, o.msgs, o.bytes, o.set = true, nil, 0, nil
	o.mu.Unlock()
	o.poke()
}
