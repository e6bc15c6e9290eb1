package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// TestDispatchFollowFeedEnds: `dispatch --feed --follow` on `v2gdesk sim`
// whose day ends while the event still runs stops following at once, says
// in its last line that the feed ended and when, does not connect again,
// and exits exitSourceEnded: the event did not run to its end.
func TestDispatchFollowFeedEnds(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := lateSim(t, quiet)
	srv := sim.NewServer(s, sim.ServerOptions{Logger: quiet})
	url := serveFeed(t, srv)

	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(`{"journal":"audit.jsonl","min_interval":"0s","adapters":[{"name":"sim","kind":"wsjson"}],"chargers":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	// An event that runs past the end of the day.
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(`{"v":1,"type":"event","id":"DR-90","kind":"import_cap","scope":"F08",
		"start":"2024-01-17T23:30:00+08:00","end":"2024-01-18T01:00:00+08:00","kw":300}`), 0o644); err != nil {
		t.Fatal(err)
	}

	pr, pw := io.Pipe()
	var stderr strings.Builder
	code := make(chan int, 1)
	go func() {
		c := run(context.Background(), []string{"dispatch", "--feed", url, "--event", event, "--adapters", cfg,
			"--yes", "--follow", "--operator", "ana"}, pw, &stderr)
		pw.Close()
		code <- c
	}()
	// Read until the dispatch is sent and followed, then end the day.
	lines := bufio.NewScanner(pr)
	var out []string
	for lines.Scan() {
		out = append(out, lines.Text())
		if strings.Contains(lines.Text(), "plan 1 (confirmed)") {
			break
		}
	}
	if err := s.Seek(s.End()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Run(context.Background()); err != nil {
		t.Fatalf("the simulator's day: %v", err)
	}
	for lines.Scan() {
		out = append(out, lines.Text())
	}
	got := <-code
	text := strings.Join(out, "\n")
	if got != exitSourceEnded {
		t.Errorf("exit %d, want %d (the feed ended before the event)\nstdout:\n%s\nstderr:\n%s", got, exitSourceEnded, text, stderr.String())
	}
	last := out[len(out)-1]
	end := s.End().In(time.FixedZone("", 8*3600)).Format("15:04")
	if !strings.Contains(last, "the feed ended at "+end) || !strings.Contains(last, "DR-90") {
		t.Errorf("last line %q: want it to say the feed ended at %s, and DR-90\nstdout:\n%s", last, end, text)
	}
	if n := srv.Stats().Connections; n != 1 {
		t.Errorf("%d connections to the simulator, want 1: an ended feed is not reconnected to", n)
	}
	if strings.Contains(stderr.String(), "ERROR") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// TestDispatchFollowScenarioEnds: `dispatch --scenario --follow` whose
// event runs past the end of the scenario day stops there the same way:
// its last line says the scenario ended, and it exits exitSourceEnded.
func TestDispatchFollowScenarioEnds(t *testing.T) {
	code, out, stderr := followOnDemo(t, `{"v":1,"type":"event","id":"DR-91","kind":"import_cap","scope":"F08",
		"start":"2024-01-17T23:50:00+08:00","end":"2024-01-18T01:00:00+08:00","kw":300}`)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if code != exitSourceEnded || !strings.HasPrefix(last, "the scenario ended at 00:00, before DR-91's end at 01:00 (+1 d): following stops; DR-91 cancelled") {
		t.Errorf("exit %d (want %d), last line %q\nstdout:\n%s\nstderr:\n%s", code, exitSourceEnded, last, out, stderr)
	}
}

// followOnDemo runs `dispatch --scenario demo --yes --follow` as ana on the
// event frame event (JSON), with a journal of its own.
func followOnDemo(t *testing.T, event string) (code int, stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "event.json")
	if err := os.WriteFile(path, []byte(event), 0o644); err != nil {
		t.Fatal(err)
	}
	return runArgs(t, "--scenario", "demo", "--event", path, "--journal", filepath.Join(dir, "audit.jsonl"),
		"--yes", "--follow", "--operator", "ana")
}

// TestDispatchFollowScenarioEndsInTheHandBack: an event whose window is
// over before the scenario day ends is still following its hand-back when
// the day ends. The last line said "the scenario ended at 00:00, before
// DR-92's end at 23:00"; it says the window had ended and the chargers were
// not yet handed back, and the command still exits exitSourceEnded.
func TestDispatchFollowScenarioEndsInTheHandBack(t *testing.T) {
	for _, tc := range []struct {
		name, end, want string
	}{
		{"window over before the day", "2024-01-17T23:00:00+08:00",
			"the scenario ended at 00:00, after DR-92's window ended at 23:00, before its chargers were handed back: following stops; DR-92 cancelled"},
		{"window over with the day", "2024-01-18T00:00:00+08:00",
			"the scenario ended at 00:00, as DR-92's window ended, before its chargers were handed back: following stops; DR-92 cancelled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := followOnDemo(t, `{"v":1,"type":"event","id":"DR-92","kind":"import_cap","scope":"F10",
		"start":"2024-01-17T22:00:00+08:00","end":"`+tc.end+`","kw":1400}`)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			last := lines[len(lines)-1]
			if code != exitSourceEnded || !strings.HasPrefix(last, tc.want) {
				t.Errorf("exit %d (want %d), last line %q, want it to begin %q\nstdout:\n%s\nstderr:\n%s", code, exitSourceEnded, last, tc.want, out, stderr)
			}
		})
	}
}

// TestDispatchFollowInterrupted: ^C while `dispatch --follow` follows
// cancels the event, and the last line and the journal's dispatch_cancel
// say it was interrupted. Both said "context canceled".
func TestDispatchFollowInterrupted(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := lateSim(t, quiet)
	srv := sim.NewServer(s, sim.ServerOptions{Logger: quiet})
	url := serveFeed(t, srv)

	dir := t.TempDir()
	cfg := filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(`{"journal":"audit.jsonl","min_interval":"0s","adapters":[{"name":"sim","kind":"wsjson"}],"chargers":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(`{"v":1,"type":"event","id":"DR-93","kind":"import_cap","scope":"F08",
		"start":"2024-01-17T23:30:00+08:00","end":"2024-01-18T00:00:00+08:00","kw":300}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	code := make(chan int, 1)
	go func() {
		c := run(ctx, []string{"dispatch", "--feed", url, "--event", event, "--adapters", cfg,
			"--yes", "--follow", "--operator", "ana"}, pw, &stderr)
		pw.Close()
		code <- c
	}()
	// The simulator's clock does not move (it is not run): the command
	// follows, waiting for the next slot, until it is interrupted.
	lines := bufio.NewScanner(pr)
	var out []string
	for lines.Scan() {
		out = append(out, lines.Text())
		if strings.Contains(lines.Text(), "plan 1 (confirmed)") {
			cancel() // ^C
		}
	}
	// Interrupted, the event did not run its course: not a success.
	if c := <-code; c != 1 {
		t.Errorf("exit %d after ^C, want 1", c)
	}
	const want = "stopped (interrupted by Ctrl-C or SIGTERM): DR-93 cancelled"
	if last := out[len(out)-1]; !strings.HasPrefix(last, want) {
		t.Errorf("last line %q, want it to begin %q\nstdout:\n%s\nstderr:\n%s", last, want, strings.Join(out, "\n"), stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if j := string(b); !strings.Contains(j, `"kind":"dispatch_cancel"`) || !strings.Contains(j, `"reason":"v2gdesk dispatch stopped: interrupted by Ctrl-C or SIGTERM"`) {
		t.Errorf("the journal's dispatch_cancel does not say the command was interrupted:\n%s", j)
	}
}
