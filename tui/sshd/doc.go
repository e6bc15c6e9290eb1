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
//	connection             -> back-off for addresses that keep failing (backoff.go)
//	session (server.go)    -> operator from the key the session proved, PTY check,
//	                          session limit, idle watchdog (idle.go), one program
//	Presence (presence.go) -> who is connected, for every dashboard's header
//	Claims (claims.go)     -> first dispatcher to claim a resource wins
//	Auditor                -> logins, logouts, refusals and every operator action
//
// Authorisation (role.go) is decided per action from the Operator the session
// proved: viewers see everything and change nothing, dispatchers acknowledge
// alarms and send dispatches, admins also change limits and adapter settings.
package sshd
