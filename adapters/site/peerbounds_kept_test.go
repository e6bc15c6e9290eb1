package site_test

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
	"github.com/v2gdesk/v2gdesk/adapters/site"
	"github.com/v2gdesk/v2gdesk/adapters/wsjson"
)

// A desk's wsjson adapters (Deps.PeerBounds unset) decoded and kept
// their peers' hellos, 9 MB for 100,000 chargers, which only `v2gdesk
// setpoint` reads: they now keep none, and their PeerBounds says so at
// once. With Deps.PeerBounds, as setpoint opens its site, the same peer's
// hello bounds the charger.
func TestOnlyAskedForAdaptersKeepTheirPeersHello(t *testing.T) {
	hello := `{"v":1,"type":"hello","site":"S","ts":"2026-11-28T10:00:00Z","feeders":[{"id":"F","import_limit_kw":100}],` +
		`"chargers":[{"id":"V1","feeder":"F","max_charge_kw":7}]}`
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		if c.WriteMessage(websocket.TextMessage, []byte(hello)) != nil {
			return
		}
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	doc := `{"journal":"audit.jsonl","adapters":[{"name":"ws","kind":"wsjson","settings":{"url":"` + url + `"}}],
	 "chargers":[{"id":"V1","adapter":"ws","max_charge_kw":11,"max_discharge_kw":10}]}`
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, keep := range []bool{false, true} {
		s, err := site.Open(context.Background(), config(t, doc), site.Deps{BaseDir: t.TempDir(), Logger: quiet, PeerBounds: keep})
		if err != nil {
			t.Fatal(err)
		}
		a, _ := s.Guard.Adapter("ws")
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second) // a deadline is a failure, not a pace
		if err := a.(adapters.ConnectWaiter).WaitConnected(ctx, "V1"); err != nil {
			t.Fatal(err)
		}
		info, listed, err := a.(adapters.PeerBounder).PeerBounds(ctx, "V1", time.Minute)
		cancel()
		switch {
		case !keep && (listed || !errors.Is(err, wsjson.ErrHelloNotKept)):
			t.Errorf("a desk's adapter: PeerBounds = %+v, %v, %v; want ErrHelloNotKept, nothing kept", info, listed, err)
		case keep && (err != nil || !listed || info.MaxChargeKW != 7):
			t.Errorf("setpoint's adapter: PeerBounds = %+v, %v, %v; want the hello's 7 kW", info, listed, err)
		}
		s.Close()
	}
}
