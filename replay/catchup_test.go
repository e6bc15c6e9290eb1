package replay

import (
	"context"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// hookSink counts frames and calls on (on Run's goroutine) after each.
type hookSink struct {
	n  int
	on func(n int)
}

func (h *hookSink) HandleFrame([]byte) {
	h.n++
	if h.on != nil {
		h.on(h.n)
	}
}

func (h *hookSink) HandleLink(feeds.LinkEvent) {}

// TestCatchUpHoldsPauseAndPace: a forward seek's frames are delivered at
// once while the wall clock moves on and the operator pauses. The clock
// follows the frames delivered, stops at the target once they are in (the
// pause applies then), and the pace starts there: the wall time spent
// delivering is not owed as a second catch-up.
func TestCatchUpHoldsPauseAndPace(t *testing.T) {
	rec, err := ReadFile(record(t, testFrames(t, 30), 0))
	if err != nil {
		t.Fatal(err)
	}
	fake := clock.NewFake(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	p, err := NewPlayer(rec, PlayerOptions{Speed: 60, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	// Run stops in onWait until the test lets it go on (wait), so what the
	// test reads between two waits is not raced by Run: under load Run
	// could deliver the whole seek before the test looked at the clock.
	waits, gate := make(chan time.Duration), make(chan struct{})
	p.onWait = func(d time.Duration) {
		select {
		case waits <- d:
		case <-ctx.Done():
			return
		}
		select {
		case <-gate:
		case <-ctx.Done():
		}
	}
	wait := func() time.Duration {
		d := <-waits
		gate <- struct{}{}
		return d
	}
	sink := &hookSink{}
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, sink) }()
	defer func() { cancel(); <-done }()
	<-waits // hello and 16:00's two frames are in; Run held until gate
	from, target := t0, t0.Add(20*time.Minute)

	var during []time.Time
	sink.on = func(n int) {
		during = append(during, p.Now())
		if n == 3+10 { // mid-way: the operator pauses, and 10 s of wall time pass
			p.Pause()
			fake.Advance(10 * time.Second)
		}
	}
	if err := p.Seek(target); err != nil {
		t.Fatal(err)
	}
	if now := p.Now(); !now.Equal(from) {
		t.Errorf("clock %v right after the seek, want %v until its frames come", now, from)
	}
	gate <- struct{}{}
	if d := wait(); d != -1 {
		t.Fatalf("wait after the catch-up %v, want -1 (paused)", d)
	}
	sink.on = nil
	if len(during) != 2*20 {
		t.Fatalf("%d frames delivered by the seek, want 40 (16:01..16:20, two a minute)", len(during))
	}
	for i, now := range during {
		// frames i = 2k, 2k+1 are minute k+1's
		if want := t0.Add(time.Duration(i/2+1) * time.Minute); !now.Equal(want) {
			t.Fatalf("clock %v after the seek's frame %d, want %v (its time)", now, i, want)
		}
	}
	if now := p.Now(); !now.Equal(target) || !p.Paused() {
		t.Fatalf("clock %v paused %v once the seek is in, want %v paused", now, p.Paused(), target)
	}
	p.Resume()
	d := wait()
	for d == -1 { // Run may have blocked paused once more before it heard Resume
		d = wait()
	}
	if d != time.Second {
		t.Fatalf("first wait after resuming %v, want 1s (16:21 at 60x, from 16:20)", d)
	}
	if now := p.Now(); !now.Equal(target) {
		t.Errorf("clock %v on resuming, want %v: the catch-up's wall time is not owed", now, target)
	}
}
