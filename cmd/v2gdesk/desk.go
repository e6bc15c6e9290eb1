package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/tui"
)

// demoStart is where the embedded demo day starts when no --start is given:
// early enough to see the evening peak build, late enough that it arrives
// within minutes at 60x.
const demoStart = "16:00"

// runDesk runs the dashboard in this terminal: on the embedded demo day by
// default (a simulation, never shown as LIVE), on a live feed with --feed.
func runDesk(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o ingestOptions
	var lang, journal *string
	fs := deskFlags(&o, &lang, &journal)
	fs.SetOutput(stderr)
	said := commandLang(args, true)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk [--scenario demo|FILE [--speed 60] [--start HH:MM] | --feed URL] [--adapters FILE] [--journal FILE] [--lang en|zh-CN]

The dashboard. With no flags, or --scenario demo: the embedded demo day from 16:00 at 60x.
On a scenario, :seek goes back too (the day starts over there), and at its end
the day holds for a :seek back to play it again.
With --adapters naming an OCPP central system and no --feed: live, on the chargers that connect to it.
`+"`v2gdesk help`"+` lists the other commands.
`)
	}
	if code, done := parseArgs(fs, args, stdout, stderr, said); done {
		return code
	}
	if err := o.loadAdapters(); err != nil {
		fmt.Fprintln(stderr, framedLines(say(said, "v2gdesk: %v", errorIn(said, err)), err))
		return 1
	}
	o.deskDefaults()
	if msg := o.check(said); msg != "" {
		fmt.Fprintln(stderr, say(said, "v2gdesk: %s", msg))
		return exitUsage
	}
	if tui.CheckLang(*lang) != nil {
		fmt.Fprintln(stderr, say(said, "v2gdesk: --lang: %q: unknown interface language (want en or zh-CN)", *lang))
		return exitUsage
	}
	log, closeLog := dashboardLog(stderr, *lang)
	defer closeLog()
	in, err := openIngest(o, log)
	if err != nil {
		fmt.Fprintln(stderr, framedLines(say(said, "v2gdesk: %v", errorIn(said, err)), err))
		return 1
	}
	return runDashboard(ctx, in, deskOptions{journal: *journal, adapters: o.adapters}, *lang, log, stderr)
}

// deskDefaults fills what the dashboard's command line left out: the demo
// day when there is no other telemetry, its start at demoStart, asked
// for by name or not (`--scenario demo` started at midnight), and a
// simulated day's seek back. The adapters file must be loaded.
func (o *ingestOptions) deskDefaults() {
	if o.feed == "" && o.scenario == "" && !adaptersAreLive(o.cfg) {
		o.scenario = "demo"
	}
	if o.scenario == "demo" && o.start == "" {
		o.start = demoStart
	}
	// A presenter shows the day again: :seek back starts it over, and the
	// day holds at its end for it.
	o.seekBack = true
}

// deskFlags returns the dashboard's flag set, registering its flags in o,
// lang and journal; `v2gdesk --help` prints the same set.
func deskFlags(o *ingestOptions, lang, journal **string) *flag.FlagSet {
	fs := flag.NewFlagSet("v2gdesk", flag.ContinueOnError)
	o.register(fs, "its start (the demo day: "+demoStart+")")
	*lang = fs.String("lang", "en", "interface language: en or zh-CN")
	*journal = fs.String("journal", "", "audit journal `FILE` for the operator's actions and the setpoints the desk sends (default: the adapters file's, or for a simulation a new file in the temporary directory)")
	return fs
}

// adaptersAreLive reports whether a desk given no --feed and no --scenario
// runs live on the OCPP central systems of the adapters file cfg (nil for
// none). A file without one (in-process or dry-run adapters) keeps the demo
// day, as before central systems were telemetry sources.
func adaptersAreLive(cfg *adapters.Config) bool {
	return len(telemetryAdapters(cfg)) > 0
}

// runDashboard runs one dashboard in this terminal on in until the operator
// quits or ctx ends.
func runDashboard(ctx context.Context, in ingest, o deskOptions, lang string, log *slog.Logger, stderr io.Writer) int {
	if !term.IsTerminal(os.Stdin.Fd()) || !term.IsTerminal(os.Stdout.Fd()) {
		fmt.Fprintln(stderr, tui.Say(lang, "v2gdesk: the dashboard needs a terminal; for scripts use `v2gdesk status --feed URL` or `v2gdesk replay FILE --headless`"))
		return 1
	}
	desk, err := startDesk(in, o, log)
	if err != nil {
		fmt.Fprintln(stderr, framedLines(say(lang, "v2gdesk: %v", errorIn(lang, err)), err))
		return 1
	}
	defer desk.stop()
	snaps, unsubscribe := desk.hub.Subscribe()
	defer unsubscribe()
	m := tui.New(tui.Options{
		Snapshots:       snaps,
		Mode:            in.mode,
		Control:         in.control,
		Alarms:          desk.alarms,
		Lang:            lang,
		Renderer:        lipgloss.NewRenderer(os.Stdout),
		TimeOfUse:       in.tou,
		Dispatch:        desk.dispatch,
		Plan:            desk.dispatch,
		Sources:         desk.sources,
		Setpoints:       desk.setpoints,
		SetpointsOnFeed: desk.onFeed,
		Routing:         desk.routing,
		Routes:          desk.routes,
		Damage:          in.damage,
		Loading:         in.loading,
		Reading:         in.reading,
		Act:             localActions(desk.actions),
	})
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(stderr, "v2gdesk: %v\n", err)
		return 1
	}
	// Stopped here, not by the deferred stop, so that the events it
	// cancels are named before the journal that records it.
	desk.stop()
	tellCancelled(stderr, lang, desk.cancelled)
	tellJournal(stderr, lang, desk.journal, desk.sends)
	return 0
}

// tellCancelled names, in lang, the DR events in force that quitting the
// dashboard cancelled, once it has given the terminal back; nothing when
// there were none. ctrl+c cancels them without asking, and the terminal
// said only where the journal was.
func tellCancelled(w io.Writer, lang string, ids []string) {
	if len(ids) > 0 {
		fmt.Fprintln(w, tui.Say(lang, "v2gdesk: quitting cancelled the DR events in force: %s (their chargers released where the adapter can; the rest expire at their validity)", strings.Join(ids, ", ")))
	}
}

// tellJournal names, in lang, the audit journal a dashboard run wrote its
// operator's actions and setpoints to, once the dashboard has given the
// terminal back; nothing when it had none. A desk that cannot send (sends
// false: a replay, a feed without --adapters) speaks of its actions only:
// "setpoints sent" had an auditor look for setpoints that never could be.
func tellJournal(w io.Writer, lang, journal string, sends bool) {
	switch {
	case journal == "":
	case sends:
		fmt.Fprintln(w, tui.Say(lang, "v2gdesk: operator actions and setpoints sent are in the audit journal %s (read it with `v2gdesk audit --journal %s`)", journal, journal))
	default:
		fmt.Fprintln(w, say(lang, "v2gdesk: operator actions are in the audit journal %s (read it with `v2gdesk audit --journal %s`); this desk sends no setpoints", journal, journal))
	}
}

// localActions records the local operator's alarm and clock actions in j,
// the desk's journal, as serve's sessions are recorded (journalAuditor), so
// that a journal holds every action taken at the desk; nil (nothing to
// record) when the desk has no journal. A failed write refuses the action.
func localActions(j *adapters.Journal) func(kind string, a tui.Announcement, detail map[string]any) error {
	if j == nil {
		return nil
	}
	au := journalAuditor{j}
	return func(kind string, a tui.Announcement, detail map[string]any) error {
		d := maps.Clone(detail)
		if d == nil {
			d = map[string]any{}
		}
		d["summary"] = a.English
		return au.Record(kind, tui.LocalOperator, d)
	}
}

// dashboardLog returns the logger of a dashboard run. The dashboard owns the
// terminal: a log line written to it would tear the screen, so when stderr is
// a terminal, warnings go to a file in the temporary directory (fileLog),
// named when the dashboard ends; a redirected stderr gets them directly.
// lang is the dashboard's --lang, in which the file is named.
func dashboardLog(stderr io.Writer, lang string) (*slog.Logger, func()) {
	opts := &slog.HandlerOptions{Level: slog.LevelWarn}
	if f, ok := fileOf(stderr); !ok || !term.IsTerminal(f.Fd()) {
		return slog.New(slog.NewTextHandler(stderr, opts)), func() {}
	}
	return fileLog(stderr, lang, opts)
}

// fileLog is dashboardLog's logger on a terminal: warnings go to a new file
// in the temporary directory, which the returned func closes and names on
// stderr, in lang, for the person who ran the dashboard, or removes when it
// stayed empty.
func fileLog(stderr io.Writer, lang string, opts *slog.HandlerOptions) (*slog.Logger, func()) {
	f, err := os.CreateTemp("", "v2gdesk-*.log")
	if err != nil {
		// No file: keep the screen whole and drop the log, saying so.
		fmt.Fprintln(stderr, tui.Say(lang, "v2gdesk: no log file (%v); warnings are not kept", err))
		return slog.New(slog.DiscardHandler), func() {}
	}
	return slog.New(slog.NewTextHandler(f, opts)), func() {
		st, _ := f.Stat()
		f.Close()
		if st != nil && st.Size() > 0 {
			fmt.Fprintln(stderr, tui.Say(lang, "v2gdesk: warnings were logged to %s", f.Name()))
			return
		}
		os.Remove(f.Name())
	}
}
