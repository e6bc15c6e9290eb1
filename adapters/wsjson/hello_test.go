package wsjson_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson/wsjsontest"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// helloPeer is a websocket peer that sends each of frames on connecting
// and then holds the connection until the client closes it.
func helloPeer(t *testing.T, frames ...string) string {
	t.Helper()
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for _, f := range frames {
			if c.WriteMessage(websocket.TextMessage, []byte(f)) != nil {
				return
			}
		}
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// A wsjson adapter skipped the hello of the peer it dials, so `v2gdesk
// setpoint` bounded a charger by the adapters file alone whatever the peer
// announced: a one-way charger written as bidirectional was sent a
// discharge. The adapter now keeps the latest hello's chargers and says
// what it announces of one (PeerBounds), from v2gdesk sim's own hello.
func TestLinkAdapterPeerBoundsFromTheSimulatorsHello(t *testing.T) {
	ss := startSim(t)
	hs := httptest.NewServer(ss.srv)
	t.Cleanup(hs.Close)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := wsjson.NewLinked(t.Context(), "ws"+strings.TrimPrefix(hs.URL, "http")+"/v1", wsjson.LinkOptions{Logger: quiet, Name: "agg"})
	t.Cleanup(func() { a.Link().Close() })
	var pb adapters.PeerBounder = a // the capability `v2gdesk setpoint` asks for

	hello, err := feeds.Decode(ss.sim.Hello())
	if err != nil {
		t.Fatal(err)
	}
	var oneWay, twoWay feeds.ChargerInfo
	for _, c := range hello.(*feeds.Hello).Chargers {
		switch {
		case oneWay.ID == "" && !c.Bidirectional():
			oneWay = c
		case twoWay.ID == "" && c.Bidirectional():
			twoWay = c
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second) // a deadline is a failure, not a pace
	defer cancel()
	for _, want := range []feeds.ChargerInfo{oneWay, twoWay} {
		got, listed, err := pb.PeerBounds(ctx, want.ID)
		if err != nil || !listed || got != want {
			t.Fatalf("PeerBounds(%s) = %+v, %v, %v; want %+v as the simulator's hello says", want.ID, got, listed, err, want)
		}
	}
	if got, listed, err := pb.PeerBounds(ctx, "NOT-THERE"); err != nil || listed {
		t.Errorf("a charger the hello does not list: %+v, listed %v, %v; want not listed, no error", got, listed, err)
	}
}

// A peer that sends no hello, or one that does not decode, announces
// nothing: PeerBounds says so when its ctx ends, naming the URL, and the
// bad hello is counted as a malformed frame, not taken for a topology; a
// later hello replaces the earlier one.
func TestLinkAdapterPeerBoundsWithoutAHello(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	quick := func(t *testing.T) context.Context {
		// PeerBounds waits for this deadline: it is the test's input.
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		t.Cleanup(cancel)
		return ctx
	}
	t.Run("no hello", func(t *testing.T) {
		url := wsjsontest.Peer(t, func(feeds.SetpointFrame) string { return "" })
		a := wsjson.NewLinked(t.Context(), url, wsjson.LinkOptions{Logger: quiet})
		t.Cleanup(func() { a.Link().Close() })
		if err := a.WaitConnected(t.Context(), "X"); err != nil {
			t.Fatal(err)
		}
		_, listed, err := a.PeerBounds(quick(t), "X")
		if listed || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), url+" is up but sent no hello") {
			t.Errorf("listed %v, err %v; want none, the URL up without a hello", listed, err)
		}
	})
	t.Run("bad hello", func(t *testing.T) {
		// Charger X twice: a hello a desk refuses.
		url := helloPeer(t, `{"v":1,"type":"hello","site":"S","ts":"2026-11-28T10:00:00Z","feeders":[{"id":"F","import_limit_kw":100}],`+
			`"chargers":[{"id":"X","feeder":"F","max_charge_kw":11,"max_discharge_kw":10},{"id":"X","feeder":"F","max_charge_kw":7}]}`)
		a := wsjson.NewLinked(t.Context(), url, wsjson.LinkOptions{Logger: quiet})
		t.Cleanup(func() { a.Link().Close() })
		_, listed, err := a.PeerBounds(quick(t), "X")
		if listed || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("a hello that does not decode: listed %v, err %v; want nothing announced", listed, err)
		}
		if f := a.PeerFaults(); f.Malformed != 1 {
			t.Errorf("peer faults %+v, want the bad hello counted as malformed", f)
		}
	})
	t.Run("later hello", func(t *testing.T) {
		h := func(kw string) string {
			return `{"v":1,"type":"hello","site":"S","ts":"2026-11-28T10:00:00Z","feeders":[{"id":"F","import_limit_kw":100}],` +
				`"chargers":[{"id":"X","feeder":"F","max_charge_kw":` + kw + `}]}`
		}
		url := helloPeer(t, h("11"), h("7"), `{"v":1,"type":"ack","id":"marker","status":"accepted","applied_kw":0}`)
		var ackSeen = make(chan struct{})
		l := wsjson.StartLink(t.Context(), url, func(ack feeds.AckFrame, _ error) {
			if ack.ID == "marker" {
				close(ackSeen)
			}
		}, wsjson.LinkOptions{Logger: quiet})
		t.Cleanup(func() { l.Close() })
		select { // frames are read in order: both hellos came before it
		case <-ackSeen:
		case <-time.After(30 * time.Second):
			t.Fatal("the peer's frames never came")
		}
		info, listed, err := l.Announced(t.Context(), "X")
		if err != nil || !listed || info.MaxChargeKW != 7 {
			t.Errorf("Announced = %+v, %v, %v; want the later hello's 7 kW", info, listed, err)
		}
	})
}
