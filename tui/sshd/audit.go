package sshd

import (
	"log/slog"
	"sync/atomic"
)

// Auditor receives the audit trail: every login, logout and refusal, and
// every operator action. adapters.Journal satisfies it through a small
// adapter in cmd; a nil Auditor in Config means log only.
type Auditor interface {
	Record(kind string, operator string, detail map[string]any) error
}

// The kinds of audit record the Server writes itself, named as the audit
// journal names them (adapters.RecLogin, RecLogout, RecRefused,
// RecForbidden), so the log and the journal say the same; they were
// ssh.login, ssh.logout, ... until 2026-11-26, and `v2gdesk audit` reads
// those under these names (adapters.RecordKind.Current). Operator actions
// use the kind the dashboard gives to Session.Act.
const (
	AuditLogin     = "login"     // a session was admitted
	AuditLogout    = "logout"    // a session ended; detail "reason"
	AuditRefused   = "refused"   // a connection or session was turned away; detail "reason"
	AuditForbidden = "forbidden" // an operator tried an action their role does not allow
)

// audit writes one record to the Auditor and the log. A journal that fails
// is counted and logged: a login cannot be undone, but nothing is dropped
// without a trace. Actions check the error themselves (see Session.Act).
func (s *Server) audit(kind, operator string, detail map[string]any) error {
	attrs := []any{"kind", kind, "operator", operator}
	for k, v := range detail {
		attrs = append(attrs, k, v)
	}
	s.log.Info("audit", attrs...)
	if s.cfg.Auditor == nil {
		return nil
	}
	if err := s.cfg.Auditor.Record(kind, operator, detail); err != nil {
		s.auditFailures.Add(1)
		s.log.Error("audit journal write failed", append(attrs, "err", err)...)
		return err
	}
	return nil
}

// loginNotJournalled tells an operator whose login record could not be
// written (the journal's disk full) what that means for the session.
// Its cause is the innermost error (rootCause): the whole chain, the
// journal's path twice, filled the footer before the cause was read.
const loginNotJournalled = "audit journal unavailable (%v): your login is not in it; journalled actions are refused until it can be written"

// rootCause is the innermost error of err's chain ("no space left on
// device"), what an operator can act on; serve's log keeps the whole. Of
// an error wrapping several ("%w: %s: %w", the kind first), it follows
// the last, the cause.
func rootCause(err error) error {
	for {
		var next error
		switch e := err.(type) {
		case interface{ Unwrap() error }:
			next = e.Unwrap()
		case interface{ Unwrap() []error }:
			if errs := e.Unwrap(); len(errs) > 0 {
				next = errs[len(errs)-1]
			}
		}
		if next == nil {
			return err
		}
		err = next
	}
}

// counters are the Server's running totals.
type counters struct {
	auditFailures atomic.Uint64
	dropped       atomic.Uint64 // broadcast messages a full session mailbox refused
	panics        atomic.Uint64 // sessions ended by a panic in their dashboard
}

// discardLogger is used when Config.Logger is nil.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
