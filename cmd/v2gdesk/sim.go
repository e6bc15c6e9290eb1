package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// runSim serves a scenario re-enactment as a protocol v1 websocket feed,
// taking operator commands on the process's stdin (simctl.go).
func runSim(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runSimWith(ctx, args, os.Stdin, term.IsTerminal(os.Stdin.Fd()), stdout, stderr)
}

// runSimWith is runSim with its commands read from stdin; tty says stdin
// is a terminal, where the sim says how to use them and when they end.
func runSimWith(ctx context.Context, args []string, stdin io.Reader, tty bool, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8765", "`ADDR` to serve the websocket feed on (paths / and /v1)")
	scen := fs.String("scenario", "demo", "`demo` (the embedded demo day) or a scenario FILE (.json or .json.gz)")
	speed := fs.Float64("speed", 60, "simulated time per wall time, 0.5 to 3600")
	start := fs.String("start", "", "start at this time of the scenario day (`HH:MM`); default its start")
	exitAtEnd := fs.Bool("exit-at-end", false, "exit at the end of the day even while commands can come in (it holds there, paused, by default)")
	said := commandLang(args, false)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk sim [--listen 127.0.0.1:8765] [--scenario demo|FILE] [--speed 60] [--start HH:MM] [--exit-at-end]

Re-enacts a day of feeder loads and EV sessions as a telemetry feed and obeys setpoints (docs/replay.md).
Takes commands on stdin, one a line: seek HH:MM|+D|-D, pause, resume, speed N, status, help, quit.
At the end of the day it holds, paused, until a seek back or quit; at the end of stdin
(Ctrl-D, < /dev/null) it runs on without commands and stops at the end of the day.
Exit status 0 when stopped or at the end of the day, 1 on an error, %d for a bad command line.
`, exitUsage)
	}
	if code, done := parseArgs(fs, args, stdout, stderr, said); done {
		return code
	}
	if err := replay.CheckSpeed(*speed); err != nil {
		fmt.Fprintln(stderr, say(said, "v2gdesk sim: --speed: %v", err))
		return exitUsage
	}
	sc, err := loadScenario(*scen)
	if err != nil {
		fmt.Fprintln(stderr, say(said, "v2gdesk sim: --scenario: %v", errorIn(said, err)))
		return 1
	}
	at := sc.Start()
	if *start != "" {
		if at, err = clockOn(sc.Start(), *start); err != nil {
			fmt.Fprintln(stderr, say(said, "v2gdesk sim: --start: %v", err))
			return exitUsage
		}
	}
	// The command answers, the day's end and the log share stderr from
	// their goroutines.
	stderr = &lockedWriter{w: stderr}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, stop := context.WithCancel(ctx) // quit
	defer stop()
	loc := sc.Location()
	var clients func() int // set once the server is made; the sim holds only after Run starts
	onHold := func(end time.Time) {
		fmt.Fprintf(stderr, "sim: the day ended at %s: the clock stops there and desks on the feed show it paused; %s; %d connected\n",
			end.In(loc).Format("2006-01-02 15:04 MST"), simDayEndHint, clients())
	}
	s, err := sim.New(sc, sim.Options{Start: at, Speed: *speed, Logger: log, HoldAtEnd: !*exitAtEnd, OnHold: onHold})
	if err != nil {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk sim", "start the simulation", err))
		return 1
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(stderr, say(said, "v2gdesk sim: --listen %s: %v", *listen, err))
		return 1
	}
	srv := sim.NewServer(s, sim.ServerOptions{Logger: log})
	clients = func() int { return srv.Stats().Clients }
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "serving %s (%s, %s) on ws://%s/ and ws://%s/v1 at %gx from %s; Ctrl-C to stop\n",
		sc.Site, plural(len(sc.Feeders), "feeder", "feeders"), plural(len(sc.Chargers()), "charger", "chargers"), ln.Addr(), ln.Addr(), *speed, at.Format("2006-01-02 15:04 MST"))
	console := &simConsole{sim: s, clients: clients, served: srv.Stats, day: sc.Start(), loc: loc, quit: stop}
	if tty {
		fmt.Fprintln(stderr, "sim: type commands here, one a line ("+simCommandList+")")
	}
	go func() {
		// At the end of stdin the sim runs on: a script's, CI's or
		// systemd's sim (stdin /dev/null) works as before it took commands.
		// The reader may stay blocked in a terminal read when the sim
		// stops; the process exits with it.
		// With no commands nobody can seek back from the end of the day:
		// the sim ends there as it did before it held, at once if it
		// holds there now (Ctrl-D at the end is a way to stop).
		err := console.run(ctx, stdin, stderr)
		ended := s.AtEnd()
		s.ReleaseEnd()
		switch {
		case err != nil:
			fmt.Fprintf(stderr, "v2gdesk sim: %v; the sim runs on without commands to the end of the day\n", err)
		case tty && ctx.Err() == nil && ended:
			fmt.Fprintln(stderr, "sim: end of input: the day is over; stopping")
		case tty && ctx.Err() == nil:
			fmt.Fprintln(stderr, "sim: end of input: no more commands; the sim runs on to the end of the day and exits there, Ctrl-C to stop")
		}
	}()
	runErr := srv.Run(ctx)
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hs.Shutdown(shutCtx)
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "v2gdesk sim: serve: %v\n", err)
		return 1
	}
	st, ss := srv.Stats(), s.Stats()
	fmt.Fprintf(stdout, "stopped at %s: %d %s, %d bad client %s, %d %s (%d accepted, %d clamped, %d rejected), %s, %d %s dropped; %d %s left short of target (%.1f kWh); %s\n",
		s.Now().Format("15:04"), st.Connections, pluralForm(st.Connections, "connection", "connections"), st.BadFrames, pluralForm(st.BadFrames, "frame", "frames"),
		st.Setpoints, pluralForm(st.Setpoints, "setpoint", "setpoints"), ss.Accepted, ss.Clamped, ss.Rejected, conflatedText(st),
		st.Dropped, pluralForm(st.Dropped, "client", "clients"), ss.UnmetSessions, pluralForm(ss.UnmetSessions, "EV", "EVs"), ss.UnmetKWh, paceSummary(s.Pace()))
	if runErr != nil && !errors.Is(runErr, context.Canceled) {
		fmt.Fprintf(stderr, "v2gdesk sim: %v\n", runErr)
		return 1
	}
	return 0
}
