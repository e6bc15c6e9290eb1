package sim

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

func dial(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func readFrame(t *testing.T, conn *websocket.Conn) map[string]any {
	t.Helper()
	_, data, err := conn.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	return f
}

func send(t *testing.T, conn *websocket.Conn, v any) {
	t.Helper()
	var err error
	if s, ok := v.(string); ok {
		err = conn.WriteMessage(websocket.TextMessage, []byte(s))
	} else {
		err = conn.WriteJSON(v)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestServer(t *testing.T) {
	sc := testScenario(t)
	fake := clock.NewFake(time.Unix(0, 0))
	s, err := New(sc, Options{Start: sc.Start().Add(18*time.Hour + 30*time.Minute), Speed: 60, Clock: fake, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(s, ServerOptions{Logger: quiet})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	base := "ws" + strings.TrimPrefix(hs.URL, "http")

	a := dial(t, base+"/v1")
	if f := readFrame(t, a); f["type"] != "hello" || f["site"] != "Test" {
		t.Fatalf("first frame %v, want the hello", f)
	}
	send(t, a, feeds.Subscribe{Header: feeds.NewHeader(feeds.TypeSubscribe), Feeders: []string{"F02"}})
	if f := readFrame(t, a); f["type"] != "hello" {
		t.Fatalf("answer to subscribe %v, want the hello", f)
	}
	state := readFrame(t, a)
	members := state["frames"].([]any)
	for _, m := range members {
		id := m.(map[string]any)["id"]
		if id != "F02" && id != "CP-0003" {
			t.Errorf("F02 subscriber got %v", id)
		}
	}
	if len(members) != 2 {
		t.Errorf("F02 state has %d frames, want feeder + CP-0003", len(members))
	}

	// setpoint -> ack, to this client
	send(t, a, feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: "sp-1", Charger: "CP-0001", KW: -4,
		ValidUntil: s.Now().Add(time.Hour)})
	if ack := readFrame(t, a); ack["type"] != "ack" || ack["id"] != "sp-1" || ack["status"] != "accepted" || ack["applied_kw"] != -4.0 {
		t.Fatalf("ack = %v", ack)
	}
	send(t, a, feeds.SetpointFrame{Header: feeds.NewHeader(feeds.TypeSetpoint), ID: "sp-2", Charger: "CP-0002", KW: -4,
		ValidUntil: s.Now().Add(time.Hour)})
	if ack := readFrame(t, a); ack["status"] != "rejected" || ack["reason"] != "charger CP-0002 is not bidirectional" {
		t.Fatalf("ack = %v", ack)
	}
	// bad frames are answered, counted, and not fatal
	for _, bad := range []string{`nope`, `{"v":2,"type":"subscribe"}`, `{"v":1,"type":"feeder","id":"x"}`, `{"v":1,"type":"subscribe","feeders":["F77"]}`} {
		send(t, a, bad)
		if ack := readFrame(t, a); ack["type"] != "ack" || ack["status"] != "rejected" || ack["reason"] == "" {
			t.Fatalf("answer to %s = %v", bad, ack)
		}
	}

	// a second client on "/" without a filter
	b := dial(t, base+"/")
	readFrame(t, b)
	send(t, b, `{"v":1,"type":"subscribe"}`)
	readFrame(t, b)
	if n := len(readFrame(t, b)["frames"].([]any)); n != 5 {
		t.Errorf("unfiltered state has %d frames, want 5", n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	fake.BlockUntil(1)
	for _, c := range []*websocket.Conn{a, b} {
		// The speed comes first, to every client, filtered or not
		// (docs/protocol.md, Clock).
		if f := readFrame(t, c); f["type"] != "batch" || len(f["frames"].([]any)) != 0 || f["clock"].(map[string]any)["speed"] != 60.0 {
			t.Fatalf("first frame of the run = %v, want the clock signal at 60", f)
		}
	}
	if f := readFrame(t, a); f["type"] != "batch" || len(f["frames"].([]any)) != 2 {
		t.Fatalf("state at start of run = %v", f)
	}
	readFrame(t, b)
	fake.Advance(time.Second)
	step := readFrame(t, a)
	if step["type"] != "batch" {
		t.Fatalf("stream frame %v", step)
	}
	for _, m := range step["frames"].([]any) {
		if id := m.(map[string]any)["id"]; id != "F02" && id != "CP-0003" {
			t.Errorf("filtered stream carried %v", id)
		}
	}
	var sawDischarge bool
	for _, m := range readFrame(t, b)["frames"].([]any) {
		f := m.(map[string]any)
		if f["id"] == "CP-0001" && f["state"] == "discharging" {
			sawDischarge = true
		}
	}
	if !sawDischarge {
		t.Error("the unfiltered client did not see CP-0001 discharging after its setpoint")
	}
	st := srv.Stats()
	if st.Clients != 2 || st.Connections != 2 || st.BadFrames != 4 || st.Setpoints != 2 {
		t.Errorf("stats = %+v", st)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run = %v", err)
	}
	// Stopped before the end of the day: going away, not a normal closure.
	if code, reason := closeOf(t, a); code != websocket.CloseGoingAway || reason != StopReason {
		t.Errorf("stopped server closed with %d %q, want %d %q", code, reason, websocket.CloseGoingAway, StopReason)
	}
}

// closeOf reads conn until it fails and returns the close frame's code and
// reason; it fails the test when the connection ends without one.
func closeOf(t *testing.T, conn *websocket.Conn) (int, string) {
	t.Helper()
	for {
		_, _, err := conn.ReadMessage()
		if err == nil {
			continue
		}
		ce, ok := errors.AsType[*websocket.CloseError](err)
		if !ok {
			t.Fatalf("connection ended without a close frame: %v", err)
		}
		return ce.Code, ce.Text
	}
}

// TestServerEndOfDay: when the day is over every client gets the day's
// last frames, then a normal closure (1000) saying the scenario ended, and
// Run returns only once it is written. A client that connects afterwards
// gets the hello, the final state and the same close.
func TestServerEndOfDay(t *testing.T) {
	s := newSim(t, 23*time.Hour+57*time.Minute)
	srv := NewServer(s, ServerOptions{Logger: quiet})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	url := "ws" + strings.TrimPrefix(hs.URL, "http") + "/v1"
	a := dial(t, url)
	readFrame(t, a)
	send(t, a, `{"v":1,"type":"subscribe"}`)
	readFrame(t, a) // hello
	readFrame(t, a) // state
	// Jump to the end of the day before running: the run delivers the
	// state, the three remaining minutes and then ends, with no clock.
	if err := s.Seek(s.End()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Run(context.Background()); err != nil {
		t.Fatalf("Run at the end of the day = %v", err)
	}
	var last string
	for {
		_, data, err := a.ReadMessage()
		if err != nil {
			ce, ok := errors.AsType[*websocket.CloseError](err)
			if !ok || ce.Code != websocket.CloseNormalClosure || ce.Text != DayEndReason {
				t.Fatalf("end of day: %v, want close %d %q", err, websocket.CloseNormalClosure, DayEndReason)
			}
			break
		}
		last = string(data)
	}
	// The day's last minute came before the close.
	if want := s.End().Format(time.RFC3339); !strings.Contains(last, want) {
		t.Errorf("last frame before the close %.200s, want one at %s", last, want)
	}
	if st := srv.Stats(); st.Clients != 0 {
		t.Errorf("%d clients after the end of the day", st.Clients)
	}

	late := dial(t, url)
	if f := readFrame(t, late); f["type"] != "hello" {
		t.Fatalf("late client's first frame %v, want the hello", f)
	}
	if f := readFrame(t, late); f["type"] != "batch" {
		t.Fatalf("late client's second frame %v, want the final state", f)
	}
	if code, reason := closeOf(t, late); code != websocket.CloseNormalClosure || reason != DayEndReason {
		t.Errorf("late client closed with %d %q, want %d %q", code, reason, websocket.CloseNormalClosure, DayEndReason)
	}
}

func TestServerPaths(t *testing.T) {
	srv := NewServer(newSim(t, 0), ServerOptions{Logger: quiet})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	if _, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(hs.URL, "http")+"/v2", nil); err == nil || resp.StatusCode != 404 {
		t.Errorf("/v2: err %v", err)
	}
}
