package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
)

// failAfterWriter takes ok writes, then fails every later one as
// /dev/full does, counting the writes that reached it.
type failAfterWriter struct {
	ok     int
	writes int
}

func (w *failAfterWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes > w.ok {
		return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
	}
	return len(p), nil
}

// TestReplayHeadlessStopsAtFailedWrite: `replay FILE --headless > /dev/full`
// stops at the first write that failed and says so once: it played and
// read the whole recording, writing each summary line to a stdout that took
// none, then exited 1.
func TestReplayHeadlessStopsAtFailedWrite(t *testing.T) {
	path := demoRecording(t)
	tests := []struct {
		name string
		ok   int    // writes that get through
		said string // on stderr
	}{
		{"the first line fails", 0, "stopped before playing " + path},
		{"a summary line fails", 1, "the rest not played"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := &failAfterWriter{ok: tt.ok}
			var errb bytes.Buffer
			code := runChecked(context.Background(), []string{"replay", path, "--headless"}, out, &errb)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr: %s", code, errb.String())
			}
			if out.writes != tt.ok+1 {
				t.Errorf("%d writes reached stdout, want %d: it wrote on after the one that failed", out.writes, tt.ok+1)
			}
			const lost = "write /dev/stdout: no space left on device"
			if got := errb.String(); !strings.Contains(got, "v2gdesk replay: could not write to stdout: "+lost) || !strings.Contains(got, tt.said) {
				t.Errorf("stderr %q does not say the write failed and %q", got, tt.said)
			}
			if n := strings.Count(errb.String(), lost); n != 1 {
				t.Errorf("stderr names the failed write %d times, want once:\n%s", n, errb.String())
			}
		})
	}
}
