package ocpp_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestTwoConnectionsAtOnceOneRefusedWithAWord: two connections of one
// identity that is not connected, the second arriving while the first is
// admitted but not yet registered by ocpp-go (a charge point retrying
// before its first handshake finished, or two devices with one identity).
// Both passed admit, and ocpp-go then closed one of them (1008) without a
// word and uncounted. Now the second is refused (HTTP 401), logged naming
// both, and counted; the first is connected and takes setpoints. ocpp-go's
// own debug message after the upgrade holds the first connection there.
func TestTwoConnectionsAtOnceOneRefusedWithAWord(t *testing.T) {
	node := needPeer(t)
	cs, lb := startLoggedCS(t, nil)
	held, release := make(chan struct{}), make(chan struct{})
	var holdOnce, releaseOnce sync.Once
	letGo := func() { releaseOnce.Do(func() { close(release) }) }
	wsLog.on(t, "upgraded websocket connection for %s from %s", func(args []any) {
		if len(args) == 0 || args[0] != "CP-A" {
			return
		}
		first := false
		holdOnce.Do(func() { first = true })
		if first {
			close(held)
			<-release
		}
	})

	first, _ := startPeerWith(t, node, cs.Port(), "CP-A", "accept", "sayclose")
	t.Cleanup(letGo) // before the peer's cleanup, which waits for it to end
	select {
	case <-held:
	case e := <-first:
		t.Fatalf("first connection: %+v before its upgrade", e)
	case <-time.After(wait):
		t.Fatal("the first connection never reached its upgrade")
	}
	second, _ := startPeerWith(t, node, cs.Port(), "CP-A", "accept", "")
	select {
	case e := <-second:
		if e.Event != "error" || !strings.Contains(e.Message, "Unauthorized") {
			t.Fatalf("second connection while the first was being admitted: %+v, want refused (HTTP 401 Unauthorized)", e)
		}
	case <-time.After(wait):
		t.Fatal("second connection: no word while the first was being admitted")
	}
	letGo()
	next(t, first, "ready")
	waitConnected(t, cs)

	if n := cs.Counts(); n.DuplicateRefused != 1 || n.ReplacedLinks != 0 {
		t.Fatalf("counts %+v, want 1 duplicate refused and nothing replaced", n)
	}
	if f := cs.PeerFaults(); f != (adapters.PeerFaults{Refused: 1}) {
		t.Fatalf("peer faults %+v, want the refusal among the refused connections", f)
	}
	if l := lb.lines("another new connection of the same identity is being admitted", "identity=CP-A", "remote=127.0.0.1:", "other_remote=127.0.0.1:"); len(l) != 1 {
		t.Fatalf("log lines of the refusal %q, want one; log:\n%s", l, lb.lines())
	}
	if r := cs.Apply(context.Background(), setpoint("first1", 4, time.Now().Add(20*time.Minute))); r.Status != adapters.StatusAccepted {
		t.Fatalf("setpoint to the first connection: %+v, want accepted", r)
	}
	next(t, first, "SetChargingProfile")
}

// TestAdmittedConnectionWhoseHandshakeFailsFreesItsIdentity: a connection
// admitted whose websocket upgrade then fails (here a request with the
// OCPP subprotocol but no Upgrade header, answered 400 by the websocket
// library) is logged, and does not keep its identity from connecting.
func TestAdmittedConnectionWhoseHandshakeFailsFreesItsIdentity(t *testing.T) {
	node := needPeer(t)
	cs, lb := startLoggedCS(t, nil)
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", cs.Port()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /ocpp/CP-A HTTP/1.1\r\nHost: x\r\nSec-WebSocket-Protocol: ocpp1.6\r\nConnection: close\r\n\r\n")
	buf := make([]byte, 64)
	if err := conn.SetReadDeadline(time.Now().Add(wait)); err != nil {
		t.Fatal(err)
	}
	if n, _ := conn.Read(buf); !strings.HasPrefix(string(buf[:n]), "HTTP/1.1 400") {
		t.Fatalf("a websocket request without Upgrade answered %q, want 400", buf[:n])
	}
	peer, _ := startPeerWith(t, node, cs.Port(), "CP-A", "accept", "")
	next(t, peer, "ready")
	waitConnected(t, cs)
	if n := cs.Counts(); n.DuplicateRefused != 0 {
		t.Fatalf("counts %+v, want nothing refused", n)
	}
	if l := lb.lines("did not open", "identity=CP-A", "remote=127.0.0.1:"); len(l) != 1 {
		t.Fatalf("log lines of the failed handshake %q, want one; log:\n%s", l, lb.lines())
	}
}

// holdingHandler is a log handler that holds the first record with msg and
// a true "connected" until release is closed: a hook inside ocpp-go's
// handler for a new connection, after the central system has recorded it
// connected and before the handler returns.
type holdingHandler struct {
	slog.Handler
	msg     string
	once    *sync.Once
	held    chan struct{}
	release chan struct{}
}

func (h holdingHandler) Handle(ctx context.Context, r slog.Record) error {
	connected := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "connected" && a.Value.Kind() == slog.KindBool && a.Value.Bool() {
			connected = true
		}
		return true
	})
	if r.Message == h.msg && connected {
		first := false
		h.once.Do(func() { first = true })
		if first {
			close(h.held)
			<-h.release
		}
	}
	return h.Handler.Handle(ctx, r)
}

// TestReconnectRightAfterConnectReplaces: a second connection of an
// identity that arrives once the first is recorded connected, while
// ocpp-go's handler for the first has not yet returned, replaces the first
// like any later one; it was refused as "another new connection being
// admitted" while the first's admission lasted until its handler returned.
func TestReconnectRightAfterConnectReplaces(t *testing.T) {
	lb := &logBuffer{}
	h := holdingHandler{Handler: slog.NewTextHandler(lb, nil), msg: "ocpp: charge point link", once: &sync.Once{},
		held: make(chan struct{}), release: make(chan struct{})}
	var releaseOnce sync.Once
	letGo := func() { releaseOnce.Do(func() { close(h.release) }) }
	cs, _ := startCSWith(t, "W", slog.New(h), nil)
	t.Cleanup(letGo)
	goChargePoint(t, cs.Port())
	select {
	case <-h.held:
	case <-time.After(wait):
		t.Fatal("the first connection was never recorded connected")
	}
	_, got := goChargePoint(t, cs.Port())
	letGo()
	waitConnected(t, cs)
	if n := cs.Counts(); n.ReplacedLinks != 1 || n.DuplicateRefused != 0 {
		t.Fatalf("counts %+v, want the first link replaced and nothing refused", n)
	}
	if r := cs.Apply(context.Background(), setpoint("re1", 5, time.Now().Add(20*time.Minute))); r.Status != adapters.StatusAccepted {
		t.Fatalf("setpoint after the replacement: %+v, want accepted by the new link", r)
	}
	select {
	case <-got:
	default:
		t.Fatal("the new link accepted a profile its handler never saw")
	}
}
