package sshd

import (
	"context"
	"time"
)

// shutdownTick is how often the shutdown notice's countdown is refreshed.
const shutdownTick = time.Second

// countDownGrace waits out a shutdown's grace, calling tell with the time
// left at its start and again every shutdownTick, so the notice operators
// read ("disconnecting in 10 s") counts down as the idle warning does:
// posted once, it still said "in 10 s" a second before the sessions were
// closed. It returns when grace has passed on clk or ctx is done.
func countDownGrace(ctx context.Context, clk idleClock, grace time.Duration, tell func(left time.Duration)) {
	end := clk.Now().Add(grace)
	for {
		left := end.Sub(clk.Now())
		if left <= 0 {
			return
		}
		tell(left)
		fired, stop := clk.After(min(left, shutdownTick))
		select {
		case <-ctx.Done():
			stop()
			return
		case <-fired:
		}
	}
}
