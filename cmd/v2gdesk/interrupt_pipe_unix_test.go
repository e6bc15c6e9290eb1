//go:build unix

package main

import (
	"bufio"
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
)

// TestServeInterruptedWithItsPipeGone: `v2gdesk serve 2>&1 | tee
// serve.log` and Ctrl-C, which stops tee too: the desk still shuts down
// and journals it (the logins' logout, the DR events' cancel), where its
// first log line of the shutdown, written to the pipe tee had left, killed
// it with SIGPIPE.
func TestServeInterruptedWithItsPipeGone(t *testing.T) {
	bin := buildBinary(t)
	cmd := demoServeCommand(t, bin)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := bufio.NewScanner(r)
	for lines.Scan() {
		if strings.Contains(lines.Text(), "listening on 127.0.0.1:") {
			break
		}
	}
	// tee stops: the pipe has no reader left.
	r.Close()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("serve after Ctrl-C with its pipe gone: killed by %v (%v), want a shutdown", ws.Signal(), err)
	}
	// Its output is lost (nobody reads the pipe), which the exit says:
	// 1, not 0, but a code of its own, not a signal's.
	if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 {
		t.Errorf("serve after Ctrl-C with its pipe gone: exit %d (%v), want 0 or 1", code, err)
	}
}

// TestInterruptContextIgnoresSIGPIPEOnlyOnceInterrupted: SIGPIPE keeps its
// default until a stopping signal arrives (`replay --headless | head`
// ends quietly), and is ignored before the context is cancelled, so
// nothing the cancel sets off can be killed by a pipe Ctrl-C closed.
func TestInterruptContextIgnoresSIGPIPEOnlyOnceInterrupted(t *testing.T) {
	t.Cleanup(restoreSIGPIPE)
	// An earlier test of this process may have run a command that sends
	// setpoints (dispatch --yes, setpoint), which ignores SIGPIPE for good
	// (surviveClosedPipe).
	restoreSIGPIPE()
	ctx, stop := interruptContext(context.Background(), syscall.SIGUSR1)
	defer stop()
	if signal.Ignored(syscall.SIGPIPE) {
		t.Fatal("SIGPIPE ignored before any signal")
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	<-ctx.Done()
	if !signal.Ignored(syscall.SIGPIPE) {
		t.Error("cancelled, SIGPIPE not ignored yet")
	}
}

// restoreSIGPIPE gives SIGPIPE back its default action once a test has
// ignored it. signal.Reset alone does not: the runtime keeps the signal
// marked ignored, so the next run of the test in the same process (go test
// -count 2) found it "ignored before any signal", and every later test ran
// with SIGPIPE ignored. Notify takes the mark off; Reset then restores the
// default.
func restoreSIGPIPE() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGPIPE)
	signal.Reset(syscall.SIGPIPE)
}
