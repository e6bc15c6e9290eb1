package sshd

import (
	"context"
	"fmt"
	"maps"
	"net"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Session is what a dashboard model gets from the transport: who is at the
// keyboard, a renderer for their terminal, and the shared registries. The
// model asks it before changing anything (Authorize, Act).
type Session struct {
	// Operator is who proved their key for this session.
	Operator Operator
	// Present is this session's entry in the Presence registry.
	Present Present
	// Renderer fits the client's terminal (colour profile, background);
	// build every lipgloss style of this session from it.
	Renderer *lipgloss.Renderer
	// Width and Height are the terminal's size at the start; resizes arrive
	// as tea.WindowSizeMsg.
	Width, Height int
	// Lang is the language the operator reads, LangEN or LangZhCN: the
	// client's locale when it names one the desk speaks, else
	// Config.Lang. Build the dashboard in it.
	Lang string

	srv     *Server
	closers []func() // run when the session ends, last first
}

// OnClose registers f to run when the session ends (after its program has
// stopped), e.g. to unsubscribe from the feed hub. Functions run last
// registered first. Call it from the ModelFactory, not from the model.
func (s *Session) OnClose(f func()) { s.closers = append(s.closers, f) }

// close runs the OnClose functions.
func (s *Session) close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	s.closers = nil
}

// The logout reasons of sessions that ended without a reason of the
// Server's own (idle, shutdown, a panic).
const (
	logoutQuit   = "quit"                            // the operator quit the dashboard
	logoutClosed = "connection closed by the client" // killed client, lost network
)

// Authorize returns nil when the operator may do a. A refusal is written to
// the audit journal and returned as a *ForbiddenError whose text can be shown
// to the operator as it is.
func (s *Session) Authorize(a Action) error {
	err := s.Operator.Authorize(a)
	if err != nil {
		_ = s.srv.audit(AuditForbidden, s.Operator.Name, map[string]any{
			"action": string(a), "role": string(s.Operator.Role), "session": s.Present.ID, "remote": s.Present.Remote,
		})
	}
	return err
}

// Act authorises an operator action, writes it to the audit journal and
// tells every session about it (ActionMsg). The caller makes the change only
// when Act returns nil: an action the journal could not record is not done.
// kind is the audit kind ("alarm_ack", "alarm_shelve", "alarm_unshelve"
// from the dashboard), summary one line for the other operators, shown
// after the operator's name ("acknowledged ▲ HIGH F07 loading 118%"),
// detail what the journal should keep. say, when not nil, is the action as
// the dashboard describes it, for each other session's dashboard to word in
// its operator's language (Teller); the journal keeps summary.
func (s *Session) Act(a Action, kind, summary string, say any, detail map[string]any) error {
	if err := s.Authorize(a); err != nil {
		return err
	}
	d := maps.Clone(detail)
	if d == nil {
		d = map[string]any{}
	}
	// The kind says what was done; a is the permission it was authorised
	// by, and is named so: one permission covers several kinds (ack-alarm
	// covers alarm_ack, alarm_shelve and alarm_unshelve), and a shelve
	// recorded as action=ack-alarm read as an acknowledgement.
	d["permission"] = string(a)
	d["summary"] = summary
	d["session"] = s.Present.ID
	if err := s.srv.audit(kind, s.Operator.Name, d); err != nil {
		return &UnrecordedError{Summary: summary, Err: err}
	}
	s.srv.Broadcast(ActionMsg{By: s.Present, Action: a, Kind: kind, Summary: summary, Say: say, Detail: detail, At: s.srv.cfg.Now()})
	return nil
}

// Announce tells every other session what this operator did, for actions
// journalled elsewhere (the DR workflow journals its own): say as the
// dashboard describes it, for each session's dashboard to word in its
// operator's language (Teller), and summary in English, shown after the
// name ("ana confirmed and sent OP-1 (…)") where a dashboard cannot.
func (s *Session) Announce(summary string, say any) {
	s.srv.Broadcast(ActionMsg{By: s.Present, Kind: "notice", Summary: summary, Say: say, At: s.srv.cfg.Now()})
}

// Presence returns the registry of connected sessions.
func (s *Session) Presence() *Presence { return s.srv.presence }

// Claims returns the shared dispatch claim registry.
func (s *Session) Claims() *Claims { return s.srv.claims }

// Broadcast sends msg to every session's program, this one included.
func (s *Session) Broadcast(msg tea.Msg) { s.srv.Broadcast(msg) }

// inBackoffKey is the ssh.Context key marking a connection that arrived
// while its address was in back-off.
type inBackoffKey struct{}

// liveKey is the ssh.Context key under which gate hands the admitted session
// to the program handler.
type liveKey struct{}

// publicKeyAuth lets the handshake go on for keys in the users file.
//
// It is not where authorisation is decided. Before golang.org/x/crypto
// v0.31.0 (CVE-2024-45337) a client could offer key A, which the callback
// approved, then authenticate with key B, and a server that remembered "the
// key the callback saw last" would act on A. So the session looks its
// operator up again from ssh.Session.PublicKey(), the key the connection
// actually proved (see gate), as soft-serve does in pkg/ssh/middleware.go.
func (s *Server) publicKeyAuth(ctx ssh.Context, key ssh.PublicKey) bool {
	_, ok := s.cfg.Users.Lookup(key)
	if _, blocked := s.backoff.Blocked(ctx.RemoteAddr()); blocked && !ok {
		// Back-off turns away keys nobody holds. An operator's key still
		// gets in: operators behind one jump host share its address, and
		// a stranger's five attempts locked them all out.
		s.noteUnknownKey(ctx, key) // for the refusal's record
		return false
	}
	if ok {
		// The handshake goes on: no failed-handshake record will want
		// the keys refused before this one, or the back-off note (the
		// context keeps it for gate).
		s.offered.Delete(remote(ctx.RemoteAddr()))
		s.blockedConns.Delete(remote(ctx.RemoteAddr()))
	} else {
		s.noteUnknownKey(ctx, key)
	}
	return ok
}

// offeredKeys are the fingerprints of the keys a connection offered that
// are not in the users file, for the audit record of its failed handshake.
type offeredKeys struct {
	mu  sync.Mutex
	fps []string
}

// noteUnknownKey remembers that the connection of ctx offered key, which
// no operator holds. The failed-handshake callback is given no context, so
// the note is kept by remote address (unique per connection); it is
// dropped when the handshake fails (connectionFailed) or a key is accepted
// (publicKeyAuth), one of which ends every handshake.
func (s *Server) noteUnknownKey(ctx ssh.Context, key ssh.PublicKey) {
	v, _ := s.offered.LoadOrStore(remote(ctx.RemoteAddr()), &offeredKeys{})
	o := v.(*offeredKeys)
	fp := gossh.FingerprintSHA256(key)
	o.mu.Lock()
	defer o.mu.Unlock()
	if !slices.Contains(o.fps, fp) {
		o.fps = append(o.fps, fp)
	}
}

// unknownKeys returns, and forgets, the fingerprints of the unknown keys
// the connection from addr offered, comma-separated; "" when none.
func (s *Server) unknownKeys(addr string) string {
	v, ok := s.offered.LoadAndDelete(addr)
	if !ok {
		return ""
	}
	o := v.(*offeredKeys)
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.Join(o.fps, ",")
}

// wrapConn notes connections from addresses in back-off: they are still
// given a handshake, so the banner can tell the client why its key may be
// refused; keys in the users file get in, others are refused, and their
// failure does not lengthen the back-off (a person retrying should not lock
// themselves out for longer).
//
// It also puts the login grace bound on every connection (see graceConn).
func (s *Server) wrapConn(ctx ssh.Context, c net.Conn) net.Conn {
	if _, blocked := s.backoff.Blocked(c.RemoteAddr()); blocked {
		s.blockedConns.Store(remote(c.RemoteAddr()), struct{}{})
		ctx.SetValue(inBackoffKey{}, true)
	}
	g := newGraceConn(c, s.cfg.LoginGrace)
	ctx.SetValue(graceKey{}, g)
	return g
}

// banner is sent before authentication; it is the only way to tell a client
// in back-off why every key is refused. The client's locale arrives only
// with a session, after authentication, so the banner says it in English,
// then in Chinese, one line each.
func (s *Server) banner(ctx ssh.Context) string {
	if left, blocked := s.backoff.Blocked(ctx.RemoteAddr()); blocked {
		const format = "v2gdesk: too many failed logins from %s; keys not in the users file are refused for %s"
		h := host(ctx.RemoteAddr())
		return say(LangEN, format, h, durationWords(LangEN, left)) + "\r\n" + say(LangZhCN, format, h, durationWords(LangZhCN, left)) + "\r\n"
	}
	return ""
}

// connectionFailed counts a failed handshake (no key accepted, no password
// method, a dropped connection) towards the address's back-off.
func (s *Server) connectionFailed(c net.Conn, err error) {
	addr := remote(c.RemoteAddr())
	if _, was := s.blockedConns.LoadAndDelete(addr); was {
		detail := map[string]any{"remote": addr, "reason": "back-off after failed logins"}
		if left, blocked := s.backoff.Blocked(c.RemoteAddr()); blocked {
			detail["retry_in"] = roundDuration(left).String()
		}
		if keys := s.unknownKeys(addr); keys != "" {
			detail["key"] = keys
		}
		_ = s.audit(AuditRefused, "", detail)
		return
	}
	d := s.backoff.Fail(c.RemoteAddr())
	detail := map[string]any{"remote": addr, "reason": "authentication failed", "err": err.Error()}
	if keys := s.unknownKeys(addr); keys != "" {
		// Say which key was turned away: whose it is can then be found
		// (a new laptop, a key not yet in the users file, a stranger).
		detail["reason"], detail["key"] = "unknown key", keys
	}
	if d > 0 {
		detail["backoff"] = d.String()
	}
	_ = s.audit(AuditRefused, "", detail)
}

// refuse tells the client why its session is not admitted (text, in the
// session's language), audits it (reason, in English) and ends the session
// with exit status 1.
func (s *Server) refuse(sess ssh.Session, op Operator, reason, text string) {
	_ = s.audit(AuditRefused, op.Name, map[string]any{"remote": remote(sess.RemoteAddr()), "reason": reason})
	fmt.Fprintf(sess.Stderr(), "v2gdesk: %s\n", text)
	_ = sess.Exit(1)
}

// gate admits a session: it finds the operator from the key the session
// proved, refuses sessions without a terminal, with a command, beyond the
// session limit or during shutdown, and registers the session while the
// program runs.
func (s *Server) gate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		// The client's environment arrives before its pty and shell
		// requests, so even a refusal is worded in the operator's language.
		lang := sessionLang(sess.Environ(), s.cfg.Lang)
		// Decided here, from the proved key, never from what the auth
		// callback saw (CVE-2024-45337, see publicKeyAuth).
		op, ok := s.cfg.Users.Lookup(sess.PublicKey())
		if !ok {
			s.refuse(sess, Operator{}, "no operator for the session's key", say(lang, "this key is not allowed here"))
			return
		}
		pty, _, hasPty := sess.Pty()
		if !hasPty {
			s.refuse(sess, op, "no terminal", say(lang, "the desk needs a terminal: connect with `ssh -t` and without a command"))
			return
		}
		if cmd := sess.RawCommand(); cmd != "" {
			s.refuse(sess, op, "command given", say(lang, "the desk runs no commands (got %q): connect without one", cmd))
			return
		}
		now := s.cfg.Now()
		s.mu.Lock()
		if s.closing != nil {
			reason := s.closing
			s.mu.Unlock()
			s.refuse(sess, op, "shutting down", say(lang, "%s; try again later", reason(lang)))
			return
		}
		if n := s.presence.Len(); n >= s.cfg.MaxSessions {
			s.mu.Unlock()
			full := say(lang, "the desk is full: %d of %d sessions in use; try again later", n, s.cfg.MaxSessions)
			if s.cfg.MaxSessions == 1 {
				// "1 of 1 sessions" read as a slip.
				full = say(lang, "the desk is full: %d of %d session in use; try again later", n, s.cfg.MaxSessions)
			}
			s.refuse(sess, op, "session limit", full)
			return
		} else if n == s.cfg.MaxSessions-1 && n > 0 && !op.Role.Can(ActionDispatch) {
			// The last seat is kept for someone who can act: wallboards
			// and viewers must not be able to lock the dispatchers out.
			s.mu.Unlock()
			s.refuse(sess, op, "session limit: last seat kept for a dispatcher",
				say(lang, "the desk is full for viewers: %d of %d sessions in use, the last is kept for a dispatcher; try again later", n, s.cfg.MaxSessions))
			return
		}
		present := s.presence.Join(op, remote(sess.RemoteAddr()), now)
		ctx, cancel := context.WithCancel(sess.Context())
		l := &liveSession{present: present, lang: lang, mailbox: make(chan tea.Msg, mailboxSize), cancel: cancel}
		s.sessions[present.ID] = l
		s.active.Add(1)
		s.mu.Unlock()
		defer s.active.Done()

		if g, ok := sess.Context().Value(graceKey{}).(*graceConn); ok {
			g.lift()
		}
		// An operator who got in during a back-off does not lift it: the
		// failures came from someone else at the same address.
		if inBackoff, _ := sess.Context().Value(inBackoffKey{}).(bool); !inBackoff {
			s.backoff.Succeed(sess.RemoteAddr())
		}
		if err := s.audit(AuditLogin, op.Name, map[string]any{
			"role": string(op.Role), "remote": present.Remote, "session": present.ID, "key": op.Fingerprint,
			"term": pty.Term, "width": pty.Window.Width, "height": pty.Window.Height,
		}); err != nil {
			// The login stands (it cannot be undone), but the operator
			// saw nothing of it: a desk whose journal is full looked
			// whole until their first action was refused.
			s.post(l, NoticeMsg{Text: say(lang, loginNotJournalled, rootCause(err)), Warn: true, Sticky: true})
		}
		s.broadcastPresence()
		var made *Session
		sess.Context().SetValue(liveKey{}, liveRun{l: l, ctx: ctx, session: &made})

		s.runGuarded(sess, l, next)

		cancel()
		if made != nil {
			made.close()
		}
		s.mu.Lock()
		delete(s.sessions, present.ID)
		s.presence.Leave(present.ID)
		s.mu.Unlock()
		released := s.claims.ReleaseSession(present.ID)
		reason, told := l.end()
		tell := reason != ""
		switch {
		case reason != "":
		case sess.Context().Err() != nil:
			// The program did not end by itself: the connection closed
			// under it (a killed client, a lost network), which the
			// Bubble Tea middleware turns into a quit.
			reason = logoutClosed
		default:
			reason = logoutQuit
		}
		_ = s.audit(AuditLogout, op.Name, map[string]any{
			"session": present.ID, "reason": reason, "duration": s.cfg.Now().Sub(now).Round(time.Second).String(), "claims_released": released,
		})
		s.broadcastPresence()
		if tell {
			fmt.Fprintf(sess, "\nv2gdesk: %s\n", told)
		}
	}
}

// runGuarded runs the rest of the chain (the program) so that a panic in
// one operator's dashboard ends that session with a message instead of the
// process and everyone else's session with it.
func (s *Server) runGuarded(sess ssh.Session, l *liveSession, next ssh.Handler) {
	defer func() {
		if r := recover(); r != nil {
			s.sessionPanicked(l, r, debug.Stack())
		}
	}()
	next(sess)
}

// sessionPanicked logs a panic in one session's dashboard and tells the
// operator, once the session has closed, what happened.
func (s *Server) sessionPanicked(l *liveSession, r any, stack []byte) {
	s.panics.Add(1)
	s.log.Error("session panicked", "operator", l.present.Operator.Name, "session", l.present.ID,
		"panic", fmt.Sprint(r), "stack", string(stack))
	const crashed = "the desk hit an internal error in this session and closed it; please reconnect"
	l.setEnd(crashed, say(l.lang, crashed))
}

// liveRun is what gate hands the program handler; the handler fills in the
// Session it made so gate can close it.
type liveRun struct {
	l       *liveSession
	ctx     context.Context
	session **Session
}

// broadcastPresence tells every session who is online now. The list is
// taken, numbered and posted under s.mu, where sessions join and leave:
// taken outside it, two sessions joining at once could post their lists in
// the other order, and the older list, arriving last, told everyone that
// an operator online had left (and the next join named them as joining
// again).
func (s *Server) broadcastPresence() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.presenceSeq++
	msg := PresenceMsg{Operators: s.presence.Operators(), Sessions: s.presence.Len(), PerName: s.presence.SessionsPerName(), Seq: s.presenceSeq}
	for _, l := range s.sessions {
		s.post(l, msg)
	}
}

// program builds the session's tea.Program: the factory's model in a frame,
// reading input through the idle watchdog, with a mailbox for broadcasts.
func (s *Server) program(sess ssh.Session) *tea.Program {
	run, ok := sess.Context().Value(liveKey{}).(liveRun)
	if !ok {
		return nil
	}
	l := run.l
	pty, _, _ := sess.Pty()
	r := renderer(sess)
	in := newActivityReader(sess, s.cfg.Now)
	// The key that answers an idle warning is swallowed; the warning
	// gives way to a short notice saying the session stays.
	in.onAnswer = func() { s.post(l, NoticeMsg{Text: say(l.lang, idleAnswered)}) }
	session := &Session{
		Operator: l.present.Operator, Present: l.present, Renderer: r,
		Width: pty.Window.Width, Height: pty.Window.Height, Lang: l.lang, srv: s,
	}
	*run.session = session
	model := newFrame(s.cfg.Factory(session), l.present.ID, l.lang, r, s.cfg.NoticeFor)
	var p *tea.Program
	model.onPanic = func(v any, stack []byte) {
		s.sessionPanicked(l, v, stack)
		if p != nil {
			go p.Quit() // a View panic cannot return tea.Quit itself
		}
	}
	p = tea.NewProgram(model,
		tea.WithInput(in), tea.WithOutput(sess),
		tea.WithAltScreen(),
		// Signals belong to the server: a SIGTERM must reach Shutdown, which
		// tells the operators, not quit every program at once.
		tea.WithoutSignalHandler(),
	)
	s.mu.Lock()
	l.program = p
	closing := s.closing
	s.mu.Unlock()
	if closing != nil {
		l.setDisconnected(closing)
		go p.Quit()
	}

	go func() {
		for {
			select {
			case <-run.ctx.Done():
				return
			case m := <-l.mailbox:
				p.Send(m)
			}
		}
	}()
	go watchIdle(run.ctx, in, realIdleClock{s.cfg.Now}, s.cfg.IdleTimeout, s.cfg.IdleWarning,
		func(left time.Duration) {
			s.post(l, NoticeMsg{Text: idleWarning(l.lang, left), Warn: true, Sticky: true})
		},
		func() {
			const idle = "disconnected after %s without input"
			d := s.cfg.IdleTimeout
			l.setEnd(fmt.Sprintf(idle, durationWords(LangEN, d)), say(l.lang, idle, durationWords(l.lang, d)))
			p.Quit()
		})
	return p
}
