package main

import (
	"context"
	"os"
	"os/signal"
)

// interruptContext is signal.NotifyContext for sigs, except that once one
// arrives it ignores SIGPIPE before it cancels. Ctrl-C reaches the whole
// pipeline, so in `v2gdesk serve 2>&1 | tee serve.log` tee is gone when
// the desk begins to shut down; with SIGPIPE's default action the desk's
// first log line of the shutdown killed it before it cancelled its DR
// events and journalled that it had (`dispatch --follow | tee` exited 141
// without its last line). Ignored, a write to the closed pipe fails
// instead (EPIPE), and the shutdown goes on. Until then SIGPIPE keeps its
// default, so `replay --headless | head` still ends quietly.
func interruptContext(parent context.Context, sigs ...os.Signal) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	got := make(chan os.Signal, 1)
	signal.Notify(got, sigs...)
	go func() {
		select {
		case <-got:
			surviveClosedPipe()
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(got)
		cancel()
	}
}
