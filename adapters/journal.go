package adapters

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MaxRecordBytes is the longest journal line a reader accepts. Longer lines
// are reported as corrupt and skipped, so a damaged file cannot make a
// reader allocate without bound.
const MaxRecordBytes = 1 << 20

// TornSuffix is appended to the journal's path to name the file that keeps
// the bytes of a torn tail cut off when the journal is reopened.
const TornSuffix = ".torn"

// ErrJournal marks every journal I/O error.
var ErrJournal = errors.New("audit journal")

// ErrJournalLocked means another process has the journal open for
// appending.
var ErrJournalLocked = errors.New("journal is open for appending in another process (one writer per journal)")

// TornTail is an incomplete last line: a write that a crash or kill -9
// interrupted. Its record was never fsynced as a whole, so nothing it
// describes was ever reported as sent.
type TornTail struct {
	Line    int    `json:"line"`     // 1-based line number
	Offset  int64  `json:"offset"`   // byte offset where it starts
	Bytes   int64  `json:"bytes"`    // its length
	SavedTo string `json:"saved_to"` // where OpenJournal kept its bytes; empty for readers
}

// String describes the torn tail for logs and stderr.
func (t TornTail) String() string {
	s := fmt.Sprintf("torn tail at line %d, offset %d (%d bytes)", t.Line, t.Offset, t.Bytes)
	if t.SavedTo != "" {
		s += ", saved to " + t.SavedTo + " and cut off"
	}
	return s
}

// CorruptLine is a complete line (it ends in a newline) that is not a
// record. It is never written by this package; it is reported and skipped.
type CorruptLine struct {
	Line   int   `json:"line"`
	Offset int64 `json:"offset"`
	Err    error `json:"-"`
}

// SeqBreak is a record whose seq is not above the seq of the record before
// it. One writer numbers its records 1, 2, 3, … (the lock keeps others
// out), so a journal that goes back was written by two processes (a lock
// that did not hold, as on some network file systems) or pieced together
// from copies: its order is not the order things happened in.
type SeqBreak struct {
	Line  int    `json:"line"`  // 1-based line number of the record
	Seq   uint64 `json:"seq"`   // its seq
	After uint64 `json:"after"` // the seq of the record before it
}

// String describes the break for logs and stderr.
func (b SeqBreak) String() string {
	return fmt.Sprintf("line %d: seq %d follows seq %d", b.Line, b.Seq, b.After)
}

// ScanReport summarises a pass over a journal.
type ScanReport struct {
	Records int           // complete records read
	Corrupt []CorruptLine // complete lines that are not records
	Torn    *TornTail     // incomplete last line, if any
	End     int64         // offset just past the last complete line
	LastSeq uint64        // highest seq seen
	// SeqBreaks counts the records whose seq is not above the one before
	// them; FirstSeqBreak is the first (nil when there is none).
	SeqBreaks     int
	FirstSeqBreak *SeqBreak
}

// ScanJournal reads records from r in order and calls fn for each complete
// one. It stops early only when fn returns an error.
func ScanJournal(r io.Reader, fn func(Record) error) (ScanReport, error) {
	return scanJournal(r, func(rec Record, _ int64, _ int) error { return fn(rec) })
}

// ScanJournalFrom is ScanJournal handing fn only the records whose TS is
// not before from (all of them when from is zero). The others are checked
// and counted as ScanJournal checks and counts them, and the report is
// the same, but a line laid out as Append writes it is not decoded whole
// when its time is before from: `v2gdesk audit --since` reads a month for
// its last hour without making a Record of every line.
func ScanJournalFrom(r io.Reader, from time.Time, fn func(Record) error) (ScanReport, error) {
	return scanJournalWith(r, scanOptions{from: from}, func(rec Record, _ int64, _ int) error { return fn(rec) })
}

// scanJournal is ScanJournal, telling fn each record's byte offset and
// 1-based line number too.
func scanJournal(r io.Reader, fn func(rec Record, offset int64, line int) error) (ScanReport, error) {
	return scanJournalSkipping(r, nil, fn)
}

// scanJournalSkipping is scanJournal, leaving undecoded every complete
// line for which skip (when not nil) returns true: the report then counts
// only the lines decoded.
func scanJournalSkipping(r io.Reader, skip func(line []byte) bool, fn func(rec Record, offset int64, line int) error) (ScanReport, error) {
	return scanJournalWith(r, scanOptions{skip: skip}, fn)
}

// scanOptions tune scanJournalWith.
type scanOptions struct {
	// skip, when not nil, leaves undecoded every complete line for which
	// it returns true (scanJournalSkipping).
	skip func(line []byte) bool
	// jsonOnly decodes every line with json.Unmarshal, without the fast
	// path (lineDecoder): the tests compare what the two make of a
	// journal.
	jsonOnly bool
	// from, when not zero, hands fn only the records whose TS is not
	// before it (ScanJournalFrom).
	from time.Time
}

// scanJournalWith is scanJournal with opts.
func scanJournalWith(r io.Reader, opts scanOptions, fn func(rec Record, offset int64, line int) error) (ScanReport, error) {
	var rep ScanReport
	var dec lineDecoder
	br := bufio.NewReaderSize(r, 64<<10)
	var off int64
	line := 0
	var prevSeq uint64
	var buf []byte
	for {
		buf = buf[:0]
		tooLong := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if !tooLong {
				if len(buf)+len(chunk) > MaxRecordBytes {
					tooLong = true
				} else {
					buf = append(buf, chunk...)
				}
			}
			n := int64(len(chunk))
			off += n
			if err == bufio.ErrBufferFull {
				continue
			}
			break
		}
		if len(buf) == 0 && !tooLong && err != nil {
			if err == io.EOF {
				return rep, nil
			}
			return rep, fmt.Errorf("%w: read: %w", ErrJournal, err)
		}
		line++
		start := off - int64(len(buf))
		if tooLong {
			start = -1
		}
		if err != nil { // no newline: the last, incomplete line
			if err != io.EOF {
				return rep, fmt.Errorf("%w: read line %d: %w", ErrJournal, line, err)
			}
			length := int64(len(buf))
			start = off - length
			rep.Torn = &TornTail{Line: line, Offset: start, Bytes: length}
			return rep, nil
		}
		rep.End = off
		if tooLong {
			rep.Corrupt = append(rep.Corrupt, CorruptLine{Line: line, Offset: start, Err: fmt.Errorf("line longer than %d bytes", MaxRecordBytes)})
			continue
		}
		if opts.skip != nil && opts.skip(buf) {
			continue
		}
		var rec Record
		// A record before opts.from is checked and counted, not decoded
		// whole: skimmed, rec holds only its seq, time and kind.
		skimmed := !opts.from.IsZero() && !opts.jsonOnly && dec.skim(buf, &rec) && rec.TS.Before(opts.from)
		if !skimmed && (opts.jsonOnly || !dec.decode(buf, &rec)) {
			// Not laid out as Append writes (or damaged): encoding/json
			// decides, and words what is wrong. (Into a Record of its
			// own: one json.Unmarshal sees escapes to the heap, and rec
			// would then be allocated for every line.)
			var slow Record
			if jerr := json.Unmarshal(bytes.TrimSpace(buf), &slow); jerr != nil {
				rep.Corrupt = append(rep.Corrupt, CorruptLine{Line: line, Offset: start, Err: jerr})
				continue
			}
			rec = slow
		}
		if jerr := notRecord(rec); jerr != nil {
			rep.Corrupt = append(rep.Corrupt, CorruptLine{Line: line, Offset: start, Err: jerr})
			continue
		}
		if rep.Records > 0 && rec.Seq <= prevSeq {
			if rep.SeqBreaks == 0 {
				rep.FirstSeqBreak = &SeqBreak{Line: line, Seq: rec.Seq, After: prevSeq}
			}
			rep.SeqBreaks++
		}
		prevSeq = rec.Seq
		rep.Records++
		if rec.Seq > rep.LastSeq {
			rep.LastSeq = rec.Seq
		}
		if skimmed || (!opts.from.IsZero() && rec.TS.Before(opts.from)) {
			continue
		}
		if err := fn(rec, start, line); err != nil {
			return rep, err
		}
	}
}

// notRecord says why a decoded JSON object is not a journal record, or
// returns nil. Append numbers every record from 1, so an object without a
// kind or a seq was not written by a journal: another program's JSON Lines
// (or one line of an adapters file that happens to hold a "kind") would
// otherwise be shown as a record of seq 0 written in year 1, and a file of
// them taken for a journal.
func notRecord(rec Record) error {
	switch {
	case rec.Kind == "":
		return errors.New("record has no kind")
	case rec.Seq == 0:
		return errors.New("record has no seq (a journal numbers its records from 1)")
	}
	return nil
}

// ReadJournal scans the journal at path without changing it.
func ReadJournal(path string, fn func(Record) error) (ScanReport, error) {
	f, err := OpenJournalReader(path)
	if err != nil {
		return ScanReport{}, err
	}
	defer f.Close()
	return ScanJournal(f, fn)
}

// OpenJournalReader opens the journal at path for reading (ScanJournal),
// refusing what is not a regular file as ReadJournal does: for a reader
// that reads it more than once, from one file whatever replaces path.
func OpenJournalReader(path string) (*os.File, error) {
	if err := checkRegular(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrJournal, err)
	}
	if err := checkOpenRegular(f, path); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// checkRegular refuses a path that exists and is not a regular file
// (after symlinks). A journal must be one: /dev/zero or /dev/full never
// end, so a scan spins for ever; a FIFO blocks the open or the first read
// for ever; /dev/null swallows every record. It is checked before opening,
// because opening a FIFO already blocks.
func checkRegular(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return nil // absent (created by OpenJournal) or unreadable: the open says why
	}
	return regular(fi, path)
}

// checkOpenRegular checks the file actually opened, in case path was
// replaced after checkRegular.
func checkOpenRegular(f *os.File, path string) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrJournal, path, err)
	}
	return regular(fi, path)
}

func regular(fi os.FileInfo, path string) error {
	if fi.Mode().IsRegular() {
		return nil
	}
	kind := "a " + fi.Mode().Type().String()
	switch t := fi.Mode().Type(); {
	case t&os.ModeDir != 0:
		kind = "a directory"
	case t&os.ModeNamedPipe != 0:
		kind = "a named pipe"
	case t&os.ModeCharDevice != 0:
		kind = "a character device"
	case t&os.ModeDevice != 0:
		kind = "a device"
	case t&os.ModeSocket != 0:
		kind = "a socket"
	}
	return fmt.Errorf("%w: %s is %s, not a regular file; a journal must be a regular file", ErrJournal, path, kind)
}

// Journal is the append-only audit file (JSON Lines). Append returns only
// after the records are written and fsynced, so anything reported after an
// Append is on disk first. Safe for concurrent use.
//
// On open, an incomplete last line (a torn tail left by a crash) is copied
// to path+TornSuffix and cut off, so appends continue on a clean line
// boundary and the torn bytes stay available for inspection.
type Journal struct {
	mu       sync.Mutex
	f        *os.File
	path     string
	seq      uint64
	now      func() time.Time
	outcomes map[string]Result
	// late are the ids whose outcome is a late_result (noteOutcome).
	late map[string]bool
	// firsts is, per setpoint id, what the id was first used for, so a
	// later use for another setpoint is refused across restarts too.
	firsts map[string]SetpointIdentity
	// lastSent is, per charger, the time of its newest setpoint record
	// found on open: a new process's guard keeps the rate limit with it.
	lastSent map[string]time.Time
	// dataNow is the data clock of a desk on a simulation or replay
	// (SetDataClock); nil on a live desk.
	dataNow atomic.Pointer[func() time.Time]
	closed  bool
	// forgottenOnOpen is how many expired ids OpenJournalWith forgot
	// while reading (OpenOptions.ForgetBefore); the guard counts them.
	forgottenOnOpen int
	// peakOnOpen is the most setpoint ids held at once while opening.
	peakOnOpen int
	size       int64 // bytes of complete records; a failed write is cut back to it
	chunk      int   // >0 only in tests: split each write to widen the window a kill can tear
	// afterChunk, only in tests, runs after each piece of a split write, so
	// the kill -9 test can kill the process with a record half-written.
	afterChunk func()
	// syncErr, only in tests, is an fsync's failure (nil: none).
	syncErr func() error
	// health is what became of the appends (Health).
	health JournalHealth
}

// OpenJournal opens (creating if needed) the journal at path, recovers a
// torn tail and returns what it found. It remembers every setpoint id the
// file holds; OpenJournalWith can forget the expired ones as it reads.
func OpenJournal(path string) (*Journal, ScanReport, error) {
	return OpenJournalWith(path, OpenOptions{})
}

// OpenJournalWith is OpenJournal with opts.
func OpenJournalWith(path string, opts OpenOptions) (*Journal, ScanReport, error) {
	return openJournal(path, opts, scanOptions{})
}

// openJournal is OpenJournalWith, scanning the file with scan.
func openJournal(path string, opts OpenOptions, scan scanOptions) (*Journal, ScanReport, error) {
	f, err := openLocked(path)
	if err != nil {
		return nil, ScanReport{}, err
	}
	j := &Journal{f: f, path: path, now: time.Now, outcomes: map[string]Result{}, late: map[string]bool{}, firsts: map[string]SetpointIdentity{}, lastSent: map[string]time.Time{}}
	// sent holds the setpoints still without a result: a month's journal
	// has millions of setpoints, and keeping each until the end of the
	// scan held gigabytes only to find the few a restart cut off.
	sent := map[string]unanswered{}
	rep, err := scanJournalWith(f, scan, func(r Record, _ int64, _ int) error {
		if r.Setpoint == "" || opts.NoSetpoints {
			return nil
		}
		j.noteFirst(r)
		switch r.Kind {
		case RecSetpoint:
			if _, done := j.outcomes[r.Setpoint]; !done {
				sent[r.Setpoint] = unanswered{Charger: r.Charger, Adapter: r.Adapter, TS: r.TS, DryRun: r.DryRun}
			}
			if r.Charger != "" && r.TS.After(j.lastSent[r.Charger]) {
				j.lastSent[r.Charger] = r.TS
			}
		case RecResult, RecLateResult:
			j.noteOutcome(r)
			if _, ok := j.outcomes[r.Setpoint]; ok {
				// A late_result with no result before it (the result's
				// write failed) gives none: the setpoint stays unknown.
				delete(sent, r.Setpoint)
			}
			if !opts.ForgetBefore.IsZero() && j.forgetIfExpired(r.Setpoint, opts.ForgetBefore) {
				j.forgottenOnOpen++
			}
		}
		j.peakOnOpen = max(j.peakOnOpen, len(j.firsts)+len(sent))
		return nil
	})
	if err != nil {
		f.Close()
		return nil, rep, fmt.Errorf("%s: %w", path, err)
	}
	for id, r := range sent {
		if _, ok := j.outcomes[id]; !ok {
			// Handed to an adapter, but the process stopped before the result
			// was written: applying it again could apply it twice.
			j.outcomes[id] = Result{ID: id, Charger: r.Charger, Status: StatusFailed, Adapter: r.Adapter, At: r.TS, DryRun: r.DryRun,
				Reason: "outcome unknown: sent before a restart and no result was journalled; send a new id"}
		}
	}
	if !opts.ForgetBefore.IsZero() {
		j.forgottenOnOpen += j.ForgetExpired(opts.ForgetBefore)
	}
	if rep.Records == 0 && len(rep.Corrupt) > 0 {
		// Complete lines and not one record: this is some other file (a
		// mistyped --journal). Appending would mix records into it, and
		// isolating its "torn" last line would cut it short.
		f.Close()
		return nil, rep, fmt.Errorf("%w: %s is not an audit journal: none of its %d lines is a journal record (line %d: %v); not appending to it",
			ErrJournal, path, len(rep.Corrupt), rep.Corrupt[0].Line, rep.Corrupt[0].Err)
	}
	j.seq = rep.LastSeq
	j.size = rep.End
	if rep.Torn != nil {
		if err := j.isolateTorn(rep.Torn); err != nil {
			f.Close()
			return nil, rep, err
		}
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		f.Close()
		return nil, rep, err
	}
	return j, rep, nil
}

// unanswered is what the open keeps of a setpoint record until its
// result is read: what an "outcome unknown" needs, not the whole record
// (a month inserts millions; a smaller value is a cheaper insert).
type unanswered struct {
	Charger, Adapter string
	TS               time.Time
	DryRun           bool
}

// openLocked opens (creating if needed) the journal at path for appending
// and takes the writer's lock. `v2gdesk archive` replaces the file while
// holding the lock of the one it replaces: an open that got the old file
// just before and its lock just after would append to a file no longer
// named path, so the lock is taken again on the file path names now.
func openLocked(path string) (*os.File, error) {
	const tries = 3
	for range tries {
		if err := checkRegular(path); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o640)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrJournal, err)
		}
		if err := checkOpenRegular(f, path); err != nil {
			f.Close()
			return nil, err
		}
		if err := lockFile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("%w: %s: %w", ErrJournal, path, err)
		}
		if !replaced(f, path) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("%w: %s was replaced while it was being opened, %d times (is it being archived?); try again", ErrJournal, path, tries)
}

// replaced reports whether path no longer names the open file f.
func replaced(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return true
	}
	pi, err := os.Stat(path)
	return err != nil || !os.SameFile(fi, pi)
}

// isolateTorn copies the torn bytes to path+TornSuffix (appending, so earlier
// torn tails are kept), fsyncs that copy, then truncates the journal.
func (j *Journal) isolateTorn(t *TornTail) error {
	tail := make([]byte, t.Bytes)
	if _, err := j.f.ReadAt(tail, t.Offset); err != nil && err != io.EOF {
		return fmt.Errorf("%w: %s: read torn tail: %w", ErrJournal, j.path, err)
	}
	side := j.path + TornSuffix
	sf, err := os.OpenFile(side, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("%w: keep torn tail: %w", ErrJournal, err)
	}
	header := fmt.Sprintf("# %s line %d offset %d bytes %d\n", time.Now().UTC().Format(time.RFC3339), t.Line, t.Offset, t.Bytes)
	_, werr := sf.Write(append(append([]byte(header), tail...), '\n'))
	serr := sf.Sync()
	cerr := sf.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return fmt.Errorf("%w: keep torn tail in %s: %w", ErrJournal, side, err)
	}
	if err := j.f.Truncate(t.Offset); err != nil {
		return fmt.Errorf("%w: %s: cut torn tail: %w", ErrJournal, j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("%w: %s: sync: %w", ErrJournal, j.path, err)
	}
	t.SavedTo = side
	return nil
}

// Path returns the journal's file path.
func (j *Journal) Path() string { return j.path }

// Outcome returns the first result journalled for setpoint id, if any, or
// the first late_result after it (what the equipment did after the
// timeout reported). A
// setpoint journalled as sent with no result reports StatusFailed with an
// "outcome unknown" reason.
func (j *Journal) Outcome(id string) (Result, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	r, ok := j.outcomes[id]
	return r, ok
}

// SetpointIdentity is what a setpoint id was first used for. KW (the power
// asked) and ValidUntil are nil when the journal does not say: a guard
// rejection's record has no validity.
type SetpointIdentity struct {
	Charger    string
	KW         *float64
	ValidUntil *time.Time
}

// Differs describes how sp differs from the setpoint id was first used
// for ("" when it does not, as far as is known).
func (id SetpointIdentity) Differs(sp Setpoint) string {
	var d []string
	if id.Charger != sp.Charger {
		d = append(d, fmt.Sprintf("charger %q, not %q", id.Charger, sp.Charger))
	}
	if id.KW != nil && *id.KW != sp.KW {
		d = append(d, fmt.Sprintf("%g kW, not %g", *id.KW, sp.KW))
	}
	if id.ValidUntil != nil && !id.ValidUntil.Equal(sp.ValidUntil) {
		d = append(d, fmt.Sprintf("valid until %s, not %s", id.ValidUntil.UTC().Format(time.RFC3339Nano), sp.ValidUntil.UTC().Format(time.RFC3339Nano)))
	}
	return strings.Join(d, ", ")
}

// noteFirst remembers what r's setpoint id was first used for. Callers
// hold j.mu or own j alone.
func (j *Journal) noteFirst(r Record) {
	if r.Setpoint == "" || (r.Kind != RecSetpoint && r.Kind != RecResult) {
		return
	}
	if _, ok := j.firsts[r.Setpoint]; ok {
		return
	}
	id := SetpointIdentity{Charger: r.Charger, KW: r.RequestedKW}
	if r.Kind == RecSetpoint {
		id.ValidUntil = r.ValidUntil
	}
	j.firsts[r.Setpoint] = id
}

// FirstUse returns what setpoint id was first used for, as journalled.
func (j *Journal) FirstUse(id string) (SetpointIdentity, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	f, ok := j.firsts[id]
	return f, ok
}

// LastSentOnOpen returns, per charger, the time of the newest setpoint
// record the journal held when it was opened (records appended since are
// not included). The map is a copy.
func (j *Journal) LastSentOnOpen() map[string]time.Time {
	j.mu.Lock()
	defer j.mu.Unlock()
	return maps.Clone(j.lastSent)
}

// Forget drops the remembered outcomes of ids, so that Outcome no longer
// reports them; their records stay in the file (and are read again at the
// next open). The Guard forgets an id once its setpoint's validity has
// passed: a re-send is then refused as expired, and the map of outcomes
// does not grow for the life of the process.
func (j *Journal) Forget(ids ...string) {
	if len(ids) == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, id := range ids {
		delete(j.outcomes, id)
		delete(j.late, id)
		delete(j.firsts, id)
	}
}

// ForgetExpired forgets, as Forget does, every id with an outcome whose
// setpoint's valid_until, as journalled, is before cutoff, and returns how
// many it forgot. The Guard calls it when it is made: the journal has read
// every id of its file on open, and without this a journal of a month's
// setpoints would be held in memory for the life of the process, though a
// re-send of any of them could only be refused as expired. Ids journalled
// without a validity (a guard's rejection has no setpoint record) are kept,
// and so is an id still in flight (no outcome yet).
func (j *Journal) ForgetExpired(cutoff time.Time) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for id := range j.firsts {
		if j.forgetIfExpired(id, cutoff) {
			n++
		}
	}
	return n
}

// forgetIfExpired forgets id, as Forget does, when the setpoint it was
// first used for has a journalled valid_until before cutoff and an outcome
// is known, and reports whether it did. Callers hold j.mu or own j alone.
func (j *Journal) forgetIfExpired(id string, cutoff time.Time) bool {
	first, ok := j.firsts[id]
	if !ok || first.ValidUntil == nil || !first.ValidUntil.Before(cutoff) {
		return false
	}
	if _, ok := j.outcomes[id]; !ok {
		return false
	}
	delete(j.outcomes, id)
	delete(j.late, id)
	delete(j.firsts, id)
	return true
}

// takeForgottenOnOpen returns how many ids OpenJournalWith forgot while
// reading, once: the guard made on the journal counts them as forgotten.
func (j *Journal) takeForgottenOnOpen() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := j.forgottenOnOpen
	j.forgottenOnOpen = 0
	return n
}

// SetDataClock makes every record appended from now on carry now's time
// as DataTS, besides TS (wall time, when it was written): on a simulated or
// replayed day the screen shows the data clock (17:47) while the wall
// clock says 01:24, and an engineer matches a record to what they saw by
// the former. A zero time from now adds none; nil stops adding it.
func (j *Journal) SetDataClock(now func() time.Time) {
	if now == nil {
		j.dataNow.Store(nil)
		return
	}
	j.dataNow.Store(&now)
}

// Append writes recs as one write and one fsync. It fills Seq, a zero TS
// and, with a data clock set (SetDataClock), a nil DataTS. When it returns
// nil every record is durable; when it returns an error none may be
// relied on.
func (j *Journal) Append(recs ...Record) error {
	if len(recs) == 0 {
		return nil
	}
	// The data clock is read before the lock: it is the simulator's or
	// the player's, with locks of its own.
	var data *time.Time
	if now := j.dataNow.Load(); now != nil {
		if t := (*now)(); !t.IsZero() {
			data = &t
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return fmt.Errorf("%w: %s: %w", ErrJournal, j.path, ErrClosed)
	}
	var buf bytes.Buffer
	seq := j.seq
	now := j.now().UTC()
	for i := range recs {
		seq++
		recs[i].Seq = seq
		if recs[i].TS.IsZero() {
			recs[i].TS = now
		}
		if recs[i].DataTS == nil && data != nil {
			recs[i].DataTS = data
		}
		b, err := json.Marshal(recs[i])
		if err != nil {
			return fmt.Errorf("%w: encode %s record: %w", ErrJournal, recs[i].Kind, err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if err := j.write(buf.Bytes()); err != nil {
		// Cut a partial write back so the next append starts on a clean line.
		terr := j.f.Truncate(j.size)
		return j.failed(now, fmt.Errorf("%w: %s: %w", ErrJournal, j.path, errors.Join(j.samePath(err), j.samePath(terr))))
	}
	if err := j.sync(); err != nil {
		// Not durable, so reported failed: cut back too. Left in the
		// file, the records were there with their seqs, which the next
		// append numbered again (seq going back), and past j.size, so a
		// later failed write cut back into the records after them.
		terr := j.f.Truncate(j.size)
		return j.failed(now, fmt.Errorf("%w: %s: fsync: %w", ErrJournal, j.path, errors.Join(j.samePath(err), j.samePath(terr))))
	}
	j.health.Err, j.health.Since = nil, time.Time{}
	j.size += int64(buf.Len())
	j.seq = seq
	for _, r := range recs {
		j.noteFirst(r)
		j.noteOutcome(r)
	}
	return nil
}

// noteOutcome remembers what r says became of its setpoint: the first
// result, replaced by the first late_result after it (the equipment's
// answer after a timeout was reported), as the Guard counts it, so a
// re-send after a restart is answered with what the equipment did.
// Callers hold j.mu or own j alone.
func (j *Journal) noteOutcome(r Record) {
	if r.Setpoint == "" {
		return
	}
	switch r.Kind {
	case RecResult:
		if _, ok := j.outcomes[r.Setpoint]; !ok {
			j.outcomes[r.Setpoint] = r.ResultOf()
		}
	case RecLateResult:
		if _, ok := j.outcomes[r.Setpoint]; ok && !j.late[r.Setpoint] {
			j.outcomes[r.Setpoint] = r.ResultOf()
			j.late[r.Setpoint] = true
		}
	}
}

// write writes b to the file, in pieces of j.chunk bytes when set.
func (j *Journal) write(b []byte) error {
	step := len(b)
	if j.chunk > 0 {
		step = j.chunk
	}
	for len(b) > 0 {
		n := min(step, len(b))
		if _, err := j.f.Write(b[:n]); err != nil {
			return err
		}
		b = b[n:]
		if j.afterChunk != nil && len(b) > 0 {
			j.afterChunk()
		}
	}
	return nil
}

// sync fsyncs the file, or fails as j.syncErr says in tests.
func (j *Journal) sync() error {
	if j.syncErr != nil {
		if err := j.syncErr(); err != nil {
			return err
		}
	}
	return j.f.Sync()
}

// Close closes the file. Appends after Close fail with ErrClosed.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	return j.f.Close()
}

// syncDir fsyncs a directory so a newly created journal's entry is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("%w: open dir %s: %w", ErrJournal, dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("%w: sync dir %s: %w", ErrJournal, dir, err)
	}
	return nil
}
