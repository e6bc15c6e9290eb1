package sshd

import (
	"net"
	"sync"
	"time"
)

// graceConn bounds how long a connection may take to authenticate and open
// its session, as sshd's LoginGraceTime does: without it, clients that
// connect and say nothing would hold sockets and goroutines for ever.
// charmbracelet/ssh resets the deadline on every read and write, so the
// bound is enforced in SetDeadline rather than set once.
type graceConn struct {
	net.Conn

	mu     sync.Mutex
	until  time.Time
	lifted bool
}

func newGraceConn(c net.Conn, grace time.Duration) *graceConn {
	g := &graceConn{Conn: c, until: time.Now().Add(grace)}
	_ = c.SetDeadline(g.until)
	return g
}

// SetDeadline implements net.Conn, never later than the grace deadline
// until the session is admitted.
func (g *graceConn) SetDeadline(t time.Time) error {
	g.mu.Lock()
	if !g.lifted && (t.IsZero() || t.After(g.until)) {
		t = g.until
	}
	g.mu.Unlock()
	return g.Conn.SetDeadline(t)
}

// lift removes the bound once a session is admitted.
func (g *graceConn) lift() {
	g.mu.Lock()
	g.lifted = true
	g.mu.Unlock()
	_ = g.Conn.SetDeadline(time.Time{})
}

// graceKey is the ssh.Context key of a connection's graceConn.
type graceKey struct{}
