package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/site"
)

// exitNotJournalled is the exit code of `v2gdesk setpoint` when the
// setpoint's result could not be journalled (a full disk): whatever the
// charger did, the audit trail lacks it, which a script must not take for
// either success or a plain refusal.
const exitNotJournalled = 4

// runSetpoint sends one setpoint to one charger through the guard and the
// audit journal: a manual override or a commissioning check. It exits 0
// only when the setpoint was accepted or clamped and its result journalled.
func runSetpoint(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// The adapters log from their own goroutines (a wsjson link going
	// down, a late answer) to the same stderr as the command's lines.
	stderr = &lockedWriter{w: stderr}
	fs := flag.NewFlagSet("v2gdesk setpoint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("adapters", "", "adapter configuration `FILE` (required)")
	charger := fs.String("charger", "", "charger `ID` (required)")
	kwText := fs.String("kw", "", "power in kW (required): positive charges, negative discharges")
	validFor := durationFlag(fs, "for", 0, "validity `DURATION` from now, e.g. 15m (required)")
	waitConnect := durationFlag(fs, "wait-connect", 30*time.Second, "how long to wait for the charger to connect (OCPP), or a wsjson adapter's url to answer")
	waitBounds := durationFlag(fs, "wait-bounds", 2*time.Second,
		"once a wsjson adapter's url answers, how long to wait for its peer's hello, which announces the charger's bounds, to begin (one under way is read to its end, within --wait-connect); the tighter of them and the adapters file's apply; no hello: the file's alone, with a warning")
	operator := fs.String("operator", os.Getenv("USER"), "operator `NAME` for the audit journal")
	reason := fs.String("reason", "manual setpoint", "why, for the audit journal")
	event := fs.String("event", "", "DR event `ID` this setpoint belongs to, if any")
	id := fs.String("id", "", "setpoint `ID` (default: generated); re-sending an id never applies it twice")
	journal := fs.String("journal", "", "audit journal `FILE` (default: the adapters file's \"journal\")")
	dryRun := fs.Bool("dry-run", false, "journal and check, send nothing to hardware")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	waitAnswer := durationFlag(fs, "wait-answer", 2*time.Minute,
		"after a timeout, how long to wait for the charger's late answer (an OCPP charge point's after a reconnect); never past the setpoint's validity; 0: do not wait")
	said := commandLang(args, false)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk setpoint --adapters FILE --charger ID --kw X --for 15m [flags]

Sends one setpoint through the safety guard and the audit journal, prints the result,
and exits 0 only when it was accepted or clamped, 1 otherwise (also when its own record
could not be journalled: nothing is sent before it is), %d for a bad command line, %d when
it was sent but its result could not be journalled (the audit trail is incomplete: the
charger may hold it).
`, exitUsage, exitNotJournalled)
	}
	if code, done := parseArgs(fs, args, stdout, stderr, said); done {
		return code
	}
	var missing []string
	for name, v := range map[string]string{"--adapters": *cfgPath, "--charger": *charger, "--kw": *kwText} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if validFor.text == "" {
		missing = append(missing, "--for")
	}
	// "missing or zero [--kw]" named a zero that was never given (and
	// --kw 0, a pause, is a setpoint): name only the flags not given.
	if len(missing) > 0 {
		sort.Strings(missing)
		fmt.Fprintln(stderr, say(said, "v2gdesk setpoint: missing %s (every setpoint needs a charger, a power and a validity)", strings.Join(missing, ", ")))
		return exitUsage
	}
	// Given but zero or negative is not missing: quote what was given.
	if validFor.d <= 0 {
		fmt.Fprintln(stderr, say(said, "v2gdesk setpoint: --for %s: want a positive validity, e.g. 15m", validFor))
		return exitUsage
	}
	// Quoted as typed: "--wait-answer -2m", where the duration read
	// back "-2m0s".
	for _, w := range []struct {
		name string
		d    *givenDuration
	}{{"wait-connect", waitConnect}, {"wait-bounds", waitBounds}, {"wait-answer", waitAnswer}} {
		if w.d.d < 0 {
			fmt.Fprintln(stderr, say(said, "v2gdesk setpoint: --%s %v: want 0 or a positive duration", w.name, w.d))
			return exitUsage
		}
	}
	kw, err := strconv.ParseFloat(*kwText, 64)
	if err != nil || math.IsNaN(kw) || math.IsInf(kw, 0) {
		fmt.Fprintln(stderr, say(said, "v2gdesk setpoint: --kw %q is not a number", *kwText))
		return exitUsage
	}
	if *operator == "" {
		*operator = "unknown"
	}

	// Its result is printed after it is journalled, and an OCPP charge
	// point's late answer is heard only while it runs: a reader gone
	// (`setpoint … | head -1`) must not kill it there.
	surviveClosedPipe()
	cfg, err := adapters.LoadConfig(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk setpoint", "read the --adapters file", err))
		return 1
	}
	var route, sameButCase string
	var declared adapters.ChargerConfig
	for _, c := range cfg.Chargers {
		if c.ID == *charger {
			route, declared = c.Adapter, c
		} else if strings.EqualFold(c.ID, *charger) {
			sameButCase = c.ID
		}
	}
	switch {
	case route == "" && sameButCase != "":
		// Named, never taken for it: a setpoint goes to the charger
		// the operator typed or to none.
		fmt.Fprintln(stderr, say(said, "v2gdesk setpoint: charger %q is not in %s; did you mean %q? (ids are case-sensitive)", *charger, *cfgPath, sameButCase))
		return 1
	case route == "":
		fmt.Fprintln(stderr, say(said, "v2gdesk setpoint: charger %q is not in %s", *charger, *cfgPath))
		return 1
	}
	lg := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// applyCtx is the setpoint's: cancelling it ends the adapter's wait for
	// a late answer (--wait-answer 0). Cancelled after the site is closed
	// otherwise, so closing still waits for the adapter.
	applyCtx, stopApply := context.WithCancel(ctx)
	defer stopApply()
	// The adapters' links and listeners live until s.Close, not until ctx
	// ends: a ^C closed the wsjson link at once, and a setpoint waiting for
	// its ack then read "the connection closed before the ack (use of
	// closed network connection)", as if the peer had dropped it, where
	// the guard and the adapter say the wait was stopped.
	s, err := site.Open(context.WithoutCancel(ctx), cfg, site.Deps{
		BaseDir: filepath.Dir(*cfgPath), Journal: *journal, DryRun: *dryRun, Only: []string{route}, Logger: lg,
		PeerBounds: true, // the command bounds the setpoint by the peer's hello too (boundByPeer)
	})
	if err != nil {
		// A journal given with --journal is the flag's fault, not the file's.
		where := *cfgPath
		if *journal != "" && errors.Is(err, adapters.ErrJournal) {
			where = "--journal " + *journal
		}
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk setpoint", "open the adapter", fmt.Errorf("%s: %w", where, err)))
		return 1
	}
	defer func() {
		s.Close()
		// After the close, which waits for the adapter: what the peer sent
		// that could not be used (a garbled ack), each logged when it
		// came. A setpoint reported timeout may have had its answer among
		// them, and the command is the only place that sees them.
		logPeerFaults(lg, s.Guard)
	}()
	if t := s.Recovery.Torn; t != nil {
		fmt.Fprintf(stderr, "v2gdesk setpoint: journal %s: %s\n", s.Journal.Path(), t)
	}

	a, _ := s.Guard.Adapter(route)
	pb, learns := a.(adapters.PeerBounder)
	// A dry run sends nothing, so it waits for no charge point; but it
	// dials a peer that announces the charger's bounds, so that it shows
	// the decision a real run makes.
	connected := false
	if !*dryRun || learns {
		if w, ok := a.(adapters.ConnectWaiter); ok {
			fmt.Fprintln(stderr, sayWaiting(said, a, route, *charger, waitConnect.d))
			wctx, cancel := context.WithTimeout(ctx, waitConnect.d)
			err := w.WaitConnected(wctx, *charger)
			cancel()
			if ctx.Err() != nil {
				// ^C (or SIGTERM) while waiting: the operator stopped the
				// command before anything left, so nothing does. It went on
				// to send, journalled a timeout it made up and said the
				// charger "may hold the setpoint" it never got.
				fmt.Fprintln(stderr, sayWaitInterrupted(said, a, route, *charger))
				return 1
			}
			if err != nil {
				fmt.Fprintf(stderr, "v2gdesk setpoint: %v\n", err)
			}
			connected = err == nil
		}
	}
	if learns && !boundByPeer(ctx, stderr, s.Guard, pb, declared, route, connected, waitBounds.d, waitConnect.d) {
		return 1
	}

	now := time.Now()
	if *id == "" {
		*id = fmt.Sprintf("manual-%s-%d", *charger, now.UnixNano())
	}
	sp := adapters.Setpoint{
		ID: *id, Charger: *charger, KW: kw, ValidFrom: now, ValidUntil: now.Add(validFor.d),
		Event: *event, Reason: *reason, Operator: *operator,
	}
	r := s.Guard.Apply(applyCtx, sp)
	printResult(stdout, r, false, *asJSON, s.Journal.Path())
	if !*asJSON {
		fmt.Fprintf(stdout, "  journal: %s\n", s.Journal.Path())
	}
	if _, ok := s.Journal.Outcome(sp.ID); !ok {
		// The guard journals every result before it returns; none there
		// means the append failed (its reason says why).
		if _, used := s.Journal.FirstUse(sp.ID); !used {
			// Nor is its setpoint record, and the guard hands nothing
			// on before that is durable: nothing left for the charger.
			// Exit 4 and "the audit trail is incomplete" told the
			// operator the charger might hold a setpoint the journal did
			// not show, when the journal's disk was full and nothing
			// was sent.
			fmt.Fprintf(stderr, "v2gdesk setpoint: %s was not sent to %s: the journal %s could not be written (the result's reason says why), and nothing is sent before its record is in the journal; make room for the journal and send again\n",
				sp.ID, *charger, s.Journal.Path())
			return 1
		}
		fmt.Fprintf(stderr, "v2gdesk setpoint: the result of %s is not in the journal %s: the audit trail is incomplete (exit %d)\n",
			sp.ID, s.Journal.Path(), exitNotJournalled)
		return exitNotJournalled
	}
	if r.Status == adapters.StatusTimeout && waitAnswer.d > 0 && mayAnswerLate(s.Guard, route) != 0 {
		// The equipment may still answer (an OCPP charge point that
		// dropped the connection with the call unanswered answers after
		// it reconnects): this process is its only listener, so it stays
		// for the answer rather than exit and leave it unheard.
		until := time.Now().Add(min(waitAnswer.d, mayAnswerLate(s.Guard, route)))
		if sp.ValidUntil.Before(until) {
			until = sp.ValidUntil // an answer after it no longer matters
		}
		fmt.Fprintf(stderr, "v2gdesk setpoint: no answer yet from %s; waiting until %s (%s, within the setpoint's validity) for its answer, e.g. after it reconnects, to journal it as late_result and report it (^C stops waiting)\n",
			*charger, until.Format("15:04:05"), time.Until(until).Round(time.Second))
		wctx, cancel := context.WithDeadline(ctx, until)
		late, err := s.Guard.WaitLate(wctx, sp.ID)
		cancel()
		if err != nil {
			why := err.Error()
			switch {
			case errors.Is(err, context.DeadlineExceeded):
				why = "none came by " + until.Format("15:04:05")
			case errors.Is(err, context.Canceled):
				why = "stopped waiting"
			}
			fmt.Fprintf(stderr, "v2gdesk setpoint: no late answer from %s (%s); the outcome stays unknown: it may hold the setpoint until %s\n",
				*charger, why, sp.ValidUntil.Format("15:04:05"))
			if s.Guard.Stats().Waiting > 0 {
				// Closing waits for the adapter still at work: said, or
				// the command would sit silent after saying it gave up.
				fmt.Fprintf(stderr, "v2gdesk setpoint: the adapter still waits for the answer, up to %s after the deadline, to journal one that comes as late_result (^C stops waiting)\n",
					adapters.DefaultLateGrace)
			}
			return 1
		}
		printResult(stdout, late, true, *asJSON, s.Journal.Path())
		if late.Status.Applied() {
			return 0
		}
		return 1
	}
	if s.Guard.Stats().Waiting > 0 {
		// --wait-answer 0: the operator asked not to wait. Nothing is lost
		// from the journal by not waiting: the setpoint and its timeout
		// result are in it (fsynced) before Apply returned. Only an answer
		// still to come goes unheard, as with an OCPP charge point; the
		// adapter's wait is ended rather than sat through (the guard's
		// grace, 30 s).
		fmt.Fprintf(stderr, "v2gdesk setpoint: not waiting for a late answer (--wait-answer 0): the journal has the setpoint and its timeout; an answer that comes later is not heard, and %s may hold the setpoint until %s\n",
			*charger, sp.ValidUntil.Format("15:04:05"))
		stopApply()
	}
	if r.Status.Applied() {
		return 0
	}
	return 1
}

// mayAnswerLate is how long the adapter route may still answer a setpoint
// reported timeout: for as long as the caller cares when it hears answers
// after its Apply returned (a LateReporter: OCPP, after a reconnect); the
// guard's late grace when it is still applying past the batch deadline; 0
// when no answer can come.
func mayAnswerLate(g *adapters.Guard, route string) time.Duration {
	if a, ok := g.Adapter(route); ok {
		if _, ok := a.(adapters.LateReporter); ok {
			return math.MaxInt64
		}
	}
	if g.Stats().Waiting > 0 {
		return adapters.DefaultLateGrace
	}
	return 0
}

// printResult prints r, the setpoint's result or (late) the answer that
// came after it was reported, as a line of text or JSON ("late": true).
// The JSON names the journal, as the text's "journal:" line does, so a
// script can find the setpoint's records.
func printResult(w io.Writer, r adapters.Result, late, asJSON bool, journal string) {
	if asJSON {
		b, _ := json.Marshal(struct {
			adapters.Result
			Late    bool   `json:"late,omitempty"`
			Journal string `json:"journal"`
		}{r, late, journal})
		fmt.Fprintln(w, string(b))
		return
	}
	dry, what := "", r.ID+" "+r.Charger
	if r.DryRun {
		dry = " (DRY RUN: nothing sent)"
	}
	if late {
		what = "late answer: " + what
	}
	applied := fmt.Sprintf("%.2f", r.AppliedKW)
	if applied == "-0.00" { // -0, or a discharge under 5 W: nothing to sign
		applied = "0.00"
	}
	fmt.Fprintf(w, "%s: %s, applied %s kW%s\n", what, r.Status, applied, dry)
	if r.Reason != "" {
		fmt.Fprintf(w, "  %s\n", r.Reason)
	}
}
