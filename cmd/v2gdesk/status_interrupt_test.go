package main

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestStatusInterruptedInWindow: Ctrl-C (the context cancelled) once the
// hello is in, during --window, is an interrupted status: stderr says so,
// no summary is printed as if the window had run, exit 1.
func TestStatusInterruptedInWindow(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	url := wsFeed(t, "/feed", func(c *websocket.Conn) {
		if _, _, err := c.ReadMessage(); err != nil { // the subscribe frame
			return
		}
		c.WriteMessage(websocket.TextMessage, []byte(batchOf(testHello, testFeeder, testCharger)))
		cancel() // the operator's Ctrl-C, as the hello lands
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})
	var out, errb bytes.Buffer
	// --window long enough that only the interrupt can end it.
	code := run(ctx, []string{"status", "--feed", url, "--window", "1h"}, &out, &errb)
	if code != 1 || out.Len() != 0 {
		t.Fatalf("exit %d, want 1 with nothing on stdout\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}
	if want := "v2gdesk status: interrupted before the summary of " + url + ": nothing printed\n"; errb.String() != want {
		t.Fatalf("stderr %q, want %q", errb.String(), want)
	}
}

// TestStatusWindowEndedByInterrupt: the subscriber's own end after a
// Ctrl-C (context.Canceled) was read as a feed its server ended, and the
// summary went out with exit 0 whenever that end won the window's select
// over ctx.Done (both ready at once): the race is rare, so the decision
// is tested where it is made.
func TestStatusWindowEndedByInterrupt(t *testing.T) {
	snap := &feeds.Snapshot{}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if s, err := windowEnded(cancelled, "ws://x/v1", snap, context.Canceled); s != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted: windowEnded = %v, %v; want no snapshot and context.Canceled", s, err)
	}
	// A simulated feed its server ended: the summary, exit 0.
	if s, err := windowEnded(context.Background(), "ws://x/v1", snap, nil); s != snap || err != nil {
		t.Errorf("server ended the feed: windowEnded = %v, %v; want the snapshot and no error", s, err)
	}
	// A lost feed: the summary and the loss.
	lostErr := errors.New("close 1006")
	s, err := windowEnded(context.Background(), "ws://x/v1", snap, lostErr)
	if lost, ok := errors.AsType[*lostInWindowError](err); s != snap || !ok || !errors.Is(lost, lostErr) {
		t.Errorf("feed lost: windowEnded = %v, %v; want the snapshot and a lostInWindowError", s, err)
	}
}
