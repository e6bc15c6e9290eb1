package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestParseSimCommand: the lines a presenter types at `v2gdesk sim`, good
// and bad; a bad one names what was wrong.
func TestParseSimCommand(t *testing.T) {
	for _, tc := range []struct {
		line string
		want simCommand
		err  string // a part of the error; "" for none
	}{
		{"", simCommand{}, ""},
		{"   ", simCommand{}, ""},
		{"pause", simCommand{verb: "pause"}, ""},
		{"  RESUME ", simCommand{verb: "resume"}, ""},
		{"status", simCommand{verb: "status"}, ""},
		{"help", simCommand{verb: "help"}, ""},
		{"seek 19:00", simCommand{verb: "seek", clock: "19:00"}, ""},
		{"seek 00:00", simCommand{verb: "seek", clock: "00:00"}, ""},
		{"seek +2h", simCommand{verb: "seek", by: 2 * time.Hour}, ""},
		{"seek -30m", simCommand{verb: "seek", by: -30 * time.Minute}, ""},
		{"seek +1h30m", simCommand{verb: "seek", by: 90 * time.Minute}, ""},
		{"speed 120", simCommand{verb: "speed", speed: 120}, ""},
		{"speed 0.5", simCommand{verb: "speed", speed: 0.5}, ""},
		{"speed 60x", simCommand{verb: "speed", speed: 60}, ""},
		{"warp 9", simCommand{}, `unknown command "warp"`},
		{"pause now", simCommand{}, `pause takes no argument, got "now"`},
		{"status -v", simCommand{}, "status takes no argument"},
		{"seek", simCommand{}, "seek takes one argument: HH:MM (site time), +DURATION or -DURATION"},
		{"seek 19:00 20:00", simCommand{}, "seek takes one argument"},
		{"seek 25:00", simCommand{}, "seek 25:00: want HH:MM (site time)"},
		{"seek 7pm", simCommand{}, "seek 7pm: want HH:MM"},
		{"seek +2", simCommand{}, "seek +2: want a signed duration such as +2h"},
		{"seek +0m", simCommand{}, "seek +0m: want a signed duration"},
		{"seek -", simCommand{}, "seek -: want a signed duration"},
		{"speed", simCommand{}, "speed takes one argument"},
		{"speed fast", simCommand{}, "speed fast: want a number from 0.5 to 3600"},
		{"speed 0", simCommand{}, "speed 0: "},
		{"speed 5000", simCommand{}, "speed 5000: "},
		{"speed NaN", simCommand{}, "speed NaN: "},
	} {
		got, err := parseSimCommand(tc.line)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.line, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want one with %q", tc.line, err, tc.err)
		case got != tc.want:
			t.Errorf("%q: %+v, want %+v", tc.line, got, tc.want)
		}
	}
}

// watchDesk is a --feed desk as far as the fleet goes: it waits for a
// snapshot that meets a condition, taken after a message.
type watchDesk struct {
	fleet *feeds.Fleet
	mu    sync.Mutex
	cond  func(*feeds.Snapshot) bool
	met   chan struct{}
}

func (d *watchDesk) HandleFrame(raw []byte)        { d.fleet.HandleFrame(raw); d.look() }
func (d *watchDesk) HandleLink(ev feeds.LinkEvent) { d.fleet.HandleLink(ev); d.look() }

func (d *watchDesk) look() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cond != nil && d.cond(d.fleet.Snapshot()) {
		d.cond = nil
		close(d.met)
	}
}

// until returns a channel closed once a snapshot meets cond (checked now too).
func (d *watchDesk) until(cond func(*feeds.Snapshot) bool) <-chan struct{} {
	d.mu.Lock()
	d.cond, d.met = cond, make(chan struct{})
	met := d.met
	d.mu.Unlock()
	d.look()
	return met
}

// TestSimConsoleDrivesAServedFeed: `v2gdesk sim` of the demo day at
// 12:00 served over websocket, a desk subscribed with a Subscriber, and the
// presenter's lines fed to the sim's command reader. seek 16:00 is a
// catch-up the desk follows (its catch_up signals); pause stops the clock
// (an hour of wall time later, seek +30m goes from 16:00 exactly); speed
// 120 and resume pace a step every half second; seek -2h starts the day
// over at 14:31 and the desk resets; a bad line is answered with the
// commands and the sim goes on; at the end of the input the sim runs on.
// Every step is synchronised on the desk's frames or the fake clock's
// timers.
func TestSimConsoleDrivesAServedFeed(t *testing.T) {
	quiet := slog.New(slog.DiscardHandler)
	sd := serveDemoSim(t, quiet) // from 12:00
	sc, s, srv, clk, ctx := sd.sc, sd.sim, sd.srv, sd.clk, sd.ctx
	loc, day := sc.Location(), sc.Start()
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }

	// A fixed wall clock: the desk's clock reads the feed's times exactly.
	wall := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	desk := &watchDesk{fleet: feeds.NewFleet(feeds.FleetOptions{Logger: quiet, Wall: func() time.Time { return wall }})}
	ready := desk.until(func(s *feeds.Snapshot) bool { return s.HaveTopology && s.Unknown == 0 && s.NumChargers() > 0 })
	sub := feeds.NewSubscriber(sd.url, feeds.SubscriberOptions{Logger: quiet})
	go sub.Run(ctx, desk)
	<-ready

	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	console := &simConsole{sim: s, clients: func() int { return srv.Stats().Clients }, day: day, loc: loc}
	ran := make(chan error, 1)
	go func() { ran <- console.run(ctx, inR, outW); outW.Close() }()
	answers := bufio.NewScanner(outR)
	say := func(line string) string {
		t.Helper()
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			t.Fatal(err)
		}
		if !answers.Scan() {
			t.Fatalf("%q: no answer", line)
		}
		return answers.Text()
	}
	expect := func(line string, want ...string) {
		t.Helper()
		got := say(line)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%q answered %q, want %q in it", line, got, w)
			}
		}
	}
	arrived := func(to time.Time) <-chan struct{} {
		return desk.until(func(s *feeds.Snapshot) bool { return !s.CatchingUp && s.At.Equal(to) && s.Unknown == 0 })
	}
	hm := func(t time.Time) string { return t.In(loc).Format("15:04") }

	// seek HH:MM forward: a catch-up the desk follows.
	got := arrived(at(16, 0))
	expect("seek 16:00", "sim: seek forward to 16:00, the 4h skipped sent at once (catch_up); at 2024-01-17 16:00 CST, 60x, running, 1 client connected")
	<-got
	if st := desk.fleet.Snapshot(); st.CatchUps != 1 || st.Stats.BadCatchUps != 0 {
		t.Errorf("after seek 16:00: %d catch-ups, %d bad signals; want 1 and 0", st.CatchUps, st.Stats.BadCatchUps)
	}

	// pause: an hour of the sim's clock goes by without a step.
	expect("pause", "sim: paused; at 2024-01-17 16:00 CST, 60x, paused, 1 client connected")
	if !s.Paused() {
		t.Fatal("pause: the sim is not paused")
	}
	clk.Advance(time.Hour)
	got = arrived(at(16, 30))
	expect("seek +30m", "seek forward to 16:30, the 30m skipped", "paused")
	<-got
	if now := s.Now(); !now.Equal(at(16, 30)) {
		t.Errorf("after pause and seek +30m: the sim at %s, want 16:30 (a step slipped in while paused)", hm(now))
	}

	// speed 120, resume: the next step is due half a second on.
	expect("speed 120", "sim: speed 120x; at 2024-01-17 16:30 CST, 120x, paused")
	expect("resume", "sim: resumed; at 2024-01-17 16:30 CST, 120x, running")
	clk.BlockUntil(1)
	if due, _ := clk.NextDue(); due != 500*time.Millisecond {
		t.Errorf("after speed 120 and resume the next step is due in %v, want 500ms", due)
	}
	got = arrived(at(16, 31))
	clk.Advance(500 * time.Millisecond)
	<-got

	// seek back: the day starts over at 14:31, and the desk resets.
	reset := desk.until(func(s *feeds.Snapshot) bool {
		return s.Stats.Resets == 1 && s.At.Equal(at(14, 31)) && s.Unknown == 0 && s.NumChargers() > 0
	})
	expect("seek -2h", "sim: seek back to 14:31: the day starts over there, desks on the feed reset; at 2024-01-17 14:31 CST, 120x, running")
	<-reset
	if st := desk.fleet.Snapshot().Stats; st.BadCatchUps != 0 || st.RejectTotal() != 0 {
		t.Errorf("after seek -2h: %d bad signals, rejects %v (%s); want none", st.BadCatchUps, st.Rejects, st.LastReject)
	}
	// ... and seeks forward again, as a new day's catch-up.
	got = arrived(at(19, 0))
	expect("seek 19:00", "seek forward to 19:00, the 4h29m skipped")
	<-got
	if st := desk.fleet.Snapshot(); st.CatchUps != 3 || st.Stats.BadCatchUps != 0 {
		t.Errorf("after seek 19:00: %d catch-ups, %d bad signals; want 3 (16:00, 16:30, 19:00) and 0", st.CatchUps, st.Stats.BadCatchUps)
	}

	// A bad line is answered with the commands; the sim goes on.
	expect("warp 9", `sim: unknown command "warp"; commands: seek HH:MM (site time)`)
	expect("seek 7pm", "seek 7pm: want HH:MM", "commands: ")
	expect("seek +6h", "sim: seek to 2024-01-18 01:00 refused: the simulated day ends at 2024-01-18 00:00; at 2024-01-17 19:00 CST")
	expect("status", "sim: at 2024-01-17 19:00 CST, 120x, running, 1 client connected")

	// The end of the input ends the commands, not the sim.
	inW.Close()
	if err := <-ran; err != nil {
		t.Fatalf("the command reader at the end of its input: %v", err)
	}
	clk.BlockUntil(1)
	got = arrived(at(19, 1))
	clk.Advance(500 * time.Millisecond)
	<-got
}

// TestSimCommandsOnStdin: `v2gdesk sim` answers its stdin's lines on
// stderr, and at the end of a stdin that is not a terminal (a script's,
// `sim < /dev/null`) it runs on, saying nothing more, until stopped.
func TestSimCommandsOnStdin(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string // stderr's lines, each a prefix
	}{
		{"commands", "status\nwarp 9\n", []string{"sim: at 2024-01-17 1", `sim: unknown command "warp"; commands: seek HH:MM`}},
		{"/dev/null", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outR, outW := io.Pipe()
			errR, errW := io.Pipe()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			code := make(chan int, 1)
			go func() {
				code <- runSimWith(ctx, []string{"--listen", "127.0.0.1:0", "--start", "12:00"}, strings.NewReader(tc.in), false, outW, errW)
				outW.Close()
				errW.Close()
			}()
			out, errs := bufio.NewScanner(outR), bufio.NewScanner(errR)
			if !out.Scan() || !strings.HasPrefix(out.Text(), "serving Demo City") {
				t.Fatalf("stdout %q, want the serving line", out.Text())
			}
			for _, want := range tc.want {
				if !errs.Scan() || !strings.HasPrefix(errs.Text(), want) {
					t.Errorf("stderr line %q, want %q...", errs.Text(), want)
				}
			}
			cancel() // the end of stdin did not stop the sim: Ctrl-C does
			var rest []string
			stopped := make(chan struct{})
			go func() {
				for errs.Scan() {
					rest = append(rest, errs.Text())
				}
				close(stopped)
			}()
			if !out.Scan() || !strings.HasPrefix(out.Text(), "stopped at ") {
				t.Errorf("stdout %q, want the stopped line", out.Text())
			}
			for out.Scan() {
			}
			if c := <-code; c != 0 {
				t.Errorf("exit %d, want 0", c)
			}
			<-stopped
			if len(rest) > 0 {
				t.Errorf("stderr after the commands: %q, want nothing", rest)
			}
		})
	}
}
