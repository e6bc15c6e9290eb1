package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/adapters/inproc"
	"github.com/v2gdesk/v2gdesk/adapters/site"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
	"github.com/v2gdesk/v2gdesk/replay/sim"
	"github.com/v2gdesk/v2gdesk/tui"
)

// ingest is where the shared desk's telemetry comes from: a live feed, a
// simulated scenario day, or only the OCPP central systems of --adapters,
// and what the dashboards need to know about it. On a live desk the
// central systems' telemetry joins the feed's (startDesk merges them).
type ingest struct {
	src        feeds.Source       // nil when the adapters' central systems are the only telemetry
	what       string             // for the start-up line: "feed ws://..." or "scenario demo at 60x"
	mode       feeds.Mode         // the dashboards' mode badge
	control    any                // the simulator (pause, speed, seek), or nil
	clock      func() time.Time   // the fleet clock; nil: wall time
	staleAfter time.Duration      // alarm on a silent live feed; 0 for a simulation
	tou        []tui.TOUBand      // the scenario's time-of-use bands
	sc         *scenario.Scenario // the scenario simulated, or nil
	sim        *sim.Sim           // the in-process simulator, or nil
	adapters   *adapters.Config   // the --adapters file as read, or nil
	// damage is what reading the recording replayed held back, for the
	// dashboard to say from the start; nil for any other source.
	damage *tui.RecordingDamage
	// loading names the recording a replay plays, for the header to say
	// it is loading until the first frame is in (tui.Options.Loading).
	loading string
	// reading says how far a replay's recording is read while it plays
	// (tui.Options.Reading); nil for any other source.
	reading func() tui.Reading
	// loc is the site's time zone until the source's hello names one: a
	// recording's header names it, and a replay whose hello was lost with a
	// damaged part of the file would otherwise show its times in UTC. Nil:
	// UTC.
	loc *time.Location
}

// ingestOptions are the command-line choices of where telemetry comes from,
// spelled the same in every subcommand that shows a desk. adapters is the
// --adapters file: its OCPP central systems are telemetry sources too.
// cfg is that file as loadAdapters read it: the desk reads it once, so the
// choice of live or demo, the telemetry and the adapters it opens all come
// from the same file even if it is edited while the desk starts.
type ingestOptions struct {
	feed, scenario, start string
	speed                 float64
	adapters              string
	cfg                   *adapters.Config
	// flags is the set register added them to: check asks it whether
	// --speed was given, since its default is a valid speed.
	flags *flag.FlagSet
	// seekBack gives a simulated scenario's desk a :seek that goes back
	// too, the day started over there (restartingSim), and keeps the
	// simulator at the day's end for it (sim.Options.HoldAtEnd; the desk
	// still shows the day ended, EndWhenHeld): the terminal dashboard's
	// presenter shows the day again.
	seekBack bool
}

// loadAdapters reads the --adapters file into o.cfg, once.
func (o *ingestOptions) loadAdapters() error {
	if o.adapters == "" || o.cfg != nil {
		return nil
	}
	cfg, err := adapters.LoadConfig(o.adapters)
	if err != nil {
		return errorf("--adapters: %w", err)
	}
	o.cfg = cfg
	return nil
}

// given reports whether the flag name was on the command line.
func (o ingestOptions) given(name string) bool {
	found := false
	if o.flags != nil {
		o.flags.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	}
	return found
}

// register adds --feed, --scenario, --speed, --start and --adapters to fs;
// startDefault says where a scenario starts without --start, which
// differs by command (the dashboard opens the demo day at its evening).
func (o *ingestOptions) register(fs *flag.FlagSet, startDefault string) {
	o.flags = fs
	fs.StringVar(&o.feed, "feed", "", "websocket `URL` of a live telemetry feed (protocol v1)")
	fs.StringVar(&o.scenario, "scenario", "", "re-enact a scenario instead of a live feed: `demo` (the embedded demo day) or a scenario FILE")
	fs.Float64Var(&o.speed, "speed", 60, "with --scenario: simulated time per wall time, 0.5 to 3600")
	fs.StringVar(&o.start, "start", "", "with --scenario: start at this time of the scenario day (`HH:MM`); default "+startDefault)
	fs.StringVar(&o.adapters, "adapters", "", "adapter configuration `FILE`: confirmed dispatches leave through these adapters, and the chargers of its OCPP central systems are shown (without --feed: the only telemetry) (docs/adapters.md)")
}

// check returns what is wrong with the choice, in lang, or "". --adapters
// alone is a choice: openIngest checks that the file has a central system.
func (o ingestOptions) check(lang string) string {
	switch {
	case o.feed != "" && o.scenario != "":
		return say(lang, "give --feed URL or --scenario, not both")
	case o.feed == "" && o.scenario == "" && o.adapters == "":
		return say(lang, "give --feed URL (a live feed) or --scenario demo, or --adapters FILE with an OCPP central system")
	case o.feed != "" && o.start != "":
		return say(lang, "--start goes with --scenario, not with a live --feed")
	case o.scenario == "" && o.given("speed"):
		// It was silently ignored, while --start was refused.
		return say(lang, "--speed goes with --scenario: a live feed or an OCPP central system keeps its own pace")
	}
	if o.feed != "" {
		if err := checkFeedURL(o.feed); err != nil {
			return say(lang, "--feed %q: %v", o.feed, errorIn(lang, err))
		}
	}
	if err := replay.CheckSpeed(o.speed); err != nil {
		return say(lang, "--speed: %v", err)
	}
	// The form is checked here, with the command line (exit 2); whether
	// the time lies in the scenario is known once it is loaded.
	if o.start != "" {
		if _, err := scenario.ParseClock(o.start); err != nil {
			return say(lang, "--start: %v", err)
		}
	}
	return ""
}

// openIngest builds the source the command line asks for. The ingest
// carries the --adapters file as read, for startDesk.
func openIngest(o ingestOptions, log *slog.Logger) (ingest, error) {
	if err := o.loadAdapters(); err != nil {
		return ingest{}, err
	}
	in, err := openSource(o, log)
	in.adapters = o.cfg
	return in, err
}

// openSource builds the telemetry source of o, whose adapters file is read.
func openSource(o ingestOptions, log *slog.Logger) (ingest, error) {
	if o.feed != "" {
		return ingest{
			src:        feeds.NewSubscriber(o.feed, feeds.SubscriberOptions{Logger: log}),
			what:       "feed " + o.feed,
			mode:       feeds.ModeLive,
			staleAfter: time.Minute,
		}, nil
	}
	if o.scenario == "" {
		return adaptersIngest(o.adapters, o.cfg)
	}
	sc, err := loadScenario(o.scenario)
	if err != nil {
		return ingest{}, errorf("--scenario: %w", err)
	}
	at := sc.Start()
	if o.start != "" {
		if at, err = clockOn(sc.Start(), o.start); err != nil {
			return ingest{}, errorf("--start: %w", err)
		}
	}
	s, err := sim.New(sc, sim.Options{Start: at, Speed: o.speed, Logger: log, Backfill: true,
		HoldAtEnd: o.seekBack, EndWhenHeld: o.seekBack})
	if err != nil {
		return ingest{}, errorf("--scenario: %w", err)
	}
	var ctl any = s
	if o.seekBack {
		ctl = restartingSim{s}
	}
	// The simulator is the shared world: a dispatcher who pauses or speeds
	// it up does so for every operator (viewers cannot).
	return ingest{
		src:     s,
		what:    fmt.Sprintf("scenario %s at %g×", o.scenario, o.speed),
		mode:    feeds.ModeSimulation,
		control: ctl,
		clock:   s.Now,
		tou:     touBands(sc.Prices),
		sc:      sc,
		sim:     s,
	}, nil
}

// adaptersIngest is the ingest of a desk whose only telemetry is the OCPP
// central systems of the adapters file: startDesk opens them with the
// other adapters and runs them into the fleet.
func adaptersIngest(path string, cfg *adapters.Config) (ingest, error) {
	names := telemetryAdapters(cfg)
	if len(names) == 0 {
		return ingest{}, errorf("--adapters %s: no adapter of kind %q, so no telemetry: give --feed URL or --scenario demo", path, adapters.KindOCPP)
	}
	return ingest{
		what: fmt.Sprintf("OCPP central system %s of %s", strings.Join(names, ", "), path),
		mode: feeds.ModeLive,
		// No feed-stale alarm: charge points report on change and at their
		// own meter interval, so a quiet site is not a dead link, and a
		// charge point that drops shows offline by itself.
		staleAfter: 0,
	}, nil
}

// telemetryAdapters returns the names of the adapters of cfg that are
// telemetry sources (OCPP central systems); none for a nil cfg.
func telemetryAdapters(cfg *adapters.Config) []string {
	if cfg == nil {
		return nil
	}
	var names []string
	for _, a := range cfg.Adapters {
		if a.Kind == adapters.KindOCPP {
			names = append(names, a.Name)
		}
	}
	return names
}

// touBands turns a scenario's HH:MM price bands into the dashboard's bands
// from midnight, splitting a band that wraps midnight in two. Bands with a
// time that does not parse or a name that is not a period are left out:
// Validate has already reported them when the scenario was read.
func touBands(prices []scenario.PriceBand) []tui.TOUBand {
	var out []tui.TOUBand
	for _, p := range prices {
		from, err1 := scenario.ParseClock(p.From)
		to, err2 := scenario.ParseClock(p.To)
		kind := tui.TOUKind(p.Name)
		if err1 != nil || err2 != nil || (kind != tui.TOUValley && kind != tui.TOUFlat && kind != tui.TOUPeak) {
			continue
		}
		f, t := time.Duration(from)*time.Minute, time.Duration(to)*time.Minute
		if from < to {
			out = append(out, tui.TOUBand{From: f, To: t, Kind: kind})
			continue
		}
		out = append(out, tui.TOUBand{From: f, To: 24 * time.Hour, Kind: kind})
		if to > 0 {
			out = append(out, tui.TOUBand{From: 0, To: t, Kind: kind})
		}
	}
	return out
}

// sharedDesk is one ingest with its fleet, hub, alarm list and DR
// controller: what every dashboard of the process shares, whether one local
// terminal or many SSH sessions.
type sharedDesk struct {
	in       ingest
	fleet    *feeds.Fleet
	hub      *feeds.Hub
	alarms   *alarm.Engine
	dispatch *control.Controller
	journal  string // the audit journal DR actions and setpoints go to; "" when none
	// sends: the desk can send setpoints (--adapters, or the in-process
	// simulator); a replay or a feed without adapters cannot, and its
	// journal holds only its operators' actions.
	sends bool
	// actions is that journal, open: a local desk records its operator's
	// alarm and clock actions in it too; nil when there is none.
	actions *adapters.Journal
	// journalFile is the adapters' journal when --adapters opened one; the
	// SSH desk then journals operator actions into it too (one writer).
	journalFile *adapters.Journal
	// site is the running adapters of --adapters, or nil.
	site *site.Site
	// sources reports each telemetry source when several are merged (a
	// feed and OCPP central systems); nil for a single source.
	sources func() []feeds.SourceLink
	// setpoints is the guard setpoints leave through, for the dashboard's
	// counters; a nil interface (never a nil *adapters.Guard in it) when
	// the desk has none, so the dashboard says no adapters are configured.
	setpoints tui.SetpointCounter
	// routing says whether the adapters of --adapters reach a charger, and
	// routes names them ("--adapters FILE"): the dispatch page counts a
	// plan's unrouted chargers, and refuses one none of whose is routed.
	// Nil without --adapters (the simulator takes every charger).
	routing func(charger string) (adapters.RouteFault, string)
	routes  string
	// onFeed names the adapters whose setpoints travel on the feed's own
	// connection (tui.Options.SetpointsOnFeed); nil when none.
	onFeed []string
	// stop ends ingest and waits for its goroutines, then cancels the DR
	// events in force, whose ids it keeps in cancelled. Only its first
	// call does anything: a dashboard stops the desk before it names what
	// was cancelled, and again when it returns.
	stop      func()
	cancelled []string
	// stopSteering stops the DR loop and cancels the events in force (on
	// the record, by "desk", reason "the desk stopped"), adding their ids
	// to cancelled, while ingest and the sessions go on: serve calls it
	// once its operators have been warned and before they are
	// disconnected, so the journal reads the cancel before their logouts.
	// stop calls it too. Not safe to call concurrently with stop. ctx
	// bounds the releases' wait (at most 10 s in any case).
	stopSteering func(ctx context.Context)
}

// deskOptions are what a desk needs beyond its ingest.
type deskOptions struct {
	// journal is the audit journal path for setpoints; for a simulated
	// scenario without one, a new file in the temporary directory.
	// openJournal, when set, is a journal the caller already holds open (a
	// journal has one writer) and is used instead; the caller closes it.
	journal     string
	openJournal *adapters.Journal
	// adapters is the --adapters configuration file: setpoints then leave
	// through the adapters it names (for a live feed, the only way they
	// leave), and the journal is the one it names unless journal is set.
	adapters string
	// claims is the SSH desk's claim registry; nil on a local desk.
	claims control.Claimer
}

// startDesk starts ingest: the source into the fleet, the hub publishing
// snapshots, the alarm list following them even when no dashboard is open
// (so the on-call engineer who looks later sees what was raised and when),
// and the DR controller. Setpoints leave through the guard and the journal:
// to the adapters of --adapters when given, else to the simulator of a
// simulated scenario; a live feed without --adapters can plan and preview
// but not send. The caller must call stop.
func startDesk(in ingest, o deskOptions, log *slog.Logger) (*sharedDesk, error) {
	ctx, cancel := context.WithCancel(context.Background())
	var ackTo atomic.Pointer[site.Site]
	var guardOf atomic.Pointer[adapters.Guard]
	var journalOf atomic.Pointer[adapters.Journal]
	var catching func() (uint64, bool)
	if c, ok := in.control.(interface{ CatchingUp() (uint64, bool) }); ok {
		// A seek's skipped span is marked in every snapshot, for the
		// alarm engine to summarise rather than raise (feeds/alarm).
		catching = c.CatchingUp
	}
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: in.clock, CatchingUp: catching, Logger: log, Location: in.loc,
		// Acks go to the adapters' site once it is open: it correlates them
		// with the setpoints it sent over the feed's own connection.
		OnAck: func(a feeds.AckFrame) {
			if st := ackTo.Load(); st != nil {
				st.HandleAck(a)
			}
		},
		// The guard bounds each charger by what the latest hello declares;
		// it learns a new hello before the measurements after it apply.
		OnHello: func(h feeds.Hello) {
			if g := guardOf.Load(); g != nil {
				g.UpdateTopology(h.Chargers)
			}
		},
		// A simulator's restart dropped the setpoints in force: on the
		// record beside the setpoints the journal still counts.
		OnRestart: func(r feeds.RestartSignal) { journalRestart(journalOf.Load(), r, log) },
		// The in-process simulator's restart signals are its own: a :seek
		// back started its day over and dropped the setpoints in force.
		SourceRestarts: in.sim != nil,
	})
	hub := feeds.NewHub(fleet, 0)
	// One alarm list for every dashboard, so an acknowledgement by one
	// operator is what every other operator sees.
	d := &sharedDesk{in: in, fleet: fleet, hub: hub}

	var guard *adapters.Guard
	var journal *adapters.Journal
	closeSend := func() {}
	switch {
	case o.adapters != "":
		st, err := openSite(ctx, in, o, fleet, log)
		if err != nil {
			cancel()
			return nil, err
		}
		ackTo.Store(st)
		d.site = st
		guard, journal, d.journal, d.journalFile = st.Guard, st.Journal, st.Journal.Path(), st.Journal
		d.routing, d.routes = st.Guard.Route, "--adapters "+o.adapters
		d.sends = true
		closeSend = func() { st.Close() }
	case in.sim != nil:
		var err error
		journal = o.openJournal
		if journal == nil {
			if journal, err = openSimJournal(o.journal, deskJournalOptions(in), log); err != nil {
				cancel()
				return nil, err
			}
			closeSend = func() { journal.Close() }
		}
		if guard, err = simGuard(in.sim, fleet, journal, log); err != nil {
			closeSend()
			cancel()
			return nil, err
		}
		d.journal, d.sends = journal.Path(), true
		closeJournal := closeSend
		closeSend = func() { guard.Close(); closeJournal() }
	default:
		// A feed without adapters sends no setpoint, but its operators'
		// DR actions (propose, decline, …) are on the record all the same
		// when a journal is asked for.
		journal = o.openJournal
		if journal == nil && o.journal != "" {
			var err error
			if journal, err = openSimJournal(o.journal, deskJournalOptions(in), log); err != nil {
				cancel()
				return nil, err
			}
			closeSend = func() { journal.Close() }
		}
		if journal != nil {
			d.journal = journal.Path()
		}
	}
	d.actions = journal
	if journal != nil {
		journalOf.Store(journal)
		// The screen shows the data clock on a simulated or replayed day:
		// each record carries it beside its wall time, so a record can be
		// matched to what was seen.
		// In the site's zone, to the second, however the clock runs
		// (fleet.DataTime): a feed desk's read UTC with nanoseconds.
		dataNow := fleet.DataNow // a feed whose hello says simulation or replay
		if clock := in.clock; clock != nil {
			dataNow = func() time.Time { return fleet.DataTime(clock()) }
		}
		journal.SetDataClock(dataNow)
		if p, ok := in.control.(interface {
			OnRefused(func(replay.RefusedSeek))
		}); ok {
			// A replay's seek past what is read, journalled as a
			// clock_seek, may be refused once the reading finds the
			// end: the journal says so too.
			operator := tui.LocalOperator
			if o.claims != nil {
				operator = "" // an SSH desk's: the clock_seek names who
			}
			p.OnRefused(journalRefusedSeek(journal, operator, in.loc, log))
		}
	}
	alarms := alarm.NewEngine(alarm.Options{FeedStaleAfter: in.staleAfter, Conditions: d.capsMissed, Logger: log,
		OnCatchUp: journalCatchUp(journal, log)})
	d.alarms = alarms
	if guard != nil {
		guardOf.Store(guard)
		d.setpoints = guard
	}
	src, err := telemetrySource(in, d.site, log)
	if err != nil {
		closeSend()
		cancel()
		return nil, err
	}
	if d.site != nil {
		d.onFeed = d.site.OnFeed()
	}
	var sink feeds.Sink = fleet
	mg, merged := src.(*feeds.Merger)
	switch {
	case merged && d.site != nil && len(d.site.Links()) > 0:
		d.sources = withAdapterLinks(mg.Links, d.site)
	case merged:
		d.sources = mg.Links
	case d.site != nil && len(d.site.Links()) > 0:
		w := &linkWatch{name: in.what, sink: fleet}
		sink = w
		d.sources = withAdapterLinks(w.links, d.site)
	}
	ctl, err := newDispatch(fleet, guard, journal, o.claims, in.sc, log)
	if err != nil {
		closeSend()
		cancel()
		return nil, errorf("dispatch: %w", err)
	}
	d.dispatch = ctl

	const workers = 3 // the feed, the hub, the alarms; the DR loop apart
	done := make(chan struct{}, workers)
	go func() {
		if err := src.Run(ctx, sink); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("feed stopped", "source", in.what, "err", err)
		}
		done <- struct{}{}
	}()
	go func() { _ = hub.Run(ctx); done <- struct{}{} }()
	snaps, unsubscribe := hub.Subscribe()
	go func() {
		for s := range snaps {
			alarms.Observe(s)
		}
		done <- struct{}{}
	}()
	// The DR loop stops on its own, before the rest: serve stops steering
	// while its operators are still logged in (stopSteering).
	loopCtx, stopLoop := context.WithCancel(ctx)
	loopDone := make(chan struct{})
	go func() { runDispatchLoop(loopCtx, ctl); close(loopDone) }()
	var loopOnce sync.Once
	d.stopSteering = func(ctx context.Context) {
		loopOnce.Do(func() { stopLoop(); <-loopDone })
		// Nothing re-plans once the loop has stopped: the events in force
		// are cancelled and their chargers released, on the record.
		sctx, scancel := context.WithTimeout(ctx, 10*time.Second)
		defer scancel()
		if ids := ctl.StopAll(sctx, "the desk stopped"); len(ids) > 0 {
			d.cancelled = append(d.cancelled, ids...)
			log.Warn("dispatch: the desk stopped; DR events cancelled, their chargers released where the adapter can (the rest expire at their validity)", "events", ids)
		}
	}
	stopOnce := func() {
		cancel()
		unsubscribe()
		for range workers {
			<-done
		}
		// Again after serve's own call (a local desk's only one): an
		// event whose send outlasted that call's wait is waited for again.
		// Nothing is confirmed since: the controller refuses it.
		d.stopSteering(context.Background())
		if guard != nil {
			// The guard's counters, so a run's refusals and late answers
			// are on the record somewhere an engineer looks.
			gs := guard.Stats()
			level := slog.LevelInfo
			if gs.QueueFull > 0 || gs.Late > 0 {
				level = slog.LevelWarn // the dashboard's log file keeps warnings
			}
			log.Log(context.Background(), level, "adapters: guard counters at stop", "results", gs.Results, "duplicates", gs.Duplicates,
				"queue_full", gs.QueueFull, "late", gs.Late, "forgotten", gs.Forgotten)
			logPeerFaults(log, guard)
		}
		closeSend()
	}
	var once sync.Once
	d.stop = func() { once.Do(stopOnce) }
	return d, nil
}

// telemetrySource returns what runs into the fleet: the ingest's source,
// merged on a live desk with the telemetry of the adapters' OCPP central
// systems (st may be nil). The feed comes first, so a charger both declare
// keeps the feed's values (feeds.Merger explains the merge); the central
// systems follow by adapter name. A simulated day does not take them: its
// fleet runs on the simulation's clock, which wall-clock OCPP frames would
// contradict. A --feed is merged with them whatever it turns out to be; if
// its hello says it is a simulation or a replay, the Merger leaves their
// telemetry out for the same reason.
func telemetrySource(in ingest, st *site.Site, log *slog.Logger) (feeds.Source, error) {
	var adapterSrcs map[string]feeds.Source
	if st != nil {
		adapterSrcs = st.Sources()
	}
	names := slices.Sorted(maps.Keys(adapterSrcs))
	if in.sim != nil || in.mode != feeds.ModeLive {
		if len(names) > 0 {
			log.Warn("the OCPP central systems' telemetry is not shown on a simulated day; their setpoints still go out",
				"adapters", strings.Join(names, ", "))
		}
		return in.src, nil
	}
	var srcs []feeds.NamedSource
	if in.src != nil {
		srcs = append(srcs, feeds.NamedSource{Name: in.what, Source: in.src})
	}
	for _, n := range names {
		srcs = append(srcs, feeds.NamedSource{Name: "adapter " + n, Source: adapterSrcs[n]})
	}
	switch {
	case len(srcs) == 0:
		return nil, errorf("no telemetry: %s has no running OCPP central system", in.what)
	case len(srcs) == 1 && in.src != nil:
		return in.src, nil // the feed alone, as it always was
	}
	return feeds.Merge(srcs, feeds.MergeOptions{Logger: log}), nil
}

// capsMissed lists the confirmed DR caps the controller reports missed for
// longer than it allows, as alarm conditions: the alarm list is where the
// on-call engineer looks, not only the event's own page.
func (d *sharedDesk) capsMissed() []alarm.Condition {
	if d.dispatch == nil {
		return nil
	}
	var out []alarm.Condition
	for _, v := range d.dispatch.Events() {
		a := v.Alarm
		if v.State != control.StateActive || a == nil || !a.Cleared.IsZero() {
			continue
		}
		feeder := a.Scope
		if feeder == feeds.ScopeSystem {
			feeder = ""
		}
		out = append(out, alarm.Condition{Kind: alarm.KindCapMissed, Source: a.Event, Feeder: feeder,
			Severity: alarm.SevHigh, Value: a.MeasuredKW - a.CapKW})
	}
	return out
}

// openSite opens the adapters of the --adapters file, judging time by the
// fleet's clock. Websocket adapters without an address of their own send
// over the feed's connection, and in-process adapters reach the simulator,
// whose acks the fleet is told of (simAcks).
func openSite(ctx context.Context, in ingest, o deskOptions, fleet *feeds.Fleet, log *slog.Logger) (*site.Site, error) {
	cfg := in.adapters
	if cfg == nil {
		// openIngest reads the file once; the desk must not read it again.
		return nil, fmt.Errorf("--adapters %s: the ingest carries no configuration (not opened with it)", o.adapters)
	}
	warnFeederless(cfg, o.adapters, log)
	// The guard judges validity by the fleet's clock, the time the feed
	// speaks in (a simulated day's, when the feed is a simulation).
	deps := site.Deps{BaseDir: filepath.Dir(o.adapters), Journal: o.journal, Logger: log, Now: fleet.Now}
	// Typed nils must not become non-nil interfaces.
	if sub, ok := in.src.(*feeds.Subscriber); ok {
		deps.Sender = sub
	}
	if in.sim != nil {
		deps.Simulator = simAcks{sim: in.sim, fleet: fleet, log: log}
	}
	st, err := site.Open(ctx, cfg, deps)
	if err != nil {
		return nil, errorf("--adapters %s: %w", o.adapters, err)
	}
	return st, nil
}

// warnFeederless warns of OCPP chargers without a feeder: a hello must put
// every charger on a feeder, so the central system's hello is rejected by
// the fleet (and counted) and its chargers are not shown. Setpoints to them
// still work, which is why this is not a start-up error.
func warnFeederless(cfg *adapters.Config, path string, log *slog.Logger) {
	kinds := map[string]adapters.Kind{}
	for _, a := range cfg.Adapters {
		kinds[a.Name] = a.Kind
	}
	for _, c := range cfg.Chargers {
		if c.Feeder == "" && kinds[c.Adapter] == adapters.KindOCPP {
			log.Warn("OCPP charger has no feeder: its central system's telemetry cannot be shown; give it a \"feeder\"",
				"adapters", path, "charger", c.ID, "adapter", c.Adapter)
		}
	}
}

// deskJournalOptions is what the journal of a desk on in, without
// --adapters, keeps of the setpoint ids it reads: a simulated desk's, what
// its guard keeps (the ids still valid by the simulator's clock, forgotten
// as read, as NewGuard would forget them after); a desk that cannot send
// (a live feed or a replay), none. Either way the open holds memory in
// proportion to what the desk needs, not to the file: a month's journal
// opened whole held gigabytes.
func deskJournalOptions(in ingest) adapters.OpenOptions {
	if in.sim == nil {
		return adapters.OpenOptions{NoSetpoints: true}
	}
	return adapters.OpenOptionsFor(simGuardOptions(in.sim, nil))
}

// openSimJournal opens the audit journal of a desk without --adapters,
// keeping what opts says of its ids: path, or a new file in the temporary
// directory so that every desk has its own (a journal has one writer at a
// time).
func openSimJournal(path string, opts adapters.OpenOptions, log *slog.Logger) (*adapters.Journal, error) {
	given := path != ""
	if !given {
		var err error
		if path, err = newTempJournal("v2gdesk-sim-audit-*.jsonl"); err != nil {
			return nil, err
		}
	}
	j, rep, err := adapters.OpenJournalWith(path, opts)
	switch {
	case err != nil && given:
		// The flag's file: name the flag. The journal's error says
		// "audit journal" and the path itself.
		return nil, errorf("--journal %s: %w", path, err)
	case err != nil:
		return nil, err
	}
	rep.Warn(log, path)
	return j, nil
}

// simGuard returns a guard that journals to j and sends setpoints to the
// in-process simulator, bounded by the chargers its hello declares; the
// fleet is told of the simulator's acks (simAcks).
func simGuard(s *sim.Sim, fleet *feeds.Fleet, j *adapters.Journal, log *slog.Logger) (*adapters.Guard, error) {
	hello, err := feeds.Decode(s.Hello())
	if err != nil {
		return nil, fmt.Errorf("simulator hello: %w", err)
	}
	g := adapters.NewGuard(j, simGuardOptions(s, log))
	if err := g.AddAdapter(sim.DefaultAdapter, inproc.New(simAcks{sim: s, fleet: fleet, log: log}), 0, 0); err != nil {
		g.Close()
		return nil, err
	}
	g.UpdateTopology(hello.(*feeds.Hello).Chargers)
	return g, nil
}

// simGuardOptions are the options of the guard of a desk on the
// simulator s: its clock is the simulator's. The journal's open keeps what
// a guard made with them keeps (deskJournalOptions).
func simGuardOptions(s *sim.Sim, log *slog.Logger) adapters.GuardOptions {
	return adapters.GuardOptions{Now: s.Now, Logger: log}
}

// simAcks hands each ack of the in-process simulator to the fleet as well
// as to the adapter that asked. A setpoint sent over a feed comes back as
// an ack frame on the feed, which the fleet keeps as the charger's last
// ack; one applied in process returns its ack to the guard only, so the
// charger's page showed the setpoint in force with "last ack —" while the
// guard's counters said every setpoint was applied.
type simAcks struct {
	sim   inproc.Simulator
	fleet *feeds.Fleet
	log   *slog.Logger
}

// ApplySetpoint implements inproc.Simulator.
func (s simAcks) ApplySetpoint(f feeds.SetpointFrame) feeds.AckFrame {
	ack := s.sim.ApplySetpoint(f)
	a := ack
	if err := s.fleet.Apply(&a); err != nil {
		s.log.Warn("the simulator's ack was not taken by the fleet", "setpoint", ack.ID, "charger", ack.Charger, "err", err)
	}
	return ack
}
