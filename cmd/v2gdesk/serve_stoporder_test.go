package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestServeStopJournalsTheCancelBeforeTheLogouts: serve stopped (SIGTERM,
// ^C) with ana logged in and her OP-1 in force journalled her logout
// ("disconnected: the desk is shutting down; …") and only then OP-1's
// dispatch_cancel by the desk: read in order, the event was cancelled once
// nobody was at the desk. A control room's auditor reads what was done on
// the operators' behalf while they were there, then their logouts, then
// the stop: the cancel (and its releases) comes before every logout, and
// serve's "stopped" line after the cancel's log line.
func TestServeStopJournalsTheCancelBeforeTheLogouts(t *testing.T) {
	if testing.Short() {
		t.Skip("serves the demo day over SSH")
	}
	dir := t.TempDir()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(dir, "users")
	line := "ana dispatcher " + string(gossh.MarshalAuthorizedKey(signer.PublicKey()))
	if err := os.WriteFile(users, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(dir, "audit.jsonl")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var errb syncBuffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve", "--ssh", "127.0.0.1:0", "--users", users, "--host-key", filepath.Join(dir, "host"),
			"--scenario", "demo", "--start", "18:00", "--speed", "1", "--journal", journal, "--shutdown-grace", "0s"}, &bytes.Buffer{}, &errb)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(errb.String(), "listening on 127.0.0.1:") {
		if time.Now().After(deadline) {
			t.Fatalf("no listening line:\n%s", errb.String())
		}
		time.Sleep(10 * time.Millisecond) // polling a log, not synchronising
	}
	addr := errb.String()[strings.Index(errb.String(), "listening on ")+len("listening on "):]
	addr = addr[:strings.IndexByte(addr, ' ')]

	client, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "ana", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	scr := newTermScreen()
	sess.Stdout, sess.Stderr = scr, scr
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 45, 160, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = sess.Wait(); scr.close() }()
	press := func(k string) {
		t.Helper()
		if _, err := io.WriteString(in, k); err != nil {
			t.Fatalf("key %q: %v", k, err)
		}
	}
	// ana proposes a cap on the system and confirms it: OP-1 in force.
	scr.waitFor(t, regexp.MustCompile(`Feeders by loading`))
	press("5")
	scr.waitFor(t, regexp.MustCompile(`DR events`))
	press("n")
	scr.waitFor(t, regexp.MustCompile(`new DR event`))
	press("\r")
	scr.waitFor(t, regexp.MustCompile(`enter confirm and send`))
	press("\r")
	if scr.waitFor(t, regexp.MustCompile(`enter again to confirm|sent OP-1`)) != "sent OP-1" {
		press("\r") // a large dispatch: the second enter
		scr.waitFor(t, regexp.MustCompile(`sent OP-1`))
	}

	cancel(errors.New("terminated signal received")) // as SIGTERM does
	select {
	case code := <-exited:
		if code != 0 {
			t.Fatalf("serve exited %d:\n%s", code, errb.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not stop:\n%s", errb.String())
	}

	var recs []adapters.Record
	if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	cancelAt, logoutAt, lastDesk := -1, -1, -1
	var kinds []string
	for i, r := range recs {
		switch {
		case r.Kind == "dispatch_cancel" && r.Event == "OP-1":
			cancelAt = i
			if r.Operator != "desk" || r.Reason != "the desk stopped" {
				t.Errorf("OP-1's cancel %+v, want by the desk, the desk stopped", r)
			}
		case r.Kind == adapters.RecLogout && r.Operator == "ana":
			logoutAt = i
			if !strings.HasPrefix(r.Reason, "disconnected: the desk is shutting down (terminated signal received)") {
				t.Errorf("ana's logout reason %q, want the shutdown", r.Reason)
			}
		}
		if r.Kind == "dispatch_cancel" || r.Kind == adapters.RecRelease {
			lastDesk = i
		}
		if r.Kind != adapters.RecSetpoint && r.Kind != adapters.RecResult {
			kinds = append(kinds, fmt.Sprintf("%d %s %s", r.Seq, r.Kind, r.Operator))
		}
	}
	if cancelAt < 0 || logoutAt < 0 {
		t.Fatalf("journal lacks OP-1's cancel or ana's logout:\n%s", strings.Join(kinds, "\n"))
	}
	if lastDesk > logoutAt {
		t.Errorf("the desk's cancel and releases come after ana's logout, want them before:\n%s", strings.Join(kinds, "\n"))
	}
	log := errb.String()
	if c, s := strings.Index(log, "dispatch: the desk stopped; DR events cancelled"), strings.Index(log, "v2gdesk serve: stopped"); c < 0 || s < c {
		t.Errorf("serve's log says stopped before the events were cancelled (or lacks either):\n%s", log)
	}
}

// termScreen collects what a session writes, escape sequences removed, and
// lets a test wait for text.
type termScreen struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	cond *sync.Cond
	eof  bool
}

func newTermScreen() *termScreen {
	s := &termScreen{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *termScreen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	s.cond.Broadcast()
	return len(p), nil
}

func (s *termScreen) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.eof = true
	s.cond.Broadcast()
}

// waitFor waits until the output matches re and returns the match; the
// session's end or 60 s without it fail the test.
func (s *termScreen) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	const long = 60 * time.Second
	wake := time.AfterFunc(long, func() { s.mu.Lock(); s.cond.Broadcast(); s.mu.Unlock() })
	defer wake.Stop()
	start := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		text := ansi.Strip(s.buf.String())
		if m := re.FindString(text); m != "" {
			return m
		}
		if s.eof || time.Since(start) >= long {
			t.Fatalf("waiting for %s: not in the output (ended: %v):\n%s", re, s.eof, text)
		}
		s.cond.Wait()
	}
}
