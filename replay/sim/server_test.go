package sim

import (
	"context"
	"encoding/json"
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
	if _, _, err := a.ReadMessage(); err == nil {
		t.Error("connection still open after the server stopped")
	}
}

func TestServerDropsSlowClient(t *testing.T) {
	s := newSim(t, 18*time.Hour)
	srv := NewServer(s, ServerOptions{Logger: quiet, QueueLen: 1, MaxSkips: 2})
	hs := httptest.NewServer(srv)
	defer hs.Close()
	conn := dial(t, "ws"+strings.TrimPrefix(hs.URL, "http"))
	readFrame(t, conn)
	// a client whose writer is stuck: nobody drains its queue
	srv.mu.Lock()
	var real *client
	for c := range srv.clients {
		real = c
	}
	stuck := &client{conn: real.conn, send: make(chan []byte, 1), subscribed: true}
	srv.clients[stuck] = struct{}{}
	srv.mu.Unlock()
	for i := 0; i < 3; i++ {
		srv.HandleFrame([]byte(`{"v":1,"type":"batch","frames":[]}`))
	}
	st := srv.Stats()
	if st.Skipped != 2 || st.Dropped != 1 {
		t.Fatalf("stats = %+v, want 2 skipped and 1 dropped", st)
	}
	if _, _, err := conn.ReadMessage(); err == nil {
		t.Error("slow client's connection still open")
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
