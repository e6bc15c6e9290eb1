package wsjson

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// writeWait bounds a frame write when ctx has no deadline.
const writeWait = 10 * time.Second

// Conn is a bare protocol v1 client connection for commands that have no
// feed subscriber: it sends frames and hands every ack it reads to onAck,
// with a non-nil error when the ack breaks the protocol (it still answers
// its setpoint, which must fail rather than wait). Other frames are counted
// and skipped.
type Conn struct {
	ws    *websocket.Conn
	onAck func(feeds.AckFrame, error)
	// onHello, when set, is given each hello the peer sends, decoded and
	// checked (a Link keeps the latest: PeerBounds); nil: hellos are
	// skipped as other frames are.
	onHello func(*feeds.Hello)
	log     *slog.Logger // says each frame that could not be decoded; nil: none

	wmu     sync.Mutex
	mu      sync.Mutex
	skipped int
	bad     int
	done    chan struct{}
	err     error
	// began is closed when the peer's first message begins to arrive,
	// first once it has been handled (a hello given to onHello), each
	// also when the connection ends before: protocol v1 servers send
	// their hello first, so a caller waiting for one can tell a hello
	// under way (9.3 MB for 100,000 chargers) from none coming.
	began, first chan struct{}
}

// Dial connects to a protocol v1 websocket at url. A cancelled ctx ends
// the dial at once, its handshake included (gorilla/websocket bounds the
// handshake by ctx's deadline alone).
func Dial(ctx context.Context, url string, onAck func(feeds.AckFrame, error)) (*Conn, error) {
	return DialLogged(ctx, url, onAck, nil)
}

// DialLogged is Dial with a logger that is told, as a warning, of each
// frame from the peer that could not be decoded (counted in Counts too):
// the peer's answer may have been among them, and a count alone does not
// say what the peer sent. A nil lg logs nothing.
func DialLogged(ctx context.Context, url string, onAck func(feeds.AckFrame, error), lg *slog.Logger) (*Conn, error) {
	return dial(ctx, url, onAck, nil, lg)
}

// dial is DialLogged with onHello, which is given each hello the peer
// sends (nil: hellos are skipped).
func dial(ctx context.Context, url string, onAck func(feeds.AckFrame, error), onHello func(*feeds.Hello), lg *slog.Logger) (*Conn, error) {
	ws, _, err := feeds.DialCancellable(ctx, *websocket.DefaultDialer, url)
	if err != nil {
		return nil, fmt.Errorf("wsjson: dial %s: %w", url, err)
	}
	// A hello may be up to feeds.MaxHelloBytes (a server such as v2gdesk
	// sim sends one on connecting, 9.3 MB for 100,000 chargers); read
	// checks every other frame against feeds.MaxFrameBytes.
	ws.SetReadLimit(feeds.MaxHelloBytes)
	c := &Conn{ws: ws, onAck: onAck, onHello: onHello, log: lg, done: make(chan struct{}), began: make(chan struct{}), first: make(chan struct{})}
	go c.read()
	return c, nil
}

// Send implements FrameSender.
func (c *Conn) Send(ctx context.Context, frame any) error {
	b, err := json.Marshal(frame)
	if err != nil {
		return fmt.Errorf("wsjson: encode frame: %w", err)
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(writeWait)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	select {
	case <-c.done:
		return fmt.Errorf("wsjson: connection closed: %w", c.Err())
	default:
	}
	if err := c.ws.SetWriteDeadline(deadline); err != nil {
		return fmt.Errorf("wsjson: %w", err)
	}
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		return fmt.Errorf("wsjson: write: %w", err)
	}
	return nil
}

// read hands acks to onAck until the connection ends.
func (c *Conn) read() {
	defer close(c.done)
	began, first := false, false
	defer func() {
		// Ended before its first message, or during it.
		if !began {
			close(c.began)
		}
		if !first {
			close(c.first)
		}
	}()
	for {
		// ReadMessage, with the start of the first message told apart.
		_, r, err := c.ws.NextReader()
		var msg []byte
		if err == nil {
			if !began {
				began = true
				close(c.began)
			}
			msg, err = io.ReadAll(r)
		}
		if err == nil && len(msg) > feeds.MaxFrameBytes && !isHello(msg) {
			// Over the frame limit and not a hello: end the connection as
			// the websocket read limit does (close 1009).
			_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseMessageTooBig, ""), time.Now().Add(writeWait))
			err = websocket.ErrReadLimit
		}
		if err != nil {
			c.mu.Lock()
			c.err = err
			c.mu.Unlock()
			return
		}
		c.frame(msg, true)
		if !first {
			first = true
			close(c.first)
		}
	}
}

// isHello reports whether msg is a hello frame, the one frame that may be
// over feeds.MaxFrameBytes.
func isHello(msg []byte) bool {
	var h feeds.Header
	return json.Unmarshal(msg, &h) == nil && h.Type == feeds.TypeHello
}

// frame handles one raw frame; batches are unpacked one level.
func (c *Conn) frame(raw []byte, batchOK bool) {
	var h feeds.Header
	if err := json.Unmarshal(raw, &h); err != nil {
		c.badFrame(raw, err)
		return
	}
	switch {
	case h.Type == feeds.TypeAck:
		var ack feeds.AckFrame
		if err := json.Unmarshal(raw, &ack); err != nil || ack.ID == "" {
			// An ack that names its setpoint but does not decode (an
			// applied_kw that is a string) still answers it.
			var named struct {
				ID     string          `json:"id"`
				Status feeds.AckStatus `json:"status"`
			}
			if err != nil && json.Unmarshal(raw, &named) == nil && named.ID != "" {
				c.onAck(feeds.AckFrame{Header: h, ID: named.ID, Status: named.Status}, fmt.Errorf("ack does not decode: %w", err))
				return
			}
			if err == nil {
				err = errors.New("ack without an id")
			}
			c.badFrame(raw, err)
			return
		}
		c.onAck(ack, checkAck(raw, ack))
	case h.Type == feeds.TypeHello && c.onHello != nil:
		// Checked as a desk checks its feed's (a duplicate charger, a
		// negative max_kw): the bounds it gives may refuse a setpoint.
		f, err := feeds.Decode(raw)
		if err == nil {
			err = checkTopology(f.(*feeds.Hello))
		}
		if err != nil {
			c.badFrame(raw, fmt.Errorf("hello: %w", err))
			return
		}
		c.onHello(f.(*feeds.Hello))
	case h.Type == feeds.TypeBatch && batchOK:
		var b feeds.Batch
		if err := json.Unmarshal(raw, &b); err != nil {
			c.badFrame(raw, err)
			return
		}
		for _, f := range b.Frames {
			c.frame(f, false)
		}
	default:
		c.count(&c.skipped)
	}
}

// checkAck returns what in an ack off the wire breaks protocol v1 beyond
// what decoding saw: another version's ack may mean something else by the
// same words, and applied_kw is required (an accepted or clamped ack
// without it would be journalled as holding 0 kW). Acks from the feed are
// checked by the feeds package; in-process acks are not wire frames.
func checkAck(raw []byte, ack feeds.AckFrame) error {
	if ack.V != feeds.ProtocolVersion {
		return fmt.Errorf("ack is protocol v%d, not v%d", ack.V, feeds.ProtocolVersion)
	}
	if ack.Status != feeds.AckAccepted && ack.Status != feeds.AckClamped {
		return nil // nothing applied: 0 kW is what the status says
	}
	var p struct {
		AppliedKW *json.RawMessage `json:"applied_kw"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("ack does not decode: %w", err)
	}
	if p.AppliedKW == nil {
		return fmt.Errorf("ack %s has no applied_kw, which protocol v%d requires", ack.Status, feeds.ProtocolVersion)
	}
	return nil
}

// badFrame counts a frame that could not be decoded and logs it with why
// and how it starts.
func (c *Conn) badFrame(raw []byte, err error) {
	c.count(&c.bad)
	if c.log == nil {
		return
	}
	c.log.Warn("wsjson: a frame from the peer could not be decoded; skipped (counted as malformed)",
		"err", err, "bytes", len(raw), "frame", frameStart(raw))
}

// frameStartBytes is how much of a bad frame the log quotes.
const frameStartBytes = 200

// frameStart quotes the start of raw for a log line, saying when it was cut.
func frameStart(raw []byte) string {
	if len(raw) <= frameStartBytes {
		return strconv.Quote(string(raw))
	}
	return strconv.Quote(string(raw[:frameStartBytes])) + "…"
}

func (c *Conn) count(n *int) {
	c.mu.Lock()
	*n++
	c.mu.Unlock()
}

// Counts returns how many frames were skipped (not acks) and how many could
// not be decoded.
func (c *Conn) Counts() (skipped, bad int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skipped, c.bad
}

// Done is closed when the connection has ended (Err says why): a setpoint
// still waiting for its ack then has no way to get one.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err returns why the connection ended, or nil while it is up.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close closes the connection and waits for the reader to stop.
func (c *Conn) Close() error {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	c.wmu.Unlock()
	err := c.ws.Close()
	<-c.done
	return err
}

// PeerFaults implements adapters.PeerFaultReporter: frames that could not
// be decoded. Skipped frames (telemetry on the same connection) are not
// faults.
func (c *Conn) PeerFaults() adapters.PeerFaults {
	_, bad := c.Counts()
	return adapters.PeerFaults{Malformed: bad}
}
