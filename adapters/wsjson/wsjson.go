package wsjson

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// FrameSender sends one client frame on the telemetry connection.
type FrameSender interface {
	Send(ctx context.Context, frame any) error
}

// Ender is a FrameSender that can tell that its connection has ended
// (Conn is one): setpoints waiting for acks are answered then, not at
// their deadline.
type Ender interface {
	Done() <-chan struct{}
	Err() error
}

// connSender is a sender with several connections over time (Link): it
// says which one carried a frame.
type connSender interface {
	sendOn(ctx context.Context, frame any) (Ender, error)
}

// Adapter sends setpoint frames through a FrameSender and waits for their
// acks. Safe for concurrent use.
type Adapter struct {
	send FrameSender

	mu        sync.Mutex
	pending   map[string]chan answer
	unmatched int
	protocol  int

	// shared is the connection this adapter shares with others (nil: it
	// has its sender to itself); reportsShared is set on the one adapter
	// that reports the connection's faults.
	shared        *Shared
	reportsShared bool
}

// answer is an ack handed to a waiting setpoint, with err set when the ack
// broke the protocol.
type answer struct {
	ack feeds.AckFrame
	err error
}

// New returns an Adapter sending through s.
func New(s FrameSender) *Adapter {
	return &Adapter{send: s, pending: map[string]chan answer{}}
}

// Apply implements adapters.Adapter: it sends the setpoint frame and waits
// for the ack with the same id until ctx is done.
func (a *Adapter) Apply(ctx context.Context, sp adapters.Setpoint) adapters.Result {
	ch := make(chan answer, 1)
	a.mu.Lock()
	if _, busy := a.pending[sp.ID]; busy {
		a.mu.Unlock()
		return adapters.Result{Status: adapters.StatusFailed, Reason: fmt.Sprintf("setpoint %q is already waiting for an ack", sp.ID)}
	}
	a.pending[sp.ID] = ch
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		delete(a.pending, sp.ID)
		a.mu.Unlock()
	}()

	var end Ender
	var err error
	if cs, ok := a.send.(connSender); ok {
		// The connection the frame went out on: a Link's next one, after
		// a redial, cannot carry this frame's ack.
		end, err = cs.sendOn(ctx, sp.Frame())
	} else {
		err = a.send.Send(ctx, sp.Frame())
		end, _ = a.send.(Ender)
	}
	if errors.Is(err, feeds.ErrNotConnected) {
		// The desk's feed carries this adapter's setpoints: with the feed
		// down (its simulator or gateway stopped, or the network between)
		// no charger behind it gets one, a hold on stale data included.
		// Said plainly, since the desk's other words for the chargers
		// (held, in force) are then what it asked, not what they do.
		return adapters.Result{Status: adapters.StatusFailed, Reason: fmt.Sprintf(
			"not sent: the feed's connection, which carries this adapter's setpoints, is down: no setpoint reaches the charger until the feed is back (%v)", err)}
	}
	if err != nil {
		return adapters.Result{Status: adapters.StatusFailed, Reason: fmt.Sprintf("send setpoint frame: %v", err)}
	}
	var ended <-chan struct{} // nil (never ready) for a sender that cannot tell
	if end != nil {
		ended = end.Done()
	}
	select {
	case an := <-ch:
		return answered(sp, an)
	case <-ended:
		// The reader hands every ack it read to HandleAckErr before it
		// ends, so one that came before the close is already here.
		select {
		case an := <-ch:
			return answered(sp, an)
		default:
		}
		// The frame went out: the peer may hold the setpoint.
		if err := ctx.Err(); errors.Is(err, context.Canceled) {
			// Closed because the caller stopped (^C on `v2gdesk
			// setpoint` closes the link with the wait): "the
			// connection closed (use of closed network connection)"
			// read as the peer's doing.
			return stoppedWaiting(err)
		}
		return adapters.Result{Status: adapters.StatusTimeout,
			Reason: fmt.Sprintf("sent; the connection closed before the ack (%v): the peer may hold it", end.Err())}
	case <-ctx.Done():
		if err := ctx.Err(); errors.Is(err, context.Canceled) {
			return stoppedWaiting(err)
		}
		return adapters.Result{Status: adapters.StatusTimeout, Reason: "sent; no ack before the deadline"}
	}
}

// stoppedWaiting is the result of a setpoint sent whose wait for its ack
// the caller stopped (err, ctx's cancellation) before any deadline.
func stoppedWaiting(err error) adapters.Result {
	return adapters.Result{Status: adapters.StatusTimeout,
		Reason: fmt.Sprintf("sent; the wait for the ack was stopped (%v) before it came: the peer may hold it", err)}
}

// answered is the result of the ack an for sp.
func answered(sp adapters.Setpoint, an answer) adapters.Result {
	if an.err != nil {
		return adapters.Result{Status: adapters.StatusFailed,
			Reason: fmt.Sprintf("protocol error: %v; the peer said %q, what it holds is unknown", an.err, an.ack.Status)}
	}
	return adapters.ResultFromAck(sp, an.ack)
}

// HandleAck delivers an ack frame from the telemetry connection. Acks for
// no waiting setpoint (late, or another client's) are counted, not dropped
// silently.
func (a *Adapter) HandleAck(ack feeds.AckFrame) { a.HandleAckErr(ack, nil) }

// HandleAckErr is HandleAck for a connection that checks acks itself
// (Conn): err, when set, says how the ack broke the protocol; its setpoint
// fails with it, and it is counted (ProtocolErrors).
// An adapter on a Shared connection gets its acks from the Shared, which
// counts the unmatched ones once for every adapter on it.
func (a *Adapter) HandleAckErr(ack feeds.AckFrame, err error) {
	if a.match(ack, err) {
		return
	}
	a.mu.Lock()
	a.unmatched++
	if err != nil {
		a.protocol++
	}
	a.mu.Unlock()
}

// match hands ack to the setpoint waiting for it and reports whether one
// was; an ack that breaks the protocol (err) is counted when it matched.
func (a *Adapter) match(ack feeds.AckFrame, err error) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	ch, ok := a.pending[ack.ID]
	if !ok {
		return false
	}
	if err != nil {
		a.protocol++
	}
	delete(a.pending, ack.ID)
	ch <- answer{ack, err}
	return true
}

// countProtocol counts an ack that broke the protocol and matched nothing
// (for the Shared connection, on the adapter that reports it).
func (a *Adapter) countProtocol() {
	a.mu.Lock()
	a.protocol++
	a.mu.Unlock()
}

// ProtocolErrors returns how many acks broke the protocol (another version,
// no applied_kw on an applied status, fields that do not decode).
func (a *Adapter) ProtocolErrors() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.protocol
}

// Unmatched returns how many acks matched no waiting setpoint.
func (a *Adapter) Unmatched() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.unmatched
}

// PeerFaults implements adapters.PeerFaultReporter: acks that broke the
// protocol, acks that matched no waiting setpoint, and what the connection
// it sends through could not read when that connection counts it (Conn).
// On a Shared connection only the first adapter reports the connection's
// counts, so that the guard's sum has each fault once.
func (a *Adapter) PeerFaults() adapters.PeerFaults {
	a.mu.Lock()
	f := adapters.PeerFaults{Malformed: a.protocol, Unmatched: a.unmatched}
	a.mu.Unlock()
	switch {
	case a.shared != nil:
		if a.reportsShared {
			f = f.Add(a.shared.peerFaults())
		}
	default:
		if r, ok := a.send.(adapters.PeerFaultReporter); ok {
			f = f.Add(r.PeerFaults())
		}
	}
	return f
}
