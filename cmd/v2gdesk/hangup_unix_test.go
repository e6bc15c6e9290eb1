//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServeHangUpShutsDownGracefully: a SIGHUP (the terminal that started
// `serve` closed: an on-call engineer's ssh dropped, a tmux session
// killed) shuts the desk down as SIGTERM does: operators are told, DR
// events are cancelled and journalled, and the exit is 0. Before, the
// default action killed the process on the spot and the journal never
// heard of the cancel.
func TestServeHangUpShutsDownGracefully(t *testing.T) {
	bin := buildBinary(t)
	cmd := demoServeCommand(t, bin)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	var log strings.Builder
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), "listening on 127.0.0.1:") {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
	}
	err = cmd.Wait()
	if err != nil {
		t.Errorf("serve after SIGHUP: %v, want exit 0\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "v2gdesk serve: stopped") {
		t.Errorf("no graceful shutdown on SIGHUP:\n%s", log.String())
	}
}

// demoServeCommand is `v2gdesk serve` of bin on the demo day, not yet
// started: a free port, admin ana in a users file, no shutdown grace, and
// its host key and journal in a temporary directory.
func demoServeCommand(t *testing.T, bin string) *exec.Cmd {
	t.Helper()
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte(userLine(t, "ana", "admin")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return exec.Command(bin, "serve", "--ssh", "127.0.0.1:0", "--users", users, "--host-key", filepath.Join(dir, "host"),
		"--scenario", "demo", "--shutdown-grace", "0s", "--journal", filepath.Join(dir, "audit.jsonl"))
}
