package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/inproc"
	"github.com/v2gdesk/v2gdesk/adapters/site"
	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay/sim"
	"github.com/v2gdesk/v2gdesk/tui"
)

// dispatchRun is a desk without a screen: a fleet, a controller, and a way
// to move time on (a wall-clock tick on a live feed, a simulator step on a
// scenario).
type dispatchRun struct {
	fleet   *feeds.Fleet
	ctl     *control.Controller
	advance func(ctx context.Context) error
	close   func()
	journal string // audit journal path, "" when nothing can be sent
	mode    feeds.Mode
	// tempJournal is set when journal is a new file in the temporary
	// directory (no --journal): the command says so on stderr.
	tempJournal bool
	// unrouted says why a charger's setpoint would reach no adapter, ""
	// when it would (adapters.Guard.Unrouted); nil when nothing is sent.
	unrouted func(charger string) string
	// routes names what routes the chargers, for the messages about
	// those it does not: "--adapters FILE", or the scenario's simulator.
	routes string
}

// sourceEndedError is what dispatchRun.advance returns when the source has
// ended: the feed's simulated or replayed day is over (its server closed it
// normally, LinkEvent.End) or the in-process scenario reached its end. It
// matches feeds.ErrFeedEnded.
type sourceEndedError struct {
	what string    // "the feed", "the scenario"
	at   time.Time // when, by the source's clock; zero when unknown
}

// Error implements error.
func (e *sourceEndedError) Error() string {
	if e.at.IsZero() {
		return e.what + " ended"
	}
	return e.what + " ended at " + e.at.Format(time.RFC3339)
}

// Unwrap lets errors.Is match feeds.ErrFeedEnded.
func (e *sourceEndedError) Unwrap() error { return feeds.ErrFeedEnded }

// feedMode is the mode of the feed s was taken from, as its hello declared
// it: SIMULATION or REPLAY for a feed that runs on its own clock, LIVE
// otherwise (a hello that says nothing, or no snapshot, is taken for live,
// as the dashboard takes it).
func feedMode(s *feeds.Snapshot) feeds.Mode {
	if s != nil {
		if fm := s.FeedMode; fm == feeds.ModeSimulation || fm == feeds.ModeReplay {
			return fm
		}
	}
	return feeds.ModeLive
}

// runDispatch is headless demand response: it plans an event from a file on
// a live feed or a scenario, prints the preview, sends on --yes, and with
// --follow re-plans every slot until the event ends.
func runDispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk dispatch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	feed := fs.String("feed", "", "websocket `URL` of a live telemetry feed (protocol v1)")
	scen := fs.String("scenario", "", "`demo` (the embedded demo day) or a scenario FILE, simulated in-process")
	eventPath := fs.String("event", "", "`FILE` holding one protocol v1 event frame (required)")
	cfgPath := fs.String("adapters", "", "adapter configuration `FILE` (required with --feed --yes)")
	journal := fs.String("journal", "", "audit journal `FILE` (default: the adapters file's; for a scenario without --adapters, a new v2gdesk-scenario-audit-*.jsonl in the temp directory)")
	yes := fs.Bool("yes", false, "send: confirm the dispatch (both confirmations of a large one)")
	follow := fs.Bool("follow", false, "keep re-planning every slot until the event ends (needs --yes); Ctrl-C cancels the event and releases the chargers")
	asJSON := fs.Bool("json", false, "print one JSON summary instead of text")
	timeoutF := durationFlag(fs, "timeout", 30*time.Second, "how long to wait for the feed's topology and first measurements")
	operator := fs.String("operator", os.Getenv("USER"), "operator `NAME` for the audit journal")
	said := commandLang(args, false)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk dispatch (--feed URL | --scenario demo|FILE) --event FILE [--adapters FILE] [--journal FILE] [--operator NAME] [--timeout D] [--yes] [--follow] [--json]

Plans a demand-response event on the fleet of the moment and prints the preview. With --yes the
setpoints for the current slot go through the guard and the audit journal; with --follow it
re-plans every slot until the event ends; if the source ends first (a simulated or replayed
day is over) it stops following, cancels the event and says so in its last line.
Exit 0 when the preview (and any send) succeeded; 1 when planning failed or no setpoint was
applied, or --follow was interrupted (Ctrl-C, SIGTERM); %d for a bad command line; %d with
--follow when the source ended before the event did. docs/operations.md has the runbook.
`, exitUsage, exitSourceEnded)
	}
	if code, done := parseArgs(fs, args, stdout, stderr, said); done {
		return code
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintln(stderr, say(said, "v2gdesk dispatch: %s", say(said, format, a...)))
		return exitUsage
	}
	switch {
	case *eventPath == "":
		return usage("--event FILE is required")
	case (*feed == "") == (*scen == ""):
		return usage("give exactly one of --feed URL and --scenario demo|FILE")
	case *feed != "" && *yes && *cfgPath == "":
		return usage("--yes on a live feed needs --adapters FILE: setpoints leave only through configured adapters")
	case *follow && !*yes:
		return usage("--follow needs --yes (there is nothing to follow before a dispatch is sent)")
	case !*yes && (*cfgPath != "" || *journal != ""):
		// Without --yes nothing is sent or journalled: a flag that would
		// be silently ignored is a mistake to point out.
		return usage("--adapters and --journal go with --yes: a preview sends nothing and journals nothing")
	case timeoutF.d <= 0:
		return usage("--timeout %v: want a positive duration", timeoutF)
	}
	if *feed != "" {
		if err := checkFeedURL(*feed); err != nil {
			return usage("--feed %q: %v", *feed, errorIn(said, err))
		}
	}
	if *operator == "" {
		*operator = "unknown"
	}
	ev, err := readEvent(*eventPath)
	if err != nil {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk dispatch", "read the event file", errorf("--event %s: %w", *eventPath, err)))
		return 1
	}
	lg := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if *yes {
		surviveClosedPipe()
		// A second dispatch of the same event into the same journal
		// would put two dispatches under one event id, which an audit by
		// event cannot tell apart (its setpoint ids differ by the run's
		// tag, runTag). Say so once, before anything is connected to,
		// opened or planned: with --feed that came after the feed's
		// topology and the charge points' wait.
		if path := dispatchJournalPath(*journal, *cfgPath); path != "" {
			if at, err := confirmedIn(path, ev.ID); err != nil {
				fmt.Fprintln(stderr, say(said, "v2gdesk dispatch: %v", errorIn(said, err)))
				return 1
			} else if !at.IsZero() {
				fmt.Fprintln(stderr, say(said, "v2gdesk dispatch: event %s was already confirmed in the journal %s (at %s UTC): give the event a new id, or use another --journal",
					ev.ID, path, at.UTC().Format("2006-01-02 15:04:05")))
				return 1
			}
		}
	}

	var d *dispatchRun
	if *scen != "" {
		d, err = scenarioRun(*scen, ev, *cfgPath, *journal, *yes, lg)
	} else {
		d, err = feedRun(ctx, *feed, *cfgPath, *journal, timeoutF.d, lg, stderr)
	}
	if err != nil {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk dispatch", "start", err))
		return 1
	}
	defer d.close()
	if d.tempJournal {
		fmt.Fprintf(stderr, "v2gdesk dispatch: %s\n", tempJournalNote("setpoints", d.journal, ""))
	}

	actor := control.Actor{Name: *operator, Dispatcher: true}
	id, err := d.ctl.Propose(ev, control.OriginOperator, actor)
	if err != nil {
		fmt.Fprintf(stderr, "v2gdesk dispatch: --event %s: %v\n", *eventPath, err)
		return 1
	}
	if _, err := d.ctl.Preview(ctx, id); err != nil {
		fmt.Fprintf(stderr, "v2gdesk dispatch: %v\n", err)
		return 1
	}
	v, _ := d.ctl.Event(id)
	if !*asJSON {
		writePreview(stdout, v, d.mode)
	}
	if !*yes {
		if *asJSON {
			writeEventJSON(stdout, v, false)
		} else {
			fmt.Fprintln(stdout, "\nnothing sent: run again with --yes to confirm and send")
		}
		return 0
	}

	// A plan whose chargers the adapters do not route is refused before
	// anything is sent: the guard would journal every setpoint as rejected
	// after the dispatch was reported sent. Some unrouted: said up front.
	if msg, refuse := routeCheck(d, v.Preview.Setpoints, d.fleet.Snapshot()); refuse {
		fmt.Fprintf(stderr, "v2gdesk dispatch: %s\n", msg)
		// The proposal is in the journal: so is why it went no further.
		if err := d.ctl.Decline(id, actor, "v2gdesk dispatch: no planned charger is routed by "+d.routes); err != nil {
			fmt.Fprintf(stderr, "v2gdesk dispatch: %v\n", err)
		}
		return 1
	} else if msg != "" {
		fmt.Fprintf(stderr, "v2gdesk dispatch: △ %s\n", msg)
	}

	// Seen: exactly the plan printed above is sent, or none.
	err = d.ctl.Confirm(ctx, id, actor, control.ConfirmOptions{Second: true, Seen: v.Preview, Reason: "v2gdesk dispatch --yes"})
	v, _ = d.ctl.Event(id)
	if err != nil {
		fmt.Fprintf(stderr, "v2gdesk dispatch: %v\n", err)
		if v.State != control.StateActive {
			return 1
		}
	}
	if !*asJSON {
		if v.NeedsSecond {
			fmt.Fprintf(stdout, "\nlarge dispatch (moves %.0f kW): --yes gave both confirmations\n", v.MovedKW)
		}
		fmt.Fprintf(stdout, "\nsent by %s, journal %s\n", actor.Name, d.journal)
		writeProgress(stdout, v)
	}
	ended := false
	if *follow {
		v, ended = followEvent(ctx, d, id, actor, stdout, *asJSON)
	} else if !*asJSON && len(v.Preview.Setpoints) > 0 {
		fmt.Fprintf(stdout, "setpoints hold until %s; run with --follow to keep the event going\n",
			v.Preview.Setpoints[0].ValidUntil.In(v.Event.Start.Location()).Format("15:04"))
	}
	if *asJSON {
		writeEventJSON(stdout, v, true)
	}
	applied := v.Progress.Total[adapters.StatusAccepted] + v.Progress.Total[adapters.StatusClamped]
	if applied == 0 && v.Progress.Sent > 0 {
		fmt.Fprintln(stderr, "v2gdesk dispatch: no setpoint was applied")
		return 1
	}
	if ended {
		return exitSourceEnded
	}
	if *follow && ctx.Err() != nil {
		// ^C or SIGTERM cancelled the event before it ran its course: the
		// last line says so, and a script must not take it for success.
		return 1
	}
	return 0
}

// followEvent moves time on and re-plans until the event is over; on
// interruption it cancels the event so the chargers are released. ended
// reports that it stopped because the source ended before the event did:
// nothing more will be measured or can be steered through it, so it stops
// following, cancels the event on the record (releasing what can still be
// released: chargers of another adapter) and says so in its last line.
func followEvent(ctx context.Context, d *dispatchRun, id string, actor control.Actor, stdout io.Writer, quiet bool) (v control.EventView, ended bool) {
	plans := 1
	late := 0             // late answers to the latest plan already printed
	var noticed time.Time // the release time last given notice of
	for {
		v, _ := d.ctl.Event(id)
		if (v.Plans > plans || v.Progress.Late > late) && !quiet {
			// A new plan, or an answer to this one that came after its
			// timeout was printed: the line says what the equipment did.
			plans, late = v.Plans, v.Progress.Late
			writeProgress(stdout, v)
		}
		if !v.ReleaseNoticeSince.IsZero() && !v.ReleaseAt.IsZero() && !v.ReleaseAt.Equal(noticed) && !quiet {
			// The forced release is near: said once, ahead of it.
			noticed = v.ReleaseAt
			fmt.Fprintf(stdout, "△ %s: %s\n", id, control.ReleaseDueText(v.ReleaseAt.In(v.Event.Start.Location()), v.ReleaseAt.Sub(v.HandBackSince), v.HandBack))
		}
		if v.State.Final() {
			if !quiet {
				fmt.Fprintf(stdout, "\n%s %s: %s %s, answers %s; released %s %s, %s left to expire at their validity\n",
					id, v.State, count(v.Plans), pluralForm(v.Plans, "plan", "plans"), statusLine(v.Progress.Total),
					count(v.Progress.Released), pluralForm(v.Progress.Released, "charger", "chargers"), count(v.Progress.ReleaseUnsupported))
				if v.Reason != "" {
					mark := ""
					if v.ForcedRelease {
						mark = "△ expect an overload: " // released at the hand-back limit
					}
					fmt.Fprintf(stdout, "%s%s\n", mark, v.Reason)
				}
				if v.Alarm != nil {
					// The desk's words: an export's read "cap missed from".
					fmt.Fprintf(stdout, "%s (alarm raised %s)\n", tui.TargetMissedText(v.Event.Kind, v.Alarm.Since.Format("15:04")), v.Alarm.Raised.Format("15:04"))
				}
			}
			return v, false
		}
		if err := d.advance(ctx); err != nil {
			// Interrupted or the source ended: hand the chargers back.
			cerr := d.ctl.Cancel(context.Background(), id, actor, "v2gdesk dispatch stopped: "+stopCause(err))
			v, _ := d.ctl.Event(id)
			if end, ok := errors.AsType[*sourceEndedError](err); ok {
				if !quiet {
					if cerr != nil {
						fmt.Fprintf(stdout, "release: %v\n", cerr)
					}
					loc := v.Event.Start.Location()
					when := ""
					if !end.at.IsZero() {
						when = " at " + end.at.In(loc).Format("15:04")
					}
					fmt.Fprintf(stdout, "\n%s ended%s, %s: following stops; %s %s, released %s %s, %s left to expire at their validity\n",
						end.what, when, sourceEndedWhen(end.at, id, v.Event, loc), id, v.State,
						count(v.Progress.Released), pluralForm(v.Progress.Released, "charger", "chargers"), count(v.Progress.ReleaseUnsupported))
				}
				return v, true
			}
			if !quiet {
				fmt.Fprintf(stdout, "\nstopped (%s): %s cancelled, released %s %s, %s left to expire at their validity\n",
					stopCause(err), id, count(v.Progress.Released), pluralForm(v.Progress.Released, "charger", "chargers"), count(v.Progress.ReleaseUnsupported))
				if cerr != nil {
					fmt.Fprintf(stdout, "release: %v\n", cerr)
				}
			}
			return v, false
		}
	}
}

// readEvent reads one protocol v1 event frame.
func readEvent(path string) (feeds.EventFrame, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return feeds.EventFrame{}, err
	}
	fr, err := feeds.Decode(raw)
	if err != nil {
		return feeds.EventFrame{}, errorf("not a protocol v1 frame: %w", err)
	}
	ev, ok := fr.(*feeds.EventFrame)
	if !ok {
		return feeds.EventFrame{}, errorf("holds a %q frame, want an event frame", fr.FrameType())
	}
	return *ev, nil
}

// scenarioRun simulates a scenario in-process from the event's start, with
// the planner forecasting from the scenario's own curves. Setpoints go to
// the simulator through the in-process adapter, or through --adapters.
func scenarioRun(name string, ev feeds.EventFrame, cfgPath, journal string, send bool, lg *slog.Logger) (*dispatchRun, error) {
	sc, err := loadScenario(name)
	if err != nil {
		return nil, errorf("--scenario: %w", err)
	}
	if ev.Start.Before(sc.Start()) || !ev.Start.Before(sc.End()) {
		// All three in the site's zone: the event's start arrives in UTC.
		loc := sc.Location()
		return nil, errorf("--scenario %s: the event starts %s, outside the scenario day %s to %s", name,
			ev.Start.In(loc).Format(time.RFC3339), sc.Start().In(loc).Format(time.RFC3339), sc.End().In(loc).Format(time.RFC3339))
	}
	s, err := sim.New(sc, sim.Options{Start: ev.Start.Truncate(time.Minute), Logger: lg})
	if err != nil {
		return nil, err
	}
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: s.Now})
	fleet.HandleFrame(s.Hello())
	for _, b := range s.StateFrames() {
		fleet.HandleFrame(b)
	}
	d := &dispatchRun{fleet: fleet, mode: feeds.ModeSimulation, close: func() {}}
	var sender control.Sender
	var rec control.Recorder
	if send {
		var g *adapters.Guard
		var j *adapters.Journal
		if cfgPath != "" {
			cfg, err := adapters.LoadConfig(cfgPath)
			if err != nil {
				return nil, err
			}
			st, err := site.Open(context.Background(), cfg, site.Deps{Simulator: s, BaseDir: filepath.Dir(cfgPath), Journal: journal, Logger: lg, Now: s.Now})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", cfgPath, err)
			}
			g, j, d.close = st.Guard, st.Journal, func() { st.Close() }
			d.routes = "--adapters " + cfgPath
		} else {
			if journal == "" {
				if journal, err = newTempJournal("v2gdesk-scenario-audit-*.jsonl"); err != nil {
					return nil, err
				}
				d.tempJournal = true
			}
			gopts := simGuardOptions(s, lg)
			if j, err = openGuardJournal(journal, gopts, lg); err != nil {
				return nil, err
			}
			g = adapters.NewGuard(j, gopts)
			if err := g.AddAdapter(sim.DefaultAdapter, inproc.New(s), 0, 0); err != nil {
				return nil, err
			}
			d.close = func() { g.Close(); j.Close() }
			d.routes = "the scenario's simulator"
		}
		// Its records carry the simulated time beside the wall time, as
		// a desk's do (feeds.Fleet.DataTime).
		j.SetDataClock(func() time.Time { return fleet.DataTime(s.Now()) })
		g.UpdateTopology(chargerInfos(fleet.Snapshot()))
		d.unrouted = g.Unrouted
		sender, rec, d.journal = g, j, j.Path()
	}
	ctl, err := control.New(control.Options{
		Fleet: fleet, Sender: sender, Journal: rec, Logger: lg, IDTag: runTag(time.Now()),
		Forecast: func(*feeds.Snapshot) plan.Forecaster { return scenarioForecaster(sc) },
		Plan:     plan.Options{Tariff: scenarioTariff(sc)},
	})
	if err != nil {
		d.close()
		return nil, err
	}
	d.ctl = ctl
	d.advance = func(ctx context.Context) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !s.Now().Before(s.End()) {
			return &sourceEndedError{what: "the scenario", at: s.End()}
		}
		for _, b := range s.Step(sim.DefaultStep) {
			fleet.HandleFrame(b)
		}
		ctl.Step(ctx)
		return nil
	}
	return d, nil
}

// feedRun subscribes to a live feed and waits for its topology and first
// measurements; with --adapters, setpoints go through the configured site.
func feedRun(ctx context.Context, url, cfgPath, journal string, timeout time.Duration, lg *slog.Logger, stderr io.Writer) (*dispatchRun, error) {
	// The site opens after the feed is up; acks may arrive from then on.
	var ackTo atomic.Pointer[site.Site]
	var st *site.Site
	fleet := feeds.NewFleet(feeds.FleetOptions{Logger: lg, OnAck: func(a feeds.AckFrame) {
		if s := ackTo.Load(); s != nil {
			s.HandleAck(a)
		}
	}})
	sub := feeds.NewSubscriber(url, feeds.SubscriberOptions{Logger: lg})
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sub.Run(runCtx, fleet) }()
	d := &dispatchRun{fleet: fleet, mode: feeds.ModeLive}
	d.close = func() {
		stop()
		<-done
		if st != nil {
			st.Close()
		}
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for ready := false; !ready; {
		select {
		case <-ctx.Done():
			s := fleet.Snapshot()
			d.close()
			return nil, fmt.Errorf("--feed %s: interrupted while waiting for the feed (%s yet): nothing proposed, nothing sent: %w", url, notReadyText(s), ctx.Err())
		case <-deadline.C:
			s := fleet.Snapshot()
			d.close()
			return nil, errorf("--feed %s: %s within %s (%s)", url, notReadyText(s), timeout, feedWaitText(s.Stats))
		case <-poll.C:
			s := fleet.Snapshot()
			ready = s.HaveTopology && len(s.Feeders) > 0
			for _, f := range s.Feeders {
				ready = ready && f.Seen
			}
		}
	}
	// The preview names what the feed says it is, as the dashboard's
	// header does: a `v2gdesk sim` day read "· LIVE".
	d.mode = feedMode(fleet.Snapshot())
	var sender control.Sender
	var rec control.Recorder
	if cfgPath != "" {
		cfg, err := adapters.LoadConfig(cfgPath)
		if err != nil {
			d.close()
			return nil, err
		}
		// The guard judges validity by the fleet's clock: a feed from
		// `v2gdesk sim` speaks in simulated time, and by the wall clock
		// every setpoint of its plan read as long expired.
		// A journal this run creates and journals nothing to is removed
		// when it is interrupted below: left empty, it read as a dispatch
		// that wrote nothing.
		journalPath := dispatchJournalPath(journal, cfgPath)
		_, statErr := os.Stat(journalPath)
		madeJournal := journalPath != "" && errors.Is(statErr, fs.ErrNotExist)
		st, err = site.Open(ctx, cfg, site.Deps{Sender: sub, BaseDir: filepath.Dir(cfgPath), Journal: journal, Logger: lg, Now: fleet.Now})
		if err != nil {
			d.close()
			return nil, fmt.Errorf("%s: %w", cfgPath, err)
		}
		ackTo.Store(st)
		st.Guard.UpdateTopology(chargerInfos(fleet.Snapshot()))
		st.Journal.SetDataClock(fleet.DataNow) // a feed whose hello says simulation or replay
		d.unrouted, d.routes = st.Guard.Unrouted, "--adapters "+cfgPath
		sender, rec, d.journal = st.Guard, st.Journal, st.Journal.Path()
		// OCPP charge points dial in when they will: the first plan went
		// out before any had, and reached them only at a re-plan.
		missing := waitChargePoints(ctx, st, cfg, timeout, stderr)
		if ctx.Err() != nil {
			// ^C while the charge points were awaited: the operator
			// stopped it before anything was proposed. It went on to
			// propose (a dispatch_propose nothing closed) and to plan.
			d.close()
			if madeJournal {
				removeEmptyJournal(d.journal, lg)
			}
			return nil, fmt.Errorf("interrupted while waiting for the OCPP charge points to connect (%s not yet): nothing proposed, nothing sent: %w", strings.Join(missing, ", "), ctx.Err())
		}
		if len(missing) > 0 {
			lg.Warn("dispatch: OCPP charge points not connected; their setpoints fail until they are",
				"waited", timeout, "chargers", missing)
		}
	}
	ctl, err := control.New(control.Options{Fleet: fleet, Sender: sender, Journal: rec, Logger: lg, IDTag: runTag(time.Now())})
	if err != nil {
		d.close()
		return nil, err
	}
	d.ctl = ctl
	tick := time.NewTicker(5 * time.Second)
	prev := d.close
	d.close = func() { tick.Stop(); prev() }
	d.advance = func(ctx context.Context) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-done:
			done <- err // close waits on it
			if err == nil {
				// The Subscriber returns nil only for a feed that ended
				// (LinkEvent.End, which the fleet has recorded): the
				// server closed a simulated or replayed day normally.
				// It does not reconnect; nothing more will come.
				st := fleet.Snapshot().Stats
				return &sourceEndedError{what: "the feed", at: st.EndedAt}
			}
			return err
		case <-tick.C:
			if st := fleet.Snapshot().Stats; st.Ended {
				// The fleet has the end before Run returns: told now,
				// followEvent cancels the event on its own record, as it
				// says it does, rather than find it ended by the
				// controller's step (which ends what the source's end
				// leaves in force).
				return &sourceEndedError{what: "the feed", at: st.EndedAt}
			}
			ctl.Step(ctx)
			return nil
		}
	}
	return d, nil
}

// dispatchJSON is the --json summary.
type dispatchJSON struct {
	Event       feeds.EventFrame   `json:"event"`
	State       control.State      `json:"state"`
	Sent        bool               `json:"sent"`
	Scope       string             `json:"scope"`
	SlotStart   time.Time          `json:"slot_start"`
	SlotMinutes int                `json:"slot_minutes"`
	BeforeKW    []float64          `json:"scope_before_kw"`
	AfterKW     []float64          `json:"scope_after_kw"`
	SysBefore   []float64          `json:"system_before_kw"`
	SysAfter    []float64          `json:"system_after_kw"`
	EVs         int                `json:"evs"`
	Affected    int                `json:"evs_affected"`
	Discharging int                `json:"evs_discharging"`
	ShiftedKWh  float64            `json:"energy_shifted_kwh"`
	ExportKWh   float64            `json:"v2g_export_kwh"`
	UnmetKWh    float64            `json:"unmet_kwh"`
	Short       int                `json:"evs_short"`
	Avoidable   int                `json:"evs_short_avoidable"`
	Cost        float64            `json:"cost"`
	CostDelta   float64            `json:"cost_delta"`
	FeederDelta map[string]float64 `json:"feeder_delta_kw"`
	SystemDelta float64            `json:"system_delta_kw"`
	MovedKW     float64            `json:"moved_kw"`
	NeedsSecond bool               `json:"needs_second_confirmation"`
	SolveMS     float64            `json:"solve_ms"`
	Gap         float64            `json:"certified_gap"`
	Setpoints   int                `json:"setpoints"`
	Plans       int                `json:"plans"`
	Progress    control.Progress   `json:"progress"`
	Alarm       *control.CapAlarm  `json:"cap_alarm,omitempty"`
	Error       string             `json:"error,omitempty"`
	// Reason is why the event ended or was declined; HandBackSince when
	// its window ended with the chargers still held against the scope's
	// limit (docs/operations.md, "End or cancel").
	// EventNowKW and EventCost are what the event itself changes: the
	// scope's load now and the cost, against the plan without the event.
	EventNowKW    *float64   `json:"event_now_kw,omitempty"`
	EventCost     *float64   `json:"event_cost,omitempty"`
	Reason        string     `json:"reason,omitempty"`
	HandBackSince *time.Time `json:"hand_back_since,omitempty"`
}

// writeEventJSON prints an event's state, preview and progress as JSON.
func writeEventJSON(w io.Writer, v control.EventView, sent bool) {
	pv := v.Preview
	before, after := pv.ScopeCurves()
	out := dispatchJSON{
		Event: v.Event, State: v.State, Sent: sent, Scope: v.Event.Scope,
		SlotStart: pv.Start, SlotMinutes: int(pv.Slot / time.Minute), BeforeKW: before, AfterKW: after,
		SysBefore: pv.Before.System, SysAfter: pv.After.System,
		EVs: pv.EVs, Affected: pv.Affected, Discharging: pv.Discharging, ShiftedKWh: pv.ShiftedKWh, ExportKWh: pv.ExportKWh,
		UnmetKWh: pv.UnmetKWh, Short: pv.Short, Avoidable: pv.AvoidableShort, Cost: pv.Cost, CostDelta: pv.CostDelta,
		FeederDelta: pv.FeederDeltaKW, SystemDelta: pv.SystemDeltaKW, MovedKW: v.MovedKW, NeedsSecond: v.NeedsSecond,
		SolveMS: float64(pv.SolveTime.Microseconds()) / 1000, Gap: pv.Gap, Setpoints: len(pv.Setpoints),
		Plans: v.Plans, Progress: v.Progress, Alarm: v.Alarm, Error: v.Err, Reason: v.Reason,
	}
	if !v.HandBackSince.IsZero() {
		out.HandBackSince = &v.HandBackSince
	}
	if now, cost := pv.EventNowKW(), pv.EventCost(); !math.IsNaN(now) {
		out.EventNowKW, out.EventCost = &now, &cost
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Fprintln(w, string(b))
}

// waitChargePoints waits up to d for every charger of cfg's OCPP adapters
// to be connected to its central system, and returns those that are not.
func waitChargePoints(ctx context.Context, st *site.Site, cfg *adapters.Config, d time.Duration, stderr io.Writer) []string {
	wctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var missing []string
	for name, cs := range st.OCPP {
		if n := len(cfg.ChargersOf(name)); n > 0 {
			// Said, as `v2gdesk setpoint` says it: the wait was silent,
			// up to --timeout, before anything was planned.
			fmt.Fprintf(stderr, "v2gdesk dispatch: waiting up to %s for %s of OCPP adapter %q to connect...\n", d, plural(n, "charge point", "charge points"), name)
		}
		for _, ch := range cfg.ChargersOf(name) {
			if err := cs.WaitConnected(wctx, ch.ID); err != nil {
				missing = append(missing, ch.ID)
			}
		}
	}
	slices.Sort(missing)
	return missing
}

// dispatchJournalPath is the journal a `dispatch --yes` will write to, as
// site.Open resolves it: --journal, else the adapters file's "journal"
// (relative to that file's directory). Empty when there is none yet (a
// scenario without --adapters writes a new temporary journal) or the
// adapters file cannot be read (the run then fails on it, saying why).
func dispatchJournalPath(journal, cfgPath string) string {
	if journal != "" || cfgPath == "" {
		return journal
	}
	cfg, err := adapters.LoadConfig(cfgPath)
	if err != nil || cfg.Journal == "" {
		return ""
	}
	if filepath.IsAbs(cfg.Journal) {
		return cfg.Journal
	}
	return filepath.Join(filepath.Dir(cfgPath), cfg.Journal)
}

// openGuardJournal opens the journal at path for a guard made with gopts,
// keeping of its ids only what that guard keeps (the ids still valid by
// its clock, the expired forgotten as read): opened whole, a month's
// journal held gigabytes. What the scan found is logged to lg.
func openGuardJournal(path string, gopts adapters.GuardOptions, lg *slog.Logger) (*adapters.Journal, error) {
	j, rep, err := adapters.OpenJournalWith(path, adapters.OpenOptionsFor(gopts))
	if err != nil {
		return nil, err
	}
	rep.Warn(lg, path)
	return j, nil
}

// confirmedIn returns when event id was last confirmed in the journal at
// path, or the zero time if it never was (or the journal does not exist
// yet). A journal that cannot be read is an error: what it holds is not
// known.
func confirmedIn(path, id string) (time.Time, error) {
	var at time.Time
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return at, nil
	}
	// Only the confirmations are decoded: this read comes before the
	// journal's open, and decoding a month's setpoints twice doubled the
	// start of a dispatch (docs/benchmarks.md).
	err := adapters.ReadJournalKind(path, adapters.RecDispatchConfirm, func(r adapters.Record) error {
		if r.Event == id {
			at = r.TS
		}
		return nil
	})
	if err != nil {
		return time.Time{}, errorf("reading the journal %s: %w", path, err)
	}
	return at, nil
}
