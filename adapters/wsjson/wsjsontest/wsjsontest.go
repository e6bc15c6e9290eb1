// Package wsjsontest provides a websocket peer for tests of setpoints sent
// over protocol v1 (package wsjson and the commands that configure it), as
// net/http/httptest provides servers.
package wsjsontest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// Peer starts a websocket aggregator that answers each setpoint frame it
// reads with the text answer returns, which may break the protocol, and
// returns its ws:// URL. It stops when the test ends.
func Peer(t testing.TB, answer func(feeds.SetpointFrame) string) string {
	t.Helper()
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
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
