package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/v2gdesk/v2gdesk/adapters/wsjson/wsjsontest"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// fullJournalHelper names the environment variable that makes
// TestSetpointResultNotJournalledHelper run: it limits the size of the
// files its process writes, so it runs in a process of its own.
const fullJournalHelper = "V2GDESK_TEST_FULL_JOURNAL"

// A setpoint accepted by the charger whose result record cannot be written
// (the journal's device full) exited 0, saying "result not journalled": the
// audit trail lacks what the charger holds. It exits exitNotJournalled,
// the message kept. The write fails for real: the helper process may not
// grow a file past the journal's size once the setpoint record is in
// (RLIMIT_FSIZE, EFBIG, as a full device fails with ENOSPC).
func TestSetpointResultNotJournalled(t *testing.T) {
	runHelperProcess(t, "TestSetpointResultNotJournalledHelper", fullJournalHelper)
}

// runHelperProcess runs the test named helper in a process of its own (this
// test binary, with the environment variable env set, which the helper
// checks to run rather than skip), for a helper that limits its own
// process (RLIMIT_FSIZE); t fails unless the helper passed.
func runHelperProcess(t *testing.T, helper, env string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+helper+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), env+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+helper) {
		t.Fatalf("helper: %v\n%s", err, out)
	}
}

func TestSetpointResultNotJournalledHelper(t *testing.T) {
	if os.Getenv(fullJournalHelper) == "" {
		t.Skip("run by TestSetpointResultNotJournalled in a process of its own")
	}
	var journal string
	url := wsjsontest.PeerWithHello(t, v2g1Hello(), func(f feeds.SetpointFrame) string {
		// The setpoint record is in (the journal comes before the
		// charger): from now no file of this process may grow.
		fi, err := os.Stat(journal)
		if err != nil {
			t.Error(err)
		} else if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: uint64(fi.Size()), Max: ^uint64(0)}); err != nil {
			t.Error(err)
		}
		b, _ := json.Marshal(feeds.AckFrame{Header: feeds.NewHeader(feeds.TypeAck), ID: f.ID, Charger: f.Charger, Status: feeds.AckAccepted, AppliedKW: f.KW})
		return string(b)
	})
	var cfg string
	cfg, journal = writeConfig(t, url)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"setpoint", "--adapters", cfg, "--charger", "V2G1", "--kw", "4", "--for", "15m", "--id", "sp-full"}, &out, &errb)
	if code != exitNotJournalled {
		t.Errorf("exit %d, want %d", code, exitNotJournalled)
	}
	if s := out.String(); !strings.Contains(s, "sp-full V2G1: accepted") || !strings.Contains(s, "result not journalled") {
		t.Errorf("stdout does not say it was accepted and the result not journalled:\n%s", s)
	}
	if s := errb.String(); !strings.Contains(s, "the audit trail is incomplete") {
		t.Errorf("stderr does not say the audit trail is incomplete:\n%s", s)
	}
}
