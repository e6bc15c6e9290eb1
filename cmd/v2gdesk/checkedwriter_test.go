package main

import (
	"bytes"
	"errors"
	"sync"
	"syscall"
	"testing"

	"github.com/charmbracelet/x/term"
	"github.com/creack/pty"
)

// TestCheckedWriterPassesOnAfterAFailure: without stop, every write goes
// on to the stream after one failed (runChecked's streams: what the
// command prints next may still get through, stderr in particular), and
// the first failure is the one kept.
func TestCheckedWriterPassesOnAfterAFailure(t *testing.T) {
	under := &failAfterWriter{ok: 1}
	c := &checkedWriter{w: under}
	for i := range 4 {
		_, err := c.Write([]byte("line\n"))
		if (err != nil) != (i >= 1) {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if under.writes != 4 {
		t.Errorf("%d writes reached the stream, want all 4", under.writes)
	}
	if err := c.failed(); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("failed() = %v, want the first failure, ENOSPC", err)
	}
}

// TestCheckedWriterStops: with stop, the first failed write calls stop
// once and every later write is refused with that error without reaching
// the stream (replay --headless stops there), from several goroutines too.
func TestCheckedWriterStops(t *testing.T) {
	under := &failAfterWriter{ok: 3}
	var stops int
	c := &checkedWriter{w: under, stop: func() { stops++ }}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 4 {
				_, _ = c.Write([]byte("line\n"))
			}
		})
	}
	wg.Wait()
	if stops != 1 {
		t.Errorf("stop called %d times, want once", stops)
	}
	if under.writes != 4 {
		t.Errorf("%d writes reached the stream, want the 3 that got through and the one that failed", under.writes)
	}
	n, err := c.Write([]byte("more\n"))
	if n != 0 || !errors.Is(err, syscall.ENOSPC) || !errors.Is(c.failed(), syscall.ENOSPC) {
		t.Errorf("a write after the stop: %d, %v; failed() %v; want 0 and the first failure", n, err, c.failed())
	}
	if c.failed() == nil || under.writes != 4 {
		t.Errorf("a write after the stop reached the stream (%d writes)", under.writes)
	}
}

// TestTerminalSeenThroughTheWrappers: a terminal stays one to the code
// that asks (the audit table's width, the dashboard's log), behind the
// checked stream runChecked gives every command and behind replay
// --headless's stopping one over it. A wrapper that hid the *os.File
// broke audit's fitted table and the dashboard's log before.
func TestTerminalSeenThroughTheWrappers(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: 123, Rows: 24}); err != nil {
		t.Fatal(err)
	}
	checked := &checkedWriter{w: tty}
	for _, c := range []struct {
		name string
		w    *checkedWriter
	}{
		{"checked", checked},
		{"stopping", &checkedWriter{w: tty, stop: func() {}}},
		{"stopping over checked", &checkedWriter{w: checked, stop: func() {}}},
	} {
		f, ok := fileOf(c.w)
		if !ok || f != tty || !term.IsTerminal(f.Fd()) {
			t.Errorf("%s: fileOf = %v, %v; want the terminal", c.name, f, ok)
		}
		if got := auditWidth(c.w, false); got != 123 {
			t.Errorf("%s: the audit table's width %d, want the terminal's 123", c.name, got)
		}
	}
	if _, ok := fileOf(&checkedWriter{w: &checkedWriter{w: &bytes.Buffer{}}, stop: func() {}}); ok {
		t.Error("fileOf(a buffer behind two wrappers) found a file")
	}
}
