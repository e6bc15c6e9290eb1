package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gorilla/websocket"
)

// TestRecordGarbageFeed: a feed that sends only messages that are not JSON
// (a wrong URL, another service on the port) made `record` log one warning
// per message (hundreds of lines a second) and end with "no frames arrived",
// which points at the network rather than at what the feed sent. Now the
// first is logged, and the end says how many came and that none was JSON.
func TestRecordGarbageFeed(t *testing.T) {
	const sent = 50
	// The first connection gets the messages and is then dropped; the
	// recorder reads a connection's messages before it sees it end, so
	// its redial says they have all been handed over.
	redialled := make(chan struct{})
	var conns atomic.Int32
	feed := wsFeed(t, "/v1", func(c *websocket.Conn) {
		if conns.Add(1) > 1 {
			if conns.Load() == 2 {
				close(redialled)
			}
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
			}
		}
		for i := 0; i < sent; i++ {
			c.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf("not json %d", i)))
		}
		// A close frame after them, not a bare close: a socket closed
		// with the client's subscribe unread is reset, losing messages.
		c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, "bye"))
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})
	out := filepath.Join(t.TempDir(), "day.v2grec")

	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-redialled; cancel() }()
	var stdout, stderr bytes.Buffer
	code := runRecord(ctx, []string{"--feed", feed, "--out", out}, &stdout, &stderr)

	want := fmt.Sprintf("v2gdesk record: %d messages arrived from %s, none of them JSON (is it a protocol v1 feed?); %s was not written", sent, feed, out)
	if code != 1 || !strings.Contains(stderr.String(), want) {
		t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr.String(), want)
	}
	if n := strings.Count(stderr.String(), "frame is not JSON"); n != 1 {
		t.Errorf("%d warnings about frames that are not JSON, want 1 (the rest counted):\n%s", n, stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s: %v, want no file", out, err)
	}
}
