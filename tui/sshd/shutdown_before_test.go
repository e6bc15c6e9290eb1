package sshd

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestBeforeDisconnectRunsWhileTheSessionsAreOpen: serve cancels the DR
// events in force as it stops. Done after Shutdown, the journal read
// ana's logout, then the event's dispatch_cancel by the desk: cancelled
// once nobody was there. Config.BeforeDisconnect runs once the grace
// period is over, with every session still open, so what it journals
// comes before the logouts.
func TestBeforeDisconnectRunsWhileTheSessionsAreOpen(t *testing.T) {
	ana := newUser(t, "ana", RoleDispatcher)
	var ts *testServer
	ran := make(chan int, 1) // sessions open when it ran
	ts = startServer(t, []user{ana}, func(c *Config) {
		c.BeforeDisconnect = func(ctx context.Context) {
			if ctx == nil {
				t.Error("BeforeDisconnect got no context")
			}
			_ = ts.audit.Record("dispatch_cancel", "desk", map[string]any{"reason": "the desk stopped"})
			ran <- ts.Presence().Len()
		}
	})
	d := openDesk(t, ts.addr, ana, false)
	d.out.waitFor(t, "DESK ana")
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	if err := ts.Shutdown(ctx, untranslated("server stopping (SIGTERM)"), 50*time.Millisecond); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	select {
	case n := <-ran:
		if n != 1 {
			t.Errorf("BeforeDisconnect ran with %d sessions open, want ana's", n)
		}
	default:
		t.Fatal("Shutdown returned without running BeforeDisconnect")
	}
	ts.audit.mu.Lock()
	recs := slices.Clone(ts.audit.records)
	ts.audit.mu.Unlock()
	cancelled, logout := slices.Index(recs, "dispatch_cancel desk"), slices.Index(recs, AuditLogout+" ana")
	if cancelled < 0 || logout < 0 || cancelled > logout {
		t.Errorf("journal %q: want the desk's cancel before ana's logout", recs)
	}
}
