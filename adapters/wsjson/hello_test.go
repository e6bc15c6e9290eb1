package wsjson_test

import (
	"context"
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
	a := wsjson.NewLinked(t.Context(), "ws"+strings.TrimPrefix(hs.URL, "http")+"/v1", wsjson.LinkOptions{Logger: quiet, Name: "agg", KeepHello: true})
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
		got, listed, err := pb.PeerBounds(ctx, want.ID, 30*time.Second)
		if err != nil || !listed || got != want {
			t.Fatalf("PeerBounds(%s) = %+v, %v, %v; want %+v as the simulator's hello says", want.ID, got, listed, err, want)
		}
	}
	if got, listed, err := pb.PeerBounds(ctx, "NOT-THERE", 30*time.Second); err != nil || listed {
		t.Errorf("a charger the hello does not list: %+v, listed %v, %v; want not listed, no error", got, listed, err)
	}
}

// A peer that sends no hello announces nothing: PeerBounds says so,
// naming the URL, once no message began within its begin window, or at
// once when the first message is not a usable hello (protocol v1 sends
// the hello first); a bad hello is counted as a malformed frame, not
// taken for a topology. A later hello replaces the earlier one, and one
// heard after other frames (a topology change) counts as any other.
func TestLinkAdapterPeerBoundsWithoutAHello(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	linked := func(t *testing.T, url string) *wsjson.LinkAdapter {
		a := wsjson.NewLinked(t.Context(), url, wsjson.LinkOptions{Logger: quiet, KeepHello: true})
		t.Cleanup(func() { a.Link().Close() })
		return a
	}
	t.Run("silent", func(t *testing.T) {
		url := wsjsontest.Peer(t, func(feeds.SetpointFrame) string { return "" })
		a := linked(t, url)
		// 200 ms is the input under test, the window for the hello to begin.
		_, listed, err := a.PeerBounds(t.Context(), "X", 200*time.Millisecond)
		if listed || err == nil || !strings.Contains(err.Error(), url+" is up but sent nothing within 200ms, so no hello") {
			t.Errorf("listed %v, err %v; want none, the URL up and silent", listed, err)
		}
	})
	t.Run("another frame first", func(t *testing.T) {
		url := helloPeer(t, `{"v":1,"type":"ack","id":"x","status":"accepted","applied_kw":0}`)
		a := linked(t, url)
		// Not waited for past the first frame: a window of a minute is never used.
		_, listed, err := a.PeerBounds(t.Context(), "X", time.Minute)
		if listed || err == nil || !strings.Contains(err.Error(), url+" sent no usable hello first") {
			t.Errorf("listed %v, err %v; want none: the first frame was not a hello", listed, err)
		}
	})
	t.Run("bad hello", func(t *testing.T) {
		// Charger X twice: a hello a desk refuses.
		url := helloPeer(t, `{"v":1,"type":"hello","site":"S","ts":"2026-11-28T10:00:00Z","feeders":[{"id":"F","import_limit_kw":100}],`+
			`"chargers":[{"id":"X","feeder":"F","max_charge_kw":11,"max_discharge_kw":10},{"id":"X","feeder":"F","max_charge_kw":7}]}`)
		a := linked(t, url)
		_, listed, err := a.PeerBounds(t.Context(), "X", time.Minute)
		if listed || err == nil || !strings.Contains(err.Error(), "sent no usable hello first") {
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
		ackSeen := make(chan struct{})
		l := wsjson.StartLink(t.Context(), url, func(ack feeds.AckFrame, _ error) {
			if ack.ID == "marker" {
				close(ackSeen)
			}
		}, wsjson.LinkOptions{Logger: quiet, KeepHello: true})
		t.Cleanup(func() { l.Close() })
		<-ackSeen // frames are read in order: both hellos came before it
		info, listed, err := l.Announced(t.Context(), "X", time.Minute)
		if err != nil || !listed || info.MaxChargeKW != 7 {
			t.Errorf("Announced = %+v, %v, %v; want the later hello's 7 kW", info, listed, err)
		}
	})
}
