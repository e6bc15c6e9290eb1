package wsjson_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestConnectionLostBeforeTheAck: a peer that sends a frame over the size
// limit (the connection is closed: websocket 1009) before its ack. The
// setpoint was sent, so the outcome is unknown (timeout), but it is
// answered as soon as the connection ends, naming why, rather than at the
// deadline as "no ack" (35 s in the desk: the batch deadline and the late
// grace). Garbage frames before it are counted and skipped.
func TestConnectionLostBeforeTheAck(t *testing.T) {
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		var f feeds.SetpointFrame
		if err := c.ReadJSON(&f); err != nil {
			return
		}
		for _, g := range []string{"\x00\xffnot json", `{"v":1,"type":"ack"`, `[1,2,3]`} {
			_ = c.WriteMessage(websocket.TextMessage, []byte(g))
		}
		_ = c.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"charger","pad":"`+strings.Repeat("x", feeds.MaxFrameBytes)+`"}`))
		_ = c.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"ack","id":"`+f.ID+`","charger":"C1","status":"accepted","applied_kw":5}`))
		_, _, _ = c.ReadMessage() // until the client goes
	}))
	t.Cleanup(srv.Close)
	a, conn := dialAdapter(t, "ws"+strings.TrimPrefix(srv.URL, "http"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a safety net, not a timing assertion
	defer cancel()
	r := a.Apply(ctx, adapters.Setpoint{ID: "h1", Charger: "C1", KW: 5, ValidUntil: time.Now().Add(time.Hour)})
	if r.Status != adapters.StatusTimeout || !strings.Contains(r.Reason, "connection closed before the ack") ||
		!strings.Contains(r.Reason, "read limit exceeded") || ctx.Err() != nil {
		t.Fatalf("%+v (ctx %v), want timeout at once naming the closed connection", r, ctx.Err())
	}
	if _, bad := conn.Counts(); bad != 3 {
		t.Errorf("bad frames %d, want 3", bad)
	}
	// The adapter reports what its own connection could not read, so the
	// desk that runs it shows it.
	if f := a.PeerFaults(); f != (adapters.PeerFaults{Malformed: 3}) {
		t.Errorf("adapter's peer faults %+v, want the 3 bad frames", f)
	}
	if r := a.Apply(ctx, adapters.Setpoint{ID: "h2", Charger: "C1", KW: 5, ValidUntil: time.Now().Add(time.Hour)}); r.Status != adapters.StatusFailed ||
		!strings.Contains(r.Reason, "connection closed") {
		t.Fatalf("after the connection closed: %+v, want failed (not sent)", r)
	}
}

// TestLargeHelloBeforeTheAck: a server that says hello on connecting with
// a hello over feeds.MaxFrameBytes (v2gdesk sim with 100,000 chargers sends
// 9.3 MB) keeps the connection: the hello is skipped and the ack arrives.
func TestLargeHelloBeforeTheAck(t *testing.T) {
	var hello strings.Builder
	hello.WriteString(`{"v":1,"type":"hello","site":"Big","ts":"2024-02-04T18:00:00Z","feeders":[{"id":"F1","import_limit_kw":1}],"chargers":[`)
	for i := 0; hello.Len() <= feeds.MaxFrameBytes; i++ {
		if i > 0 {
			hello.WriteString(",")
		}
		fmt.Fprintf(&hello, `{"id":"C%d","feeder":"F1","max_charge_kw":11}`, i)
	}
	hello.WriteString("]}")
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.WriteMessage(websocket.TextMessage, []byte(hello.String()))
		var f feeds.SetpointFrame
		if err := c.ReadJSON(&f); err != nil {
			return
		}
		_ = c.WriteMessage(websocket.TextMessage, []byte(`{"v":1,"type":"ack","id":"`+f.ID+`","charger":"C1","status":"accepted","applied_kw":5}`))
		_, _, _ = c.ReadMessage() // until the client goes
	}))
	t.Cleanup(srv.Close)
	a, conn := dialAdapter(t, "ws"+strings.TrimPrefix(srv.URL, "http"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a safety net, not a timing assertion
	defer cancel()
	r := a.Apply(ctx, adapters.Setpoint{ID: "h1", Charger: "C1", KW: 5, ValidUntil: time.Now().Add(time.Hour)})
	if r.Status != adapters.StatusAccepted || r.AppliedKW != 5 {
		t.Fatalf("%+v, want accepted at 5 kW after a %d-byte hello", r, hello.Len())
	}
	if skipped, bad := conn.Counts(); bad != 0 || skipped != 1 {
		t.Errorf("skipped %d, bad %d; want the hello skipped, nothing bad", skipped, bad)
	}
}
