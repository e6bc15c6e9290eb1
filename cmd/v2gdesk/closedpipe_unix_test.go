//go:build unix

package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestDispatchFollowSurvivesItsReaderGoing: `v2gdesk dispatch --yes
// --follow | head` was killed by SIGPIPE at its first line after head had
// gone (exit 141, no word), leaving the journal with a confirmed event and
// no dispatch_end: its chargers neither handed back nor released. With its
// stdout a pipe nobody reads, it runs the event to its end, journals it,
// and exits 1 saying its output is lost, as it does with stdout to
// /dev/full.
func TestDispatchFollowSurvivesItsReaderGoing(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(`{"v":1,"type":"event","id":"DR-PIPE","kind":"import_cap","scope":"F08",
 "start":"2024-01-17T18:00:00+08:00","end":"2024-01-17T19:00:00+08:00","kw":950}`), 0o600); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(dir, "audit.jsonl")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // head has read its lines and gone
	var stderr strings.Builder
	cmd := exec.Command(bin, "dispatch", "--scenario", "demo", "--event", event, "--yes", "--follow", "--journal", journal)
	cmd.Stdout, cmd.Stderr = w, &stderr
	err = cmd.Run()
	w.Close()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("killed by %v (%v), want the event run to its end; stderr:\n%s", ws.Signal(), err, stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("exit %d, want 1 (its output is lost); stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "could not write its output to stdout") {
		t.Errorf("stderr does not say the output is lost:\n%s", stderr.String())
	}
	kinds := map[adapters.RecordKind]int{}
	if _, err := adapters.ReadJournal(journal, func(rec adapters.Record) error {
		kinds[rec.Kind]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if kinds["dispatch_confirm"] != 1 || kinds["dispatch_end"] != 1 || kinds[adapters.RecResult] != kinds[adapters.RecSetpoint] {
		t.Errorf("journal kinds %v, want the event confirmed and ended, every setpoint with its result", kinds)
	}
}

// TestSetpointSurvivesItsReaderGoing: `v2gdesk setpoint … | head -0`: the
// result is journalled, then printed to a pipe nobody reads; the command
// says its output is lost (exit 1) rather than die of SIGPIPE (141).
func TestSetpointSurvivesItsReaderGoing(t *testing.T) {
	bin := buildBinary(t)
	cfg, journal := writeConfig(t, "ws://127.0.0.1:1/unused")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	var stderr strings.Builder
	cmd := exec.Command(bin, "setpoint", "--adapters", cfg, "--charger", "AC1", "--kw", "3", "--for", "10m", "--id", "sp-pipe")
	cmd.Stdout, cmd.Stderr = w, &stderr
	err = cmd.Run()
	w.Close()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("killed by %v (%v); stderr:\n%s", ws.Signal(), err, stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(stderr.String(), "could not write its output to stdout") {
		t.Errorf("exit %d, stderr:\n%s\nwant 1 and the output said lost", code, stderr.String())
	}
	if r, ok := readOutcome(t, journal, "sp-pipe"); !ok || r != adapters.StatusAccepted {
		t.Errorf("journal: sp-pipe's result %q (found %v), want accepted", r, ok)
	}
}

// readOutcome is the status of id's result record in journal.
func readOutcome(t *testing.T, journal, id string) (adapters.Status, bool) {
	t.Helper()
	var st adapters.Status
	found := false
	if _, err := adapters.ReadJournal(journal, func(rec adapters.Record) error {
		if rec.Setpoint == id && rec.Kind == adapters.RecResult {
			st, found = rec.Status, true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return st, found
}

// TestServeSurvivesItsLogReaderGoing: `v2gdesk serve 2>&1 | tee serve.log`
// with tee gone, and no Ctrl-C: the desk died of SIGPIPE at its next log
// line (here its listening line), its operators cut off and its DR events
// never cancelled. It serves on and shuts down when told.
func TestServeSurvivesItsLogReaderGoing(t *testing.T) {
	bin := buildBinary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := demoServeCommand(t, bin)
	for i, a := range cmd.Args {
		if a == "127.0.0.1:0" {
			cmd.Args[i] = addr
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // tee has gone
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	killedBy := func(err error) {
		t.Helper()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			t.Fatalf("serve with its log's reader gone: killed by %v (%v), want it to serve on", ws.Signal(), err)
		}
	}
	// The SSH banner comes once the server accepts, after it wrote its
	// listening line to the pipe with no reader.
	var conn net.Conn
	deadline := time.Now().Add(time.Minute)
	for conn == nil {
		select {
		case err := <-exited:
			killedBy(err)
			t.Fatalf("serve exited before it listened: %v", err)
		default:
		}
		if conn, err = net.Dial("tcp", addr); err != nil && time.Now().After(deadline) {
			t.Fatalf("serve never listened: %v", err)
		}
		if conn == nil {
			time.Sleep(20 * time.Millisecond) // polling a port, not synchronising
		}
	}
	banner, err := bufio.NewReader(conn).ReadString('\n')
	conn.Close()
	if !strings.HasPrefix(banner, "SSH-2.0-") {
		t.Errorf("no SSH banner (%q, %v): serve died after its listening line", banner, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = <-exited
	killedBy(err)
	if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 {
		t.Errorf("exit %d (%v), want 0 or 1", code, err)
	}
}
