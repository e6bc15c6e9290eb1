package main

import (
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// TestStatusFeedLostInWindowFails: a feed that sends its hello and then
// drops the connection (a gateway crash-looping) got its summary printed
// and exit 0, the "disconnected" on the feed line the only sign: a script
// checking `status || page` saw a healthy feed. The summary is still
// printed (what came before), stderr says the feed was lost, and the exit
// is 1.
func TestStatusFeedLostInWindowFails(t *testing.T) {
	url := wsFeed(t, "/feed", func(c *websocket.Conn) {
		if _, _, err := c.ReadMessage(); err != nil { // the subscribe frame
			return
		}
		c.WriteMessage(websocket.TextMessage, []byte(testHello))
		// No close frame: the connection just ends (close 1006 for
		// the client), as a crashed gateway's does.
		c.NetConn().Close()
	})

	// --window long enough that only the loss, not its end, can end it.
	code, out, errs := runCmd("status", "--feed", url, "--window", "1h")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(out, "site      Test Town (UTC)") || !strings.Contains(out, "feed      "+url+", disconnected") {
		t.Errorf("stdout lacks the summary of what came before:\n%s", out)
	}
	if want := "v2gdesk status: lost during the window, after the hello of " + url + ": "; !strings.HasPrefix(errs, want) || !strings.Contains(errs, "the summary above is what came before") {
		t.Errorf("stderr %q, want it to start %q", errs, want)
	}
}
