package main

import (
	"io"
	"sync"
)

// stopWriter passes writes on to w until one fails, then calls stop once
// and refuses every later write with that error. A command that streams
// its result (replay --headless) stops at the first lost line instead of
// working through the rest for output nobody can read.
type stopWriter struct {
	w    io.Writer
	stop func()

	mu  sync.Mutex
	err error // the first write that failed
}

// Write writes p to the underlying writer unless an earlier write failed.
func (s *stopWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	if err != nil {
		s.err = err
		s.stop()
	}
	return n, err
}

// failed returns the first write error, nil when every write got through.
func (s *stopWriter) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
