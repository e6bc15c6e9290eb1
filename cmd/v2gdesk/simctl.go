package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
	"github.com/v2gdesk/v2gdesk/replay/sim"
)

// `v2gdesk sim` takes operator commands on its stdin, one a line, so a
// presenter with desks on its feed can pause it, change its speed or jump
// to the evening peak without restarting it (which drops every desk's
// link). Each line is answered with one line on stderr saying what the sim
// now does; a bad line is answered with what was wrong and the commands,
// and never stops the sim. At the end of stdin (`sim < /dev/null`, a
// script, systemd) the commands end and the sim runs on, as it did before
// it took any (docs/replay.md). At the end of the day a sim that takes
// commands holds there, paused, rather than exit (sim.Options.HoldAtEnd):
// the presenter seeks back to replay the evening, or quits.

// simCommandList is the commands' summary a bad line is answered with.
const simCommandList = "commands: seek HH:MM (site time) | seek +2h | seek -30m, pause, resume, speed N (0.5 to 3600), status, help, quit"

// simDayEndHint is how a presenter goes on from the end of the day.
const simDayEndHint = "seek back to replay it (seek 16:00, seek -1h); quit, Ctrl-D or Ctrl-C to stop"

// simCommand is one parsed command line.
type simCommand struct {
	verb  string        // seek, pause, resume, speed, status, help, quit; "" for a blank line
	clock string        // seek HH:MM: the time of the scenario day
	by    time.Duration // seek +D / -D, when clock is ""
	speed float64       // speed N
}

// parseSimCommand parses one line of the sim's stdin. A blank line is the
// zero simCommand. The error says what was wrong with the line, naming it.
func parseSimCommand(line string) (simCommand, error) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return simCommand{}, nil
	}
	verb := strings.ToLower(f[0])
	args := f[1:]
	switch verb {
	case "pause", "resume", "status", "help", "quit":
		if len(args) > 0 {
			return simCommand{}, fmt.Errorf("%s takes no argument, got %q", verb, strings.Join(args, " "))
		}
		return simCommand{verb: verb}, nil
	case "seek":
		if len(args) != 1 {
			return simCommand{}, fmt.Errorf("seek takes one argument: HH:MM (site time), +DURATION or -DURATION (seek 19:00, seek +2h, seek -30m)")
		}
		a := args[0]
		if a[0] == '+' || a[0] == '-' {
			d, err := time.ParseDuration(a)
			if err != nil || d == 0 {
				return simCommand{}, fmt.Errorf("seek %s: want a signed duration such as +2h, -30m or +1h30m", a)
			}
			return simCommand{verb: verb, by: d}, nil
		}
		if _, err := scenario.ParseClock(a); err != nil {
			return simCommand{}, fmt.Errorf("seek %s: want HH:MM (site time), +DURATION or -DURATION", a)
		}
		return simCommand{verb: verb, clock: a}, nil
	case "speed":
		if len(args) != 1 {
			return simCommand{}, fmt.Errorf("speed takes one argument: simulated time per wall time, 0.5 to 3600 (speed 120)")
		}
		x, err := strconv.ParseFloat(strings.TrimSuffix(strings.ToLower(args[0]), "x"), 64)
		if err != nil {
			return simCommand{}, fmt.Errorf("speed %s: want a number from 0.5 to 3600", args[0])
		}
		if err := replay.CheckSpeed(x); err != nil {
			return simCommand{}, fmt.Errorf("speed %s: %w", args[0], err)
		}
		return simCommand{verb: verb, speed: x}, nil
	}
	return simCommand{}, fmt.Errorf("unknown command %q", f[0])
}

// simControl is what the commands drive: a *sim.Sim.
type simControl interface {
	Heading() time.Time
	Speed() float64
	SetSpeed(float64) error
	Paused() bool
	Pause()
	Resume()
	Seek(time.Time) error
	Restart(time.Time) error
	AtEnd() bool
	InForce() int
	Pace() sim.Pace
	WaitTaken(context.Context) error
}

// simConsole carries out the sim's stdin commands.
type simConsole struct {
	sim     simControl
	clients func() int // connected now
	// served is the server's counters, for what was conflated for slow
	// clients; nil: nothing is said of them.
	served func() sim.ServerStats
	day    time.Time      // the scenario day's start: seek HH:MM is on its date, in its zone
	loc    *time.Location // the site's zone, for every time said
	quit   func()         // stops the sim (quit); nil: quit is refused
	// quitting: quit was asked for; run calls quit after the answer.
	quitting bool
}

// run reads commands from in until it ends or ctx is done, answering each
// on out. It returns nil at the end of in, or in's read error.
func (c *simConsole) run(ctx context.Context, in io.Reader, out io.Writer) error {
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		if answer := c.do(sc.Text()); answer != "" {
			fmt.Fprintln(out, answer)
		}
		if c.quitting {
			// Only once its answer is out: stopping the sim ends the
			// process, and an answer written after that is lost. And
			// only once the seeks answered before it are taken: piped
			// in at once ("seek 10:00", "quit"), the seek was said done
			// and the sim stopped before taking it, wherever it was.
			if err := c.sim.WaitTaken(ctx); err != nil {
				return nil // Ctrl-C: the sim stops anyway
			}
			c.quit()
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading commands: %w", err)
	}
	return nil
}

// do carries out one line and returns its answer ("" for a blank line).
func (c *simConsole) do(line string) string {
	cmd, err := parseSimCommand(line)
	if err != nil {
		return "sim: " + err.Error() + "; " + simCommandList
	}
	// Where the sim is going, not Now: Now keeps the time before a seek
	// until it is delivered, and `seek 16:00` then `seek +1h` means 17:00.
	now := c.sim.Heading()
	switch cmd.verb {
	case "":
		return ""
	case "help":
		return "sim: " + simCommandList + "; " + c.state(now)
	case "status":
		return "sim: " + c.state(now)
	case "pause":
		c.sim.Pause()
		return "sim: paused; " + c.state(now)
	case "resume":
		c.sim.Resume()
		if c.sim.AtEnd() {
			// Restarting the day unasked would throw away the setpoints
			// in force; the presenter says where to start again.
			return "sim: nothing left to play, the day ended at " + c.hm(now) + ": " + simDayEndHint + "; " + c.state(now)
		}
		return "sim: resumed; " + c.state(now)
	case "quit":
		if c.quit == nil {
			return "sim: quit is not available here; Ctrl-C to stop"
		}
		c.quitting = true // run stops the sim once this is written
		return "sim: stopping; " + c.state(now)
	case "speed":
		if err := c.sim.SetSpeed(cmd.speed); err != nil {
			return "sim: speed refused: " + err.Error() + "; " + c.state(now)
		}
		return fmt.Sprintf("sim: speed %gx; %s", cmd.speed, c.state(now))
	}
	// seek
	to := now.Add(cmd.by)
	if cmd.clock != "" {
		to, _ = clockOn(c.day.In(c.loc), cmd.clock) // parseSimCommand checked it
	}
	what := c.hm(to)
	switch {
	case to.Equal(now):
		return "sim: already at " + what + "; " + c.state(now)
	case to.After(now):
		if err := c.sim.Seek(to); err != nil {
			return "sim: seek to " + what + " refused: " + err.Error() + "; " + c.state(now)
		}
		return fmt.Sprintf("sim: seek forward to %s, the %s skipped sent at once (catch_up); %s", what, span(to.Sub(now)), c.state(to))
	default:
		// Counted before: the restart drops them, and the desks that sent
		// them count them in force until their validity.
		inForce := c.sim.InForce()
		if err := c.sim.Restart(to); err != nil {
			return "sim: seek to " + what + " refused: " + err.Error() + "; " + c.state(now)
		}
		return fmt.Sprintf("sim: seek back to %s: the day starts over there, desks on the feed reset%s; %s", what, droppedText(inForce), c.state(to))
	}
}

// droppedText is what a seek back says of the setpoints in force it
// drops: nothing when there were none.
func droppedText(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return ", 1 setpoint in force dropped (the desk that sent it still counts it until its validity)"
	}
	return fmt.Sprintf(", %d setpoints in force dropped (the desks that sent them still count them until their validity)", n)
}

// state says what the sim does, as of at: time in the site's zone, speed,
// running or paused, clients connected.
func (c *simConsole) state(at time.Time) string {
	run := "running"
	switch {
	case c.sim.AtEnd():
		run = "held at the day's end"
	case c.sim.Paused():
		run = "paused"
	}
	n := c.clients()
	clients := fmt.Sprintf("%d clients", n)
	if n == 1 {
		clients = "1 client"
	}
	if c.served != nil {
		if st := c.served(); st.Sets > 0 {
			clients += fmt.Sprintf(" (%d behind now; %s)", st.Behind, conflatedText(st))
		}
	}
	return fmt.Sprintf("at %s, %gx%s, %s, %s connected", at.In(c.loc).Format("2006-01-02 15:04 MST"), c.sim.Speed(),
		behindText(c.sim.Pace()), run, clients)
}

// conflatedText says what the server conflated for clients that fell
// behind (docs/replay.md): the sets sent and the frames they left out.
func conflatedText(st sim.ServerStats) string {
	sets := "sets"
	if st.Sets == 1 {
		sets = "set"
	}
	return fmt.Sprintf("%s conflated %s for slow clients (%s %s left out for newer ones)", groupDigits(st.Sets), sets, groupDigits(st.Conflated), pluralForm(st.Conflated, "frame", "frames"))
}

// groupDigits writes n with a comma every three digits, as the stop line's
// other large counts are read: 1,234,567.
func groupDigits(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// behindText is what the status says of a sim that does not keep its
// speed: nothing while it does, else the speed it reached over the last
// window, what a step costs against what it has, and the simulated time
// slipped so far. A presenter at 600x whose sim covers four minutes a
// second must not take it for ten.
func behindText(p sim.Pace) string {
	if !p.Behind || p.Achieved == 0 {
		return ""
	}
	return fmt.Sprintf(" but behind: %.0fx over the last %s (a step takes %s of its %s), %s of simulated time slipped so far",
		p.Achieved, sim.PaceWindow, p.StepCost.Round(time.Millisecond), p.Budget.Round(time.Millisecond), slippedText(p.Slipped))
}

// paceSummary is what the sim's last line says of its pace: whether it
// kept its speed, and if not for how long and how much it slipped.
func paceSummary(p sim.Pace) string {
	switch {
	case p.BehindWindows == 0 && p.Slipped == 0:
		return "kept its speed"
	case p.BehindWindows == 0:
		// A step over a second late (a pause of the process, a slow
		// moment) gives the time up without a window falling short.
		return fmt.Sprintf("kept its speed over each %s but slipped %s of simulated time in all (steps over a second late)", sim.PaceWindow, slippedText(p.Slipped))
	}
	windows := "1 window"
	if p.BehindWindows != 1 {
		windows = fmt.Sprintf("%d windows", p.BehindWindows)
	}
	return fmt.Sprintf("fell behind its speed in %s of %s, %s of simulated time slipped", windows, sim.PaceWindow, slippedText(p.Slipped))
}

// slippedText words the simulated time slipped: in seconds under a
// minute (span would say 0m), else as span does.
func slippedText(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return span(d)
}

// hm is t's time of day in the site's zone, with its date when it is not
// on the scenario's day (a relative seek past its end).
func (c *simConsole) hm(t time.Time) string {
	t, day := t.In(c.loc), c.day.In(c.loc)
	if t.YearDay() != day.YearDay() || t.Year() != day.Year() {
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("15:04")
}

// span words a duration for a line: 3h, 45m, 2h30m.
func span(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%02dm", h, m)
}
