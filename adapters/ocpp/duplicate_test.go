package ocpp_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/ocpp"
)

// logBuffer is a log the central system writes from its connection
// goroutines while the test reads it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the log lines that contain every one of parts.
func (b *logBuffer) lines(parts ...string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, l := range strings.Split(b.buf.String(), "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all && l != "" {
			out = append(out, l)
		}
	}
	return out
}

// startLoggedCS is startCS ("W") with its log kept for the test, and
// before run on it before it starts (nil: nothing).
func startLoggedCS(t *testing.T, before func(*ocpp.CentralSystem)) (*ocpp.CentralSystem, *logBuffer) {
	t.Helper()
	lb := &logBuffer{}
	cs, _ := startCSWith(t, "W", slog.New(slog.NewTextHandler(lb, nil)), before)
	return cs, lb
}

// waitConnected waits (bounded by wait, a safety net) until CP-A is connected.
func waitConnected(t *testing.T, cs *ocpp.CentralSystem) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := cs.WaitConnected(ctx, "CP-A"); err != nil {
		t.Fatal(err)
	}
}

// TestRestartedChargePointReplacesItsEarlierLink: a charge point that
// connects again while its earlier link is still open (it restarted on a
// half-open cellular link) is admitted, and the earlier link closed; ocpp-go
// alone refused the newcomer (close 1008) without a word and kept the dead
// link. The setpoint that went out on the earlier link and was not answered
// is reported timeout (its link replaced, "client disconnected": the charge
// point may hold it) and journalled, the result naming the replacement, the next setpoint goes to the new link, and the
// replacement is logged with both remote addresses and counted, not as a
// peer fault. Two ocpp-rpc charge points play the two links.
func TestRestartedChargePointReplacesItsEarlierLink(t *testing.T) {
	node := needPeer(t)
	cs, lb := startLoggedCS(t, nil)
	earlier, _ := startPeerWith(t, node, cs.Port(), "CP-A", "late", "sayclose")
	next(t, earlier, "ready")
	waitConnected(t, cs)
	g, path := guardFor(t, cs, adapters.GuardOptions{BatchTimeout: time.Hour, LateGrace: time.Second})

	res := make(chan adapters.Result, 1)
	go func() { res <- g.Apply(context.Background(), setpoint("dup1", 6, time.Now().Add(20*time.Minute))) }()
	next(t, earlier, "SetChargingProfile") // held unanswered, as by a link gone half-open

	newer, _ := startPeerWith(t, node, cs.Port(), "CP-A", "accept", "")
	next(t, newer, "ready")
	if r := <-res; r.Status != adapters.StatusTimeout || !strings.Contains(r.Reason, "its link was replaced by a newer connection of the charge point: ") ||
		!strings.Contains(r.Reason, "client disconnected") {
		t.Fatalf("setpoint on the earlier link: %+v, want timeout naming the replaced link (client disconnected)", r)
	}
	closed := next(t, earlier, "closed")
	if closed.Code != 1008 || !strings.Contains(closed.Reason, "replaced by a newer connection") {
		t.Fatalf("earlier link closed with %d %q, want 1008 naming the replacement", closed.Code, closed.Reason)
	}

	waitConnected(t, cs)
	if r := cs.Apply(context.Background(), setpoint("dup2", 4, time.Now().Add(20*time.Minute))); r.Status != adapters.StatusAccepted {
		t.Fatalf("setpoint after the replacement: %+v, want accepted on the new link", r)
	}
	next(t, newer, "SetChargingProfile")

	if n := cs.Counts(); n.ReplacedLinks != 1 || n.DuplicateRefused != 0 || n.UnsupportedProtocol != 0 {
		t.Fatalf("counts %+v, want 1 replaced link and nothing refused", n)
	}
	if f := cs.PeerFaults(); f.Total() != 0 {
		t.Fatalf("peer faults %+v, want none: a replaced link is not a fault", f)
	}
	logged := lb.lines("closing the earlier link", "identity=CP-A", "remote=127.0.0.1:", "earlier_remote=127.0.0.1:", "setpoints_unanswered_on_earlier=1")
	if len(logged) != 1 {
		t.Fatalf("log lines of the replacement %q, want one naming both links and the unanswered setpoint; log:\n%s", logged, lb.lines())
	}
	g.Close()
	recs := readJournal(t, path)
	if len(recs) != 2 || recs[1].Kind != adapters.RecResult || recs[1].Status != adapters.StatusTimeout ||
		!strings.Contains(recs[1].Detail, "its link was replaced by a newer connection") {
		t.Fatalf("journal %+v, want the setpoint and its timeout, naming the replaced link", recs)
	}
}

// TestDuplicateRefusedIsLoggedAndCounted: a newcomer that is refused while
// its identity's earlier link stays open (here: the central system set not
// to wait for the earlier link, the path a link that does not close in
// time takes) is refused with a word: logged with its remote address and
// why, counted, and a peer fault. The earlier link is untouched.
func TestDuplicateRefusedIsLoggedAndCounted(t *testing.T) {
	node := needPeer(t)
	cs, lb := startLoggedCS(t, func(cs *ocpp.CentralSystem) { cs.SetReplaceWait(0) })
	earlier, _ := startPeerWith(t, node, cs.Port(), "CP-A", "accept", "sayclose")
	next(t, earlier, "ready")
	waitConnected(t, cs)

	newer, _ := startPeerWith(t, node, cs.Port(), "CP-A", "accept", "")
	if e := next(t, newer, "error"); !strings.Contains(e.Message, "Unauthorized") {
		t.Fatalf("newcomer told %q, want the refusal (HTTP 401 Unauthorized)", e.Message)
	}
	if n := cs.Counts(); n.DuplicateRefused != 1 || n.ReplacedLinks != 0 {
		t.Fatalf("counts %+v, want 1 duplicate refused", n)
	}
	if f := cs.PeerFaults(); f != (adapters.PeerFaults{Refused: 1}) {
		t.Fatalf("peer faults %+v, want the refusal among the refused connections", f)
	}
	if l := lb.lines("refused a connection of a charge point whose earlier link is still open", "identity=CP-A", "remote=127.0.0.1:", "earlier_remote=127.0.0.1:", "why="); len(l) != 1 {
		t.Fatalf("log lines of the refusal %q, want one; log:\n%s", l, lb.lines())
	}
	// The earlier link still carries setpoints.
	if r := cs.Apply(context.Background(), setpoint("keep1", 4, time.Now().Add(20*time.Minute))); r.Status != adapters.StatusAccepted {
		t.Fatalf("setpoint on the earlier link: %+v, want accepted", r)
	}
	next(t, earlier, "SetChargingProfile")
}

// TestUnsupportedSubprotocolIsLoggedAndCounted: a charge point offering
// only ocpp2.0.1 is closed by ocpp-go (1002) after the handshake; that was
// silent. Now it is logged with its identity, remote address and what it
// offered, and counted as a peer fault. It does not displace the charge
// point connected with that identity on OCPP 1.6.
func TestUnsupportedSubprotocolIsLoggedAndCounted(t *testing.T) {
	node := needPeer(t)
	cs, lb := startLoggedCS(t, nil)
	good, _ := startPeerWith(t, node, cs.Port(), "CP-A", "accept", "sayclose")
	next(t, good, "ready")
	waitConnected(t, cs)

	v201, _ := startPeerWith(t, node, cs.Port(), "CP-A", "accept", "protocol=ocpp2.0.1")
	if e := next(t, v201, "error"); e.Message == "" {
		t.Fatal("the ocpp2.0.1 charge point reported no error")
	}
	if n := cs.Counts(); n.UnsupportedProtocol != 1 || n.ReplacedLinks != 0 || n.DuplicateRefused != 0 {
		t.Fatalf("counts %+v, want 1 unsupported protocol and the 1.6 link left alone", n)
	}
	if f := cs.PeerFaults(); f != (adapters.PeerFaults{Refused: 1}) {
		t.Fatalf("peer faults %+v, want the refusal among the refused connections", f)
	}
	if l := lb.lines("offering no subprotocol", "identity=CP-A", "remote=127.0.0.1:", "offered=[ocpp2.0.1]", "supported=[ocpp1.6]"); len(l) != 1 {
		t.Fatalf("log lines of the refusal %q, want one; log:\n%s", l, lb.lines())
	}
	if r := cs.Apply(context.Background(), setpoint("v16", 4, time.Now().Add(20*time.Minute))); r.Status != adapters.StatusAccepted {
		t.Fatalf("setpoint to the 1.6 link: %+v, want accepted", r)
	}
	next(t, good, "SetChargingProfile")
}
