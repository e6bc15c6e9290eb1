package adapters_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// diskFull makes j's fsyncs fail as they do on a full disk (os.File.Sync's
// error, which names the file), or not when full is false.
func diskFull(j *adapters.Journal, full bool) {
	if !full {
		adapters.SetSyncErr(j, nil)
		return
	}
	adapters.SetSyncErr(j, func() error { return &fs.PathError{Op: "sync", Path: j.Path(), Err: syscall.ENOSPC} })
}

// TestJournalErrorNamesItsFileOnce: a full disk's error said the journal's
// path twice ("audit journal: F: fsync: sync F: no space left on device"),
// which filled a desk's line before its cause was read. It says it once,
// and is still the *fs.PathError of ENOSPC it was.
func TestJournalErrorNamesItsFileOnce(t *testing.T) {
	r := newRig(t, adapters.GuardOptions{}, nil)
	diskFull(r.j, true)
	err := r.j.Append(adapters.Record{Kind: adapters.RecAlarmAck, Detail: "x"})
	var pe *fs.PathError
	if !errors.Is(err, syscall.ENOSPC) || !errors.Is(err, adapters.ErrJournal) || !errors.As(err, &pe) {
		t.Fatalf("append on a full disk: %v, want an ErrJournal of an *fs.PathError of ENOSPC", err)
	}
	want := "audit journal: " + r.path + ": fsync: sync: no space left on device"
	if got := err.Error(); got != want || strings.Count(got, r.path) != 1 {
		t.Errorf("error %q, want %q (the path once)", got, want)
	}
}

// TestGuardStatsSayTheJournalCannotBeWritten: the desk's only sign of a
// full journal was a failed count on the Setpoints line; the guard's stats
// now carry the journal's health, failing and full until an append
// succeeds again, and count the setpoints not sent for it.
func TestGuardStatsSayTheJournalCannotBeWritten(t *testing.T) {
	fa := &fakeAdapter{}
	r := newRig(t, adapters.GuardOptions{}, map[string]adapters.Adapter{"a": fa})
	diskFull(r.j, true)
	r.g.ApplyBatch(context.Background(), []adapters.Setpoint{sp("s1", "V2G", 3), sp("s2", "AC", 4)})
	s := r.g.Stats()
	if !s.Journal.Failing() || !s.Journal.Full() || s.Journal.Failures != 2 || s.NotJournalled != 2 || s.Journal.Since.IsZero() {
		t.Fatalf("stats after a full disk: journal %+v, not journalled %d; want failing, full, 2 failures (setpoints, results), 2 not sent", s.Journal, s.NotJournalled)
	}
	diskFull(r.j, false)
	r.g.ApplyBatch(context.Background(), []adapters.Setpoint{sp("s3", "AC", 4)})
	s = r.g.Stats()
	if s.Journal.Failing() || s.Journal.Full() || s.Journal.Failures != 2 || !s.Journal.Since.IsZero() || s.NotJournalled != 2 {
		t.Errorf("stats once written again: journal %+v, not journalled %d; want not failing, the 2 failures kept", s.Journal, s.NotJournalled)
	}
}

// lockedBuffer is a bytes.Buffer for a logger written from several
// goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// take returns the lines written since the last take.
func (l *lockedBuffer) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := strings.TrimSpace(l.b.String())
	l.b.Reset()
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// TestGuardCollapsesAFailingJournalsLogLines: on a full disk the desk
// re-plans and retries every couple of seconds, and the guard logged two
// ERROR lines a batch (setpoints not sent, results not journalled), four a
// retry: a flood that filled the disk further. The first of each is logged
// at once, then one line every few minutes sums up the repeats, and a line
// says when the journal is written again, with every failure counted.
func TestGuardCollapsesAFailingJournalsLogLines(t *testing.T) {
	var logged lockedBuffer
	fa := &fakeAdapter{}
	r := newRig(t, adapters.GuardOptions{Logger: slog.New(slog.NewTextHandler(&logged, nil))}, map[string]adapters.Adapter{"a": fa})
	wall := time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)
	adapters.SetGuardLogClock(r.g, func() time.Time { return wall })
	diskFull(r.j, true)
	n := 0
	retry := func() {
		n++
		r.g.ApplyBatch(context.Background(), []adapters.Setpoint{sp(fmt.Sprintf("s%d", n), "AC", 4)})
	}
	retry()
	lines := logged.take()
	if len(lines) != 2 || !strings.Contains(lines[0], `msg="setpoints not sent: journal failed"`) || !strings.Contains(lines[1], `msg="results not journalled"`) {
		t.Fatalf("first failure logged as:\n%s\nwant its two lines at once", strings.Join(lines, "\n"))
	}
	for range 100 { // a retry every 2 s, for 200 s
		wall = wall.Add(2 * time.Second)
		retry()
	}
	if lines := logged.take(); len(lines) != 0 {
		t.Fatalf("100 retries within %v logged:\n%s\nwant nothing until the summary", adapters.GuardJournalLogEvery, strings.Join(lines, "\n"))
	}
	wall = wall.Add(adapters.GuardJournalLogEvery)
	retry()
	lines = logged.take()
	if len(lines) != 1 || !strings.Contains(lines[0], `msg="audit journal still failing" failures=201 results_not_journalled=100 setpoints_not_sent=101`) ||
		!strings.Contains(lines[0], "no space left on device") {
		t.Fatalf("after %v logged:\n%s\nwant one summary of the 201 failures not logged since the first retry's two lines", adapters.GuardJournalLogEvery, strings.Join(lines, "\n"))
	}
	wall = wall.Add(time.Second)
	retry()
	diskFull(r.j, false)
	retry()
	lines = logged.take()
	if len(lines) != 1 || !strings.Contains(lines[0], `level=WARN msg="audit journal written again" failed_for=8m21s failures=206 results_not_journalled=103 setpoints_not_sent=103 failures_not_logged_before=3`) {
		t.Fatalf("once written again logged:\n%s\nwant one line with the spell's 206 failures", strings.Join(lines, "\n"))
	}
	if h := r.g.Stats().Journal; h.Failures != 206 || h.Failing() {
		t.Errorf("journal health %+v, want 206 failures, not failing", h)
	}
}
