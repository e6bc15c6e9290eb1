package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
)

// watchWriter collects what is written and closes seen once it holds want.
type watchWriter struct {
	mu   sync.Mutex
	b    bytes.Buffer
	want string
	seen chan struct{}
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.b.Write(p)
	if strings.Contains(w.b.String(), w.want) && w.seen != nil {
		close(w.seen)
		w.seen = nil
	}
	return n, err
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// A setpoint whose peer never answers is reported timeout; after
// --wait-answer the command says it got no late answer, and then closing
// waits for the adapter's grace (up to 30 s) to journal an answer that still
// comes. It said nothing of that wait and sat silent after saying it gave
// up; it says so, as it does with --wait-answer 0, and ^C stops it.
func TestSetpointSaysItWaitsForTheAdapterAfterWaitAnswer(t *testing.T) {
	silent := silentPeer(t, nil)
	cfg, _ := writeConfig(t, silent)
	const want = "v2gdesk setpoint: the adapter still waits for the answer, up to 30s after the deadline, to journal one that comes as late_result (^C stops waiting)"
	errb := &watchWriter{want: want, seen: make(chan struct{})}
	seen := errb.seen
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m", "--wait-answer", "10ms"}, &bytes.Buffer{}, errb)
	}()
	select {
	case <-seen:
		cancel() // ^C
	case code := <-done:
		t.Fatalf("exit %d before saying it waits for the adapter; stderr:\n%s", code, errb)
	}
	if code := <-done; code != 1 {
		t.Errorf("exit %d, want 1 (no answer)", code)
	}
	if out := errb.String(); !strings.Contains(out, "no late answer from V2G1") || strings.Index(out, want) < strings.Index(out, "no late answer") {
		t.Errorf("stderr does not say it got no late answer, then that it waits:\n%s", out)
	}
}
