//go:build linux

package ocpp_test

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/adapters/ocpp"
)

// stalledLink connects as CP-A a websocket peer that never reads what the
// central system sends (a charge point whose link went half-open with the
// central system's side of it still writing) and floods it with pings,
// whose pongs fill the link's buffers, both kept small (the peer's receive
// buffer, and the central system's send buffer, set through its socket in
// this process). It returns once ocpp-go's writer for the link is stuck in
// a pong write: the pings received are three ahead of the pongs written
// (one in the writer's hands, one queued, one in the reader waiting to
// queue it), with the pongs written by then far more than the ~70 the two
// buffers hold.
func stalledLink(t *testing.T, port int) {
	t.Helper()
	var mu sync.Mutex
	received, sent := 0, 0
	stuck := make(chan struct{})
	var stuckOnce sync.Once
	check := func() {
		if received-sent >= 3 {
			stuckOnce.Do(func() { close(stuck) })
		}
	}
	wsLog.on(t, "ping received from %s", func(args []any) {
		mu.Lock()
		defer mu.Unlock()
		received++
		check()
	})
	wsLog.on(t, "pong sent to %s", func(args []any) {
		mu.Lock()
		defer mu.Unlock()
		sent++
		check()
	})
	d := websocket.Dialer{Subprotocols: []string{"ocpp1.6"}, NetDialContext: (&net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		if cerr := c.Control(func(fd uintptr) { err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) }); cerr != nil {
			return cerr
		}
		return err
	}}).DialContext}
	conn, _, err := d.Dial(fmt.Sprintf("ws://127.0.0.1:%d/ocpp/CP-A", port), nil)
	if err != nil {
		t.Fatalf("stalled peer: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	shrinkServerSendBuffer(t, port, conn.LocalAddr().(*net.TCPAddr).Port)

	done := make(chan struct{})
	stopped := make(chan struct{})
	t.Cleanup(func() { close(done); conn.Close(); <-stopped })
	go func() {
		defer close(stopped)
		ping := []byte(strings.Repeat("p", 125))
		for {
			select {
			case <-done:
				return
			default:
			}
			if conn.WriteControl(websocket.PingMessage, ping, time.Now().Add(time.Hour)) != nil {
				return
			}
		}
	}()
	select {
	case <-stuck:
	case <-time.After(wait):
		t.Fatalf("ocpp-go's writer for the stalled link never got stuck (%d pings received, %d pongs sent)", received, sent)
	}
}

// shrinkServerSendBuffer sets the send buffer of the central system's side
// of the connection from peerPort to its smallest, so few pongs fill it.
// The socket is this process's: found among its descriptors by its
// addresses.
func shrinkServerSendBuffer(t *testing.T, serverPort, peerPort int) {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range fds {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if l, _ := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); !strings.HasPrefix(l, "socket:") {
			continue
		}
		local, err1 := syscall.Getsockname(fd)
		peer, err2 := syscall.Getpeername(fd)
		if err1 != nil || err2 != nil {
			continue
		}
		if sockPort(local) == serverPort && sockPort(peer) == peerPort {
			if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_SNDBUF, 4096); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("the central system's socket of the connection from port %d not found", peerPort)
}

// sockPort is a socket address's port (0 if not an IP address): ocpp-go
// listens on every interface, IPv4 connections arriving mapped to IPv6.
func sockPort(a syscall.Sockaddr) int {
	switch a := a.(type) {
	case *syscall.SockaddrInet4:
		return a.Port
	case *syscall.SockaddrInet6:
		return a.Port
	}
	return 0
}

// ocppGoroutines lists the goroutines running in ocpp-go, for the leak
// checks, but for a link reader stuck handing its writer a ping: ocpp-go
// never ends one whose writer ended first (docs/adapters.md, ocpp-go's
// bugs), which the stalled link's flood of pings always leaves, and no
// central system can end.
func ocppGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "ocpp-go@") && !strings.Contains(g, "ws.(*Server).readPump.func1(") {
			out = append(out, g)
		}
	}
	return out
}

// TestNewcomerRefusedWhenTheEarlierLinkDoesNotClose: a charge point
// connects again while its earlier link is stalled (the peer reads
// nothing, the link's buffers are full, so ocpp-go cannot write the close
// frame): the newcomer waits the replace wait (shortened here) and is
// refused with a word, logged and counted; the earlier link is still its
// identity's connection.
func TestNewcomerRefusedWhenTheEarlierLinkDoesNotClose(t *testing.T) {
	node := needPeer(t)
	cs, lb := startLoggedCS(t, func(cs *ocpp.CentralSystem) { cs.SetReplaceWait(300 * time.Millisecond) })
	stalledLink(t, cs.Port())
	waitConnected(t, cs)

	newer, _ := startPeerWith(t, node, cs.Port(), "CP-A", "accept", "")
	if e := next(t, newer, "error"); !strings.Contains(e.Message, "Unauthorized") {
		t.Fatalf("newcomer told %q, want the refusal (HTTP 401 Unauthorized)", e.Message)
	}
	if n := cs.Counts(); n.DuplicateRefused != 1 || n.ReplacedLinks != 0 {
		t.Fatalf("counts %+v, want 1 duplicate refused", n)
	}
	if l := lb.lines("refused a connection of a charge point whose earlier link is still open", "identity=CP-A",
		`why="the earlier link did not close within 300ms"`); len(l) != 1 {
		t.Fatalf("log lines of the refusal %q, want one naming the wait; log:\n%s", l, lb.lines())
	}
}

// TestStopDuringTheReplaceWait: the central system stops while a newcomer
// waits for a stalled earlier link to close: the newcomer is refused with
// a word, Close returns, and no goroutine of ocpp-go's server or of the
// adapter is left behind.
func TestStopDuringTheReplaceWait(t *testing.T) {
	node := needPeer(t)
	before := len(ocppGoroutines())
	cs, lb := startLoggedCS(t, func(cs *ocpp.CentralSystem) { cs.SetReplaceWait(time.Hour) })
	stalledLink(t, cs.Port())
	waitConnected(t, cs)

	waiting := make(chan struct{})
	var once sync.Once
	wsLog.on(t, "sending stop signal for websocket %s", func([]any) { once.Do(func() { close(waiting) }) })
	newer, _ := startPeerWith(t, node, cs.Port(), "CP-A", "accept", "")
	select {
	case <-waiting:
	case <-time.After(wait):
		t.Fatal("the newcomer never asked the earlier link to close")
	}
	closed := make(chan error, 1)
	go func() { closed <- cs.Close() }()
	if e := next(t, newer, "error"); !strings.Contains(e.Message, "Unauthorized") {
		t.Fatalf("newcomer told %q, want the refusal (HTTP 401 Unauthorized)", e.Message)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("Close did not return while a newcomer waited for the earlier link")
	}
	if l := lb.lines("refused a connection of a charge point whose earlier link is still open", "identity=CP-A",
		`why="the central system is stopping"`); len(l) != 1 {
		t.Fatalf("log lines of the refusal %q, want one; log:\n%s", l, lb.lines())
	}
	deadline := time.Now().Add(wait)
	for {
		left := ocppGoroutines()
		if len(left) <= before {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines of ocpp-go or the adapter left after Close (%d before):\n%s", len(left), before, strings.Join(left, "\n\n"))
		}
		runtime.Gosched()
	}
}
