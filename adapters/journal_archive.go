package adapters

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// MinArchiveAge is how old the records ArchiveJournal moves must be at
// least. A journal is read at start for what a guard still needs: the ids of
// setpoints still valid (their first result is the answer to a re-send),
// the newest send per charger (the rate limit) and setpoints cut off by a
// restart. A day is far beyond the default validity (4 h) and rate limit
// (10 s); a setpoint moved that is still valid is refused anyway.
const MinArchiveAge = 24 * time.Hour

// ErrArchive marks a refused or failed ArchiveJournal.
var ErrArchive = errors.New("archive journal")

// ArchiveReport says what ArchiveJournal moved and what it left.
type ArchiveReport struct {
	Moved     int    // records moved to the archive
	NotRecord int    // lines moved with them that are not records (kept as they were)
	Bytes     int64  // bytes moved
	FirstSeq  uint64 // seq of the first record moved
	LastSeq   uint64 // seq of the last record moved
	Kept      int    // records left in the journal
	// NextSeq is the seq of the journal's first record after the move:
	// the archive and the journal read one after the other are the
	// journal as it was, seq for seq.
	NextSeq uint64
}

// ArchiveJournal moves the records of the journal at path written before
// `before` (their ts) to a new file at archive, and leaves the journal
// with the records from the first one written at or after it. The bytes
// are moved as they are, in order: the archive followed by the journal is
// the file as it was, and the seqs go on where the archive's end. The
// journal's newest record always stays, so the next append numbers on
// from it rather than from 1.
//
// It takes the writer's lock and refuses while another process holds it
// (ErrJournalLocked): a desk, `serve` or `setpoint` must be stopped
// first. It refuses a `before` less than MinArchiveAge before now, an
// archive path that exists, and a move that would take a setpoint whose
// validity has not ended by now. Each file is written to a temporary file
// in its directory, fsynced and renamed into place, so a crash leaves the
// journal whole (and, at worst, an archive beside a journal that still
// holds its records: duplicated, never lost). A journal that cannot be
// rewritten (a full disk) removes the archive just made: the journal is
// as it was and holds every record, so nothing moved.
func ArchiveJournal(path, archive string, before, now time.Time) (ArchiveReport, error) {
	return archiveJournal(path, archive, before, now, nil)
}

// archiveJournal is ArchiveJournal, its files written through wrap
// (writeAtomic).
func archiveJournal(path, archive string, before, now time.Time, wrap func(path string, w io.Writer) io.Writer) (ArchiveReport, error) {
	var rep ArchiveReport
	if latest := now.Add(-MinArchiveAge); before.After(latest) {
		return rep, fmt.Errorf("%w: %s: archiving before %s would move records less than %s old; the journal is read at start for the setpoints still valid and each charger's newest send: archive before %s at the latest",
			ErrArchive, path, before.UTC().Format(time.RFC3339), MinArchiveAge, latest.UTC().Format(time.RFC3339))
	}
	if _, err := os.Lstat(archive); err == nil {
		return rep, fmt.Errorf("%w: %s already exists; name a new archive file (one per period, say audit-2026-10.jsonl)", ErrArchive, archive)
	} else if !errors.Is(err, os.ErrNotExist) {
		return rep, fmt.Errorf("%w: %w", ErrArchive, err)
	}
	if err := checkRegular(path); err != nil {
		return rep, err
	}
	f, err := os.Open(path)
	if err != nil {
		return rep, fmt.Errorf("%w: %w", ErrJournal, err)
	}
	// Closing releases the lock: only after the journal was replaced.
	defer f.Close()
	if err := checkOpenRegular(f, path); err != nil {
		return rep, err
	}
	if err := lockFile(f); err != nil {
		return rep, fmt.Errorf("%w: %s: %w", ErrArchive, path, err)
	}
	cut, err := archiveCut(f, path, before, now, &rep)
	if err != nil || cut == 0 {
		return rep, err
	}
	fi, err := f.Stat()
	if err != nil {
		return rep, fmt.Errorf("%w: %s: %w", ErrJournal, path, err)
	}
	rep.Bytes = cut
	if err := writeAtomic(archive, io.NewSectionReader(f, 0, cut), fi.Mode().Perm(), true, wrapFor(wrap, archive)); err != nil {
		return rep, err
	}
	if err := writeAtomic(path, io.NewSectionReader(f, cut, fi.Size()-cut), fi.Mode().Perm(), false, wrapFor(wrap, path)); err != nil {
		// The journal still holds every record the archive does: the
		// archive is only a copy, and left behind it made the operator
		// remove it by hand before trying again (and a reader of the two
		// files saw every moved record twice).
		if rerr := removeArchive(archive); rerr != nil {
			return rep, fmt.Errorf("%w (the archive %s was written and the journal left whole, and removing the archive failed: %w; remove it before trying again)", err, archive, rerr)
		}
		return rep, fmt.Errorf("%w (the journal is as it was and the archive %s was removed: nothing moved)", err, archive)
	}
	return rep, nil
}

// wrapFor is wrap bound to path, or nil.
func wrapFor(wrap func(path string, w io.Writer) io.Writer, path string) func(io.Writer) io.Writer {
	if wrap == nil {
		return nil
	}
	return func(w io.Writer) io.Writer { return wrap(path, w) }
}

// removeArchive removes the archive ArchiveJournal made and fsyncs its
// directory, so the removal is as durable as the link was.
func removeArchive(archive string) error {
	if err := os.Remove(archive); err != nil {
		return err
	}
	return syncDir(filepath.Dir(archive))
}

// archiveCut reads the journal in f and returns the offset of the first
// record to keep (0: nothing to move), filling rep. It refuses a move
// that would take a setpoint still valid at now.
func archiveCut(f *os.File, path string, before, now time.Time, rep *ArchiveReport) (int64, error) {
	cut, cutLine := int64(-1), 0
	// pending is the newest record before the cut, counted as moved only
	// once a later one is seen: the newest of all stays in the journal.
	var pending *Record
	var pendingOff int64
	pendingLine := 0
	var stillValid *Record
	move := func(r Record) {
		rep.Moved++
		if rep.FirstSeq == 0 {
			rep.FirstSeq = r.Seq
		}
		rep.LastSeq = r.Seq
		if stillValid == nil && r.Kind == RecSetpoint && r.ValidUntil != nil && !r.ValidUntil.Before(now) {
			stillValid = &r
		}
	}
	scan, err := scanJournal(f, func(r Record, off int64, line int) error {
		switch {
		case cut >= 0:
		case !r.TS.Before(before):
			cut, cutLine, rep.NextSeq = off, line, r.Seq
			if pending != nil {
				move(*pending)
			}
		default:
			if pending != nil {
				move(*pending)
			}
			pending, pendingOff, pendingLine = &r, off, line
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if cut < 0 {
		if pending == nil {
			return 0, nil // no record at all
		}
		cut, cutLine, rep.NextSeq = pendingOff, pendingLine, pending.Seq
	}
	if stillValid != nil {
		return 0, fmt.Errorf("%w: %s: setpoint %s (seq %d) is valid until %s, after now: a guard still needs it; archive before an earlier time",
			ErrArchive, path, stillValid.Setpoint, stillValid.Seq, stillValid.ValidUntil.UTC().Format(time.RFC3339))
	}
	for _, c := range scan.Corrupt {
		if c.Line < cutLine {
			rep.NotRecord++
		}
	}
	rep.Kept = scan.Records - rep.Moved
	if rep.Moved == 0 && rep.NotRecord == 0 {
		return 0, nil
	}
	return cut, nil
}
