package replay

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// TestPlayerCountsLoops: a looping player counts its restarts (Loops), one
// per reset at the end, for the desk to say the clock's jump back is the
// loop.
func TestPlayerCountsLoops(t *testing.T) {
	frames := testFrames(t, 3)
	rec, err := Read(bytes.NewReader(readBytes(t, record(t, frames, 0))))
	if err != nil {
		t.Fatal(err)
	}
	fake := clock.NewFake(time.Unix(0, 0))
	p, err := NewPlayer(rec, PlayerOptions{Speed: 3600, Clock: fake, Loop: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := p.Loops(); n != 0 {
		t.Fatalf("Loops before Run = %d", n)
	}
	waits := make(chan time.Duration, 64)
	p.onWait = func(d time.Duration) { waits <- d }
	sink := newRecordingSink()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, sink) }()
	resets := func() uint64 {
		var n uint64
		for _, e := range sink.snapshot() {
			if e.link != nil && e.link.Reset {
				n++
			}
		}
		return n
	}
	for resets() < 2 {
		fake.Advance(<-waits)
	}
	// Run is blocked in a wait: the count is settled.
	<-waits
	if got, want := p.Loops(), resets(); got != want {
		t.Errorf("Loops = %d after %d resets at the end", got, want)
	}
	cancel()
	<-done
}
