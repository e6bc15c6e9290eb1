package wsjson

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Defaults of LinkOptions.
const (
	DefaultMinBackoff  = 500 * time.Millisecond
	DefaultMaxBackoff  = 30 * time.Second
	DefaultDialTimeout = 5 * time.Second
)

// LinkOptions configure a Link. Zero values take the defaults.
type LinkOptions struct {
	// MinBackoff is the wait after a failed dial (or a lost connection)
	// before the next, doubled after each failure up to MaxBackoff. It is
	// also the least time between two dials that setpoints ask for.
	MinBackoff, MaxBackoff time.Duration
	// DialTimeout bounds one dial, so a peer that never answers (a
	// firewall that drops packets) does not hold the next attempt back.
	DialTimeout time.Duration
	// Logger says when the link goes down and comes back; nil: slog.Default().
	Logger *slog.Logger
	// Name names the link in the log (the adapter's name).
	Name string
	// KeepHello makes the link decode, check and keep the chargers of its
	// peer's hellos, for Announced (and so PeerBounds). Only a command
	// that bounds a setpoint by them asks for it (v2gdesk setpoint): a
	// hello may be 9.3 MB for 100,000 chargers, and a desk, whose feed
	// gives it the topology, would hold a copy it never reads. Without
	// it a hello is skipped as any other frame that is not an ack
	// (counted in Counts' skipped) and Announced fails at once with
	// ErrHelloNotKept.
	KeepHello bool
}

// ErrHelloNotKept is Announced's error on a link started without
// LinkOptions.KeepHello: it knows nothing of its peer's hellos.
var ErrHelloNotKept = errors.New("the link keeps no hello of its peer (LinkOptions.KeepHello unset)")

// Link is a protocol v1 client connection to a URL that a peer's absence
// does not end: it dials in the background, redials with backoff when a
// dial fails or the connection drops, until its context is done. While it
// is down a frame is not sent: Send fails at once (or after one dial it
// asks for, within the caller's ctx) with an error naming the URL and why
// it is down, so a setpoint fails with that reason instead of stopping the
// process that holds it. Safe for concurrent use.
type Link struct {
	url   string
	onAck func(feeds.AckFrame, error)
	opts  LinkOptions
	log   *slog.Logger

	kick   chan struct{} // a setpoint asks for a dial now
	cancel context.CancelFunc
	done   chan struct{} // closed when the dialling loop has returned

	mu      sync.Mutex
	conn    *Conn         // nil while down
	err     error         // why it is down (the last dial's error, or how the connection ended); nil while up or before the first dial ends
	since   time.Time     // when it last went up or down
	tried   time.Time     // when the last dial ended; zero: none yet
	attempt chan struct{} // closed when the next dial ends
	changed chan struct{} // closed when the link next goes up or down
	closed  bool
	ups     int // connections made
	bad     int // frames of ended connections that could not be decoded
	skipped int // frames of ended connections that were not acks
	// announced holds the chargers of the latest hello the peer sent, on
	// any connection (nil: none yet); hello is closed when the next one
	// comes.
	announced map[string]feeds.ChargerInfo
	hello     chan struct{}
}

// StartLink returns a Link to url and starts dialling it; onAck is given
// every ack read, as for Dial. It returns at once, whether or not the peer
// is there: Status and the log say how the link is. ctx ends the dialling;
// Close stops it too.
func StartLink(ctx context.Context, url string, onAck func(feeds.AckFrame, error), opts LinkOptions) *Link {
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = DefaultMinBackoff
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(DefaultMaxBackoff, opts.MinBackoff)
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = DefaultDialTimeout
	}
	lg := opts.Logger
	if lg == nil {
		lg = slog.Default()
	}
	if opts.Name != "" {
		lg = lg.With("adapter", opts.Name)
	}
	ctx, cancel := context.WithCancel(ctx)
	l := &Link{url: url, onAck: onAck, opts: opts, log: lg.With("url", url), kick: make(chan struct{}, 1),
		cancel: cancel, done: make(chan struct{}), attempt: make(chan struct{}), changed: make(chan struct{}), hello: make(chan struct{})}
	go l.run(ctx)
	return l
}

// URL returns the URL the link dials.
func (l *Link) URL() string { return l.url }

// run dials, waits for the connection to end, and dials again, until ctx
// is done.
func (l *Link) run(ctx context.Context) {
	defer close(l.done)
	defer l.stopped()
	backoff := l.opts.MinBackoff
	var onHello func(*feeds.Hello) // nil: hellos are skipped, never decoded
	if l.opts.KeepHello {
		onHello = l.heard
	}
	for {
		select { // a kick from before this dial is answered by it
		case <-l.kick:
		default:
		}
		dctx, cancel := context.WithTimeout(ctx, l.opts.DialTimeout)
		c, err := dial(dctx, l.url, l.onAck, onHello, l.log)
		cancel()
		if ctx.Err() != nil {
			if c != nil {
				c.Close()
			}
			return
		}
		l.dialed(c, err)
		if err == nil {
			backoff = l.opts.MinBackoff
			select {
			case <-c.Done():
				l.lost(c)
			case <-ctx.Done():
				l.mu.Lock()
				l.drop(c)
				l.mu.Unlock()
				c.Close()
				return
			}
		}
		if !l.pause(ctx, backoff) {
			return
		}
		backoff = min(2*backoff, l.opts.MaxBackoff)
	}
}

// dialed records the end of a dial: the connection, or why there is none.
func (l *Link) dialed(c *Conn, err error) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tried = now
	close(l.attempt)
	l.attempt = make(chan struct{})
	if err != nil {
		// Dial names the URL; the link's messages name it once, before.
		if u := errors.Unwrap(err); u != nil {
			err = u
		}
		first := l.err == nil // lost sets err: nil is before any dial ended
		if first {
			l.since = now
			l.log.Warn("wsjson: adapter down: its setpoints fail until the peer answers; redialling in the background", "err", err)
		} else {
			l.log.Debug("wsjson: redial failed", "err", err)
		}
		l.err = err
		return
	}
	if l.err != nil {
		l.log.Warn("wsjson: adapter up again", "down_since", l.since.Format(time.TimeOnly), "was", l.err)
	} else {
		l.log.Info("wsjson: adapter connected")
	}
	l.conn, l.err, l.since = c, nil, now
	l.ups++
	l.changedLocked()
}

// heard keeps the chargers of h, a hello from the peer, in place of the
// last hello's: the peer's topology as of now.
func (l *Link) heard(h *feeds.Hello) {
	m := make(map[string]feeds.ChargerInfo, len(h.Chargers))
	for _, c := range h.Chargers {
		m[c.ID] = c
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.announced = m
	close(l.hello)
	l.hello = make(chan struct{})
}

// Announced waits for the peer's hello and returns what the latest hello
// it sent, on any connection of the link, says of charger; listed is
// false when it does not list it. A protocol v1 server sends its hello
// first on every connection, so it waits, once the link is up, up to
// begin for the peer's first message to begin; a first message under way
// is read to its end, however large (within ctx). It gives up, with an
// error naming the URL and why, when no message began by then, when the
// first was not a hello (or not one that could be used: counted and
// logged as malformed), when the connection ended before one, when ctx
// ends (the link down then, or a hello still arriving), or when the link
// closed. A link started without LinkOptions.KeepHello keeps no hello:
// it fails at once with ErrHelloNotKept.
func (l *Link) Announced(ctx context.Context, charger string, begin time.Duration) (info feeds.ChargerInfo, listed bool, err error) {
	if !l.opts.KeepHello {
		return info, false, fmt.Errorf("wsjson: %s: %w", l.url, ErrHelloNotKept)
	}
	var seen *Conn
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		l.mu.Lock()
		m, closed, next, changed, c := l.announced, l.closed, l.hello, l.changed, l.conn
		down := l.downErrLocked()
		l.mu.Unlock()
		switch {
		case m != nil:
			info, listed = m[charger]
			return info, listed, nil
		case closed:
			return info, false, fmt.Errorf("wsjson: %s: the link closed before a hello: %w", l.url, adapters.ErrClosed)
		}
		// Each channel is nil, never ready, where it does not apply.
		var began, first <-chan struct{}
		var late <-chan time.Time
		if c != nil {
			if c != seen { // the begin window starts when a connection is seen up
				seen = c
				if timer != nil {
					timer.Stop()
				}
				timer = time.NewTimer(begin)
			}
			first = c.first
			select {
			case <-c.began:
			default:
				began, late = c.began, timer.C
			}
		}
		select {
		case <-next:
		case <-changed:
		case <-began:
		case <-first:
			l.mu.Lock()
			heard := l.announced != nil // told before first is closed
			l.mu.Unlock()
			if heard {
				continue
			}
			select {
			case <-c.Done():
				return info, false, fmt.Errorf("wsjson: %s: the connection ended before a hello (%v)", l.url, c.Err())
			default:
			}
			return info, false, fmt.Errorf("wsjson: %s sent no usable hello first (protocol v1 sends it first on every connection)", l.url)
		case <-late:
			return info, false, fmt.Errorf("wsjson: %s is up but sent nothing within %s, so no hello (protocol v1 sends it first on every connection)", l.url, begin)
		case <-ctx.Done():
			if c == nil {
				return info, false, fmt.Errorf("%w; no hello: %w", down, ctx.Err())
			}
			return info, false, fmt.Errorf("wsjson: %s: no hello by the end of the wait (%w)", l.url, ctx.Err())
		}
	}
}

// lost records that c, the link's connection, has ended.
func (l *Link) lost(c *Conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.err = fmt.Errorf("connection lost: %w", c.Err())
	l.since = time.Now()
	l.log.Warn("wsjson: adapter down: connection lost; its setpoints fail until it is back; redialling", "err", c.Err())
	l.drop(c)
}

// drop counts c's frames into the link's and forgets c. Callers hold l.mu.
func (l *Link) drop(c *Conn) {
	skipped, bad := c.Counts()
	l.skipped += skipped
	l.bad += bad
	if l.conn == c {
		l.conn = nil
		l.changedLocked()
	}
}

// changedLocked wakes those waiting for a change. Callers hold l.mu.
func (l *Link) changedLocked() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// pause waits d before the next dial, or less when a setpoint asks for
// one, but never less than MinBackoff after the last dial. It reports
// false when ctx is done.
func (l *Link) pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-l.kick:
	}
	l.mu.Lock()
	left := l.opts.MinBackoff - time.Since(l.tried)
	l.mu.Unlock()
	if left <= 0 {
		return true
	}
	t.Reset(left)
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// stopped marks the link closed and wakes everyone waiting on it.
func (l *Link) stopped() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	close(l.attempt)
	l.attempt = make(chan struct{})
	l.changedLocked()
}

// Send implements FrameSender.
func (l *Link) Send(ctx context.Context, frame any) error {
	_, err := l.sendOn(ctx, frame)
	return err
}

// sendOn sends frame on the connection up now and returns it, so the
// caller can tell when that connection ends. While the link is down it
// asks for a dial (unless one ended less than MinBackoff ago) and waits
// for it within ctx; if that one fails too, the error says why.
func (l *Link) sendOn(ctx context.Context, frame any) (Ender, error) {
	asked := false
	for {
		l.mu.Lock()
		c, closed, wait := l.conn, l.closed, l.attempt
		recent := !l.tried.IsZero() && time.Since(l.tried) < l.opts.MinBackoff
		down := l.downErrLocked()
		l.mu.Unlock()
		switch {
		case c != nil:
			return c, c.Send(ctx, frame)
		case closed:
			return nil, fmt.Errorf("wsjson: %s: %w", l.url, adapters.ErrClosed)
		case asked || recent:
			return nil, down
		}
		asked = true
		select {
		case l.kick <- struct{}{}:
		default:
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, fmt.Errorf("%w (stopped waiting for the redial: %w)", down, ctx.Err())
		}
	}
}

// downErrLocked is why the link is down, for a setpoint's reason. Callers
// hold l.mu.
func (l *Link) downErrLocked() error {
	if l.err == nil {
		return fmt.Errorf("wsjson: %s: not connected yet (the first dial has not ended)", l.url)
	}
	return fmt.Errorf("wsjson: %s is down since %s: %w; not sent, redialling in the background",
		l.url, l.since.Format(time.TimeOnly), l.err)
}

// LinkStatus is how a Link is.
type LinkStatus struct {
	Up    bool
	Since time.Time // when it went up or down; zero before the first dial ends
	Err   error     // why it is down; nil while up
	Ups   int       // connections made so far (more than 1: it came back)
}

// Status returns how the link is now.
func (l *Link) Status() LinkStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	return LinkStatus{Up: l.conn != nil, Since: l.since, Err: l.err, Ups: l.ups}
}

// WaitUp waits until the link is up, or ctx is done, or the link closed.
func (l *Link) WaitUp(ctx context.Context) error {
	for {
		l.mu.Lock()
		up, closed, changed, down := l.conn != nil, l.closed, l.changed, l.downErrLocked()
		l.mu.Unlock()
		switch {
		case up:
			return nil
		case closed:
			return fmt.Errorf("wsjson: %s: %w", l.url, adapters.ErrClosed)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("%w: %w", down, ctx.Err())
		}
	}
}

// WaitDown waits until the link is down, or ctx is done (for a caller
// that must see a drop before it acts on it, as tests do).
func (l *Link) WaitDown(ctx context.Context) error {
	for {
		l.mu.Lock()
		up, changed := l.conn != nil, l.changed
		l.mu.Unlock()
		if !up {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Counts returns how many frames were skipped (not acks) and how many could
// not be decoded, over every connection of the link.
func (l *Link) Counts() (skipped, bad int) {
	l.mu.Lock()
	c := l.conn
	skipped, bad = l.skipped, l.bad
	l.mu.Unlock()
	if c != nil {
		s, b := c.Counts()
		skipped, bad = skipped+s, bad+b
	}
	return skipped, bad
}

// PeerFaults implements adapters.PeerFaultReporter: frames that could not
// be decoded, over every connection of the link.
func (l *Link) PeerFaults() adapters.PeerFaults {
	_, bad := l.Counts()
	return adapters.PeerFaults{Malformed: bad}
}

// Close stops the dialling and closes the connection, if one is up.
func (l *Link) Close() error {
	l.cancel()
	<-l.done
	return nil
}

// LinkAdapter is an Adapter sending through its own Link (an adapter with
// settings.url): beside Apply, it can wait for the link to be up, and it
// says how the link is.
type LinkAdapter struct {
	*Adapter
	link *Link
}

// NewLinked returns an adapter that sends through a Link started with
// StartLink(ctx, url, a.HandleAckErr, opts): its acks go to the adapter.
func NewLinked(ctx context.Context, url string, opts LinkOptions) *LinkAdapter {
	ad := New(nil)
	l := StartLink(ctx, url, ad.HandleAckErr, opts)
	ad.send = l // read only by Apply, which comes after this returns
	return &LinkAdapter{Adapter: ad, link: l}
}

// Link returns the adapter's link.
func (a *LinkAdapter) Link() *Link { return a.link }

// WaitConnected implements adapters.ConnectWaiter: every charger of the
// adapter is reached through its one link, so it waits for the link.
func (a *LinkAdapter) WaitConnected(ctx context.Context, _ string) error { return a.link.WaitUp(ctx) }

// PeerBounds implements adapters.PeerBounder: the charger as the latest
// hello of the link's peer announces it (Link.Announced; the link must
// have been started with LinkOptions.KeepHello).
func (a *LinkAdapter) PeerBounds(ctx context.Context, charger string, begin time.Duration) (feeds.ChargerInfo, bool, error) {
	return a.link.Announced(ctx, charger, begin)
}
