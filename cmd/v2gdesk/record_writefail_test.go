package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// TestRecordStopsWhenTheRecordingCannotBeWritten: when the recording could
// not be written (here a file made at --out after the command checked it,
// before the feed's first frame; a full disk is the same), `record` logged
// one line and went on "recording" until Ctrl-C, dropping every frame. It
// now stops at once (within a flush interval) and says why, exit 1, with
// the other file left as it was.
func TestRecordStopsWhenTheRecordingCannotBeWritten(t *testing.T) {
	out := filepath.Join(t.TempDir(), "day.v2grec")
	other := []byte("another recorder's recording\n")
	feed := wsFeed(t, "/v1", func(c *websocket.Conn) {
		// The command has checked --out before it connected: the
		// file appears now, before the first frame.
		if err := os.WriteFile(out, other, 0o644); err != nil {
			t.Error(err)
			return
		}
		c.WriteMessage(websocket.TextMessage, []byte(testHello))
		for { // the feed stays up: only the recorder can end the command
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})

	var stdout, stderr bytes.Buffer
	code := runRecord(context.Background(), []string{"--feed", feed, "--out", out}, &stdout, &stderr)
	want := "v2gdesk record: " + out + ": write " + out + ": it exists now"
	if code != 1 || !strings.Contains(stderr.String(), want) {
		t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr.String(), want)
	}
	if b, _ := os.ReadFile(out); string(b) != string(other) {
		t.Errorf("%s became %q", out, b)
	}
}
