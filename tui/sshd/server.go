package sshd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"
)

// ModelFactory builds the dashboard for one session. It is called once per
// admitted session, after the operator is known and before the program
// starts; the model does its work through the Session it is handed.
type ModelFactory func(s *Session) tea.Model

// Defaults for the zero values in Config.
const (
	DefaultMaxSessions    = 64
	DefaultIdleTimeout    = 30 * time.Minute
	DefaultIdleWarning    = time.Minute
	DefaultAuthFailures   = 5
	DefaultAuthBackoff    = 10 * time.Second
	DefaultAuthBackoffMax = 10 * time.Minute
	DefaultNoticeFor      = 8 * time.Second
	DefaultLoginGrace     = 2 * time.Minute
	mailboxSize           = 64
)

// Config is what a Server needs. Users, HostKey and Factory are required.
type Config struct {
	Users   *Users
	HostKey gossh.Signer
	Factory ModelFactory
	Auditor Auditor      // nil: audit records go to the log only
	Logger  *slog.Logger // nil: discard

	MaxSessions    int           // 0: DefaultMaxSessions
	IdleTimeout    time.Duration // 0: DefaultIdleTimeout; negative: never
	IdleWarning    time.Duration // how long before the idle disconnect to warn; 0: DefaultIdleWarning
	AuthFailures   int           // failed logins from one address before back-off; 0: default; negative: off
	AuthBackoff    time.Duration // first back-off; 0: DefaultAuthBackoff
	AuthBackoffMax time.Duration // 0: DefaultAuthBackoffMax
	NoticeFor      time.Duration // how long a notice stays up; 0: DefaultNoticeFor
	// Lang is the language of sessions whose client's locale names none
	// the desk speaks (LangEN or LangZhCN); "": LangEN.
	Lang       string
	LoginGrace time.Duration // time to authenticate and open a session; 0: DefaultLoginGrace
	Version    string        // shown in the SSH version string

	Now func() time.Time // clock for presence, claims and back-off; nil: time.Now

	// BeforeDisconnect, when set, runs in Shutdown once the grace period
	// is over and before any session is ended, with Shutdown's ctx: what
	// the desk does on its operators' behalf as it stops (cancelling the
	// DR events in force) is then journalled while they are still logged
	// in, before their logouts. Journalled after them, a control room's
	// auditor read an event cancelled once nobody was at the desk.
	BeforeDisconnect func(ctx context.Context)
}

// Server hosts the desk over SSH: one Bubble Tea program per session, all
// sessions sharing one Presence, one Claims registry and whatever the
// ModelFactory shares (the feed hub and fleet state).
type Server struct {
	cfg      Config
	log      *slog.Logger
	ssh      *ssh.Server
	presence *Presence
	claims   *Claims
	backoff  *Backoff
	counters

	mu       sync.Mutex
	sessions map[uint64]*liveSession
	// presenceSeq numbers the PresenceMsgs (PresenceMsg.Seq).
	presenceSeq uint64
	closing     Sentence // why the server is shutting down; nil while it is not
	// listeners are those Serve was given: Shutdown closes them too.
	listeners []net.Listener
	active    sync.WaitGroup

	blockedConns sync.Map // remote address string -> struct{}: connections made while backed off
	offered      sync.Map // remote address string -> *offeredKeys: unknown keys a connection offered
}

// liveSession is the Server's handle on one running session.
type liveSession struct {
	present Present
	mailbox chan tea.Msg
	program *tea.Program
	cancel  context.CancelFunc // ends the session's helper goroutines
	lang    string             // the operator's language (Session.Lang)
	// endReason, set before the program is told to quit, is the logout's
	// reason in the journal; endText, the same in the operator's
	// language, is printed to them after the dashboard is gone.
	mu                 sync.Mutex
	endReason, endText string
}

// setEnd sets why the session ends, in English for the journal (reason)
// and in the operator's language (text), unless it is already set.
func (l *liveSession) setEnd(reason, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.endReason == "" {
		l.endReason, l.endText = reason, text
	}
}

// setDisconnected sets the session's end to its disconnection for why,
// which every session reads in its own language.
func (l *liveSession) setDisconnected(why Sentence) {
	l.setEnd("disconnected: "+why.String(), say(l.lang, "disconnected: %s", why(l.lang)))
}

// end returns why the session ends, for the journal and for the operator.
func (l *liveSession) end() (reason, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.endReason, l.endText
}

// New checks cfg and builds a Server. It does not listen; call Serve.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Users == nil || cfg.Users.Len() == 0:
		return nil, errors.New("sshd: no users: an SSH desk needs a users file")
	case cfg.HostKey == nil:
		return nil, errors.New("sshd: no host key")
	case cfg.Factory == nil:
		return nil, errors.New("sshd: no model factory")
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.IdleWarning == 0 {
		cfg.IdleWarning = DefaultIdleWarning
	}
	if cfg.AuthFailures == 0 {
		cfg.AuthFailures = DefaultAuthFailures
	}
	if cfg.AuthBackoff <= 0 {
		cfg.AuthBackoff = DefaultAuthBackoff
	}
	if cfg.AuthBackoffMax <= 0 {
		cfg.AuthBackoffMax = DefaultAuthBackoffMax
	}
	if cfg.NoticeFor == 0 {
		cfg.NoticeFor = DefaultNoticeFor
	}
	if cfg.LoginGrace <= 0 {
		cfg.LoginGrace = DefaultLoginGrace
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Version == "" {
		cfg.Version = "v2gdesk"
	}
	s := &Server{
		cfg:      cfg,
		log:      cfg.Logger,
		presence: NewPresence(),
		claims:   NewClaims(cfg.Now),
		backoff:  NewBackoff(cfg.AuthFailures, cfg.AuthBackoff, cfg.AuthBackoffMax, cfg.Now),
		sessions: map[uint64]*liveSession{},
	}
	if s.log == nil {
		s.log = discardLogger()
	}
	srv, err := wish.NewServer(
		func(srv *ssh.Server) error { srv.AddHostKey(cfg.HostKey); return nil },
		wish.WithVersion(cfg.Version),
		// Public keys only: with no password or keyboard-interactive
		// handler the server offers neither method.
		wish.WithPublicKeyAuth(s.publicKeyAuth),
		wish.WithBannerHandler(s.banner),
		ssh.WrapConn(s.wrapConn),
		func(srv *ssh.Server) error { srv.ConnectionFailedCallback = s.connectionFailed; return nil },
		// Middlewares run last to first: gate admits the session, then the
		// Bubble Tea middleware runs the program and forwards resizes.
		wish.WithMiddleware(
			bm.MiddlewareWithProgramHandler(s.program, termenv.Ascii),
			s.gate,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("sshd: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// Presence returns the registry of connected sessions.
func (s *Server) Presence() *Presence { return s.presence }

// Claims returns the shared dispatch claim registry.
func (s *Server) Claims() *Claims { return s.claims }

// Stats are the Server's running totals.
type Stats struct {
	Sessions      int
	AuditFailures uint64 // audit records the Auditor refused
	Dropped       uint64 // broadcast messages a full session mailbox refused
	Panics        uint64 // sessions ended by a panic in their dashboard
}

// Stats returns the running totals.
func (s *Server) Stats() Stats {
	return Stats{Sessions: s.presence.Len(), AuditFailures: s.auditFailures.Load(), Dropped: s.dropped.Load(), Panics: s.panics.Load()}
}

// Serve accepts connections on ln until Shutdown. It returns nil after a
// Shutdown and the listener's error otherwise.
//
// A Shutdown may come first: a signal can arrive between the listener's
// creation and this call's goroutine starting. The ssh server closes only
// the listeners it is already serving, so Serve closes ln itself then, and
// records it for a Shutdown that comes before the ssh server takes it on:
// otherwise it would accept on ln forever and the process never exit.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing != nil {
		s.mu.Unlock()
		ln.Close()
		return nil
	}
	s.listeners = append(s.listeners, ln)
	s.mu.Unlock()
	err := s.ssh.Serve(ln)
	s.mu.Lock()
	closing := s.closing != nil
	s.mu.Unlock()
	if errors.Is(err, ssh.ErrServerClosed) || closing {
		return nil
	}
	return err
}

// Broadcast sends msg to every session's program. It never blocks: a session
// whose mailbox is full misses the message and the miss is counted in
// Stats.Dropped.
func (s *Server) Broadcast(msg tea.Msg) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.sessions {
		s.post(l, msg)
	}
}

func (s *Server) post(l *liveSession, msg tea.Msg) {
	select {
	case l.mailbox <- msg:
	default:
		s.dropped.Add(1)
		s.log.Warn("session mailbox full; message dropped", "session", l.present.ID, "operator", l.present.Operator.Name)
	}
}

// Shutdown stops accepting connections, tells every operator why (reason,
// in each one's language; nil: the desk is shutting down) and that they
// will be disconnected after grace, then ends every session and waits for
// them to finish (or for ctx). Operators see the reason on their terminal
// after the dashboard closes; the log and the journal keep it in English.
func (s *Server) Shutdown(ctx context.Context, reason Sentence, grace time.Duration) error {
	if reason == nil {
		reason = func(lang string) string { return say(lang, "the desk is shutting down") }
	}
	s.mu.Lock()
	already := s.closing != nil
	if !already {
		s.closing = reason
	}
	n := len(s.sessions)
	listeners := s.listeners
	s.mu.Unlock()
	if already {
		return errors.New("sshd: shutdown already in progress")
	}
	for _, ln := range listeners {
		ln.Close() // the ssh server's Shutdown closes only those it serves yet
	}
	s.log.Info("ssh desk shutting down", "reason", reason.String(), "sessions", n, "grace", grace)

	// Closing the listeners first: no one new arrives while we say goodbye.
	// ssh.Server.Shutdown also waits for connections, so it runs aside.
	shut := make(chan error, 1)
	go func() { shut <- s.ssh.Shutdown(context.Background()) }()

	if n > 0 && grace > 0 {
		countDownGrace(ctx, realIdleClock{now: time.Now}, grace, func(left time.Duration) {
			s.Broadcast(NoticeMsg{Say: shutdownNotice(reason, roundDuration(left)), Warn: true, Sticky: true, Closing: true})
		})
	}
	if s.cfg.BeforeDisconnect != nil {
		s.cfg.BeforeDisconnect(ctx)
	}
	s.mu.Lock()
	for _, l := range s.sessions {
		l.setDisconnected(reason)
		if l.program != nil {
			l.program.Quit()
		}
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() { s.active.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("sshd: shutdown: sessions still running: %w", ctx.Err())
	}
	// Sessions are over; close what connections clients left open so the
	// ssh.Server's own Shutdown can return.
	// A listener closed above may still be the ssh.Server's while its
	// Serve returns: closing it again is no failure (a stop with no
	// grace, as `serve --shutdown-grace 0`, failed now and then with
	// "use of closed network connection").
	if cerr := s.ssh.Close(); cerr != nil && err == nil && !errors.Is(cerr, ssh.ErrServerClosed) && !errors.Is(cerr, net.ErrClosed) {
		err = fmt.Errorf("sshd: close: %w", cerr)
	}
	<-shut
	return err
}

// shutdownNotice is the bottom line every session reads during the grace
// period: when it is disconnected, then why. The countdown goes first: the
// line is cut to the terminal's width, and a reason naming the DR events
// that are released ran past 80 columns and took the countdown with it.
func shutdownNotice(reason Sentence, grace time.Duration) Sentence {
	return func(lang string) string {
		return say(lang, "disconnecting in %s: %s", durationWords(lang, grace), reason(lang))
	}
}

// ShutdownNoticeFits reports whether the shutdown notice for reason (as
// worded in lang) is read whole at width columns from the grace's start,
// its longest countdown: on the lines a closing notice may take, as the
// frame wraps it. A caller naming many things in the reason (serve's DR
// events) shortens it until it does, rather than have its end cut.
func ShutdownNoticeFits(reason, lang string, grace time.Duration, width int) bool {
	text := shutdownNotice(func(string) string { return reason }, roundDuration(grace))(lang)
	return len(wrapNotice(text, width)) <= maxClosingLines
}

// remote returns a session or connection's client address as text.
func remote(a net.Addr) string {
	if a == nil {
		return ""
	}
	return a.String()
}
