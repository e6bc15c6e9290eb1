package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters/atomicfile"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/clock"
)

// FlushInterval is how often Recorder.FlushEvery is meant to run: at most
// this much of a recording is lost when the recorder is killed.
const FlushInterval = time.Second

// RecorderOptions configure a Recorder. Zero values are usable.
type RecorderOptions struct {
	Source   string      // recorded in the header, e.g. the feed URL
	Site     string      // header site when the feed does not begin with a hello
	TimeZone string      // header time zone when the feed does not begin with a hello
	Clock    clock.Clock // receive times and the header's created time; Real when nil
	Logger   *slog.Logger
}

// RecorderStats counts what a Recorder did.
type RecorderStats struct {
	Frames    uint64 // frames written
	Invalid   uint64 // frames skipped because they were not JSON
	Flushes   uint64 // gzip members completed
	LinkDowns uint64 // times the source reported its link down
	// Backwards counts frames whose own time went back before the previous
	// line's (a simulation restarted earlier): they are recorded at that
	// previous time, so t never decreases.
	Backwards uint64
	Bytes     int64 // compressed bytes in the file
	// Kept counts the frames in completed gzip members, and KeptUntil
	// is the time (Entry.T) of the last of them: what a reader gets
	// from the file whatever happens to the frames after it (a full
	// disk, a kill).
	Kept      uint64
	KeptUntil time.Time
}

// Recorder writes the frames it is handed to a .v2grec file. It is a
// feeds.Sink, so any feeds.Source can feed it, and it is safe for concurrent
// use.
//
// The file appears at its path only once its header is complete: the header
// is written to a temporary file beside it, which is synced and renamed.
// Frames go into a gzip member that Flush completes, so a recorder killed
// with SIGKILL leaves a file readable up to its last flush.
//
// The time of each line (Entry.T) is the frame's own time when the feed's
// hello says it is a simulation or a replay (their clocks run faster than the
// wall's), kept non-decreasing; for a live feed it is the time the frame
// arrived by the recorder's clock.
type Recorder struct {
	path string
	opts RecorderOptions
	clk  clock.Clock
	log  *slog.Logger

	mu sync.Mutex
	f  *os.File
	// w is what the gzip members are written to: f (through wrap in
	// tests), its errors naming path, not f's temporary name.
	w         io.Writer
	wrap      func(f io.Writer) io.Writer // nil but in tests: a full disk
	zw        *gzip.Writer                // nil between members
	pending   uint64                      // frames in the open member
	line      bytes.Buffer
	last      time.Time
	frameTime bool
	err       error // first write error; sticky
	stats     RecorderStats
	closed    bool
}

// NewRecorder returns a Recorder that will create path on its first frame.
func NewRecorder(path string, opts RecorderOptions) *Recorder {
	clk := opts.Clock
	if clk == nil {
		clk = clock.Real()
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Recorder{path: path, opts: opts, clk: clk, log: log}
}

// HandleFrame implements feeds.Sink: it appends raw as one line.
func (r *Recorder) HandleFrame(raw []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.err != nil {
		return
	}
	r.line.Reset()
	r.line.WriteString(`{"t":"`)
	mark := r.line.Len()
	r.line.WriteString(`","frame":`)
	if err := json.Compact(&r.line, raw); err != nil {
		r.stats.Invalid++
		// A feed of garbage sends thousands a second: the first is
		// logged, the rest counted (RecorderStats.Invalid), which
		// `v2gdesk record` reports at its end.
		if r.stats.Invalid == 1 {
			r.log.Warn("recorder: frame is not JSON; skipped (later ones are counted, not logged)", "err", err, "bytes", len(raw))
		}
		return
	}
	r.line.WriteString("}\n")
	now := r.clk.Now()
	p, ok := peek(raw)
	if r.f == nil {
		if err := r.create(p, ok, raw, now); err != nil {
			r.err = err
			r.log.Error("recorder: cannot create the recording", "path", r.path, "err", err)
			return
		}
	}
	t := now
	if r.frameTime {
		if ts, ok2 := p.latestTS(); ok && ok2 {
			t = ts
		} else if !r.last.IsZero() {
			t = r.last
		}
	}
	if t.Before(r.last) {
		// t never decreases (the format says so), but a restarted
		// simulation folded onto one instant must not pass unseen.
		if r.stats.Backwards == 0 {
			r.log.Warn("recorder: the feed's time went back; recording at the latest time so far", "ts", t, "latest", r.last)
		}
		r.stats.Backwards++
		t = r.last
	}
	r.last = t
	line := make([]byte, 0, r.line.Len()+40)
	line = append(line, r.line.Bytes()[:mark]...)
	line = t.AppendFormat(line, time.RFC3339Nano)
	line = append(line, r.line.Bytes()[mark:]...)
	if err := r.write(line); err != nil {
		r.err = err
		r.log.Error("recorder: write failed", "path", r.path, "err", err)
		return
	}
	r.stats.Frames++
	r.pending++
}

// HandleLink implements feeds.Sink. Link changes are not recorded; a down
// link is counted and logged.
func (r *Recorder) HandleLink(ev feeds.LinkEvent) {
	if ev.Up {
		return
	}
	r.mu.Lock()
	r.stats.LinkDowns++
	r.mu.Unlock()
	if ev.Err != nil {
		r.log.Warn("recorder: source link down", "err", ev.Err)
	}
}

// create writes the header through a temporary file (package atomicfile)
// and links it to the final path, never over a file made there meanwhile,
// so the path never holds a partial header; the frames are appended to the
// file in place.
func (r *Recorder) create(first peeked, ok bool, raw []byte, now time.Time) error {
	h := Header{Format: FormatName, Version: FormatVersion, Site: r.opts.Site, TimeZone: r.opts.TimeZone,
		Created: now, Source: r.opts.Source}
	if ok && first.Type == feeds.TypeHello {
		var hello feeds.Hello
		if err := json.Unmarshal(raw, &hello); err == nil {
			h.Topology = &hello
			h.Site, h.TimeZone = hello.Site, hello.TimeZone
		}
		r.frameTime = first.Mode == "simulation" || first.Mode == "replay"
	}
	hb, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("header: %w", err)
	}
	out, err := atomicfile.Create(r.path, atomicfile.Options{})
	if err != nil {
		return err
	}
	defer out.Abort()
	zw := gzip.NewWriter(out)
	if _, err := zw.Write(append(hb, '\n')); err != nil {
		return out.Explain(fmt.Errorf("header: %w", err))
	}
	if err := zw.Close(); err != nil {
		return out.Explain(fmt.Errorf("header: %w", err))
	}
	f, err := out.PublishNew()
	if err != nil {
		return err
	}
	r.f = f
	var w io.Writer = f
	if r.wrap != nil {
		w = r.wrap(f)
	}
	r.w = pathWriter{w: w, path: r.path}
	r.stats.Flushes++
	return r.updateSize()
}

// pathWriter writes to w, the recording's file, its write errors naming
// path and their cause: the file was created under a temporary name and
// linked to path, and the error named the temporary file, which the
// operator cannot find.
type pathWriter struct {
	w    io.Writer
	path string
}

func (w pathWriter) Write(b []byte) (int, error) {
	n, err := w.w.Write(b)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		err = fmt.Errorf("write %s: %w", w.path, err)
	}
	return n, err
}

func (r *Recorder) write(line []byte) error {
	if r.zw == nil {
		r.zw = gzip.NewWriter(r.w)
	}
	_, err := r.zw.Write(line)
	return err
}

func (r *Recorder) updateSize() error {
	st, err := r.f.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", r.path, err)
	}
	r.stats.Bytes = st.Size()
	return nil
}

// Flush completes the open gzip member, so everything handed over so far is
// readable from the file even if the process dies now.
func (r *Recorder) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.flushLocked()
}

func (r *Recorder) flushLocked() error {
	if r.err != nil {
		return r.err
	}
	if r.zw == nil {
		return nil
	}
	err := r.zw.Close()
	r.zw = nil
	if err != nil {
		r.err = err
		return r.err
	}
	r.stats.Flushes++
	r.stats.Kept += r.pending
	r.stats.KeptUntil = r.last
	r.pending = 0
	return r.updateSize()
}

// FlushEvery calls Flush every interval until ctx is done, and returns the
// first flush error, or nil when ctx ends.
func (r *Recorder) FlushEvery(ctx context.Context, interval time.Duration) error {
	for {
		t := r.clk.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C():
		}
		if err := r.Flush(); err != nil {
			return err
		}
	}
}

// ErrNoFrames is returned by Close when no frame arrived, so no file was made.
var ErrNoFrames = errors.New("no frames received; nothing written")

// Close flushes, syncs and closes the file. Further frames are dropped.
func (r *Recorder) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return r.err
	}
	r.closed = true
	if r.f == nil {
		if r.err != nil {
			return r.err
		}
		return ErrNoFrames
	}
	err := r.flushLocked()
	if serr := r.f.Sync(); err == nil && serr != nil {
		err = fmt.Errorf("sync %s: %w", r.path, serr)
	}
	if cerr := r.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", r.path, cerr)
	}
	return err
}

// Err returns the first write error, if any.
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Stats returns the counters so far.
func (r *Recorder) Stats() RecorderStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

// Path returns the file the recorder writes.
func (r *Recorder) Path() string { return r.path }
