package sim

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// TestWaitTaken: a restart and a seek asked for while Run runs are taken
// only at Run's next turn; WaitTaken returns once they are, so a caller
// that then stops Run finds the clock at the target. Before Run, and with
// nothing pending, it returns at once; a done ctx ends the wait.
func TestWaitTaken(t *testing.T) {
	sc := testScenario(t)
	day := sc.Start()
	s, err := New(sc, Options{Start: day.Add(17 * time.Hour), Speed: 60, Clock: clock.NewFake(time.Unix(0, 0)), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WaitTaken(context.Background()); err != nil {
		t.Fatalf("before Run: %v, want nil at once", err)
	}
	ready := make(chan struct{}, 1)
	s.onWait = func(time.Duration) {
		select {
		case ready <- struct{}{}:
		default:
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, &linkSink{}) }()
	<-ready

	// Run is blocked on its fake clock's timer; Restart pokes it, and
	// WaitTaken returns only once Run has taken the restart.
	back := day.Add(10 * time.Hour)
	if err := s.Restart(back); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitTaken(context.Background()); err != nil {
		t.Fatalf("after Restart: %v", err)
	}
	if now := s.Now(); !now.Equal(back) {
		t.Errorf("clock %s once WaitTaken returned after a restart, want 10:00", now)
	}
	ahead := day.Add(19 * time.Hour)
	if err := s.Seek(ahead); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitTaken(context.Background()); err != nil {
		t.Fatalf("after Seek: %v", err)
	}
	if now := s.Now(); !now.Equal(ahead) {
		t.Errorf("clock %s once WaitTaken returned after a seek, want 19:00", now)
	}

	// A restart Run is never woken for (the fake clock never fires) is
	// still pending when the caller's ctx ends the wait.
	s.mu.Lock()
	s.restart = &back // as Restart leaves it, without poking Run
	s.mu.Unlock()
	gone, stop := context.WithCancel(context.Background())
	stop()
	if err := s.WaitTaken(gone); !errors.Is(err, context.Canceled) {
		t.Errorf("pending restart, done ctx: %v, want context.Canceled", err)
	}
	cancel()
	<-done
	if err := s.WaitTaken(context.Background()); err != nil {
		t.Errorf("after Run returned: %v, want nil at once", err)
	}
}
