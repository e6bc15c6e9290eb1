package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters/wsjson/wsjsontest"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// notSentHelper names the environment variable that makes
// TestSetpointJournalFullNotSentHelper run, in a process of its own (it
// limits the size of the files its process writes).
const notSentHelper = "V2GDESK_TEST_JOURNAL_FULL_NOT_SENT"

// A setpoint whose own record could not be journalled (the journal's disk
// full) is not sent, rightly, but the command exited 4 saying "the audit
// trail is incomplete", which says the charger may hold a setpoint the
// journal does not show: the operator went to the charger. It exits 1 and
// says that nothing was sent and why. The write fails for real: no file of
// the helper process may grow (RLIMIT_FSIZE, EFBIG, as a full device fails
// with ENOSPC).
func TestSetpointJournalFullNotSent(t *testing.T) {
	runHelperProcess(t, "TestSetpointJournalFullNotSentHelper", notSentHelper)
}

func TestSetpointJournalFullNotSentHelper(t *testing.T) {
	if os.Getenv(notSentHelper) == "" {
		t.Skip("run by TestSetpointJournalFullNotSent in a process of its own")
	}
	var got atomic.Int32
	url := wsjsontest.PeerWithHello(t, v2g1Hello(), func(f feeds.SetpointFrame) string {
		got.Add(1)
		b, _ := json.Marshal(feeds.AckFrame{Header: feeds.NewHeader(feeds.TypeAck), ID: f.ID, Charger: f.Charger, Status: feeds.AckAccepted, AppliedKW: f.KW})
		return string(b)
	})
	cfg, journal := writeConfig(t, url)
	if err := os.WriteFile(journal, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	// From now no file of this process may grow: the journal is full.
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 0, Max: ^uint64(0)}); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m", "--id", "sp-full"}, &out, &errb)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if n := got.Load(); n != 0 {
		t.Errorf("the charger got %d setpoints whose record is not in the journal", n)
	}
	if s := out.String(); !strings.Contains(s, "sp-full V2G1: failed") || !strings.Contains(s, "not sent: audit journal") {
		t.Errorf("stdout does not say it failed, not sent for the journal:\n%s", s)
	}
	want := "v2gdesk setpoint: sp-full was not sent to V2G1: the journal " + journal + " could not be written"
	if s := errb.String(); !strings.Contains(s, want) || strings.Contains(s, "audit trail is incomplete") {
		t.Errorf("stderr does not say %q (or still says the audit trail is incomplete):\n%s", want, s)
	}
	if b, _ := os.ReadFile(journal); len(b) != 0 {
		t.Errorf("the journal holds %q", b)
	}
}
