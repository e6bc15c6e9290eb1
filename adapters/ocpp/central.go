package ocpp

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/lorenzodonini/ocpp-go/ocpp"
	ocpp16 "github.com/lorenzodonini/ocpp-go/ocpp1.6"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/core"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/firmware"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/localauth"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/remotetrigger"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/reservation"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/smartcharging"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/types"
	"github.com/lorenzodonini/ocpp-go/ocppj"
	"github.com/lorenzodonini/ocpp-go/ws"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// ListenPath is the websocket path charge points connect to; the last
// element is their identity.
const ListenPath = "/ocpp/{ws}"

// CentralSystem is an OCPP 1.6J central system for a set of configured
// chargers. It implements adapters.Adapter, adapters.Releaser,
// adapters.ConnectWaiter and feeds.Source. Safe for concurrent use.
type CentralSystem struct {
	set      Settings
	log      *slog.Logger
	now      func() time.Time
	chargers map[string]Charger // by charger id
	byConn   map[string]string  // identity#connector -> charger id
	ids      map[string]bool    // configured identities

	server *ws.Server
	cs     ocpp16.CentralSystem
	port   int

	mu       sync.Mutex
	stations map[string]*station // by identity
	changed  chan struct{}       // closed and replaced on every connect/disconnect
	nextTx   int
	sink     feeds.Sink
	counts   Counts
	// inflight are the profiles Apply is waiting on, by pointer (ocpp-go
	// keeps the request it was given): whether each went out yet, and
	// where Apply hears that its answer could not be read. A profile
	// whose Apply returned timeout stays (until its validity ends), so an
	// answer that comes later is journalled as late_result.
	inflight map[*types.ChargingProfile]*inflight
	// calls are the same profiles once sent, by identity and OCPP message
	// id (callKey): how an answer is traced back to its setpoint.
	calls map[string]*inflight
	// releases are the ClearChargingProfile calls Release is waiting on,
	// by their request (ocpp-go keeps the request it was given).
	releases map[*smartcharging.ClearChargingProfileRequest]*release
	// releaseCalls are the releases once sent, by callKey.
	releaseCalls map[string]*release
	// late is where answers that come after Apply or Release returned are
	// journalled (the Guard); nil: they are only counted and logged.
	late adapters.LateSink
	// admitting holds, by identity, the connection admit is deciding on
	// or has admitted and ocpp-go has not yet registered (claim): another
	// connection of the identity meanwhile is refused with a word rather
	// than left to ocpp-go, which would refuse one of the two silently.
	admitting map[string]*admission
	// replaceWait bounds how long a new connection waits for the earlier
	// link of its identity to close (defaultReplaceWait).
	replaceWait time.Duration
	// closingLinks are the earlier links replaceEarlierLink asked ocpp-go
	// to close and ocpp-go has not yet reported gone: Close waits for them
	// (awaitClosingLinks).
	closingLinks map[any]bool
	// closing is closed by Close: a connection waiting in admit stops
	// waiting, so ocpp-go's shutdown (which waits for it) is not held up.
	closing   chan struct{}
	closeOnce sync.Once
	// queues are ocpp-go's request queues, watched to tell when its
	// dispatcher has let a closed connection go (watchedQueues).
	queues *watchedQueues
}

// Counts are what the central system skipped or could not forward.
type Counts struct {
	UnknownStations int // connections or messages from identities not configured
	// WrongAddress counts connections refused because they arrived on an
	// address other than the host part of Settings.Listen.
	WrongAddress int
	Unforwarded  int // telemetry frames produced while no sink was attached
	BadValues    int // meter values that could not be read
	// BadMessages counts messages from charge points that OCPP could not
	// parse or that broke the schema (a malformed answer to our request
	// among them); each is logged with the charge point and the error.
	BadMessages int
	// UnmatchedAnswers counts answers (CALLRESULT or CALLERROR) to no
	// request of ours that is pending: a second answer to one call, or an
	// answer sent after a reconnect to a call of the old connection (a
	// setpoint then journalled as timeout). ocpp-go drops them; each is
	// logged with the charge point and the message.
	UnmatchedAnswers int
	// UnsupportedProtocol counts connections that offered no websocket
	// subprotocol the central system speaks (an ocpp2.0.1-only charge
	// point): ocpp-go closes them (1002) at once; each is logged.
	UnsupportedProtocol int
	// ReplacedLinks counts connections of a charge point that was still
	// connected (a restart on a half-open link): the earlier link was
	// closed and the new one admitted; each is logged. Not a peer fault:
	// a charge point on a cellular link does it after every restart.
	ReplacedLinks int
	// DuplicateRefused counts connections refused because their identity
	// was still connected and the earlier link could not be closed in
	// time, or because another new connection of the identity was being
	// admitted at the same moment; each is logged.
	DuplicateRefused int
}

// station is what we know of one connected (or once connected) charge point.
type station struct {
	connected bool
	conn      any       // the connection it is connected on (ocpp-go's, compared by identity)
	remote    string    // the connection's remote address, for the log of a replaced link
	since     time.Time // when it connected
	vendor    string
	model     string
	conns     map[int]*connector
}

// connector is the state of one connector.
type connector struct {
	status     core.ChargePointStatus
	tx         int // 0: no transaction
	rebootTx   int // the transaction a reboot ended, whose StopTransaction may still come
	powerW     *float64
	soc        *float64 // percent
	energyWh   *float64
	ts         time.Time // the newest time heard of (see heard)
	setpointKW *float64
}

// heard moves the connector's time to t when t is newer. A charger frame
// carries the connector's whole state, so its time must not go back: a
// sink keeps the newest frame of a charger and ignores older ones, and a
// meter value stamped (to the second, by the charge point's clock) before
// the status notification that came just ahead of it would otherwise make
// the frame with the new power look older than the last and be ignored.
func (cn *connector) heard(t time.Time) {
	if t.After(cn.ts) {
		cn.ts = t
	}
}

// New returns a central system for chargers; Start makes it listen.
func New(s Settings, chargers []Charger, log *slog.Logger) *CentralSystem {
	if log == nil {
		log = slog.Default()
	}
	c := &CentralSystem{
		set: s, log: log, now: time.Now,
		chargers: map[string]Charger{}, byConn: map[string]string{}, ids: map[string]bool{},
		stations: map[string]*station{}, changed: make(chan struct{}),
		inflight: map[*types.ChargingProfile]*inflight{}, calls: map[string]*inflight{},
		releases: map[*smartcharging.ClearChargingProfileRequest]*release{}, releaseCalls: map[string]*release{},
		admitting: map[string]*admission{}, closingLinks: map[any]bool{}, replaceWait: defaultReplaceWait, closing: make(chan struct{}),
		queues: newWatchedQueues(),
	}
	for _, ch := range chargers {
		c.chargers[ch.ID] = ch
		c.byConn[connKey(ch.Identity, ch.Connector)] = ch.ID
		c.ids[ch.Identity] = true
	}
	return c
}

// FromConfig builds a central system from an adapter's raw settings and the
// chargers routed to it.
func FromConfig(raw json.RawMessage, chargers []adapters.ChargerConfig, log *slog.Logger) (*CentralSystem, error) {
	s, chs, err := ParseSettings(raw, chargers)
	if err != nil {
		return nil, err
	}
	return New(s, chs, log), nil
}

func connKey(identity string, connector int) string { return identity + "#" + strconv.Itoa(connector) }

// Start listens for charge points and returns once the port accepts
// connections, or with an error naming the address.
func (c *CentralSystem) Start(ctx context.Context) error {
	port, err := listenPort(c.set.Listen)
	if err != nil {
		return fmt.Errorf("ocpp: listen: %w", err)
	}
	// ocpp-go takes a port, not a listener, and only logs a failure to
	// listen; probe the port first so "in use" is an error here, and so the
	// readiness check below cannot mistake another process for us.
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(port))
	if err != nil {
		return fmt.Errorf("ocpp: listen on port %d: %w", port, err)
	}
	port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	c.port = port
	allowed, err := listenHosts(c.set.Listen)
	if err != nil {
		return fmt.Errorf("ocpp: listen: %w", err)
	}
	c.server = ws.NewServer()
	watched := &watchedServer{Server: c.server, c: c}
	// The OCPP-J endpoint ocpp16 would make for itself (the same
	// profiles), made here to see the messages it cannot parse, on a
	// server that sees the answers it would drop.
	endpoint := ocppj.NewServer(watched, ocppj.NewDefaultServerDispatcher(c.queues), nil, core.Profile, localauth.Profile, firmware.Profile,
		reservation.Profile, remotetrigger.Profile, smartcharging.Profile)
	watched.endpoint = endpoint
	endpoint.SetInvalidMessageHook(func(ch ws.Channel, oe *ocpp.Error, raw string, fields []any) *ocpp.Error {
		c.invalidMessage(endpoint, ch.ID(), oe, raw, fields)
		return nil // ocpp-go answers with its own error, as before
	})
	c.cs = ocpp16.NewCentralSystem(endpoint, watched)
	// NewCentralSystem has told the server its subprotocols (ocpp1.6);
	// they do not change once it starts.
	supported := slices.Clone(watched.subprotocols)
	c.cs.SetNewChargingStationValidationHandler(func(id string, r *http.Request) bool {
		return c.admit(id, r, allowed, supported)
	})
	c.cs.SetCoreHandler(&coreHandler{c})
	c.cs.SetNewChargePointHandler(func(cp ocpp16.ChargePointConnection) { c.setConnected(cp.ID(), cp, true) })
	c.cs.SetChargePointDisconnectedHandler(func(cp ocpp16.ChargePointConnection) { c.setConnected(cp.ID(), cp, false) })
	go c.cs.Start(port, ListenPath)

	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for {
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err == nil {
			conn.Close()
			c.log.Info("ocpp: central system listening", "port", port, "path", ListenPath)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("ocpp: listen on port %d: not accepting connections: %w", port, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// SetLateSink implements adapters.LateReporter: answers to setpoints and
// releases that come after Apply or Release returned go to sink.
func (c *CentralSystem) SetLateSink(sink adapters.LateSink) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.late = sink
}

// Port returns the port charge points connect to (after Start).
func (c *CentralSystem) Port() int { return c.port }

// Close stops the server and drops every connection.
// A second Close does nothing: ocpp-go's Stop closes its dispatcher's
// channel and panics when called twice.
func (c *CentralSystem) Close() error {
	c.closeOnce.Do(func() {
		close(c.closing)
		if c.cs != nil {
			c.awaitClosingLinks()
			c.cs.Stop()
		}
	})
	return nil
}

// awaitClosingLinks waits until every earlier link replaceEarlierLink asked
// ocpp-go to close is gone, for at most ocpp-go's write wait and a second.
// ocpp-go's Stop sends every link a close on a channel that holds one;
// a link still holding ours (its writer stuck in a write to a stalled
// peer) blocks that send for good, under the lock the link's clean-up then
// waits for: its goroutines never end (docs/adapters.md, ocpp-go's bugs).
// The stuck write ends at its deadline, so the wait is bounded by it.
func (c *CentralSystem) awaitClosingLinks() {
	timer := time.NewTimer(ws.NewServerTimeoutConfig().WriteWait + time.Second)
	defer timer.Stop()
	for {
		c.mu.Lock()
		n, wait := len(c.closingLinks), c.changed
		c.mu.Unlock()
		if n == 0 {
			return
		}
		select {
		case <-wait:
		case <-timer.C:
			c.log.Warn("ocpp: stopping while earlier links asked to close are still open (ocpp-go may leave their goroutines behind)", "links", n)
			return
		}
	}
}

// Counts returns what was skipped so far.
func (c *CentralSystem) Counts() Counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts
}

// setConnected records a connect or disconnect of the connection conn and
// tells the sink. ocpp-go forgets a closed connection before it reports
// the disconnect, so a charge point that reconnects at once can be
// reported connected (on its new connection) before the old one is
// reported gone: a disconnect of a connection that is not the station's
// current one changes nothing, or the station would read offline while
// connected (and every setpoint to it fail).
func (c *CentralSystem) setConnected(identity string, conn any, up bool) {
	c.mu.Lock()
	st := c.stationLocked(identity)
	if !up && c.closingLinks[conn] {
		delete(c.closingLinks, conn)
		c.notifyLocked()
	}
	if !up && st.conn != conn {
		c.mu.Unlock()
		c.log.Info("ocpp: an earlier connection of the charge point closed; it is connected again", "identity", identity)
		return
	}
	st.connected = up
	st.conn, st.remote, st.since = nil, "", c.now()
	if up {
		st.conn = conn
		if a, ok := conn.(interface{ RemoteAddr() net.Addr }); ok && a.RemoteAddr() != nil {
			st.remote = a.RemoteAddr().String()
		}
		// Its admission ends here, with the station connected under the
		// same lock: the next connection of the identity replaces this
		// one rather than finding it still being admitted.
		if a := c.admitting[identity]; a != nil && a.remote == st.remote {
			a.opened = true
			delete(c.admitting, identity)
		}
	}
	c.notifyLocked()
	c.mu.Unlock()
	c.log.Info("ocpp: charge point link", "identity", identity, "connected", up)
	c.emitStation(identity)
}

// notifyLocked wakes whoever waits on c.changed. Callers hold c.mu.
func (c *CentralSystem) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// stationLocked returns (creating) the station for identity. Callers hold c.mu.
func (c *CentralSystem) stationLocked(identity string) *station {
	st, ok := c.stations[identity]
	if !ok {
		st = &station{conns: map[int]*connector{}}
		c.stations[identity] = st
	}
	return st
}

// connectorLocked returns (creating) a connector's state. Callers hold c.mu.
func (c *CentralSystem) connectorLocked(identity string, id int) *connector {
	st := c.stationLocked(identity)
	cn, ok := st.conns[id]
	if !ok {
		cn = &connector{}
		st.conns[id] = cn
	}
	return cn
}

// invalidMessage counts and logs a message from a charge point that
// ocpp-go could not parse or validate. When it is the answer to a pending
// SetChargingProfile, the Apply waiting for it is told: ocpp-go drops such
// an answer and would report only its own request timeout (30 s) later.
func (c *CentralSystem) invalidMessage(endpoint *ocppj.Server, identity string, oe *ocpp.Error, raw string, fields []any) {
	raw = c.badMessage(identity, oe.Error(), raw)
	if len(fields) < 2 {
		return
	}
	if typ, _ := fields[0].(float64); ocppj.MessageType(typ) != ocppj.CALL_RESULT {
		return
	}
	id, _ := fields[1].(string)
	req, ok := endpoint.RequestState.GetClientState(identity).GetPendingRequest(id)
	if !ok {
		return
	}
	scp, ok := req.(*smartcharging.SetChargingProfileRequest)
	if !ok {
		return
	}
	c.mu.Lock()
	f := c.inflight[scp.ChargingProfile]
	c.mu.Unlock()
	if f != nil {
		select {
		case f.unreadable <- fmt.Sprintf("%s (%s)", oe.Description, raw):
		default:
		}
	}
}

// WaitConnected implements adapters.ConnectWaiter.
func (c *CentralSystem) WaitConnected(ctx context.Context, charger string) error {
	ch, ok := c.chargers[charger]
	if !ok {
		return fmt.Errorf("ocpp: %q: %w", charger, adapters.ErrUnknownCharger)
	}
	for {
		c.mu.Lock()
		st := c.stations[ch.Identity]
		up := st != nil && st.connected
		wait := c.changed
		c.mu.Unlock()
		if up {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("ocpp: charge point %q (charger %q) did not connect to port %d: %w", ch.Identity, charger, c.port, ctx.Err())
		case <-wait:
		}
	}
}

// coreHandler answers the charge points' Core profile requests.
type coreHandler struct{ c *CentralSystem }

// OnAuthorize accepts every id tag: authorisation is the charge point's
// and the site's business, not the dispatcher's.
func (h *coreHandler) OnAuthorize(id string, _ *core.AuthorizeRequest) (*core.AuthorizeConfirmation, error) {
	return core.NewAuthorizationConfirmation(types.NewIdTagInfo(types.AuthorizationStatusAccepted)), nil
}

// OnBootNotification accepts the charge point and tells it the heartbeat interval.
func (h *coreHandler) OnBootNotification(id string, req *core.BootNotificationRequest) (*core.BootNotificationConfirmation, error) {
	h.c.mu.Lock()
	st := h.c.stationLocked(id)
	st.vendor, st.model = req.ChargePointVendor, req.ChargePointModel
	// A BootNotification means the charge point (re)started: transactions
	// that ran before did not survive it (it reports them stopped, reason
	// Reboot, when it can). A TxProfile for such a transaction is
	// discarded by the charge point (OCPP 1.6, 3.13.4), so setpoints go
	// as TxDefaultProfile until a new StartTransaction.
	ended := 0
	for _, cn := range st.conns {
		if cn.tx != 0 {
			cn.rebootTx, cn.tx = cn.tx, 0
			ended++
		}
	}
	h.c.mu.Unlock()
	h.c.log.Info("ocpp: boot", "identity", id, "vendor", req.ChargePointVendor, "model", req.ChargePointModel, "transactions_ended", ended)
	return core.NewBootNotificationConfirmation(types.NewDateTime(h.c.now()), int(h.c.set.heartbeat()/time.Second), core.RegistrationStatusAccepted), nil
}

// OnDataTransfer answers UnknownVendorId: no vendor extensions are spoken.
func (h *coreHandler) OnDataTransfer(string, *core.DataTransferRequest) (*core.DataTransferConfirmation, error) {
	return core.NewDataTransferConfirmation(core.DataTransferStatusUnknownVendorId), nil
}

// OnHeartbeat answers with the central system's time.
func (h *coreHandler) OnHeartbeat(string, *core.HeartbeatRequest) (*core.HeartbeatConfirmation, error) {
	return core.NewHeartbeatConfirmation(types.NewDateTime(h.c.now())), nil
}

// OnStatusNotification records a connector's (or the station's) status.
func (h *coreHandler) OnStatusNotification(id string, req *core.StatusNotificationRequest) (*core.StatusNotificationConfirmation, error) {
	h.c.mu.Lock()
	cn := h.c.connectorLocked(id, req.ConnectorId)
	cn.status = req.Status
	at := h.c.now()
	if req.Timestamp != nil {
		at = req.Timestamp.Time
	}
	cn.heard(at)
	h.c.mu.Unlock()
	if req.ConnectorId == 0 {
		h.c.emitStation(id)
	} else {
		h.c.emitConnector(id, req.ConnectorId)
	}
	return core.NewStatusNotificationConfirmation(), nil
}

// OnStartTransaction assigns a transaction id; while it runs, setpoints
// become TxProfiles for it.
func (h *coreHandler) OnStartTransaction(id string, req *core.StartTransactionRequest) (*core.StartTransactionConfirmation, error) {
	h.c.mu.Lock()
	h.c.nextTx++
	tx := h.c.nextTx
	cn := h.c.connectorLocked(id, req.ConnectorId)
	cn.tx = tx
	e := float64(req.MeterStart)
	cn.energyWh = &e
	h.c.mu.Unlock()
	h.c.emitConnector(id, req.ConnectorId)
	return core.NewStartTransactionConfirmation(types.NewIdTagInfo(types.AuthorizationStatusAccepted), tx), nil
}

// OnStopTransaction ends the connector's transaction.
func (h *coreHandler) OnStopTransaction(id string, req *core.StopTransactionRequest) (*core.StopTransactionConfirmation, error) {
	h.c.mu.Lock()
	conn := 0
	if st := h.c.stations[id]; st != nil {
		for n, cn := range st.conns {
			if cn.tx == req.TransactionId || (cn.tx == 0 && cn.rebootTx == req.TransactionId) {
				cn.tx, cn.rebootTx, conn = 0, 0, n
				zero := 0.0
				cn.powerW = &zero
				e := float64(req.MeterStop)
				cn.energyWh = &e
			}
		}
	}
	h.c.mu.Unlock()
	if conn != 0 {
		h.c.emitConnector(id, conn)
	}
	return core.NewStopTransactionConfirmation(), nil
}

// OnMeterValues turns meter values into telemetry.
func (h *coreHandler) OnMeterValues(id string, req *core.MeterValuesRequest) (*core.MeterValuesConfirmation, error) {
	h.c.meterValues(id, req.ConnectorId, req.MeterValue)
	return core.NewMeterValuesConfirmation(), nil
}

// listenHosts returns the local IPs a listen address admits: nil (any) for
// ":8887", "0.0.0.0:8887" or "[::]:8887"; the host's addresses otherwise.
func listenHosts(addr string) (map[string]bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", addr, err)
	}
	if host == "" {
		return nil, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		if ip.IsUnspecified() {
			return nil, nil
		}
		return map[string]bool{ip.String(): true}, nil
	}
	ips, err := net.LookupIP(host)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", addr, err)
	}
	out := make(map[string]bool, len(ips))
	for _, ip := range ips {
		out[ip.String()] = true
	}
	return out, nil
}

// localIP is the local address a request arrived on, "" if unknown.
func localIP(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr); ok {
		return a.IP.String()
	}
	return ""
}

// PeerFaults implements adapters.PeerFaultReporter: what charge points sent
// that the central system could not use (Unforwarded is not one: it is the
// desk's, not a charge point's). Connections refused before their OCPP
// session (wrong address, unknown identity, no subprotocol spoken, a
// duplicate that could not replace the earlier link or came with another
// new connection of its identity) are Refused; a
// replaced link is not a fault (ReplacedLinks).
func (c *CentralSystem) PeerFaults() adapters.PeerFaults {
	n := c.Counts()
	return adapters.PeerFaults{Malformed: n.BadMessages, Unmatched: n.UnmatchedAnswers,
		Refused: n.UnknownStations + n.WrongAddress + n.UnsupportedProtocol + n.DuplicateRefused, BadValues: n.BadValues}
}

// badMessage counts and logs an unreadable message from the charge point
// identity, and returns the message cut to what the log shows.
func (c *CentralSystem) badMessage(identity, why, raw string) string {
	const show = 200 // bytes of the message in the log and the result
	if len(raw) > show {
		raw = raw[:show] + "…"
	}
	c.mu.Lock()
	c.counts.BadMessages++
	c.mu.Unlock()
	c.log.Warn("ocpp: unreadable message from charge point", "identity", identity, "error", why, "message", raw)
	return raw
}
