package replay

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// publishEvery is how many entries a recording being read (Open) takes in
// between telling its players: often enough that a player waits for a few
// milliseconds of reading at most, rarely enough that the lock is not felt.
// It also tells them before every read of the file, which may block.
const publishEvery = 512

// view is a recording as far as it has been read: entries[:n] and the
// index built on them. A view is never changed once published; the next
// one shares its backing arrays and appends beyond their lengths.
type view struct {
	entries []Entry
	index   []checkpoint
	history []historyPart // what a backward seek sends before an index point's state
	report  Report
	done    bool // the reading has ended (the file's end, damage or a cancel)
}

// Start returns the time of the first entry.
func (v view) Start() time.Time { return v.entries[0].T }

// End returns the time of the last entry read.
func (v view) End() time.Time { return v.entries[len(v.entries)-1].T }

// growth is the part of a Recording that reading (Open) publishes while a
// player plays it: safe for concurrent use.
type growth struct {
	mu      sync.Mutex
	v       view
	changed chan struct{} // closed at the next publish
	// read counts the compressed bytes read from the file, of size (0:
	// unknown).
	read atomic.Int64
	size int64
	// ended is closed when the reading has ended; cause says why it ended
	// before the file did, when it was cancelled.
	ended chan struct{}
	cause error
}

func newGrowth(size int64) *growth {
	return &growth{changed: make(chan struct{}), ended: make(chan struct{}), size: size}
}

// current returns the latest view and a channel closed when there is a newer.
func (g *growth) current() (view, <-chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.v, g.changed
}

// publish makes v the current view and wakes whoever waits for one.
func (g *growth) publish(v view) {
	g.mu.Lock()
	g.v = v
	close(g.changed)
	g.changed = make(chan struct{})
	g.mu.Unlock()
}

// filler reads a recording's entries into a view: the times made
// non-decreasing and noted (Report.Backwards, Gaps), and the seek index
// built as they come.
type filler struct {
	rd       *Reader
	x        *indexer
	entries  []Entry
	last     time.Time
	lastLine int
}

func newFiller(rd *Reader) *filler { return &filler{rd: rd, x: newIndexer(IndexInterval)} }

// step reads the next entry; false once there are no more.
func (f *filler) step() bool {
	e, err := f.rd.Next()
	if err != nil {
		return false
	}
	line := f.rd.line
	if f.lastLine > 0 {
		f.rd.noteTime(e.T, f.last, line, f.lastLine)
	}
	if e.T.Before(f.last) {
		// Played at last's time: the lines after it are measured
		// against the line that time is from, not this one.
		e.T = f.last
	} else {
		f.last, f.lastLine = e.T, line
	}
	f.x.add(len(f.entries), e)
	f.entries = append(f.entries, e)
	return true
}

// view returns what is read so far.
func (f *filler) view(done bool) view {
	return view{entries: f.entries, index: f.x.idx, history: f.x.history, report: f.rd.Report(), done: done}
}

// hookReader calls before ahead of every read of r, which may block, and
// counts the bytes read.
type hookReader struct {
	r      io.Reader
	before func()
	n      *atomic.Int64
}

func (h *hookReader) Read(b []byte) (int, error) {
	h.before()
	n, err := h.r.Read(b)
	h.n.Add(int64(n))
	return n, err
}

// Open reads the header and the first entry of the recording at path and
// returns it while the rest is read on a goroutine, until the file ends or
// ctx is done: a Player plays it as far as it is read and waits for the
// rest (Player.Loading), so a large file plays from its first frames
// rather than once it is all read. The entries, index and report are
// published as they grow (Progress, Wait); Entries and Report stay empty.
// The Reader's rules are kept as they are: a gzip member's lines are
// handed on only once its check has passed, and a skip, a torn tail or
// corruption is reported where it happened, as Read reports it, once the
// reading has got there.
func Open(ctx context.Context, path string) (*Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a directory, %w", path, ErrNotFile)
	}
	var size int64
	if err == nil {
		size = st.Size()
	}
	rec, err := OpenReader(ctx, f, size)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	go func() {
		<-rec.g.ended
		f.Close()
	}()
	return rec, nil
}

// OpenReader is Open on r, of size bytes (0: unknown): it returns once the
// header and the first entry are read (a bad header or no entry at all is
// an error, as from Read) and reads the rest on a goroutine.
func OpenReader(ctx context.Context, r io.Reader, size int64) (*Recording, error) {
	g := newGrowth(size)
	var f *filler
	publish := func() {
		if f != nil {
			g.publish(f.view(false))
		}
	}
	rd, err := NewReader(bufio.NewReaderSize(&hookReader{r: r, before: publish, n: &g.read}, 256<<10))
	if err != nil {
		return nil, err
	}
	f = newFiller(rd)
	if !f.step() {
		rep := rd.Report()
		return nil, fmt.Errorf("%w (%s)", ErrEmpty, rep)
	}
	g.publish(f.view(false))
	rec := &Recording{Header: rd.Header(), g: g}
	go func() {
		defer close(g.ended)
		for ctx.Err() == nil && f.step() {
			if len(f.entries)%publishEvery == 0 {
				publish()
			}
		}
		if err := ctx.Err(); err != nil {
			g.mu.Lock()
			g.cause = err
			g.mu.Unlock()
		}
		g.publish(f.view(true))
	}()
	return rec, nil
}

// ErrReadCancelled: the reading of a recording (Open) was cancelled before
// the file ended; what was read is reported.
var ErrReadCancelled = errors.New("reading the recording was cancelled")

// Progress is how far the reading of a recording has got.
type Progress struct {
	Frames int       // entries read
	Until  time.Time // the time of the last entry read
	// Read is the bytes of the file read, of Size (0: unknown).
	Read, Size int64
	Done       bool   // the reading has ended
	Report     Report // what the reading has found so far (the whole when Done)
}

// Progress returns how far the reading has got: for a recording Read
// returned, all of it.
func (r *Recording) Progress() Progress {
	v := r.view()
	p := Progress{Frames: len(v.entries), Until: v.End(), Done: v.done, Report: v.report}
	if r.g != nil {
		p.Read, p.Size = r.g.read.Load(), r.g.size
	}
	return p
}

// Wait waits until the reading has ended, or ctx is done, and returns what
// it found: the report of the whole file, or of what was read before the
// reading was cancelled, with ErrReadCancelled.
func (r *Recording) Wait(ctx context.Context) (Report, error) {
	if r.g == nil {
		return r.Report, nil
	}
	select {
	case <-r.g.ended:
	case <-ctx.Done():
		return r.view().report, ctx.Err()
	}
	v, _ := r.g.current()
	r.g.mu.Lock()
	cause := r.g.cause
	r.g.mu.Unlock()
	if cause != nil {
		return v.report, fmt.Errorf("%w after %d frames: %w", ErrReadCancelled, len(v.entries), cause)
	}
	return v.report, nil
}

// ReadPast waits until the reading has read a frame after t, or has
// ended, or ctx is done, and returns how far it has got (with ctx's error
// in the last case). A headless replay's --start waits so: it plays from
// the index point before t, which is known once a frame after t is read
// (index points are added as frames come, never before a frame already
// read). For a recording Read returned it returns at once.
func (r *Recording) ReadPast(ctx context.Context, t time.Time) (Progress, error) {
	for {
		v, more := r.viewAndChange()
		if more == nil || v.End().After(t) {
			return r.Progress(), nil
		}
		select {
		case <-more:
		case <-ctx.Done():
			return r.Progress(), ctx.Err()
		}
	}
}

// view returns the recording as far as it is read.
func (r *Recording) view() view {
	v, _ := r.viewAndChange()
	return v
}

// viewAndChange returns the recording as far as it is read, and a channel
// closed when more is (nil when the reading has ended).
func (r *Recording) viewAndChange() (view, <-chan struct{}) {
	if r.g == nil {
		return view{entries: r.Entries, index: r.index, history: r.history, report: r.Report, done: true}, nil
	}
	v, ch := r.g.current()
	if v.done {
		ch = nil
	}
	return v, ch
}
