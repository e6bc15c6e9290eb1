package feeds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// ErrNotConnected is returned by Subscriber.Send while there is no connection.
var ErrNotConnected = errors.New("feeds: not connected to the feed")

// ErrGaveUp is wrapped by the error Subscriber.Run returns after
// SubscriberOptions.MaxAttempts failures in a row.
var ErrGaveUp = errors.New("gave up connecting")

// ErrFeedEnded is matched (errors.Is) by the error of a *FeedEndError.
var ErrFeedEnded = errors.New("the feed has ended")

// FeedEndError is how a server closed a connection with a normal closure
// (websocket close code 1000, RFC 6455 §7.4.1), and what the Subscriber
// made of it. On a feed whose hello declared mode "simulation" or "replay"
// it is the end of the stream (Simulated is true): the Subscriber reports
// LinkEvent{End: true} and Run returns nil. On any other feed it is a lost
// link like any other (a live feed has no end, and a desk must not go
// quiet because a server said goodbye politely): it is the LinkEvent's Err
// and the Subscriber reconnects.
type FeedEndError struct {
	Code      int    // the close code: websocket.CloseNormalClosure
	Reason    string // the server's reason, such as "scenario ended"; may be empty
	Simulated bool   // the connection's hello declared a simulation or a replay
}

// Error implements error.
func (e *FeedEndError) Error() string {
	reason := ""
	if e.Reason != "" {
		reason = fmt.Sprintf(" %q", e.Reason)
	}
	if e.Simulated {
		return fmt.Sprintf("the server ended the feed (close %d%s)", e.Code, reason)
	}
	return fmt.Sprintf("the server closed a live feed normally (close %d%s); a live feed has no end", e.Code, reason)
}

// Unwrap lets errors.Is match ErrFeedEnded.
func (e *FeedEndError) Unwrap() error { return ErrFeedEnded }

// gaveUp is Run's error after MaxAttempts failures: its message is the last
// failure, and it matches both ErrGaveUp and that failure with errors.Is.
type gaveUp struct {
	msg string
	err error
}

// Error implements error.
func (e *gaveUp) Error() string { return e.msg }

// Unwrap lets errors.Is match ErrGaveUp and the last failure.
func (e *gaveUp) Unwrap() []error { return []error{ErrGaveUp, e.err} }

// Defaults for SubscriberOptions.
const (
	DefaultMinBackoff       = 250 * time.Millisecond
	DefaultMaxBackoff       = 30 * time.Second
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultReadTimeout      = 30 * time.Second
	DefaultPingInterval     = 10 * time.Second
	DefaultWriteTimeout     = 10 * time.Second
)

// SubscriberOptions configures a Subscriber. The zero value is usable.
type SubscriberOptions struct {
	// Feeders, when set, asks the server for these feeders only.
	Feeders []string
	// MinBackoff and MaxBackoff bound the wait between connection attempts:
	// MinBackoff doubled per consecutive failure, capped at MaxBackoff, of
	// which a random half is taken off (jitter) so many desks restarting
	// together do not reconnect in step.
	MinBackoff, MaxBackoff time.Duration
	// MaxAttempts gives up after this many failures in a row (Run returns
	// an error wrapping ErrGaveUp and the last failure); 0 retries for
	// ever. A failure is a connection attempt that fails, or a connection
	// that drops within MaxBackoff of being made. `v2gdesk status` uses 1.
	MaxAttempts int
	// Dialer dials the websocket; default a copy of websocket.DefaultDialer.
	Dialer *websocket.Dialer
	// HandshakeTimeout bounds connecting plus the websocket handshake.
	HandshakeTimeout time.Duration
	// ReadTimeout is how long the connection may stay silent (no message,
	// no pong) before it is considered dead and replaced.
	ReadTimeout time.Duration
	// PingInterval is how often a ping is sent; it must be shorter than
	// ReadTimeout (it is clamped to a third of it otherwise).
	PingInterval time.Duration
	// Rand drives the backoff jitter; tests inject a seeded one. It is
	// used only by Run's goroutine.
	Rand *rand.Rand
	// Clock stamps LinkEvents (default time.Now).
	Clock func() time.Time
	// Logger receives connection changes; default: discard.
	Logger *slog.Logger
}

// Subscriber is the websocket Source: it connects to a protocol v1 feed,
// subscribes, hands every message to the Sink, and reconnects with capped
// exponential backoff when the link fails. After a reconnect the server's
// hello resynchronises the Fleet.
//
// How a connection ends decides what the Sink is told. A simulated or
// replayed feed (its hello says mode "simulation" or "replay") that the
// server closes with a normal closure (1000), as `v2gdesk sim` does at the
// end of its day, has ended: the Sink gets LinkEvent{End: true} and Run
// returns nil without reconnecting (a restarted simulator starts its day
// over, earlier than what the Sink holds, so it is a new session for a new
// desk). Any other close code, a normal closure of a live feed, a dropped
// connection or a silent one is a lost link: LinkEvent.Err says why and
// the Subscriber reconnects. FeedEndError describes a normal closure.
type Subscriber struct {
	url string
	opt SubscriberOptions

	mu   sync.Mutex // guards conn and serialises writes (gorilla allows one writer)
	conn *websocket.Conn

	reconnects atomic.Uint64
}

// NewSubscriber returns a Subscriber for the feed at url (ws:// or wss://).
func NewSubscriber(url string, opt SubscriberOptions) *Subscriber {
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = DefaultMinBackoff
	}
	if opt.MaxBackoff < opt.MinBackoff {
		opt.MaxBackoff = max(DefaultMaxBackoff, opt.MinBackoff)
	}
	if opt.HandshakeTimeout <= 0 {
		opt.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if opt.ReadTimeout <= 0 {
		opt.ReadTimeout = DefaultReadTimeout
	}
	if opt.PingInterval <= 0 {
		opt.PingInterval = DefaultPingInterval
	}
	if opt.PingInterval >= opt.ReadTimeout {
		opt.PingInterval = opt.ReadTimeout / 3
	}
	if opt.Dialer == nil {
		d := *websocket.DefaultDialer
		opt.Dialer = &d
	}
	if opt.Rand == nil {
		opt.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Subscriber{url: url, opt: opt}
}

// URL returns the feed's address.
func (s *Subscriber) URL() string { return s.url }

// Reconnects returns how many times a connection was re-established after
// the first.
func (s *Subscriber) Reconnects() uint64 { return s.reconnects.Load() }

// Run implements Source. It returns nil when a simulated or replayed feed
// has ended (see Subscriber), ctx.Err() when cancelled, or an error
// wrapping ErrGaveUp after MaxAttempts failed attempts in a row.
func (s *Subscriber) Run(ctx context.Context, sink Sink) error {
	failures := 0
	everUp := false
	for {
		conn, err := s.dial(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			failures++
			s.opt.Logger.Warn("feed unreachable", "url", s.url, "attempt", failures, "err", err)
			sink.HandleLink(LinkEvent{At: s.opt.Clock(), Err: err})
			if s.opt.MaxAttempts > 0 && failures >= s.opt.MaxAttempts {
				return &gaveUp{msg: fmt.Sprintf("cannot reach %s: %v", s.url, err), err: err}
			}
			if err := s.wait(ctx, failures); err != nil {
				return err
			}
			continue
		}
		if everUp {
			s.reconnects.Add(1)
		}
		everUp = true
		up := time.Now()
		s.opt.Logger.Info("feed connected", "url", s.url)
		sink.HandleLink(LinkEvent{Up: true, At: s.opt.Clock()})

		err = s.serve(ctx, conn, sink)

		s.mu.Lock()
		s.conn = nil
		s.mu.Unlock()
		conn.Close()
		if ctx.Err() != nil {
			sink.HandleLink(LinkEvent{At: s.opt.Clock()})
			return ctx.Err()
		}
		if end, ok := errors.AsType[*FeedEndError](err); ok && end.Simulated {
			s.opt.Logger.Info("feed ended", "url", s.url, "code", end.Code, "reason", end.Reason)
			sink.HandleLink(LinkEvent{At: s.opt.Clock(), End: true})
			return nil
		}
		s.opt.Logger.Warn("feed connection lost", "url", s.url, "err", err)
		sink.HandleLink(LinkEvent{At: s.opt.Clock(), Err: err})
		// A connection that lasted resets the backoff; one that dies at
		// once keeps growing it, so a server that accepts and drops is not
		// hammered.
		if time.Since(up) > s.opt.MaxBackoff {
			failures = 0
		}
		failures++
		if s.opt.MaxAttempts > 0 && failures > s.opt.MaxAttempts {
			return &gaveUp{msg: fmt.Sprintf("feed %s lost: %v", s.url, err), err: err}
		}
		if err := s.wait(ctx, failures); err != nil {
			return err
		}
	}
}

// backoff is the wait before attempt n+1 after n consecutive failures.
func (s *Subscriber) backoff(n int) time.Duration {
	d := s.opt.MinBackoff
	for i := 1; i < n && d < s.opt.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.opt.MaxBackoff)
	half := d / 2
	return half + time.Duration(s.opt.Rand.Int64N(int64(half)+1))
}

func (s *Subscriber) wait(ctx context.Context, failures int) error {
	t := time.NewTimer(s.backoff(failures))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// dial connects and sends the subscribe frame.
func (s *Subscriber) dial(ctx context.Context) (*websocket.Conn, error) {
	d := *s.opt.Dialer
	d.HandshakeTimeout = s.opt.HandshakeTimeout
	conn, resp, err := dialCancellable(ctx, d, s.url)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("%w (HTTP %s)", err, resp.Status)
		}
		if strings.Contains(err.Error(), `malformed HTTP response "SSH-`) {
			// An on-call engineer who points a feed URL at the desk they
			// log in to (v2gdesk serve's --ssh port) read only "malformed
			// HTTP response", which says nothing about what to give instead.
			return nil, fmt.Errorf("it speaks SSH, not a telemetry feed: a desk's --ssh port? Give the feed's ws:// URL, as serve's --feed (%w)", err)
		}
		return nil, err
	}
	sub := Subscribe{Header: NewHeader(TypeSubscribe), Feeders: s.opt.Feeders}
	conn.SetWriteDeadline(time.Now().Add(s.opt.HandshakeTimeout))
	if err := conn.WriteJSON(sub); err != nil {
		conn.Close()
		return nil, fmt.Errorf("send subscribe: %w", err)
	}
	s.mu.Lock()
	s.conn = conn
	s.mu.Unlock()
	return conn, nil
}

// serve reads messages until the connection ends or ctx is done. A normal
// closure by the server is a *FeedEndError, Simulated when the
// connection's latest hello declared a simulation or a replay.
func (s *Subscriber) serve(ctx context.Context, conn *websocket.Conn, sink Sink) error {
	extend := func() { conn.SetReadDeadline(time.Now().Add(s.opt.ReadTimeout)) }
	extend()
	conn.SetPongHandler(func(string) error { extend(); return nil })

	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(s.opt.PingInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				conn.Close() // unblocks the read below
				return
			case <-t.C:
				// WriteControl may run concurrently with other writes.
				if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(s.opt.ReadTimeout)); err != nil {
					conn.Close()
					return
				}
			}
		}
	}()

	var buf bytes.Buffer
	simulated := false
	for {
		_, r, err := conn.NextReader()
		if err != nil {
			if ce, ok := errors.AsType[*websocket.CloseError](err); ok && ce.Code == websocket.CloseNormalClosure {
				return &FeedEndError{Code: ce.Code, Reason: ce.Text, Simulated: simulated}
			}
			return fmt.Errorf("read: %w", err)
		}
		extend()
		buf.Reset()
		// Read at most one byte past the hello limit (the largest message
		// a frame may be): an oversize message is handed over truncated
		// (Decode rejects it as too_large, as it does a message over
		// MaxFrameBytes that is not a hello) and the rest discarded, so the
		// connection survives it.
		if _, err := buf.ReadFrom(io.LimitReader(r, MaxHelloBytes+1)); err != nil {
			return fmt.Errorf("read: %w", err)
		}
		if buf.Len() > MaxHelloBytes {
			if _, err := io.Copy(io.Discard, r); err != nil {
				return fmt.Errorf("read oversize message: %w", err)
			}
		}
		if mode, ok := helloMode(buf.Bytes()); ok {
			simulated = mode.ownClock()
		}
		sink.HandleFrame(buf.Bytes())
		if buf.Cap() > 2*MaxFrameBytes {
			// A large hello comes once per connection: do not hold its
			// buffer for the ordinary frames that follow.
			buf = bytes.Buffer{}
		}
	}
}

// helloMode returns the mode a hello declares ("" when it declares none);
// ok is false when msg is not a hello, a batch holding one included. Only
// messages holding the bytes "hello" are looked into, so a hello whose type
// is spelt with escapes counts as declaring none. Either way the feed counts
// as live, the safe side: a normal closure of it is a lost link.
func helloMode(msg []byte) (mode Mode, ok bool) {
	if !bytes.Contains(msg, helloMark) {
		return "", false
	}
	typ, m, ok := peekMember(msg, "mode")
	if !ok || typ != TypeHello {
		return "", false
	}
	return ModeOf(string(m)), true
}

// Send writes one client frame (a *SetpointFrame, usually) on the current
// connection. It returns ErrNotConnected while the link is down. The write
// is bounded by ctx's deadline, or DefaultWriteTimeout without one.
func (s *Subscriber) Send(ctx context.Context, frame any) error {
	b, err := json.Marshal(frame)
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return ErrNotConnected
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(DefaultWriteTimeout)
	}
	s.conn.SetWriteDeadline(dl)
	if err := s.conn.WriteMessage(websocket.TextMessage, b); err != nil {
		return fmt.Errorf("send to %s: %w", s.url, err)
	}
	return nil
}
