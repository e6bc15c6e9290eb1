// Package sshd serves the desk's Bubble Tea models to operators over SSH.
//
// It is the transport only: package tui builds the dashboard and does no
// network I/O; this package accepts SSH connections, proves who is at the
// other end, and runs one tea.Program per session on a model made by a
// ModelFactory. Every session shares one process, so everything shared lives
// in values owned by a Server (never in package variables):
//
//	users file (users.go)  -> Users: public key -> Operator{Name, Role}
//	host key (hostkey.go)  -> created once with 0600 permissions, then reused
//	connection             -> back-off for addresses that keep failing (backoff.go),
//	                          login grace for the handshake (grace.go)
//	session (session.go)   -> operator from the key the session proved, PTY check,
//	                          session limit, idle watchdog (idle.go), one program
//	                          on the factory's model inside a frame (frame.go) that
//	                          shows notices and receives broadcasts (messages.go)
//	Presence (presence.go) -> who is connected, for every dashboard's header
//	Claims (claims.go)     -> first dispatcher to claim a resource wins
//	Auditor                -> logins, logouts, refusals and every operator action
//
// Colours come from a per-session renderer (renderer.go) built from the
// client's TERM, and the language (lang.go) from the client's locale
// (LC_ALL, LC_MESSAGES, LANG) or Config.Lang: the transport words its own
// notices in it, and asks the dashboard (a Teller) to word the other
// operators' actions, which travel as what was done rather than sentences.
// The Server (server.go) owns the shared registries and the graceful
// shutdown that tells every operator, lets the desk act on their behalf
// (Config.BeforeDisconnect: serve cancels the DR events in force), and only
// then disconnects them, so the journal has those acts before the logouts.
//
// Authorisation (role.go) is decided per action from the Operator the session
// proved: viewers see everything and change nothing, dispatchers acknowledge
// alarms and send dispatches, admins also change limits and adapter settings.
package sshd
