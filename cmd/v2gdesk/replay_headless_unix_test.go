//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// watchedWriter is an io.Writer a test reads while another goroutine
// writes it: seen is closed once what is written contains want.
type watchedWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func newWatchedWriter(want string) *watchedWriter {
	return &watchedWriter{want: want, seen: make(chan struct{})}
}

func (w *watchedWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(b)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

func (w *watchedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestReplayHeadlessPlaysWhileReading: `replay --headless` starts before
// the file is read to its end: the site and start, summary lines and the
// damage found so far are out while the rest of the file is still to come
// (a named pipe the test writes to), and the end is printed once the
// reading has found it. It read the whole file first, for the end its
// first line printed (7-10 s of nothing on a 22 MB day of 100,000 EVs);
// here it waited for the rest forever.
func TestReplayHeadlessPlaysWhileReading(t *testing.T) {
	data, err := os.ReadFile(demoRecording(t))
	if err != nil {
		t.Fatal(err)
	}
	// The member after the hello's (23:11-23:20) fails its check: the
	// reading finds it in the part written first, and plays on.
	data = badMemberChecksum(t, data, 2)
	var starts []int
	for i := 0; ; {
		j := bytes.Index(data[i:], memberHeader)
		if j < 0 {
			break
		}
		starts = append(starts, i+j)
		i += j + 1
	}
	if len(starts) < 7 {
		t.Fatalf("%d gzip members, want 7 (the header's, then 10 minutes each)", len(starts))
	}
	cut := starts[5] // up to 23:40
	fifo := filepath.Join(t.TempDir(), "day.v2grec")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	wrote := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			wrote <- err
			return
		}
		defer f.Close()
		if _, err := f.Write(data[:cut]); err != nil {
			wrote <- err
			return
		}
		<-release
		_, err = f.Write(data[cut:])
		wrote <- err
	}()
	out := newWatchedWriter("\n23:30  load ")
	errb := newWatchedWriter(": gzip member failed its check")
	code := make(chan int, 1)
	go func() { code <- runReplay(context.Background(), []string{fifo, "--headless"}, out, errb) }()
	for _, w := range []*watchedWriter{out, errb} {
		select {
		case <-w.seen:
		case c := <-code:
			t.Fatalf("replay exited %d before the rest of the file was written\nstdout:\n%s\nstderr:\n%s", c, out, errb)
		}
	}
	partial := out.String()
	if first, _, _ := strings.Cut(partial, "\n"); first != "Demo City, from 2024-01-17 23:00 (Asia/Shanghai); end: not read yet" {
		t.Errorf("first line %q, printed before the end was read", first)
	}
	if strings.Contains(partial, "\nend: ") || strings.Contains(partial, "\nread ") {
		t.Errorf("the end told before the rest of the file was written:\n%s", partial)
	}
	close(release)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if c := <-code; c != 1 {
		t.Errorf("exit %d, want 1 (a member failed its check)\nstderr:\n%s", c, errb)
	}
	if got := out.String(); !strings.Contains(got, "\n00:00  load ") || !strings.Contains(got, "\nend: 2024-01-18 00:00\nread ") {
		t.Errorf("output once the file was all written:\n%s", got)
	}
	if n := strings.Count(errb.String(), ": gzip member failed its check"); n != 1 {
		t.Errorf("the damaged member told %d times, want once:\n%s", n, errb)
	}
}
