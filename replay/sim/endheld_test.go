package sim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestEndWhenHeld: with Options.EndWhenHeld a sim held at the end of its
// day tells the sink the day ended (an End link event) and sends no pause
// signal, before or after a Resume; a Restart then takes the sink back
// with its reset, and the day runs from there; at the end again it ends
// again. An in-process desk shows the day over, as a replay held at its
// end does, where a desk on a served feed is paused.
func TestEndWhenHeld(t *testing.T) {
	s, held, waits := holdingSim(t, 23*time.Hour+57*time.Minute)
	s.endHeld = true // as Options.EndWhenHeld sets it
	end := s.End()
	if err := s.Seek(end); err != nil {
		t.Fatal(err)
	}
	sink := &linkSink{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, sink) }()
	holdOrEnd(t, held, done)
	if d := <-waits; d != -1 {
		t.Fatalf("Run at the end waits %v, want a paused wait (-1)", d)
	}
	s.Resume()
	if d := <-waits; d != -1 {
		t.Fatalf("Run after Resume at the end waits %v, want still held (-1)", d)
	}
	ends := func(seq []any) (n int, pauses int) {
		for _, m := range seq {
			if ev, ok := m.(feeds.LinkEvent); ok && ev.End {
				n++
			}
			if b, ok := m.([]byte); ok && strings.Contains(string(b), `"pause":`) {
				pauses++
			}
		}
		return n, pauses
	}
	seq := sink.since(0)
	if n, p := ends(seq); n != 1 || p != 0 {
		t.Fatalf("held at the end: %d End link events, %d pause signals; want 1 and 0", n, p)
	}
	if ev := seq[len(seq)-1].(feeds.LinkEvent); !ev.At.Equal(end) {
		t.Errorf("End link event at %s, want %s", ev.At, end)
	}

	mark := len(seq)
	target := end.Add(-2 * time.Minute)
	if err := s.Restart(target); err != nil {
		t.Fatal(err)
	}
	if d := <-waits; d != time.Second {
		t.Fatalf("Run after the restart waits %v, want 1s (running at 60x)", d)
	}
	if ev, ok := sink.since(mark)[0].(feeds.LinkEvent); !ok || !ev.Up || !ev.Reset || !ev.At.Equal(target) {
		t.Errorf("after the restart the sink first got %v, want the reset at %s", sink.since(mark)[0], target)
	}
	if err := s.Seek(end); err != nil {
		t.Fatal(err)
	}
	holdOrEnd(t, held, done)
	<-waits
	if n, p := ends(sink.since(mark)); n != 1 || p != 0 {
		t.Errorf("held at the end again: %d End link events, %d pause signals; want 1 and 0", n, p)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run stopped while held = %v, want nil (the day did end)", err)
	}
}
