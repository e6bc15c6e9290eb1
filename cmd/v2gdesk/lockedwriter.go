package main

import (
	"io"
	"sync"
)

// lockedWriter serialises writes to w: `v2gdesk sim` writes its command
// answers, its day's-end notice and its log lines to one stderr from
// several goroutines, and a line must not interleave with another.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// Write writes p to the underlying writer, one caller at a time.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
