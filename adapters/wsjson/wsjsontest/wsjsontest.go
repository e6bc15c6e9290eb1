// Package wsjsontest provides a websocket peer for tests of setpoints sent
// over protocol v1 (package wsjson and the commands that configure it), as
// net/http/httptest provides servers.
package wsjsontest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// Peer starts a websocket aggregator that answers each setpoint frame it
// reads with the text answer returns, which may break the protocol, and
// returns its ws:// URL. It sends no hello, as a protocol v1 server would:
// a test of what a client does without one uses it; others use
// PeerWithHello. It stops when the test ends.
func Peer(t testing.TB, answer func(feeds.SetpointFrame) string) string {
	t.Helper()
	return PeerWithHello(t, "", answer)
}

// PeerWithHello is Peer sending hello first on every connection, as a
// protocol v1 server does (Hello makes one); "" sends none.
func PeerWithHello(t testing.TB, hello string, answer func(feeds.SetpointFrame) string) string {
	t.Helper()
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		if hello != "" && c.WriteMessage(websocket.TextMessage, []byte(hello)) != nil {
			return
		}
		for {
			var f feeds.SetpointFrame
			if err := c.ReadJSON(&f); err != nil {
				return
			}
			_ = c.WriteMessage(websocket.TextMessage, []byte(answer(f)))
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// helloFeeder is the one feeder of Hello's site.
const helloFeeder = "F1"

// Hello returns a protocol v1 hello frame announcing chargers with their
// bounds, each on one feeder (whatever its Feeder says), for
// PeerWithHello.
func Hello(chargers ...feeds.ChargerInfo) string {
	h := feeds.Hello{
		Header: feeds.NewHeader(feeds.TypeHello), Site: "wsjsontest", TimeZone: "UTC", TS: time.Now().UTC(),
		Feeders: []feeds.FeederInfo{{ID: helloFeeder, ImportLimitKW: 1000}},
	}
	for _, c := range chargers {
		c.Feeder = helloFeeder
		h.Chargers = append(h.Chargers, c)
	}
	b, err := json.Marshal(h)
	if err != nil {
		panic("wsjsontest: a hello does not encode: " + err.Error()) // a programming error: every field is plain
	}
	return string(b)
}
