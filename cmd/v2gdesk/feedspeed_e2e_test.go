package main

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// simProcess is `v2gdesk sim` run as a process of its own (the built
// binary), with its stdin to type the presenter's commands on.
type simProcess struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	url string // ws://ADDR/v1, from the serving line
}

// startSimProcess runs `bin sim args...` and reads its serving line; the
// process is killed when the test ends.
func startSimProcess(t *testing.T, bin string, args ...string) *simProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"sim", "--listen", "127.0.0.1:0"}, args...)...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &simProcess{cmd: cmd, in: in}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	if !sc.Scan() {
		t.Fatalf("v2gdesk sim said nothing on stdout: %v", sc.Err())
	}
	_, rest, ok := strings.Cut(sc.Text(), " and ws://")
	addr, _, ok2 := strings.Cut(rest, "/v1")
	if !ok || !ok2 {
		t.Fatalf("no address in the serving line %q", sc.Text())
	}
	go func() {
		for sc.Scan() { // drain stdout so the sim never blocks on it
		}
	}()
	p.url = "ws://" + addr + "/v1"
	return p
}

// say types a presenter's command on the sim's stdin.
func (p *simProcess) say(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(p.in, line+"\n"); err != nil {
		t.Fatal(err)
	}
}

// TestE2EFeedDeskShowsSimSpeedAndDate: `v2gdesk sim --start 17:30 --speed
// 120` as a process, and a desk on its --feed as another, in tmux. The
// desk's header says what a desk running the demo day itself says, the
// speed and the simulated day's date, "◆ SIMULATION 120×  2024-01-17
// 17:3x"; it said "◆ SIMULATION  17:3x", the feed carrying neither. The
// presenter's `speed 240` shows there too. At 80 columns the speed stays
// (the date goes first, where the header has no room for it), and
// `v2gdesk status` says "SIMULATION at 240×".
func TestE2EFeedDeskShowsSimSpeedAndDate(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	needTmux(t)
	bin := buildBinary(t)
	for _, size := range []struct{ w, h int }{{160, 45}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			sim := startSimProcess(t, bin, "--start", "17:30", "--speed", "120")
			d := startTmux(t, size.w, size.h, bin+" --feed "+sim.url)
			dated := `◆ SIMULATION 120×\s+2024-01-17 1[78]:\d\d:\d\d`
			if size.w < 160 {
				dated = `◆ SIMULATION 120×\s+(2024-01-17 )?1[78]:\d\d:\d\d`
			}
			s := d.waitFor("the speed and the date in the header", regexp.MustCompile(dated))
			if strings.Contains(s, "LIVE") {
				t.Errorf("a desk on a simulator's feed must not say LIVE:\n%s", s)
			}
			if size.w == 160 && !regexp.MustCompile(`rejects 0\b`).MatchString(s) {
				t.Errorf("the desk rejected frames of the feed:\n%s", s)
			}
			sim.say(t, "speed 240")
			d.waitFor("the presenter's new speed", regexp.MustCompile(`◆ SIMULATION 240×`))
			// `v2gdesk status` on the same feed says it too, after the mode.
			out, err := exec.Command(bin, "status", "--feed", sim.url).Output()
			if err != nil || !strings.Contains(string(out), "mode      SIMULATION at 240×: the feed re-enacts a day") ||
				!strings.Contains(string(out), "rejects   none") {
				t.Errorf("status: %v\n%s\nwant the mode at 240× and no rejects", err, out)
			}
			d.keys("q")
			if st := d.exitStatus(); st != "0" {
				t.Errorf("the desk exited %s, want 0", st)
			}
		})
	}
}
