package wsjson_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson"
	"github.com/v2gdesk/v2gdesk/replay/clock"
	"github.com/v2gdesk/v2gdesk/replay/demo"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// simServer is a v2gdesk sim server (protocol v1) on the demo day, run
// until stop is called or the test ends.
type simServer struct {
	srv  *sim.Server
	sim  *sim.Sim
	stop context.CancelFunc
	done chan struct{}
}

func startSim(t *testing.T) *simServer {
	t.Helper()
	sc, err := demo.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := sim.New(sc, sim.Options{Start: sc.Start().Add(18 * time.Hour), Clock: clock.NewFake(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ss := &simServer{srv: sim.NewServer(s, sim.ServerOptions{Logger: quiet}), sim: s, stop: cancel, done: make(chan struct{})}
	go func() { _ = ss.srv.Run(ctx); close(ss.done) }()
	t.Cleanup(func() { cancel(); <-ss.done })
	return ss
}

// swapHandler serves through whatever handler it holds now: nil is a
// server that refuses the websocket upgrade (a peer that is not there).
type swapHandler struct{ h atomic.Pointer[http.Handler] }

func (s *swapHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := s.h.Load(); h != nil && *h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
}

// serveOn serves h on a listener at addr until the test ends.
func serveOn(t *testing.T, addr string, h http.Handler) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s, the address the adapter dials: %v", addr, err)
	}
	hs := &http.Server{Handler: h}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
}

// lockedBuffer is a log sink for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// setpointFor is a setpoint valid on the simulator's clock.
func setpointFor(s *sim.Sim, id string) adapters.Setpoint {
	now := s.Now()
	return adapters.Setpoint{ID: id, Charger: s.Scenario().Chargers()[0], KW: 3, ValidFrom: now, ValidUntil: now.Add(15 * time.Minute)}
}

// A wsjson adapter whose peer is not there at start starts anyway (the
// site used to stop at the dial), fails its setpoints naming the URL and
// the dial error, and sends again once the peer is up, without a restart.
func TestLinkDownAtStartComesUpLater(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	url := "ws://" + addr + "/v1"

	var logs lockedBuffer
	lg := slog.New(slog.NewTextHandler(&logs, nil))
	a := wsjson.NewLinked(t.Context(), url, wsjson.LinkOptions{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Logger: lg, Name: "agg"})
	t.Cleanup(func() { a.Link().Close() })

	ss := startSim(t)
	r := a.Apply(t.Context(), setpointFor(ss.sim, "sp-1"))
	if r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, url+" is down since") || !strings.Contains(r.Reason, "connection refused") {
		t.Fatalf("while down: %s %q, want failed naming %s and the dial error", r.Status, r.Reason, url)
	}
	if st := a.Link().Status(); st.Up || st.Err == nil {
		t.Errorf("status while down: %+v", st)
	}
	if out := logs.String(); !strings.Contains(out, "wsjson: adapter down") || !strings.Contains(out, "adapter=agg") || !strings.Contains(out, url) {
		t.Errorf("the log does not say the adapter is down:\n%s", out)
	}

	serveOn(t, addr, ss.srv)
	if err := a.WaitConnected(t.Context(), "any"); err != nil {
		t.Fatal(err)
	}
	r = a.Apply(t.Context(), setpointFor(ss.sim, "sp-2"))
	if r.Status == adapters.StatusFailed || r.Status == adapters.StatusTimeout {
		t.Fatalf("once up: %s %q, want the simulator's answer", r.Status, r.Reason)
	}
	if n := ss.srv.Stats().Setpoints; n != 1 {
		t.Errorf("the simulator answered %d setpoints, want 1 (the one sent while down never went)", n)
	}
	if out := logs.String(); !strings.Contains(out, "wsjson: adapter up again") {
		t.Errorf("the log does not say the adapter is back:\n%s", out)
	}
}

// A connection that drops mid-run (the simulator stops) fails the
// setpoints after it with the reason, and the link comes back to the next
// simulator on the same address by itself.
func TestLinkDropsMidRunAndComesBack(t *testing.T) {
	first := startSim(t)
	var h swapHandler
	h.set(first.srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	serveOn(t, addr, &h)
	url := "ws://" + addr + "/v1"

	a := wsjson.NewLinked(t.Context(), url, wsjson.LinkOptions{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	t.Cleanup(func() { a.Link().Close() })
	if err := a.WaitConnected(t.Context(), "any"); err != nil {
		t.Fatal(err)
	}
	if r := a.Apply(t.Context(), setpointFor(first.sim, "sp-1")); r.Status == adapters.StatusFailed || r.Status == adapters.StatusTimeout {
		t.Fatalf("before the drop: %s %q", r.Status, r.Reason)
	}

	h.set(nil)   // redials are refused from now
	first.stop() // the simulator closes its connections: 1001, "simulator stopped"
	<-first.done
	if err := a.Link().WaitDown(t.Context()); err != nil {
		t.Fatal(err)
	}
	r := a.Apply(t.Context(), setpointFor(first.sim, "sp-2"))
	if r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, url+" is down since") {
		t.Fatalf("after the drop: %s %q, want failed naming %s", r.Status, r.Reason, url)
	}

	second := startSim(t)
	h.set(second.srv)
	if err := a.WaitConnected(t.Context(), "any"); err != nil {
		t.Fatal(err)
	}
	if r := a.Apply(t.Context(), setpointFor(second.sim, "sp-3")); r.Status == adapters.StatusFailed || r.Status == adapters.StatusTimeout {
		t.Fatalf("after the link came back: %s %q", r.Status, r.Reason)
	}
	if st := a.Link().Status(); !st.Up || st.Ups != 2 {
		t.Errorf("status: %+v, want up on its second connection", st)
	}
}

// Close stops the redialling, and a setpoint after it fails at once.
func TestLinkClosed(t *testing.T) {
	a := wsjson.NewLinked(t.Context(), "ws://127.0.0.1:1/v1", wsjson.LinkOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	a.Link().Close()
	r := a.Apply(t.Context(), adapters.Setpoint{ID: "x", Charger: "c", KW: 1})
	if r.Status != adapters.StatusFailed || !strings.Contains(r.Reason, "closed") {
		t.Errorf("%s %q, want failed: closed", r.Status, r.Reason)
	}
	if err := a.WaitConnected(t.Context(), "c"); err == nil {
		t.Error("WaitConnected on a closed link: no error")
	}
}
