package sshd

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"
)

// TestRootCauseOfAFullJournal: the login notice gives the cause of the
// journal's error, not its whole chain (the journal's path twice, which
// filled the footer): the chain is the one adapters.Journal.Append and
// serve's auditor make.
func TestRootCauseOfAFullJournal(t *testing.T) {
	errJournal := errors.New("audit journal")
	write := &fs.PathError{Op: "write", Path: "/var/lib/v2gdesk/audit.jsonl", Err: syscall.ENOSPC}
	appendErr := fmt.Errorf("%w: %s: %w", errJournal, "/var/lib/v2gdesk/audit.jsonl", errors.Join(write, nil))
	err := fmt.Errorf("audit login by %q: %w", "ana", appendErr)
	if got := rootCause(err); got != syscall.ENOSPC {
		t.Errorf("rootCause = %v, want %v", got, syscall.ENOSPC)
	}
	plain := errors.New("disk full")
	if got := rootCause(plain); got != plain {
		t.Errorf("rootCause of an error wrapping none = %v, want it", got)
	}
}
