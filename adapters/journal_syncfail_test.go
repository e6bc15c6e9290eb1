package adapters_test

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestJournalFailedFsyncLeavesNoRecord: an append whose fsync failed (a
// full disk on storage that reports it at fsync, such as NFS or a thin
// volume) is reported failed, but its records stayed in the file with
// their seqs: the next append numbered from the same seq again, and the
// journal read back two records of one seq, one of them for a setpoint
// reported not sent. The failed append is now cut back like a failed
// write, and the seqs go on unbroken.
func TestJournalFailedFsyncLeavesNoRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(adapters.Record{Kind: adapters.RecAlarmAck, Detail: "first"}); err != nil {
		t.Fatal(err)
	}
	adapters.SetSyncErr(j, func() error { return syscall.ENOSPC })
	err = j.Append(adapters.Record{Kind: adapters.RecAlarmAck, Detail: "not durable"})
	if !errors.Is(err, syscall.ENOSPC) || !errors.Is(err, adapters.ErrJournal) {
		t.Fatalf("append with a failing fsync: %v, want an ErrJournal of ENOSPC", err)
	}
	adapters.SetSyncErr(j, nil)
	if err := j.Append(adapters.Record{Kind: adapters.RecAlarmAck, Detail: "third"}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	var details []string
	rep, err := adapters.ReadJournal(path, func(r adapters.Record) error {
		details = append(details, r.Detail)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(details) != 2 || details[0] != "first" || details[1] != "third" || rep.SeqBreaks != 0 || rep.LastSeq != 2 || rep.Torn != nil {
		t.Errorf("journal holds %q (seq breaks %d, last seq %d, torn %v); want [first third], seqs 1 and 2", details, rep.SeqBreaks, rep.LastSeq, rep.Torn)
	}
}
