package replay

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// TestPlayerHoldsAtEnd: with HoldAtEnd a player at the end of its
// recording tells the sink the end, as one without it does, but does not
// return: a seek back (a presenter showing the peak again) resets the sink
// and plays on from there, and the end is told again when it comes. Without
// it, the replay ended and every seek was refused: the dashboard had to be
// started again.
func TestPlayerHoldsAtEnd(t *testing.T) {
	frames := testFrames(t, 3)
	rec, err := Read(bytes.NewReader(readBytes(t, record(t, frames, 0))))
	if err != nil {
		t.Fatal(err)
	}
	fake := clock.NewFake(time.Unix(0, 0))
	p, err := NewPlayer(rec, PlayerOptions{Speed: 3600, Clock: fake, HoldAtEnd: true})
	if err != nil {
		t.Fatal(err)
	}
	if !p.HoldsAtEnd() {
		t.Fatal("HoldsAtEnd = false with PlayerOptions.HoldAtEnd")
	}
	waits := make(chan time.Duration, 64)
	p.onWait = func(d time.Duration) { waits <- d }
	holds := make(chan struct{}, 64)
	p.onHold = func() { holds <- struct{}{} }
	sink := newRecordingSink()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, sink) }()
	toEnd := func(what string) {
		t.Helper()
		for {
			select {
			case d := <-waits:
				fake.Advance(d)
			case <-holds:
				return
			case err := <-done:
				t.Fatalf("%s: Run returned at the end (%v), want it held", what, err)
			}
		}
	}
	ends := func() int {
		n := 0
		for _, e := range sink.snapshot() {
			if e.link != nil && e.link.End && !e.link.Up {
				n++
			}
		}
		return n
	}

	toEnd("first play")
	if n := ends(); n != 1 {
		t.Fatalf("end told %d times at the end, want once", n)
	}
	if got := len(sink.frames()); got != len(frames) {
		t.Fatalf("delivered %d frames, want %d", got, len(frames))
	}
	fake.Advance(time.Hour)
	if got := p.Now(); !got.Equal(rec.End()) {
		t.Errorf("Now an hour after the end = %v, want the recording's end %v", got, rec.End())
	}
	if err := p.CheckSeek(rec.End().Add(time.Minute)); err == nil {
		t.Error("a seek past the end was taken")
	}

	before := len(sink.snapshot())
	if err := p.Seek(rec.Start()); err != nil {
		t.Fatalf("Seek back at the end = %v, want it taken", err)
	}
	toEnd("after the seek back")
	ev := sink.snapshot()[before:]
	if ev[0].link == nil || !ev[0].link.Reset || !ev[0].link.Up {
		t.Fatalf("first event after the seek back = %s, want the link up with a reset", describe(ev[0]))
	}
	if got := len(sink.frames()); got != 2*len(frames) {
		t.Errorf("delivered %d frames after playing again, want %d", got, 2*len(frames))
	}
	if n := ends(); n != 2 {
		t.Errorf("end told %d times after playing to it again, want twice", n)
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run after cancel = %v, want context.Canceled", err)
	}
}
