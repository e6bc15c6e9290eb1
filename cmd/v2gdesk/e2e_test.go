package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmuxDesk drives the real binary in a detached tmux session on a private
// tmux server, the way an operator's terminal would.
type tmuxDesk struct {
	t      *testing.T
	socket string
	name   string
	stderr string // file the program's stderr goes to
	status string // file the program's exit status goes to
}

// buildBinary builds cmd/v2gdesk into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "v2gdesk")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// needTmux skips the test when tmux is missing, except in CI where the
// missing peer is a failure (.ci/install-peers installs it).
func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is required in CI (.ci/install-peers installs it)")
		}
		t.Skip("tmux not installed")
	}
}

func startTmux(t *testing.T, w, h int, cmd string) *tmuxDesk {
	t.Helper()
	dir := t.TempDir()
	d := &tmuxDesk{t: t, socket: fmt.Sprintf("v2gdesk-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), name: "desk",
		stderr: filepath.Join(dir, "stderr")}
	// The shell records the exit status in a file: tmux 3.3 reports no
	// status for a pane whose program died of a signal.
	d.status = filepath.Join(dir, "status")
	// The server goes with the test however it ends, a failed tmux
	// command after new-session included (it left the server and the
	// desk running). kill-server leaves the socket file behind (tmux
	// 3.3): remove it too, or every run of the suite left a few in
	// /tmp/tmux-UID.
	t.Cleanup(func() {
		sock, _ := exec.Command("tmux", "-L", d.socket, "display-message", "-p", "#{socket_path}").Output()
		_ = exec.Command("tmux", "-L", d.socket, "kill-server").Run()
		if s := strings.TrimSpace(string(sock)); s != "" {
			_ = os.Remove(s)
		}
	})
	// The program's temporary files (a desk's journal without --journal,
	// which it leaves there by design) go to the test's directory: in the
	// temporary directory each run of the package left three
	// v2gdesk-sim-audit-*.jsonl.
	d.tmux("new-session", "-d", "-s", d.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h),
		"TMPDIR="+shellQuote(dir)+" "+cmd+" 2>"+d.stderr+"; echo $? >"+d.status)
	// Keep the pane after the program exits, so its exit status is readable.
	d.tmux("set-option", "-t", d.name, "remain-on-exit", "on")
	return d
}

// shellQuote quotes s as one word for sh.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func (d *tmuxDesk) tmux(args ...string) string {
	d.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", d.socket}, args...)...).CombinedOutput()
	if err != nil {
		d.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (d *tmuxDesk) screen() string { return d.tmux("capture-pane", "-p", "-t", d.name) }

func (d *tmuxDesk) keys(keys ...string) {
	d.tmux(append([]string{"send-keys", "-t", d.name}, keys...)...)
}

// waitFor polls the screen until re matches, failing after a generous
// deadline (the binary is racing a 60x simulation on a shared machine).
func (d *tmuxDesk) waitFor(what string, re *regexp.Regexp) string {
	d.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var s string
	for time.Now().Before(deadline) {
		s = d.screen()
		if re.MatchString(s) {
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	d.t.Fatalf("waiting for %s (%s); screen:\n%s", what, re, s)
	return ""
}

// exitStatus waits for the program in the pane to end and returns its
// exit status as the shell saw it (128+n for signal n).
func (d *tmuxDesk) exitStatus() string {
	d.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(d.status); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
		time.Sleep(100 * time.Millisecond)
	}
	stderr, _ := os.ReadFile(d.stderr)
	d.t.Fatalf("the dashboard did not exit; screen:\n%s\nstderr:\n%s", d.screen(), stderr)
	return ""
}

// TestE2EDeskInTmux runs the built binary on the embedded demo day, as the
// README's first command does, and drives it with keys at 160x45 and 80x24.
func TestE2EDeskInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	needTmux(t)
	bin := buildBinary(t)
	for _, size := range []struct{ w, h int }{{160, 45}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			d := startTmux(t, size.w, size.h, bin+" --start 18:30 --speed 60")
			// Dated where the whole header has room (160 columns).
			s := d.waitFor("the header", regexp.MustCompile(`◆ SIMULATION 60×\s+(2024-01-17 )?18:3\d`))
			if size.w == 160 && !strings.Contains(s, "◆ SIMULATION 60×  2024-01-17 18:3") {
				t.Errorf("at 160 columns the simulated day's clock is dated:\n%s", s)
			}
			if strings.Contains(s, "LIVE") {
				t.Errorf("the demo day must never be shown as LIVE:\n%s", s)
			}
			d.waitFor("feeders over their limit", regexp.MustCompile(`▲ HIGH`))

			d.keys("2")
			d.waitFor("the feeders view", regexp.MustCompile(`Feeders · 1–12 of 12`))
			d.keys("Enter")
			d.waitFor("a feeder's detail", regexp.MustCompile(`Feeders › F\d\d`))
			d.keys("Escape")
			d.keys("3")
			d.waitFor("the chargers view", regexp.MustCompile(`CP-\d{4}`))
			d.keys("4")
			d.waitFor("the alarms view", regexp.MustCompile(`F\d\d loading`))

			d.keys(":")
			d.keys("seek 20:00", "Enter")
			d.waitFor("the clock after :seek 20:00", regexp.MustCompile(`SIMULATION 60×\s+(2024-01-17 )?20:0\d`))

			d.keys("f")
			d.waitFor("the freeze badge", regexp.MustCompile(`FROZEN`))
			d.keys("q")
			if st := d.exitStatus(); st != "0" {
				stderr, _ := os.ReadFile(d.stderr)
				t.Fatalf("exit status %q, want 0; stderr:\n%s", st, stderr)
			}
		})
	}
}
