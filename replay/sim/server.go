package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// The close frames (RFC 6455 §7.4) with which a Server ends its
// connections. When the scenario day is over it closes each one with a
// normal closure (1000) and DayEndReason, after the day's last frames: the
// stream has ended, and a desk shows the scenario ended rather than a lost
// link. When it is stopped before that (Run's ctx is done) it says it is
// going away (1001) with StopReason: the day was cut short, which a desk
// treats as a lost link.
const (
	DayEndReason = "scenario ended"
	StopReason   = "simulator stopped"
)

// servedPaths are the paths the Server answers websocket upgrades on; both
// serve protocol v1.
var servedPaths = [...]string{"/", "/v1"}

// ServerOptions configure a Server. Zero values take the defaults.
type ServerOptions struct {
	Logger *slog.Logger
	// QueueLen and QueueBytes bound the messages waiting for one client
	// (default 256 and DefaultQueueBytes): beyond either the client is
	// behind, and the telemetry for it is conflated (the latest frame of
	// each charger) until its writer has caught up with the queue.
	QueueLen   int
	QueueBytes int
	// MaxQueueBytes bounds what may wait for one client at all (default
	// DefaultMaxQueueBytes): messages that cannot be conflated (hellos,
	// signals, acks) queue up to it, and a client past it is dropped.
	MaxQueueBytes int
	// WriteTimeout bounds one websocket write (default 10s).
	WriteTimeout time.Duration
}

// The default bounds of a client's queue: two steps of 100,000 EVs
// before its telemetry is conflated, and room for two joins' hellos and
// states and a conflated set before it is dropped.
const (
	DefaultQueueBytes    = 8 << 20
	DefaultMaxQueueBytes = 128 << 20
)

// ServerStats counts what a Server did.
type ServerStats struct {
	Clients     int    // connected now
	Connections uint64 // accepted so far
	// Behind counts the clients connected now whose telemetry is being
	// conflated: they fell behind and get each charger's latest frame.
	Behind int
	// Conflated counts the frames never sent to a client that fell behind
	// because a newer frame of the same charger replaced them; Sets the
	// conflated sets sent in their place (docs/protocol.md, Conflated).
	Conflated, Sets uint64
	Dropped         uint64 // clients disconnected with over MaxQueueBytes queued
	BadFrames       uint64 // client frames that were not a valid subscribe or setpoint
	Setpoints       uint64 // setpoint frames answered
}

// Server serves a Sim over websocket (telemetry protocol v1): each client
// gets the hello at once, and after its subscribe the hello again, the
// current state and then the stream, restricted to the feeders it asked for. Setpoint frames are
// applied to the Sim and answered with an ack to that client. A client frame
// that is not a valid subscribe or setpoint is counted and answered with a
// rejected ack whose reason says what was wrong; the connection stays up.
// A client too slow to keep up gets each charger's latest frame instead of
// every frame (outbox), counted and said on the wire; it never slows the
// simulation.
type Server struct {
	sim      *Sim
	log      *slog.Logger
	opts     ServerOptions
	upgrader websocket.Upgrader
	feederOf map[string]string // charger -> feeder
	limits   boxLimits
	counts   conflationCounts

	mu      sync.Mutex
	clients map[*client]struct{}
	stats   ServerStats
	// over is how the server closes connections once Run has ended: every
	// client then, and any that connects later, after the hello and the
	// final state. Nil while the simulation runs.
	over *closing
	// catching is the begin signal of the catch-up being fanned out (a
	// seek's delivery), nil otherwise: a client that subscribes meanwhile
	// gets it after its state, or it would get the rest of the span and
	// the end without the begin.
	catching []byte
	// restarting is set by a restart's reset (HandleLink) until its hello
	// is fanned out: that hello, stamped before the data the clients hold,
	// is what tells a desk on the feed that the day starts over.
	restarting bool
	// pausing is the latest pause signal fanned out while the simulation
	// is paused, nil while it runs: a client that subscribes meanwhile
	// gets it after its state, or it would take the silence for a
	// failing feed until the resume.
	pausing []byte
	// clocking is the latest clock signal fanned out (the simulation's
	// speed): a client that subscribes gets it after its state, since
	// the simulation says its speed only when it changes.
	clocking []byte
}

// closing is the close frame a client's writer sends after its queue.
type closing struct {
	code   int
	reason string
}

type client struct {
	conn       *websocket.Conn
	out        *outbox
	subscribed bool
	filter     map[string]bool // nil: every feeder
	closed     bool
	// end, set before out is closed, is the close frame the writer sends
	// once the queue is written; nil: the connection is dropped as it is.
	end  *closing
	done chan struct{} // closed when the writer has returned
}

// NewServer returns a Server for s. Call Run to drive the simulation and
// serve it with ServeHTTP.
func NewServer(s *Sim, opts ServerOptions) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.QueueLen <= 0 {
		opts.QueueLen = 256
	}
	if opts.QueueBytes <= 0 {
		opts.QueueBytes = DefaultQueueBytes
	}
	if opts.MaxQueueBytes <= 0 {
		opts.MaxQueueBytes = DefaultMaxQueueBytes
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = 10 * time.Second
	}
	srv := &Server{sim: s, log: opts.Logger, opts: opts, clients: map[*client]struct{}{}, feederOf: map[string]string{}}
	ids := make([]string, len(s.evs))
	for i, e := range s.evs {
		srv.feederOf[e.id] = s.sc.Feeders[e.feeder].ID
		ids[i] = e.id
	}
	srv.limits = boxLimits{queueLen: opts.QueueLen, queueBytes: opts.QueueBytes, maxBytes: opts.MaxQueueBytes, chargers: newChargerIndex(ids)}
	// The default origin check is kept on purpose: a browser page on another
	// site must not be able to send setpoints to a desk's simulator.
	srv.upgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 64 << 10}
	return srv
}

// Run runs the simulation, fanning its frames out to the clients, until the
// day ends (nil) or ctx is done (ctx.Err()). Then it closes every client
// connection once the frames queued for it are written: with a normal
// closure (1000) and DayEndReason at the end of the day, else going away
// (1001) with StopReason. It returns when every close frame is written, or
// its write has failed or timed out (ServerOptions.WriteTimeout), so a
// process may exit as soon as Run returns. A client that connects after
// the day has ended gets the hello, the final state and the same close.
func (srv *Server) Run(ctx context.Context) error {
	err := srv.sim.Run(ctx, srv)
	end := &closing{code: websocket.CloseNormalClosure, reason: DayEndReason}
	if err != nil {
		end = &closing{code: websocket.CloseGoingAway, reason: StopReason}
	}
	srv.mu.Lock()
	srv.over = end
	var writers []chan struct{}
	for c := range srv.clients {
		c.end = end
		writers = append(writers, c.done)
		srv.removeLocked(c)
	}
	srv.mu.Unlock()
	for _, done := range writers {
		<-done
	}
	return err
}

// Stats returns the counters so far.
func (srv *Server) Stats() ServerStats {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	st := srv.stats
	st.Clients = len(srv.clients)
	for c := range srv.clients {
		if c.out.behind() {
			st.Behind++
		}
	}
	st.Conflated, st.Sets = srv.counts.replaced.Load(), srv.counts.sets.Load()
	return st
}

// ServeHTTP upgrades requests on / and /v1 to websocket connections and
// answers 404 elsewhere.
func (srv *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ok := false
	for _, p := range servedPaths {
		ok = ok || r.URL.Path == p
	}
	if !ok {
		http.Error(w, "v2gdesk sim: telemetry protocol v1 is served on / and /v1", http.StatusNotFound)
		return
	}
	conn, err := srv.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered the request
	}
	conn.SetReadLimit(feeds.MaxFrameBytes)
	c := &client{conn: conn, out: newOutbox(srv.limits, &srv.counts), done: make(chan struct{})}
	// The hello is made before taking srv.mu: it copies every charger
	// (9.3 MB at 100,000), and fanning out to other clients need not wait.
	hello := srv.sim.Hello()
	srv.mu.Lock()
	srv.clients[c] = struct{}{}
	srv.stats.Connections++
	srv.enqueueLocked(c, hello)
	if srv.over != nil {
		// The day is over: the final state, then the close that says so.
		for _, b := range srv.sim.StateFrames() {
			srv.enqueueLocked(c, b)
		}
		c.end = srv.over
		srv.removeLocked(c)
	}
	srv.mu.Unlock()
	srv.log.Info("sim: client connected", "remote", r.RemoteAddr)

	go srv.writer(c)
	for {
		mt, data, err := conn.ReadMessage()
		if err != nil {
			break
		}
		if mt != websocket.TextMessage {
			srv.bad(c, "", "binary message: protocol v1 frames are JSON text")
			continue
		}
		srv.handle(c, data)
	}
	srv.mu.Lock()
	srv.removeLocked(c)
	srv.mu.Unlock()
	conn.Close()
	srv.log.Info("sim: client disconnected", "remote", r.RemoteAddr)
}

// writer writes what c is owed (its outbox) to its connection until the
// box is closed and written, then the close frame c.end if there is one.
func (srv *Server) writer(c *client) {
	defer close(c.done)
	for {
		msg, ok := c.out.next()
		if !ok {
			break
		}
		c.conn.SetWriteDeadline(time.Now().Add(srv.opts.WriteTimeout))
		if err := c.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
			c.conn.Close() // the reader sees the error and removes the client
			c.out.discard()
			return
		}
	}
	// c.end was set before the box was closed, which ended the loop.
	if c.end == nil {
		return
	}
	dl := time.Now().Add(srv.opts.WriteTimeout)
	if err := c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(c.end.code, c.end.reason), dl); err != nil {
		c.conn.Close()
		return
	}
	// The client answers with its own close frame, which ends the reader;
	// one that does not is given up on after the write timeout.
	c.conn.SetReadDeadline(dl)
}

func (srv *Server) removeLocked(c *client) {
	if c.closed {
		return
	}
	c.closed = true
	delete(srv.clients, c)
	c.out.close()
}

// enqueueLocked gives msg to c's outbox, which queues it or, when c is
// behind, conflates it; a client with over MaxQueueBytes owed is dropped.
func (srv *Server) enqueueLocked(c *client, msg []byte) {
	if c.closed || c.out.put(msg) {
		return
	}
	srv.stats.Dropped++
	remote := ""
	if c.conn != nil {
		remote = c.conn.RemoteAddr().String()
		c.conn.Close()
	}
	srv.log.Warn("sim: dropping a client with too much queued", "remote", remote, "max_queue_bytes", srv.opts.MaxQueueBytes)
	c.out.discard()
	srv.removeLocked(c)
}

// handle answers one client frame. It is checked by the protocol's rules
// (feeds.Decode), as a desk checks the server's frames, so a rejection
// names the rule and the field ("out_of_range: setpoint \"sp-1\": kw
// 1e+300 is beyond ±1e+09").
func (srv *Server) handle(c *client, data []byte) {
	f, err := feeds.Decode(data)
	if err != nil {
		// The id, when it can be read, lets the client match the answer.
		var h struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(data, &h)
		srv.bad(c, h.ID, err.Error())
		return
	}
	switch f := f.(type) {
	case *feeds.Subscribe:
		srv.subscribe(c, *f)
	case *feeds.SetpointFrame:
		ack := srv.sim.ApplySetpoint(*f)
		b, _ := json.Marshal(ack)
		srv.mu.Lock()
		srv.stats.Setpoints++
		srv.enqueueLocked(c, b)
		srv.mu.Unlock()
	default:
		srv.bad(c, "", fmt.Sprintf("frame type %q is not accepted from a client: send subscribe or setpoint", f.FrameType()))
	}
}

func (srv *Server) subscribe(c *client, sub feeds.Subscribe) {
	var filter map[string]bool
	if len(sub.Feeders) > 0 {
		filter = map[string]bool{}
		known := map[string]bool{}
		for _, f := range srv.sim.sc.Feeders {
			known[f.ID] = true
		}
		var unknown []string
		for _, f := range sub.Feeders {
			if !known[f] {
				unknown = append(unknown, f)
			}
			filter[f] = true
		}
		if len(unknown) > 0 {
			srv.bad(c, "", "subscribe: unknown feeders "+strings.Join(unknown, ", "))
			return
		}
	}
	hello := srv.sim.Hello() // outside srv.mu, as in ServeHTTP
	srv.mu.Lock()
	defer srv.mu.Unlock()
	c.filter, c.subscribed = filter, true
	// protocol v1: the server answers subscribe with a hello (the one sent
	// on connecting serves clients that wait for it before subscribing),
	// then the whole state as of now, so a desk started mid-day shows every
	// feeder and charger at once rather than after the next step. The
	// state is taken under srv.mu, which HandleFrame holds to fan a step
	// out: the client gets either the step or a state that includes it.
	srv.enqueueLocked(c, hello)
	for _, b := range srv.sim.StateFrames() {
		if msg := srv.filtered(b, filter); msg != nil {
			srv.enqueueLocked(c, msg)
		}
	}
	if srv.catching != nil {
		srv.enqueueLocked(c, srv.catching)
	}
	if srv.pausing != nil {
		srv.enqueueLocked(c, srv.pausing)
	}
	if srv.clocking != nil {
		srv.enqueueLocked(c, srv.clocking)
	}
}

// bad counts a bad client frame and answers it with a rejected ack.
func (srv *Server) bad(c *client, id, reason string) {
	ack := feeds.AckFrame{Header: feeds.NewHeader(feeds.TypeAck), ID: id, Status: feeds.AckRejected, Reason: reason}
	b, _ := json.Marshal(ack)
	srv.mu.Lock()
	srv.stats.BadFrames++
	srv.enqueueLocked(c, b)
	srv.mu.Unlock()
}

// HandleFrame implements feeds.Sink: it fans a simulator message out to the
// subscribed clients. The simulator's hello is forwarded only after a
// restart (Sim.Restart): its topology never changes and every client got
// it on connecting, but a restart's hello, stamped at the new start, is how
// a desk on the feed learns that the day starts over.
func (srv *Server) HandleFrame(raw []byte) {
	srv.keep(append([]byte(nil), raw...))
}

// keep is HandleFrame for a message nobody writes again, which the clients'
// queues take as it is: the Sim's own (see handOver). At 100,000 EVs and
// 600x the copy was 44 MB a second.
func (srv *Server) keep(all []byte) {
	hello := bytes.HasPrefix(all, []byte(`{"v":1,"type":"hello"`))
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if hello {
		if !srv.restarting {
			return
		}
		srv.restarting = false
		for c := range srv.clients {
			if c.subscribed {
				srv.enqueueLocked(c, all) // the whole topology, as on subscribing
			}
		}
		return
	}
	if bytes.HasPrefix(all, []byte(pauseHead)) {
		srv.pausing = nil
		if !bytes.Contains(all, []byte(pauseResumed)) {
			srv.pausing = all
		}
	}
	if bytes.HasPrefix(all, []byte(clockHead)) {
		srv.clocking = all // the speed now, for the clients that subscribe later
	}
	if bytes.HasPrefix(all, []byte(catchUpHead)) {
		srv.catching = nil
		if !bytes.Contains(all, []byte(catchUpDone)) {
			srv.catching = all
		}
	}
	cache := map[string][]byte{}
	for c := range srv.clients {
		if !c.subscribed {
			continue
		}
		msg := all
		if c.filter != nil {
			key := filterKey(c.filter)
			var ok bool
			if msg, ok = cache[key]; !ok {
				msg = srv.filtered(all, c.filter)
				cache[key] = msg
			}
		}
		if msg != nil {
			srv.enqueueLocked(c, msg)
		}
	}
}

// HandleLink implements feeds.Sink. The simulator's link is the server's
// own, but a reset (a restart) makes the server forward the hello that
// follows, and ends any catch-up being fanned out: the new day has none.
func (srv *Server) HandleLink(ev feeds.LinkEvent) {
	if !ev.Reset {
		return
	}
	srv.mu.Lock()
	srv.restarting, srv.catching, srv.pausing = true, nil, nil
	srv.mu.Unlock()
}

func filterKey(f map[string]bool) string {
	ids := make([]string, 0, len(f))
	for id := range f {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return strings.Join(ids, "\x00")
}

// filtered returns the batch raw with only the frames of feeders in filter
// (all when filter is nil), or nil when none remain and it carries no
// catch_up signal.
func (srv *Server) filtered(raw []byte, filter map[string]bool) []byte {
	if filter == nil {
		return raw
	}
	var b feeds.Batch
	if err := json.Unmarshal(raw, &b); err != nil || b.Type != feeds.TypeBatch {
		return raw
	}
	keep := b.Frames[:0]
	for _, m := range b.Frames {
		var f struct {
			Type feeds.FrameType `json:"type"`
			ID   string          `json:"id"`
		}
		if json.Unmarshal(m, &f) != nil {
			continue
		}
		feeder := f.ID
		if f.Type == feeds.TypeCharger {
			feeder = srv.feederOf[f.ID]
		}
		if filter[feeder] {
			keep = append(keep, m)
		}
	}
	if len(keep) == 0 && b.CatchUp == nil && b.Pause == nil && b.Restart == nil && b.Clock == nil {
		return nil // a catch_up, pause, restart or clock signal goes to every client, frames or not
	}
	b.Frames = keep
	out, err := json.Marshal(b)
	if err != nil {
		return nil
	}
	return out
}
