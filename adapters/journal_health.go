package adapters

import (
	"errors"
	"io/fs"
	"syscall"
	"time"
)

// JournalHealth is what became of a Journal's appends: a desk shows it in
// its header, so a dispatcher sees at once that nothing can be sent (the
// guard sends nothing whose record is not in the journal).
type JournalHealth struct {
	// Failures counts the appends that failed since the journal was
	// opened, whether they failed for a while or long ago.
	Failures int
	// Err is the latest append's error while appends fail: nil once one
	// succeeds again.
	Err error
	// Since is when the appends began to fail (the journal's clock, UTC):
	// the first of the failures that Err ends; zero while Err is nil.
	Since time.Time
}

// Failing reports whether the latest append failed.
func (h JournalHealth) Failing() bool { return h.Err != nil }

// Full reports whether the latest append failed because the journal's
// file system is full (or the writer's quota used up), the failure an
// operator mends by making room rather than by calling for the disk.
func (h JournalHealth) Full() bool {
	return h.Err != nil && (errors.Is(h.Err, syscall.ENOSPC) || errors.Is(h.Err, syscall.EDQUOT))
}

// Health returns what became of j's appends.
func (j *Journal) Health() JournalHealth {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.health
}

// failed notes err, an append's failure at now, in j's health and returns
// it. Callers hold j.mu.
func (j *Journal) failed(now time.Time, err error) error {
	if j.health.Err == nil {
		j.health.Since = now
	}
	j.health.Err = err
	j.health.Failures++
	return err
}

// samePath is err without its path when that is j's, which the journal's
// error names already: "audit journal: F: write F: no space left on
// device" said F twice, and the path of a journal is long. The error is
// still the *fs.PathError it was for errors.As and errors.Is; nil stays
// nil.
func (j *Journal) samePath(err error) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != j.path {
		return err
	}
	return opError{pe}
}

// opError is an *fs.PathError written without its path: "write: no space
// left on device".
type opError struct{ pe *fs.PathError }

func (e opError) Error() string { return e.pe.Op + ": " + e.pe.Err.Error() }

func (e opError) Unwrap() error { return e.pe }
