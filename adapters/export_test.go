package adapters

import (
	"io"
	"maps"
	"time"
)

// SetWriteChunk makes j split every write into pieces of n bytes, so the
// kill -9 test can interrupt a record half-written.
func SetWriteChunk(j *Journal, n int) { j.chunk = n }

// SetAfterChunk makes j call fn after each piece of a split write.
func SetAfterChunk(j *Journal, fn func()) { j.afterChunk = fn }

// MinPruneAt is the size at which the guard first prunes its seen ids.
const MinPruneAt = minPruneAt

// JournalOutcomes is how many outcomes j remembers.
func JournalOutcomes(j *Journal) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.outcomes)
}

// GuardChargerMaps is how many chargers g keeps a send time and a latest
// setpoint for.
func GuardChargerMaps(g *Guard) (last, latest int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.last), len(g.latest)
}

// JournalPeakOnOpen is the most setpoint ids j held at once while it was
// opened.
func JournalPeakOnOpen(j *Journal) int { return j.peakOnOpen }

// KindDecodes reports whether ReadJournalKind(…, kind, …) decodes line.
func KindDecodes(kind RecordKind, line string) bool {
	skip := kindSkip(kind)
	return skip == nil || !skip([]byte(line))
}

// OpenJournalJSONOnly is OpenJournalWith decoding every line with
// json.Unmarshal, as before the fast path: what the fast path must match.
func OpenJournalJSONOnly(path string, opts OpenOptions) (*Journal, ScanReport, error) {
	return openJournal(path, opts, scanOptions{jsonOnly: true})
}

// ScanJournalJSONOnly is ScanJournal decoding every line with
// json.Unmarshal.
func ScanJournalJSONOnly(r io.Reader, fn func(Record) error) (ScanReport, error) {
	return scanJournalWith(r, scanOptions{jsonOnly: true}, func(rec Record, _ int64, _ int) error { return fn(rec) })
}

// DecodeLineFast is the fast path's decoding of line (with its newline):
// ok is false when it leaves the line to json.Unmarshal.
func DecodeLineFast(line []byte) (rec Record, ok bool) {
	var d lineDecoder
	ok = d.decode(line, &rec)
	return rec, ok
}

// JournalState is what an open journal holds of its file.
type JournalState struct {
	Seq, Size                   uint64
	Outcomes                    map[string]Result
	Late                        map[string]bool
	Firsts                      map[string]SetpointIdentity
	LastSent                    map[string]time.Time
	ForgottenOnOpen, PeakOnOpen int
}

// StateOf returns a copy of what j holds of its file.
func StateOf(j *Journal) JournalState {
	j.mu.Lock()
	defer j.mu.Unlock()
	return JournalState{
		Seq: j.seq, Size: uint64(j.size),
		Outcomes: maps.Clone(j.outcomes), Late: maps.Clone(j.late), Firsts: maps.Clone(j.firsts), LastSent: maps.Clone(j.lastSent),
		ForgottenOnOpen: j.forgottenOnOpen, PeakOnOpen: j.peakOnOpen,
	}
}

// SkimLineFast is the fast path's skim of line (ScanJournalFrom, for a
// record before its time): ok as DecodeLineFast's, with only Seq, TS and
// Kind kept.
func SkimLineFast(line []byte) (rec Record, ok bool) {
	var d lineDecoder
	ok = d.skim(line, &rec)
	return rec, ok
}

// FastPathKeys are the keys the fast path decodes itself.
func FastPathKeys() []string {
	var keys []string
	for _, k := range []string{"seq", "ts", "data_ts", "kind", "operator", "event", "reason", "charger", "setpoint", "adapter",
		"kw", "requested_kw", "valid_from", "valid_until", "status", "applied_kw", "detail", "dry_run"} {
		if fieldOf([]byte(k)) >= 0 {
			keys = append(keys, k)
		}
	}
	return keys
}

// ArchiveJournalThrough is ArchiveJournal writing each file through
// wrap(path, w): a test's full disk.
func ArchiveJournalThrough(path, archive string, before, now time.Time, wrap func(path string, w io.Writer) io.Writer) (ArchiveReport, error) {
	return archiveJournal(path, archive, before, now, wrap)
}

// SetSyncErr makes j's fsyncs fail with what fn returns (nil: they do not).
func SetSyncErr(j *Journal, fn func() error) { j.syncErr = fn }

// SetGuardLogClock makes g's log lines about a failing journal read fn as
// the wall clock.
func SetGuardLogClock(g *Guard, fn func() time.Time) { g.jlog.now = fn }

// GuardJournalLogEvery is how often g sums up a failing journal's repeats.
const GuardJournalLogEvery = journalLogEvery
