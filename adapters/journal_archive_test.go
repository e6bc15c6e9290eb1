package adapters_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// day3 writes a setpoint and its result at noon on each of three days from
// t0, a line that is not a record after the first day's, and returns the
// file's bytes.
func day3(t *testing.T, path string) []byte {
	t.Helper()
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	kw := 5.0
	for d := range 3 {
		at := t0.Add(time.Duration(d)*24*time.Hour + 12*time.Hour)
		until := at.Add(15 * time.Minute)
		id := "sp-" + at.Format("0102")
		if err := j.Append(
			adapters.Record{TS: at, Kind: adapters.RecSetpoint, Charger: "AC", Setpoint: id, KW: &kw, RequestedKW: &kw, ValidFrom: &at, ValidUntil: &until},
			adapters.Record{TS: at, Kind: adapters.RecResult, Charger: "AC", Setpoint: id, Status: adapters.StatusAccepted, AppliedKW: &kw},
		); err != nil {
			t.Fatal(err)
		}
		if d == 0 {
			appendRaw(t, path, "not a record\n")
		}
	}
	j.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func appendRaw(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// TestArchiveJournal: the records before the cutoff move to the archive as
// they were, the others stay; the archive followed by the journal is the
// file as it was, and appends number on from the journal's last seq.
func TestArchiveJournal(t *testing.T) {
	dir := t.TempDir()
	path, arch := filepath.Join(dir, "audit.jsonl"), filepath.Join(dir, "audit-old.jsonl")
	orig := day3(t, path)
	before := t0.Add(48 * time.Hour) // the third day's two records stay
	rep, err := adapters.ArchiveJournal(path, arch, before, t0.Add(5*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := adapters.ArchiveReport{Moved: 4, NotRecord: 1, FirstSeq: 1, LastSeq: 4, Kept: 2, NextSeq: 5}
	want.Bytes = rep.Bytes
	if rep != want || rep.Bytes <= 0 {
		t.Errorf("report %+v, want %+v", rep, want)
	}
	a, _ := os.ReadFile(arch)
	k, _ := os.ReadFile(path)
	if !bytes.Equal(append(append([]byte{}, a...), k...), orig) || int64(len(a)) != rep.Bytes {
		t.Errorf("archive (%d bytes) + journal (%d bytes) is not the journal as it was (%d bytes)", len(a), len(k), len(orig))
	}
	if !strings.Contains(string(a), "not a record\n") {
		t.Error("the line that is not a record was not moved with its neighbours")
	}
	j, scan, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if scan.Records != 2 || scan.SeqBreaks != 0 || len(scan.Corrupt) != 0 {
		t.Errorf("journal after: %+v", scan)
	}
	if err := j.Append(adapters.Record{Kind: adapters.RecAlarmAck}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	var seqs []uint64
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error { seqs = append(seqs, r.Seq); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(seqs) != 3 || seqs[0] != 5 || seqs[2] != 7 {
		t.Errorf("journal's seqs after an append %v, want [5 6 7]", seqs)
	}
	if fi, err := os.Stat(arch); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("archive mode: %v %v, want the journal's 0640", fi.Mode(), err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestArchiveJournalKeepsNewest: with every record before the cutoff, the
// newest stays, so the seqs go on from it; a torn tail stays too, for the
// next writer to recover.
func TestArchiveJournalKeepsNewest(t *testing.T) {
	dir := t.TempDir()
	path, arch := filepath.Join(dir, "audit.jsonl"), filepath.Join(dir, "old.jsonl")
	day3(t, path)
	appendRaw(t, path, `{"seq":7,"ts":"2026-11`)
	rep, err := adapters.ArchiveJournal(path, arch, t0.Add(4*24*time.Hour), t0.Add(5*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Moved != 5 || rep.Kept != 1 || rep.NextSeq != 6 {
		t.Errorf("report %+v, want 5 moved, 1 kept, next seq 6", rep)
	}
	j, scan, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if scan.Records != 1 || scan.LastSeq != 6 || scan.Torn == nil {
		t.Errorf("journal after: %d records, last seq %d, torn %v; want 1, 6 and the torn tail", scan.Records, scan.LastSeq, scan.Torn)
	}
}

// TestArchiveJournalRefuses: a writer holding the lock, an archive that
// exists, a cutoff less than a day old and a setpoint still valid are each
// refused, saying so, and leave the journal as it was and no archive.
func TestArchiveJournalRefuses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	orig := day3(t, path)
	now := t0.Add(5 * 24 * time.Hour)
	exists := filepath.Join(dir, "exists.jsonl")
	if err := os.WriteFile(exists, []byte("mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	_, lockedErr := adapters.ArchiveJournal(path, filepath.Join(dir, "a1.jsonl"), t0.Add(48*time.Hour), now)
	j.Close()
	for _, c := range []struct {
		name, arch string
		before     time.Time
		now        time.Time
		err        error
		says       string
	}{
		{"exists", exists, t0.Add(48 * time.Hour), now, adapters.ErrArchive, "already exists"},
		{"recent", filepath.Join(dir, "a2.jsonl"), now.Add(-time.Hour), now, adapters.ErrArchive, "less than 24h0m0s old"},
	} {
		_, err := adapters.ArchiveJournal(path, c.arch, c.before, c.now)
		if !errors.Is(err, c.err) || !strings.Contains(errText(err), c.says) {
			t.Errorf("%s: %v, want %v saying %q", c.name, err, c.err, c.says)
		}
	}
	if !errors.Is(lockedErr, adapters.ErrJournalLocked) {
		t.Errorf("with a writer: %v, want %v", lockedErr, adapters.ErrJournalLocked)
	}
	// A setpoint valid for three days (a max_validity raised to allow
	// it), sent on the first: moving it two days later would drop what a
	// guard still needs.
	kw := 5.0
	at := t0.Add(72 * time.Hour)
	until := at.Add(72 * time.Hour)
	j, _, err = adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(
		adapters.Record{TS: at, Kind: adapters.RecSetpoint, Charger: "AC", Setpoint: "long", KW: &kw, RequestedKW: &kw, ValidFrom: &at, ValidUntil: &until},
		adapters.Record{TS: at.Add(25 * time.Hour), Kind: adapters.RecAlarmAck},
	); err != nil {
		t.Fatal(err)
	}
	j.Close()
	orig, _ = os.ReadFile(path)
	_, err = adapters.ArchiveJournal(path, filepath.Join(dir, "a3.jsonl"), at.Add(time.Hour), at.Add(48*time.Hour))
	if !errors.Is(err, adapters.ErrArchive) || !strings.Contains(errText(err), "setpoint long (seq 7) is valid until") {
		t.Errorf("a setpoint still valid: %v", err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, orig) {
		t.Error("a refused archive changed the journal")
	}
	for _, a := range []string{"a1.jsonl", "a2.jsonl", "a3.jsonl"} {
		if _, err := os.Stat(filepath.Join(dir, a)); err == nil {
			t.Errorf("a refused archive left %s", a)
		}
	}
	if b, _ := os.ReadFile(exists); string(b) != "mine\n" {
		t.Error("an existing archive file was changed")
	}
}

// errText is err's text, "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
