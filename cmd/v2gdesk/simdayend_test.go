package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// simRun is a `v2gdesk sim` run by runSimWith with its stdin, stdout and
// stderr as pipes the test reads and writes.
type simRun struct {
	in   *io.PipeWriter
	out  chan string // stdout's lines after the serving line, read as they come
	errs *bufio.Scanner
	code chan int
	url  string // ws://ADDR/v1, from the serving line
}

// startSim runs `v2gdesk sim args...` (stdin not a terminal) and reads its
// serving line.
func startSim(t *testing.T, ctx context.Context, args ...string) *simRun {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	r := &simRun{in: inW, out: make(chan string, 16), errs: bufio.NewScanner(errR), code: make(chan int, 1)}
	go func() {
		r.code <- runSimWith(ctx, args, inR, false, outW, errW)
		outW.Close()
		errW.Close()
	}()
	t.Cleanup(func() { inW.Close() })
	out := bufio.NewScanner(outR)
	if !out.Scan() || !strings.HasPrefix(out.Text(), "serving Demo City") {
		t.Fatalf("stdout %q, want the serving line", out.Text())
	}
	_, rest, ok := strings.Cut(out.Text(), " on ws://")
	addr, _, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		t.Fatalf("no address in %q", out.Text())
	}
	// The sim's stopped line must not wait for the test to read it: a sim
	// that exits early then shows up as stderr ending, not as a hang.
	go func() {
		for out.Scan() {
			r.out <- out.Text()
		}
		close(r.out)
	}()
	r.url = "ws://" + addr + "/v1"
	return r
}

// expectErr reads stderr's next line and checks it has each of want.
func (r *simRun) expectErr(t *testing.T, want ...string) {
	t.Helper()
	if !r.errs.Scan() {
		t.Fatalf("stderr ended, want a line with %q", want)
	}
	for _, w := range want {
		if !strings.Contains(r.errs.Text(), w) {
			t.Errorf("stderr %q, want %q in it", r.errs.Text(), w)
		}
	}
}

// say writes a command line to the sim's stdin.
func (r *simRun) say(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(r.in, line+"\n"); err != nil {
		t.Fatal(err)
	}
}

// stopped reads stdout to its end, checks the stopped line and the exit.
func (r *simRun) stopped(t *testing.T, want string) {
	t.Helper()
	if line := <-r.out; !strings.HasPrefix(line, want) {
		t.Errorf("stdout %q, want %q...", line, want)
	}
	for range r.out {
	}
	if c := <-r.code; c != 0 {
		t.Errorf("exit %d, want 0", c)
	}
}

// TestSimHoldsAtTheEndOfTheDay: `v2gdesk sim --start 23:50 --speed 3600`
// with a --feed desk (a fleet behind a Subscriber) and commands on an open
// stdin. At midnight the sim does not exit: it says on stderr that the day
// ended and how to go on, the desk shows the feed paused (not ended, not a
// failing feed); `resume` says there is nothing left; `seek -5m` replays
// the last minutes and the desk resets; at midnight again it holds again;
// `quit` stops it, and the desk then sees the scenario end (close 1000), not
// a lost link. Before, the sim exited at midnight. The clock is the real
// one at 3600x (ten simulated minutes); nothing is timed.
func TestSimHoldsAtTheEndOfTheDay(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := startSim(t, ctx, "--listen", "127.0.0.1:0", "--start", "23:50", "--speed", "3600")
	desk := &watchDesk{fleet: feeds.NewFleet(feeds.FleetOptions{Logger: quiet})}
	links := make(chan feeds.LinkEvent, 64)
	go feeds.NewSubscriber(r.url, feeds.SubscriberOptions{Logger: quiet}).Run(ctx, linkTap{desk, links})

	r.expectErr(t, "sim: the day ended at 2024-01-18 00:00 CST: the clock stops there and desks on the feed show it paused; "+
		"seek back to replay it (seek 16:00, seek -1h); quit, Ctrl-D or Ctrl-C to stop")
	<-desk.until(func(s *feeds.Snapshot) bool { return s.Paused && s.HaveTopology })
	if st := desk.fleet.Snapshot(); st.Stats.Ended || st.At.In(st.Location).Format("2006-01-02 15:04") != "2024-01-18 00:00" {
		t.Errorf("desk at the end: Ended %v at %s, want paused at 2024-01-18 00:00, not ended", st.Stats.Ended, st.At)
	}

	r.say(t, "resume")
	r.expectErr(t, "sim: nothing left to play, the day ended at 2024-01-18 00:00: seek back to replay it",
		"held at the day's end, 1 client connected")
	r.say(t, "status")
	r.expectErr(t, "sim: at 2024-01-18 00:00 CST, 3600x, held at the day's end")

	reset := desk.until(func(s *feeds.Snapshot) bool { return s.Stats.Resets == 1 && !s.Paused })
	r.say(t, "seek -5m")
	r.expectErr(t, "sim: seek back to 23:55: the day starts over there, desks on the feed reset")
	<-reset
	r.expectErr(t, "sim: the day ended at 2024-01-18 00:00 CST")
	<-desk.until(func(s *feeds.Snapshot) bool { return s.Paused })

	r.say(t, "quit")
	r.expectErr(t, "sim: stopping; at 2024-01-18 00:00 CST")
	r.stopped(t, "stopped at 00:00")
	for ev := range links {
		if ev.End {
			break
		}
		if !ev.Up {
			t.Fatalf("the desk lost its link (%v) when the held sim quit, want the scenario's end", ev.Err)
		}
	}
}

// TestSimAtTheEndWithoutCommands: the end of stdin at the end of the day
// (Ctrl-D) stops the held sim; a sim whose stdin ended before (a script's
// `< /dev/null`, systemd) or run with --exit-at-end exits at the end of the
// day as it always did, saying nothing on stderr.
func TestSimAtTheEndWithoutCommands(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	held := startSim(t, ctx, "--listen", "127.0.0.1:0", "--start", "23:55", "--speed", "3600")
	held.expectErr(t, "sim: the day ended at 2024-01-18 00:00 CST")
	held.in.Close()
	held.stopped(t, "stopped at 00:00")

	for _, tc := range []struct {
		name  string
		args  []string
		close bool
	}{
		{"stdin ended", nil, true},
		{"--exit-at-end", []string{"--exit-at-end"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := startSim(t, ctx, append([]string{"--listen", "127.0.0.1:0", "--start", "23:55", "--speed", "3600"}, tc.args...)...)
			if tc.close {
				r.in.Close()
			}
			var rest []string
			done := make(chan struct{})
			go func() {
				for r.errs.Scan() {
					rest = append(rest, r.errs.Text())
				}
				close(done)
			}()
			r.stopped(t, "stopped at 00:00")
			<-done
			if len(rest) > 0 {
				t.Errorf("stderr %q, want nothing", rest)
			}
		})
	}
}

// linkTap passes a Subscriber's messages to a watchDesk and copies its
// link events to a channel.
type linkTap struct {
	desk  *watchDesk
	links chan<- feeds.LinkEvent
}

func (l linkTap) HandleFrame(raw []byte) { l.desk.HandleFrame(raw) }
func (l linkTap) HandleLink(ev feeds.LinkEvent) {
	l.desk.HandleLink(ev)
	select {
	case l.links <- ev:
	default:
	}
}
