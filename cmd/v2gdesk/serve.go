package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/tui"
	"github.com/v2gdesk/v2gdesk/tui/sshd"
)

// serveOptions is the parsed command line of `v2gdesk serve`.
type serveOptions struct {
	ingestOptions
	addr, users, hostKey string
	lang                 string
	journal              string
	maxSessions          int
	idleTimeout, grace   time.Duration
}

// runServe serves the desk to many operators over SSH: one shared ingest
// (feed, fleet, hub, alarm list) and one dashboard per session.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o serveOptions
	fs.StringVar(&o.addr, "ssh", "", "`ADDR` to listen on for SSH, e.g. :2222 (required)")
	fs.StringVar(&o.users, "users", "", "users `FILE`: NAME ROLE KEYTYPE BASE64KEY per line (required)")
	fs.StringVar(&o.hostKey, "host-key", "v2gdesk_host_ed25519", "host key `FILE`; created with 0600 permissions on first run")
	o.register(fs, "its start (the demo day: 00:00)")
	fs.StringVar(&o.journal, "journal", "", "audit journal `FILE`: logins, logouts, refusals, operator actions and setpoints (default: the adapters file's; for a simulated --scenario, a new file in the temporary directory, named at start-up; for a --feed, the log on stderr only)")
	fs.StringVar(&o.lang, "lang", "en", "interface language of sessions whose client's locale (LC_ALL, LC_MESSAGES, LANG) names neither en nor zh: en or zh-CN")
	fs.IntVar(&o.maxSessions, "max-sessions", sshd.DefaultMaxSessions, "most sessions at once; more are refused politely")
	fs.DurationVar(&o.idleTimeout, "idle-timeout", sshd.DefaultIdleTimeout, "disconnect sessions idle this long (warned a minute before); 0: never")
	fs.DurationVar(&o.grace, "shutdown-grace", 10*time.Second, "on SIGTERM (also SIGINT, SIGHUP), how long operators are warned before they are disconnected")
	said := commandLang(args, true)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk serve --ssh ADDR --users FILE [--host-key FILE] [--feed URL | --scenario demo|FILE [--speed 60] [--start HH:MM]] [--adapters FILE] [--journal FILE] [--lang en|zh-CN] [--max-sessions 64] [--idle-timeout 30m] [--shutdown-grace 10s]

Serves the desk over SSH: operators connect with `+"`ssh -p PORT host`"+`; their public key
decides who they are and their role (viewer, dispatcher, admin). See docs/operations.md.

With --adapters naming an OCPP central system, its chargers are shown; without --feed or
--scenario they are the desk's only (live) telemetry.
`)
	}
	if err := parseFlags(fs, args, said, stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	if msg := o.check(fs.Args(), said); msg != "" {
		fmt.Fprintln(stderr, say(said, "v2gdesk serve: %s", msg))
		return exitUsage
	}
	// The desk of many operators, its DR events and setpoints, must not
	// die of its log's reader going (`serve 2>&1 | tee serve.log`, tee
	// gone): only a Ctrl-C that stopped both was survived.
	surviveClosedPipe()
	if err := serve(ctx, o, stderr); err != nil {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk serve", "serve the desk over SSH", err))
		return 1
	}
	return 0
}

// check returns what is wrong with the command line, in lang, or "".
func (o serveOptions) check(rest []string, lang string) string {
	switch {
	case len(rest) > 0:
		return say(lang, "unexpected argument %q", rest[0])
	case o.addr == "":
		return say(lang, "--ssh ADDR is required (e.g. --ssh :2222)")
	case checkListenAddr(o.addr) != nil:
		// Before any file (host key, journal) is created for a server
		// that cannot start.
		return say(lang, "--ssh %q: %v", o.addr, errorIn(lang, checkListenAddr(o.addr)))
	case o.users == "":
		return say(lang, "--users FILE is required (one `NAME ROLE KEYTYPE BASE64KEY` per line)")
	case o.hostKey == "":
		return say(lang, "--host-key FILE must not be empty")
	case o.lang != "en" && o.lang != "zh-CN":
		return say(lang, "--lang %q: want en or zh-CN", o.lang)
	case o.maxSessions < 1:
		return say(lang, "--max-sessions must be at least 1")
	case o.idleTimeout < 0 || o.grace < 0:
		return say(lang, "--idle-timeout and --shutdown-grace must not be negative")
	}
	return o.ingestOptions.check(lang)
}

// checkListenAddr checks a HOST:PORT to listen on: a port from 0 to 65535.
func checkListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// serve runs the desk until ctx is done (SIGTERM, SIGINT, SIGHUP), then shuts it
// down gracefully. Start-up problems are returned naming what and where.
func serve(ctx context.Context, o serveOptions, stderr io.Writer) error {
	users, err := sshd.LoadUsers(o.users)
	if err != nil {
		return errorf("users: %w", err)
	}
	// Can the server listen at all? Asked before the host key and the
	// journal are created, so a port in use leaves no files behind. (The
	// server listens again below; losing the port in between fails there.)
	probe, err := net.Listen("tcp", o.addr)
	if err != nil {
		return errorf("--ssh %s: %w", o.addr, err)
	}
	probe.Close()
	hostKey, created, err := sshd.LoadOrCreateHostKey(o.hostKey)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	// The claims registry lives in the server, made below; a dispatch
	// claims through it only once sessions exist.
	var srv *sshd.Server
	sd, err := openServeDesk(o, sshClaims(func() *sshd.Claims { return srv.Claims() }), log, stderr)
	if err != nil {
		return err
	}
	defer sd.close()
	desk, auditor, journalNote := sd.desk, sd.auditor, sd.note

	srv, err = sshd.New(sshd.Config{
		Users:       users,
		Auditor:     auditor,
		HostKey:     hostKey,
		Factory:     deskFactory(desk),
		Lang:        o.lang,
		Logger:      log,
		MaxSessions: o.maxSessions,
		IdleTimeout: idleOrNever(o.idleTimeout),
		Version:     "v2gdesk_" + version,
		// The events in force are cancelled by the desk once the
		// operators have been warned, and before they are disconnected:
		// the journal reads the cancel, then the logouts.
		BeforeDisconnect: desk.stopSteering,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return errorf("--ssh %s: %w", o.addr, err)
	}
	note := ""
	if created {
		note = ", created " + o.hostKey
	}
	fmt.Fprintf(stderr, "v2gdesk serve: listening on %s (host key %s%s; %s, %s; %s; %s)\n",
		ln.Addr(), gossh.FingerprintSHA256(hostKey.PublicKey()), note, plural(users.Names(), "operator", "operators"), plural(users.Len(), "key", "keys"), desk.in.what, journalNote)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("ssh: %w", err)
	case <-ctx.Done():
	}
	cause := ""
	if c := context.Cause(ctx); c != nil && !errors.Is(c, context.Canceled) {
		cause = c.Error()
	}
	// Shutdown cancels the events in force (BeforeDisconnect) after the
	// grace period, before the sessions end.
	reason := shutdownReason(cause, steeredAtStop(desk.dispatch), o.grace)
	// Give the sessions the grace period to read the notice, and then some
	// to close; a session stuck writing to a dead client is cut off.
	sctx, cancel := context.WithTimeout(context.Background(), o.grace+10*time.Second)
	defer cancel()
	err = srv.Shutdown(sctx, reason, o.grace)
	if serr := <-served; serr != nil && err == nil {
		err = fmt.Errorf("ssh: %w", serr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, "v2gdesk serve: stopped")
	if j := desk.journal; j != "" {
		fmt.Fprintf(stderr, "v2gdesk serve: operator actions and setpoints are in the audit journal %s (read it with `v2gdesk audit --journal %s`)\n", j, j)
	}
	return nil
}

// servedDesk is serve's shared desk with where its sessions' audit
// records go.
type servedDesk struct {
	desk    *sharedDesk
	auditor sshd.Auditor // nil: the log only (a feed without --journal)
	note    string       // where the audit goes, for the start-up line
	close   func()       // stops the desk, then closes serve's own journal
}

// openServeDesk opens serve's ingest and desk and the journal of
// --journal. Every operator action goes to that one journal whatever the
// adapters: sessions' records (logins, refusals, alarm and clock actions)
// through the auditor, DR actions through the desk's controller. With
// --adapters the adapters' site opens the journal (the file it names, or
// --journal), since a journal has one writer.
func openServeDesk(o serveOptions, claims control.Claimer, log *slog.Logger, stderr io.Writer) (*servedDesk, error) {
	sd := &servedDesk{close: func() {}}
	// The ingest first: what the journal keeps of its ids depends on
	// whether the desk can send (a simulator's) or not (a feed's).
	in, err := openIngest(o.ingestOptions, log)
	if err != nil {
		return nil, err
	}
	var journal *adapters.Journal
	if o.journal != "" && o.adapters == "" {
		j, rep, err := adapters.OpenJournalWith(o.journal, deskJournalOptions(in))
		if err != nil {
			return nil, fmt.Errorf("--journal: %w", err)
		}
		if rep.Torn != nil {
			fmt.Fprintf(stderr, "v2gdesk serve: journal %s: %s\n", o.journal, rep.Torn)
		}
		rep.Torn = nil // said above, on stderr
		rep.Warn(log, o.journal)
		sd.auditor, journal, sd.close = journalAuditor{j}, j, func() { j.Close() }
		sd.note = "audit journal " + o.journal
	}
	desk, err := startDesk(in, deskOptions{
		journal:     o.journal,
		openJournal: journal,
		adapters:    o.adapters,
		claims:      claims,
	}, log)
	if err != nil {
		sd.close()
		return nil, err
	}
	closeJournal := sd.close
	sd.desk, sd.close = desk, func() { desk.stop(); closeJournal() }
	// The desk's journal, whoever opened it (--journal, the adapters', or
	// the simulator's temporary one), takes the sessions' records too: one
	// file holds every action, never some in the log and some in a file.
	if desk.actions != nil {
		sd.auditor = journalAuditor{desk.actions}
	}
	switch {
	case desk.journal == "":
		sd.note = "no --journal: operator actions go to the log only"
	case o.journal == "" && o.adapters == "":
		// The simulator's own: an operator must not believe the demo
		// server keeps nothing, nor that it keeps it anywhere safe.
		sd.note = tempJournalNote("operator actions and setpoints", desk.journal, " when the desk stops")
	default:
		sd.note = "audit journal " + desk.journal
	}
	return sd, nil
}

// idleOrNever maps the command line's 0 ("never") to sshd's negative.
func idleOrNever(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// deskFactory makes one dashboard per SSH session on the shared hub and
// alarm list. The operator and role come from the key the session proved,
// the language from the client's locale or serve's --lang (Session.Lang).
func deskFactory(desk *sharedDesk) sshd.ModelFactory {
	return func(s *sshd.Session) tea.Model {
		snaps, unsubscribe := desk.hub.Subscribe()
		done := make(chan struct{})
		s.OnClose(func() {
			unsubscribe()
			close(done) // the model's waits on the shared controller end too
		})
		return tui.New(tui.Options{
			Snapshots:       snaps,
			Mode:            desk.in.mode,
			Control:         desk.in.control,
			Alarms:          desk.alarms,
			Operator:        s.Operator.Name,
			Role:            string(s.Operator.Role),
			Lang:            s.Lang,
			Renderer:        s.Renderer,
			TimeOfUse:       desk.in.tou,
			Dispatch:        desk.dispatch,
			Plan:            desk.dispatch,
			Sources:         desk.sources,
			Setpoints:       desk.setpoints,
			SetpointsOnFeed: desk.onFeed,
			Routing:         desk.routing,
			Routes:          desk.routes,
			Session:         s.Present.ID,
			Done:            done,
			Online:          s.Presence().Labels,
			// Quitting one of an operator's two sessions leaves their
			// events with the other: q asks nothing then.
			OwnSessions: func() int { return s.Presence().SessionsPerName()[s.Operator.Name] },
			// Alarm and clock actions are authorised by the key the
			// session proved, journalled in English and announced to
			// every operator, whose dashboards word them (tui.Model.Tell).
			Act: func(kind string, a tui.Announcement, detail map[string]any) error {
				return s.Act(permission(kind), kind, a.English, a, detail)
			},
			// Also after the session has ended: a confirm or cancel is
			// announced from its command once the controller has done it,
			// whether or not its answer reaches the session.
			Announce: func(a tui.Announcement) { s.Announce(a.English, a) },
			// A refusal names the role it needs and is journalled.
			Refused: func(action string) error {
				return s.Authorize(permission(action))
			},
		})
	}
}

// permissions gives each action the dashboard asks about (tui.Actions: what
// Options.Refused is told and the kinds Options.Act is asked about) the SSH
// permission it needs.
var permissions = map[string]sshd.Action{
	tui.RefusedAlarm:     sshd.ActionAckAlarm,
	tui.ActAlarmAck:      sshd.ActionAckAlarm,
	tui.ActAlarmShelve:   sshd.ActionAckAlarm,
	tui.ActAlarmUnshelve: sshd.ActionAckAlarm,
	tui.RefusedDispatch:  sshd.ActionDispatch,
	// The clock of the shared simulation has its own permission.
	tui.RefusedClock:   sshd.ActionControlClock,
	tui.ActClockPause:  sshd.ActionControlClock,
	tui.ActClockResume: sshd.ActionControlClock,
	tui.ActClockSpeed:  sshd.ActionControlClock,
	tui.ActClockSeek:   sshd.ActionControlClock,
}

// permission returns the permission action needs. An action missing from
// permissions becomes an sshd.Action of its own name, which no role holds:
// it is refused to everyone until someone decides who may.
func permission(action string) sshd.Action {
	if p, ok := permissions[action]; ok {
		return p
	}
	return sshd.Action(action)
}
