package sshd

import (
	"testing"
)

func TestViewerSeesDeskButCannotAck(t *testing.T) {
	viewer := newUser(t, "vera", RoleViewer)
	ts := startServer(t, []user{viewer}, nil)
	d := openDesk(t, ts.addr, viewer, false)
	d.out.waitFor(t, "DESK vera (viewer)")
	d.key(t, "a")
	d.out.waitFor(t, "refused: vera (viewer) may not acknowledge alarms: that needs the dispatcher role")
	d.key(t, "q")
	if code := d.wait(t); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	if !ts.audit.has(AuditForbidden + " vera") {
		t.Errorf("refused ack not audited: %v", ts.audit.records)
	}
}
