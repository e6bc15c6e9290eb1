package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// notifySink feeds a Fleet and tells the test about every call.
type notifySink struct {
	fl     *Fleet
	frames chan string
	links  chan LinkEvent
}

func newNotifySink(opt FleetOptions) *notifySink {
	return &notifySink{fl: NewFleet(opt), frames: make(chan string, 1000), links: make(chan LinkEvent, 100)}
}

func (s *notifySink) HandleFrame(raw []byte) {
	s.fl.HandleFrame(raw)
	head := raw
	if len(head) > 40 {
		head = head[:40]
	}
	s.frames <- string(head)
}

func (s *notifySink) HandleLink(ev LinkEvent) {
	s.fl.HandleLink(ev)
	s.links <- ev
}

// waitFrames waits for n frames, failing after a generous deadline.
func (s *notifySink) waitFrames(t *testing.T, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		select {
		case <-s.frames:
		case <-time.After(10 * time.Second):
			t.Fatalf("got %d of %d frames", i, n)
		}
	}
}

func (s *notifySink) waitLink(t *testing.T) LinkEvent {
	t.Helper()
	select {
	case ev := <-s.links:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no link event")
	}
	return LinkEvent{}
}

// wsServer runs script for the n'th connection (from 0) after reading the
// client's subscribe frame, which it records.
type wsServer struct {
	*httptest.Server
	conns   atomic.Int32
	mu      sync.Mutex
	subs    []Subscribe
	release chan struct{} // closed at cleanup to end stalled scripts
}

func newWSServer(t *testing.T, script func(n int, c *websocket.Conn, release <-chan struct{})) *wsServer {
	s := &wsServer{release: make(chan struct{})}
	up := websocket.Upgrader{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		var sub Subscribe
		if err := c.ReadJSON(&sub); err != nil {
			return
		}
		s.mu.Lock()
		s.subs = append(s.subs, sub)
		s.mu.Unlock()
		script(int(s.conns.Add(1)-1), c, s.release)
	}))
	t.Cleanup(func() { close(s.release); s.Close() })
	return s
}

func (s *wsServer) url() string { return "ws" + strings.TrimPrefix(s.URL, "http") + "/feed" }

// holdOpen keeps a connection open, answering pings, until released.
func holdOpen(c *websocket.Conn, release <-chan struct{}) {
	go func() { <-release; c.Close() }()
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			return
		}
	}
}

func testSubOptions() SubscriberOptions {
	return SubscriberOptions{MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond,
		Rand: rand.New(rand.NewPCG(1, 2)), ReadTimeout: 5 * time.Second, PingInterval: time.Second}
}

func runSub(t *testing.T, sub *Subscriber, sink Sink) (cancel func() error) {
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sub.Run(ctx, sink) }()
	var once sync.Once
	var err error
	cancel = func() error {
		once.Do(func() { stop(); err = <-done })
		return err
	}
	t.Cleanup(func() { cancel() })
	return cancel
}

func TestSubscriberReconnectsAfterDrop(t *testing.T) {
	srv := newWSServer(t, func(n int, c *websocket.Conn, release <-chan struct{}) {
		c.WriteMessage(websocket.TextMessage, []byte(helloJSON))
		if n == 0 {
			c.WriteMessage(websocket.TextMessage, []byte(chargerJSON))
			return // drop the connection
		}
		c.WriteMessage(websocket.TextMessage, []byte(feederJSON))
		holdOpen(c, release)
	})
	sink := newNotifySink(FleetOptions{Clock: func() time.Time { return t0 }})
	opt := testSubOptions()
	opt.Feeders = []string{"F1"}
	sub := NewSubscriber(srv.url(), opt)
	cancel := runSub(t, sub, sink)

	if ev := sink.waitLink(t); !ev.Up {
		t.Fatalf("first link event %+v, want up", ev)
	}
	sink.waitFrames(t, 2)
	if ev := sink.waitLink(t); ev.Up || ev.Err == nil {
		t.Fatalf("second link event %+v, want down with an error", ev)
	}
	if ev := sink.waitLink(t); !ev.Up {
		t.Fatalf("third link event %+v, want up", ev)
	}
	sink.waitFrames(t, 2)
	if err := cancel(); !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	st := sink.fl.Snapshot().Stats
	if st.Reconnects != 1 || sub.Reconnects() != 1 || st.Frames != 4 || st.LastError == "" || st.Connected {
		t.Errorf("stats %+v, subscriber reconnects %d", st, sub.Reconnects())
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.subs) != 2 || srv.subs[0].V != 1 || len(srv.subs[0].Feeders) != 1 || srv.subs[0].Feeders[0] != "F1" {
		t.Errorf("subscribe frames %+v", srv.subs)
	}
}

func TestSubscriberReadDeadline(t *testing.T) {
	srv := newWSServer(t, func(n int, c *websocket.Conn, release <-chan struct{}) {
		c.WriteMessage(websocket.TextMessage, []byte(helloJSON))
		if n == 0 {
			<-release // stall: send nothing, read nothing, answer no ping
			return
		}
		holdOpen(c, release)
	})
	sink := newNotifySink(FleetOptions{})
	opt := testSubOptions()
	opt.ReadTimeout, opt.PingInterval = 100*time.Millisecond, 20*time.Millisecond
	sub := NewSubscriber(srv.url(), opt)
	runSub(t, sub, sink)
	sink.waitLink(t)
	ev := sink.waitLink(t)
	var ne net.Error
	if ev.Up || !errors.As(ev.Err, &ne) || !ne.Timeout() {
		t.Fatalf("link event %+v, want down with a timeout", ev)
	}
	if ev := sink.waitLink(t); !ev.Up {
		t.Fatalf("no reconnect after the stall: %+v", ev)
	}
	sink.waitFrames(t, 2)
}

func TestSubscriberSurvivesGarbageAndOversize(t *testing.T) {
	big := `{"v":1,"type":"feeder","pad":"` + strings.Repeat("x", MaxFrameBytes+100) + `"}`
	srv := newWSServer(t, func(n int, c *websocket.Conn, release <-chan struct{}) {
		for _, m := range []string{helloJSON, "garbage", big, `{"v":1,"type":"charger"`, chargerJSON} {
			c.WriteMessage(websocket.TextMessage, []byte(m))
		}
		holdOpen(c, release)
	})
	sink := newNotifySink(FleetOptions{Clock: func() time.Time { return t0 }})
	runSub(t, NewSubscriber(srv.url(), testSubOptions()), sink)
	sink.waitLink(t)
	sink.waitFrames(t, 5)
	st := sink.fl.Snapshot().Stats
	if st.Frames != 2 || st.Rejects[RejectBadJSON] != 2 || st.Rejects[RejectTooLarge] != 1 || !st.Connected {
		t.Errorf("stats = %+v", st)
	}
	if st.Bytes < MaxFrameBytes {
		t.Errorf("bytes = %d, want the oversize message counted", st.Bytes)
	}
	select {
	case ev := <-sink.links:
		t.Errorf("link changed after bad frames: %+v", ev)
	default:
	}
}

func TestSubscriberSend(t *testing.T) {
	got := make(chan SetpointFrame, 1)
	srv := newWSServer(t, func(n int, c *websocket.Conn, release <-chan struct{}) {
		c.WriteMessage(websocket.TextMessage, []byte(helloJSON))
		var sp SetpointFrame
		if err := c.ReadJSON(&sp); err != nil {
			return
		}
		got <- sp
		ack, _ := json.Marshal(AckFrame{Header: NewHeader(TypeAck), ID: sp.ID, Charger: sp.Charger, Status: AckAccepted, AppliedKW: sp.KW})
		c.WriteMessage(websocket.TextMessage, ack)
		holdOpen(c, release)
	})
	acks := make(chan AckFrame, 1)
	sink := newNotifySink(FleetOptions{OnAck: func(a AckFrame) { acks <- a }})
	sub := NewSubscriber(srv.url(), testSubOptions())
	if err := sub.Send(context.Background(), SetpointFrame{}); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("Send before connecting: %v, want ErrNotConnected", err)
	}
	runSub(t, sub, sink)
	sink.waitLink(t)
	sp := SetpointFrame{Header: NewHeader(TypeSetpoint), ID: "sp-9", Charger: "CP-1", KW: -5, ValidUntil: t0.Add(time.Minute)}
	if err := sub.Send(context.Background(), &sp); err != nil {
		t.Fatal(err)
	}
	if g := <-got; g.ID != "sp-9" || g.KW != -5 || g.Type != TypeSetpoint {
		t.Errorf("server got %+v", g)
	}
	select {
	case a := <-acks:
		if a.ID != "sp-9" || a.AppliedKW != -5 {
			t.Errorf("ack %+v", a)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no ack")
	}
	if c, _ := sink.fl.Snapshot().Charger("CP-1"); c.LastAck == nil || c.LastAck.ID != "sp-9" {
		t.Errorf("LastAck = %+v", c.LastAck)
	}
}

func TestSubscriberGivesUp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	opt := testSubOptions()
	opt.MaxAttempts = 2
	sink := newNotifySink(FleetOptions{})
	err = NewSubscriber("ws://"+addr+"/feed", opt).Run(context.Background(), sink)
	if !errors.Is(err, ErrGaveUp) || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), addr) {
		t.Fatalf("Run = %v, want gave up with connection refused", err)
	}
	if st := sink.fl.Snapshot().Stats; st.Connected || !strings.Contains(st.LastError, "connection refused") {
		t.Errorf("stats %+v", st)
	}
}

func TestBackoff(t *testing.T) {
	s := NewSubscriber("ws://x", SubscriberOptions{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second, Rand: rand.New(rand.NewPCG(3, 4))})
	for _, tc := range []struct {
		n      int
		lo, hi time.Duration
	}{{1, 50 * time.Millisecond, 100 * time.Millisecond}, {2, 100 * time.Millisecond, 200 * time.Millisecond},
		{4, 400 * time.Millisecond, 800 * time.Millisecond}, {5, 500 * time.Millisecond, time.Second}, {50, 500 * time.Millisecond, time.Second}} {
		for range 20 {
			if d := s.backoff(tc.n); d < tc.lo || d > tc.hi {
				t.Errorf("backoff(%d) = %v, want in %v..%v", tc.n, d, tc.lo, tc.hi)
			}
		}
	}
}

// closeNormally ends c as `v2gdesk sim` ends its day: a normal closure
// (1000) with a reason, then waiting for the client's close frame.
func closeNormally(c *websocket.Conn, reason string) {
	c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, reason), time.Now().Add(5*time.Second))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			return
		}
	}
}

// TestSubscriberFeedEnds: a simulated feed that the server closes with a
// normal closure has ended: the sink is told End (not an error), Run
// returns nil, and the Subscriber does not connect again.
func TestSubscriberFeedEnds(t *testing.T) {
	srv := newWSServer(t, func(n int, c *websocket.Conn, release <-chan struct{}) {
		c.WriteMessage(websocket.TextMessage, []byte(helloJSON))
		c.WriteMessage(websocket.TextMessage, []byte(feederJSON))
		closeNormally(c, "scenario ended")
	})
	sink := newNotifySink(FleetOptions{Clock: func() time.Time { return t0 }})
	sub := NewSubscriber(srv.url(), testSubOptions())
	cancel := runSub(t, sub, sink)
	if ev := sink.waitLink(t); !ev.Up {
		t.Fatalf("first link event %+v, want up", ev)
	}
	sink.waitFrames(t, 2)
	if ev := sink.waitLink(t); ev.Up || !ev.End || ev.Err != nil {
		t.Fatalf("link event at the close %+v, want End without an error", ev)
	}
	// Run has returned by itself: cancel only collects its result.
	if err := cancel(); err != nil {
		t.Errorf("Run returned %v, want nil at the end of the feed", err)
	}
	if n := srv.conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1: an ended feed is not reconnected to", n)
	}
	st := sink.fl.Snapshot().Stats
	if !st.Ended || st.Connected || st.LastError != "" {
		t.Errorf("stats %+v, want ended, not connected, no error", st)
	}
}

// TestSubscriberLinkLost: every other way a connection ends is a lost
// link, reported with its error and reconnected: another close code, a
// connection dropped without a close frame, and a normal closure of a live
// feed (one whose hello declares no simulation or replay).
func TestSubscriberLinkLost(t *testing.T) {
	liveHello := strings.Replace(helloJSON, `"mode":"simulation",`, ``, 1)
	cases := []struct {
		name  string
		hello string
		end   func(c *websocket.Conn)
		check func(err error) bool
	}{
		{"going away", helloJSON, func(c *websocket.Conn) {
			c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "simulator stopped"), time.Now().Add(5*time.Second))
		}, func(err error) bool { return closeCode(err) == websocket.CloseGoingAway }},
		{"internal error", helloJSON, func(c *websocket.Conn) {
			c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseInternalServerErr, "boom"), time.Now().Add(5*time.Second))
		}, func(err error) bool { return closeCode(err) == websocket.CloseInternalServerErr }},
		{"dropped", helloJSON, func(c *websocket.Conn) { c.NetConn().Close() },
			func(err error) bool { return closeCode(err) == websocket.CloseAbnormalClosure }},
		{"normal closure of a live feed", liveHello, func(c *websocket.Conn) { closeNormally(c, "bye") },
			func(err error) bool {
				end, ok := errors.AsType[*FeedEndError](err)
				return ok && errors.Is(err, ErrFeedEnded) && !end.Simulated && end.Reason == "bye"
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newWSServer(t, func(n int, c *websocket.Conn, release <-chan struct{}) {
				c.WriteMessage(websocket.TextMessage, []byte(tc.hello))
				if n == 0 {
					tc.end(c)
					return
				}
				holdOpen(c, release)
			})
			sink := newNotifySink(FleetOptions{Clock: func() time.Time { return t0 }})
			sub := NewSubscriber(srv.url(), testSubOptions())
			cancel := runSub(t, sub, sink)
			sink.waitLink(t)
			sink.waitFrames(t, 1)
			ev := sink.waitLink(t)
			if ev.Up || ev.End || ev.Err == nil || !tc.check(ev.Err) {
				t.Fatalf("link event %+v (err %v), want down with the connection's error", ev, ev.Err)
			}
			if ended := sink.fl.Snapshot().Stats.Ended; ended {
				t.Error("the fleet says the feed ended")
			}
			if ev := sink.waitLink(t); !ev.Up {
				t.Fatalf("link event %+v, want up again", ev)
			}
			if err := cancel(); !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v, want context.Canceled", err)
			}
		})
	}
}

// closeCode is the close code err carries (1006 when the connection
// dropped without a close frame), or 0.
func closeCode(err error) int {
	if ce, ok := errors.AsType[*websocket.CloseError](err); ok {
		return ce.Code
	}
	return 0
}

// TestHelloMode: which messages count as a hello declaring a simulation.
func TestHelloMode(t *testing.T) {
	for _, tt := range []struct {
		msg  string
		mode Mode
		ok   bool
	}{
		{helloJSON, ModeSimulation, true},
		{`{"v":1,"type":"hello","mode":"replay"}`, ModeReplay, true},
		{`{"v":1,"type":"hello","mode":"live"}`, ModeLive, true},
		{`{"v":1,"type":"hello"}`, "", true},
		{`{"v":1,"type":"hello","mode":"simulation","mode":"live"}`, ModeLive, true}, // the last counts
		{`{"v":1,"mode":"simulation","type":"hello"}`, ModeSimulation, true},
		{`{"v":1,"type":"hello","mode":"sim\u0075lation"}`, ModeSimulation, true},
		{feederJSON, "", false},
		{`{"v":1,"type":"feeder","id":"hello","mode":"simulation"}`, "", false},
		{`{"v":1,"type":"batch","frames":[` + helloJSON + `]}`, "", false},
		{`not json "hello"`, "", false},
	} {
		mode, ok := helloMode([]byte(tt.msg))
		if mode != tt.mode || ok != tt.ok {
			t.Errorf("helloMode(%.60s) = %q, %v; want %q, %v", tt.msg, mode, ok, tt.mode, tt.ok)
		}
	}
}

// TestSubscriberSaysItReachedSSH: `v2gdesk status --feed ws://desk:2222`,
// the port an on-call engineer logs in to, said only `malformed HTTP
// response "SSH-2.0-v2gdesk_dev"`. The error says the far end speaks SSH
// and what to give instead.
func TestSubscriberSaysItReachedSSH(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			// What an SSH server sends first, before reading anything.
			c.Write([]byte("SSH-2.0-v2gdesk_dev\r\n"))
			c.Close()
		}
	}()
	opt := testSubOptions()
	opt.MaxAttempts = 1
	err = NewSubscriber("ws://"+ln.Addr().String(), opt).Run(context.Background(), newNotifySink(FleetOptions{}))
	if !errors.Is(err, ErrGaveUp) {
		t.Fatalf("Run = %v, want it to give up", err)
	}
	for _, want := range []string{"cannot reach ws://" + ln.Addr().String(), "it speaks SSH, not a telemetry feed", "--ssh port", "serve's --feed", "SSH-2.0-v2gdesk_dev"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Run = %v, want it to say %q", err, want)
		}
	}
}
