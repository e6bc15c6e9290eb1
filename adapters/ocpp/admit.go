package ocpp

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gorilla/websocket"
)

// defaultReplaceWait bounds how long a charge point's new connection waits
// for the earlier link of its identity to close. ocpp-go writes the close
// frame with a deadline of its WriteWait (10 s) before it forgets the link;
// on a half-open link the write lands in the kernel's buffer and the link
// is gone in milliseconds, so the bound is only reached by a link whose
// buffer is full.
const defaultReplaceWait = 12 * time.Second

// replacedCloseText is the close reason the earlier link gets. A link that
// is really half-open never reads it; a second device configured with the
// same identity does, and its log then says why it was cut off.
const replacedCloseText = "replaced by a newer connection of this charge point identity"

// admit is the check-client hook: it runs for every websocket request on
// the listen path, before ocpp-go's own checks. ocpp-go refuses two kinds of
// connection after this hook without a word (its ws.Server reports them only
// on its Errors channel, see below): one that offers no subprotocol it
// speaks, and one whose identity already has a connection. Both are decided
// here, so each is logged and counted where it happens.
//
// Errors is not read instead because it is not safe to: ocpp-go sends on it
// without a lock and blocks until it is read (a slow reader stalls its
// connection goroutines), and Stop closes it, also without a lock, while
// connection goroutines may still be writing close frames and reporting
// their failures (its shutdown hook runs them concurrently): a data race and
// a possible send on a closed channel, a panic at shutdown.
func (c *CentralSystem) admit(identity string, r *http.Request, allowed map[string]bool, supported []string) bool {
	// ocpp-go binds the port on every interface; a listen address with a
	// host (127.0.0.1:8887, an interface of the station LAN) is honoured
	// here, before the OCPP session starts.
	if allowed != nil && !allowed[localIP(r)] {
		c.mu.Lock()
		c.counts.WrongAddress++
		c.mu.Unlock()
		c.log.Warn("ocpp: refused a charge point on an address other than the listen address",
			"identity", identity, "listen", c.set.Listen, "local", localIP(r), "remote", r.RemoteAddr)
		return false
	}
	if !c.ids[identity] && !c.set.AcceptUnknown {
		c.mu.Lock()
		c.counts.UnknownStations++
		c.mu.Unlock()
		c.log.Warn("ocpp: refused unknown charge point", "identity", identity, "remote", r.RemoteAddr)
		return false
	}
	if offered := websocket.Subprotocols(r); !speaksOne(offered, supported) {
		c.mu.Lock()
		c.counts.UnsupportedProtocol++
		c.mu.Unlock()
		// Admitted to ocpp-go, which completes the handshake without a
		// subprotocol and closes at once with 1002 "invalid or unsupported
		// subprotocol", which names the problem to the charge point;
		// refusing it here would answer 401, which reads as bad credentials.
		c.log.Warn("ocpp: refused a charge point offering no subprotocol this central system speaks (closed with 1002)",
			"identity", identity, "remote", r.RemoteAddr, "offered", offeredText(offered), "supported", supported)
		return true
	}
	a, ok := c.claim(identity, r)
	if !ok {
		return false
	}
	if !c.replaceEarlierLink(identity, r) || !c.awaitDispatcher(identity, r) {
		c.release(identity, a, false)
		return false
	}
	// ocpp-go upgrades and registers the connection after this hook
	// returns, in the same handler: the identity stays claimed until the
	// connection is reported connected (setConnected ends the claim), or
	// else until that handler has returned (the request's context ends
	// then): its upgrade failed.
	context.AfterFunc(r.Context(), func() { c.release(identity, a, true) })
	return true
}

// admission is a connection of an identity that admit is deciding on or
// has admitted, until ocpp-go has registered it (setConnected) or its
// handler has returned without doing so.
type admission struct {
	remote string // the connection's remote address
	opened bool   // ocpp-go registered it: setConnected saw it connect
}

// claim takes identity for the connection r until release: one connection
// of an identity at a time goes through admission and ocpp-go's upgrade.
// ocpp-go registers an admitted connection only after this hook returns,
// so two connections of one identity arriving together both found it not
// connected, and ocpp-go then closed one of them (1008 "a connection with
// this ID already exists") without a word. While a claim is held, a second
// connection is refused here, logged and counted: the first was admitted
// already and cannot be taken back before ocpp-go registers it, and
// refusing the second is what ocpp-go would have done anyway. A charge
// point that retried before its first handshake finished is admitted on
// its next attempt; two devices with one identity take turns through the
// replacement of the earlier link.
func (c *CentralSystem) claim(identity string, r *http.Request) (*admission, bool) {
	c.mu.Lock()
	if other := c.admitting[identity]; other != nil {
		c.mu.Unlock()
		return nil, c.refuseDuplicate("ocpp: refused a connection of a charge point: another new connection of the same identity is being admitted (a retry before the first handshake finished, or two devices with one identity?)",
			identity, r, "other_remote", other.remote)
	}
	a := &admission{remote: r.RemoteAddr}
	c.admitting[identity] = a
	c.mu.Unlock()
	return a, true
}

// release lets identity's claim a go. An admitted connection that ocpp-go
// did not register failed its websocket upgrade (the charge point was
// answered 400 with the reason, or went away): logged, since ocpp-go says
// nothing of it.
func (c *CentralSystem) release(identity string, a *admission, admitted bool) {
	c.mu.Lock()
	if c.admitting[identity] == a {
		delete(c.admitting, identity)
	}
	opened := a.opened
	c.mu.Unlock()
	if admitted && !opened {
		c.log.Warn("ocpp: an admitted connection of a charge point did not open (its websocket handshake failed)",
			"identity", identity, "remote", a.remote)
	}
}

// awaitDispatcher holds a new connection of identity until ocpp-go's
// dispatcher has let the identity's last connection go (watchedQueues):
// admitted before that, it would inherit the old connection's call in
// flight and take no setpoint. Usually at once; the dispatcher reads a
// disconnect within microseconds. Refused (logged, counted) only when the
// central system stops or the newcomer goes away first, or the dispatcher
// has not caught up within the replace wait.
func (c *CentralSystem) awaitDispatcher(identity string, r *http.Request) bool {
	settled := c.queues.settled(identity)
	select {
	case <-settled:
		return true
	default:
	}
	timer := time.NewTimer(c.replaceWait)
	defer timer.Stop()
	why := ""
	select {
	case <-settled:
		return true
	case <-timer.C:
		why = fmt.Sprintf("ocpp-go's dispatcher did not let the earlier connection go within %s", c.replaceWait)
	case <-r.Context().Done():
		why = "the new connection went away while the earlier one was let go"
	case <-c.closing:
		why = "the central system is stopping"
	}
	return c.refuseDuplicate("ocpp: refused a connection of a charge point whose earlier connection was still being let go",
		identity, r, "why", why)
}

// refuseDuplicate counts a connection of an identity still connected as
// DuplicateRefused and logs msg with the identity, the newcomer's remote
// address and args; it returns false, the check-client hook's refusal.
func (c *CentralSystem) refuseDuplicate(msg, identity string, r *http.Request, args ...any) bool {
	c.mu.Lock()
	c.counts.DuplicateRefused++
	c.mu.Unlock()
	c.log.Warn(msg, append([]any{"identity", identity, "remote", r.RemoteAddr}, args...)...)
	return false
}

// speaksOne reports whether ocpp-go will agree a subprotocol: it takes the
// first offered one it supports, or any offered one when it supports none
// in particular, and closes a connection that offers none.
func speaksOne(offered, supported []string) bool {
	if len(offered) == 0 {
		return false
	}
	if len(supported) == 0 {
		return true
	}
	for _, p := range offered {
		if slices.Contains(supported, p) {
			return true
		}
	}
	return false
}

// offeredText is the offered subprotocols for the log: "none" when the
// charge point offered none (a plain websocket client), not an empty list.
func offeredText(offered []string) string {
	if len(offered) == 0 {
		return "none"
	}
	return fmt.Sprint(offered)
}

// replaceEarlierLink admits a charge point whose identity is already
// connected by closing the earlier link first: ocpp-go would refuse the
// newcomer (close 1008) and keep the earlier link. A charge point that
// restarted while its cellular link was half-open reconnects this way, and
// the earlier link is dead: every setpoint sent on it would go nowhere
// until ocpp-go's ping wait (60 s without a message) ended it, while the
// charge point, refused, backs off and stays uncontrollable. Closing it
// goes through the disconnect every dropped link goes through: a setpoint
// that went out on it unanswered is reported timeout (the charge point may
// hold it) and journalled, one still queued is journalled as never sent,
// and an answer the charge point sends later on the new link is journalled
// as late_result.
//
// The newcomer is refused (HTTP 401, logged and counted) only when the
// earlier link does not close within the wait, or when the central system
// closes. The caller holds identity's claim, so no other connection of it
// is admitted meanwhile.
func (c *CentralSystem) replaceEarlierLink(identity string, r *http.Request) bool {
	c.mu.Lock()
	st := c.stationLocked(identity)
	if !st.connected {
		c.mu.Unlock()
		return true
	}
	old, oldRemote, since := st.conn, st.remote, st.since
	unanswered := c.unansweredLocked(identity)
	if c.replaceWait > 0 {
		c.markReplacedLocked(identity, true)
	}
	c.mu.Unlock()
	refuse := func(why string) bool {
		return c.refuseDuplicate("ocpp: refused a connection of a charge point whose earlier link is still open",
			identity, r, "earlier_remote", oldRemote, "why", why)
	}
	if c.replaceWait <= 0 {
		// Not replacing at all (the tests' way to reach a refusal): the
		// newcomer is refused as ocpp-go would, but not without a word.
		return refuse("earlier links are not replaced (no wait for them to close)")
	}

	c.log.Warn("ocpp: charge point connected again while its earlier link is still open (restarted on a half-open link?): closing the earlier link for the new one",
		"identity", identity, "remote", r.RemoteAddr, "earlier_remote", oldRemote,
		"earlier_since", since.UTC().Format(time.RFC3339), "setpoints_unanswered_on_earlier", unanswered)
	// Noted before ocpp-go is asked, so that a Close from now on waits
	// for the link to go (awaitClosingLinks); once Close has begun, the
	// link is left to ocpp-go's Stop.
	c.mu.Lock()
	select {
	case <-c.closing:
		c.markReplacedLocked(identity, false) // it is left to the stop, not replaced
		c.mu.Unlock()
		return refuse("the central system is stopping")
	default:
	}
	if st.conn == old { // not reported gone already
		c.closingLinks[old] = true
	}
	c.mu.Unlock()
	if err := c.closeLink(identity); err != nil {
		// ocpp-go holds no link of identity any more: it closed by
		// itself just now, and its disconnect is being reported.
		c.log.Info("ocpp: the earlier link had closed already", "identity", identity, "detail", err)
		c.mu.Lock()
		c.markReplacedLocked(identity, false) // it dropped; it was not replaced
		if c.closingLinks[old] {
			delete(c.closingLinks, old)
			c.notifyLocked()
		}
		c.mu.Unlock()
	}
	timer := time.NewTimer(c.replaceWait)
	defer timer.Stop()
	for {
		c.mu.Lock()
		gone := st.conn != old
		wait := c.changed
		if gone {
			c.counts.ReplacedLinks++
		}
		c.mu.Unlock()
		if gone {
			c.log.Info("ocpp: earlier link closed; admitting the new connection", "identity", identity, "remote", r.RemoteAddr)
			return true
		}
		why := ""
		select {
		case <-wait:
			continue
		case <-timer.C:
			why = fmt.Sprintf("the earlier link did not close within %s", c.replaceWait)
		case <-r.Context().Done():
			why = "the new connection went away while the earlier link closed"
		case <-c.closing:
			why = "the central system is stopping"
		}
		return refuse(why)
	}
}

// closeLink asks ocpp-go to close identity's link. Its StopConnection looks
// the link up under its lock and sends on the link's close channel after
// releasing it; a link that fails at that instant has its channel closed
// in between, and the send panics. The link is then closing anyway, which
// is what was asked, so the panic is taken as that.
//
// A link whose writer is stuck in a write never takes the close from the
// channel; when the write fails, its clean-up closes the channel, with
// nothing ordering that close after our send (a data race under -race).
// The clean-up takes ocpp-go's connection lock before it closes the
// channel, so a look-up under that lock after the send (StopConnection of
// an identity no charge point can have: ocpp-go takes the last path
// element, never empty) orders them, unless the clean-up took the lock in
// the instant between, the race the panic above comes from.
func (c *CentralSystem) closeLink(identity string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the link was closing already (%v)", p)
		}
	}()
	err = c.server.StopConnection(identity, websocket.CloseError{Code: websocket.ClosePolicyViolation, Text: replacedCloseText})
	_ = c.server.StopConnection("", websocket.CloseError{}) // no such link: only its lock is taken
	return err
}

// markReplacedLocked marks identity's setpoints in flight (sent and
// waiting, queued behind a call, or kept for a late answer) as cut off by the replacement of their
// link, so that their results name it: ocpp-go reports only "client
// disconnected", which on the desk reads as a charge point gone, not one
// that came back on a new link. Callers hold c.mu.
func (c *CentralSystem) markReplacedLocked(identity string, replaced bool) {
	for _, f := range c.inflight {
		if f.ch.Identity == identity {
			f.replaced = replaced
		}
	}
}

// unansweredLocked counts the setpoints sent to identity whose Apply still
// waits for the answer, for the log of a replaced link: closing the link
// makes them timeout. (Those already reported timeout, kept for a late
// answer, are not counted again.) Callers hold c.mu.
func (c *CentralSystem) unansweredLocked(identity string) int {
	n := 0
	for _, f := range c.inflight {
		if f.ch.Identity == identity && f.sent && !f.returned {
			n++
		}
	}
	return n
}
