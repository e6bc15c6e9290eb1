package main

import (
	"io"
	"sync"
)

// checkedWriter passes writes on to w and remembers the first that failed,
// for the two ways a command treats a lost output:
//
//   - A command that prints its result and exits 0 must not do so when the
//     result never reached the reader (a `setpoint > /dev/full` exited 0
//     with its result line lost): runChecked wraps stdout and stderr, lets
//     every write through and asks failed at the end.
//   - A command that streams its result (replay --headless) sets stop: the
//     first failure is final, stop is called once and every later write is
//     refused with that error, so it stops at the first lost line instead of
//     working through the rest for output nobody can read.
//
// fileOf sees through it, to the *os.File a terminal check needs.
type checkedWriter struct {
	w io.Writer
	// stop, when set, is called once at the first failed write, and makes
	// that failure final.
	stop func()
	// echo, when set, is called with each write after a failure on the
	// other stream, so the stream can tell whether the command said so.
	// It is set before the first write.
	echo func(p []byte)

	mu  sync.Mutex // several goroutines of one command may write (sim, serve)
	err error      // the first write that failed
}

// Write writes p to the underlying writer and keeps the first error; with
// stop set, only until a write failed.
func (c *checkedWriter) Write(p []byte) (n int, err error) {
	if c.stop != nil {
		n, err = c.writeOrStop(p)
	} else {
		// The lock is not held across the write: a stdout blocked on a
		// slow reader must not hold up stderr, whose echo asks stdout's
		// failed.
		n, err = c.w.Write(p)
		c.mu.Lock()
		if err != nil && c.err == nil {
			c.err = err
		}
		c.mu.Unlock()
	}
	if c.echo != nil {
		c.echo(p)
	}
	return n, err
}

// writeOrStop is Write with stop set. The lock is held across the write,
// so a write that comes while another is failing is refused, not passed on
// after the stop.
func (c *checkedWriter) writeOrStop(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
		c.stop()
	}
	return n, err
}

// failed returns the first write error, nil when every write got through.
func (c *checkedWriter) failed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}
