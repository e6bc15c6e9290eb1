package sshd

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestCountDownGrace: the shutdown notice is told the time left at the
// start of the grace and at every tick after it, and the wait ends with
// the grace, not before. Posted once, the notice still read "in 10 s" a
// second before the sessions were closed.
func TestCountDownGrace(t *testing.T) {
	start := time.Date(2026, 11, 28, 7, 20, 0, 0, time.UTC)
	clk := newHandClock(start)
	told := make(chan time.Duration, 8)
	done := make(chan struct{})
	go func() {
		countDownGrace(context.Background(), clk, 3*time.Second, func(left time.Duration) { told <- left })
		close(done)
	}()
	var got []time.Duration
	for i := 1; i <= 3; i++ {
		if w := <-clk.waits; w != time.Second {
			t.Fatalf("wait %d: %v, want 1s", i, w)
		}
		got = append(got, <-told)
		clk.fire(start.Add(time.Duration(i) * time.Second))
	}
	<-done
	if want := []time.Duration{3 * time.Second, 2 * time.Second, time.Second}; !slices.Equal(got, want) {
		t.Errorf("told %v, want %v", got, want)
	}
}

// TestCountDownGraceCancelled: a cancelled context ends the wait (the
// caller's deadline for the whole shutdown).
func TestCountDownGraceCancelled(t *testing.T) {
	clk := newHandClock(time.Date(2026, 11, 28, 7, 20, 0, 0, time.UTC))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		countDownGrace(ctx, clk, 10*time.Second, func(time.Duration) {})
		close(done)
	}()
	<-clk.waits
	cancel()
	<-done
}

// TestShutdownNoticeCountsDown: an operator connected when the desk stops
// reads the time left fall ("disconnecting in 2 s", then "in 1 s"), not
// the grace it started with until the very end.
func TestShutdownNoticeCountsDown(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, nil)
	d := openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "DESK dana")
	done := stopping(ts)
	d.out.waitFor(t, "disconnecting in 2 s: server stopping (SIGTERM)")
	d.out.waitFor(t, "disconnecting in 1 s: server stopping (SIGTERM)")
	d.out.waitFor(t, "v2gdesk: disconnected: server stopping (SIGTERM)")
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}
