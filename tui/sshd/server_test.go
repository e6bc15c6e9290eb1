package sshd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

func TestViewerSeesDeskButChangesNothing(t *testing.T) {
	viewer := newUser(t, "vera", RoleViewer)
	ts := startServer(t, []user{viewer}, nil)
	d := openDesk(t, ts.addr, viewer, false)
	d.out.waitFor(t, "DESK vera (viewer)")
	d.out.waitFor(t, "online: [vera]")
	d.key(t, "a")
	d.out.waitFor(t, "refused: vera (viewer) may not acknowledge or shelve alarms: that needs the dispatcher role")
	d.key(t, "d")
	d.out.waitFor(t, "refused: vera (viewer) may not propose, approve, send or extend dispatches: that needs the dispatcher role")
	d.key(t, "q")
	if code := d.wait(t); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	for _, rec := range []string{AuditLogin + " vera", AuditForbidden + " vera", AuditLogout + " vera"} {
		if !ts.audit.has(rec) {
			t.Errorf("audit lacks %q: %v", rec, ts.audit.records)
		}
	}
	if ts.audit.has("alarm_ack vera") || ts.audit.has("dispatch_send vera") {
		t.Errorf("a refused action was recorded as done: %v", ts.audit.records)
	}
}

func TestDispatcherAcknowledgesAndEveryoneSeesIt(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	vera := newUser(t, "vera", RoleViewer)
	ts := startServer(t, []user{dana, vera}, nil)
	dd := openDesk(t, ts.addr, dana, false)
	dd.out.waitFor(t, "DESK dana (dispatcher)")
	vd := openDesk(t, ts.addr, vera, false)
	vd.out.waitFor(t, "online: [dana,vera]")
	dd.out.waitFor(t, "online: [dana,vera]")

	dd.key(t, "a")
	dd.out.waitFor(t, "status: acknowledged F07")
	// The viewer's frame shows the notice and the model gets the action.
	vd.out.waitFor(t, "dana acknowledged alarm F07")
	vd.out.waitFor(t, "last: dana acknowledged alarm F07")
	if !ts.audit.has("alarm_ack dana") {
		t.Errorf("ack not audited: %v", ts.audit.records)
	}

	dd.key(t, "q")
	dd.wait(t)
	vd.out.waitFor(t, "online: [vera]")
	vd.out.waitFor(t, "last: dana closed their desk") // OnClose ran
}

func TestActionNotDoneWhenJournalFails(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, nil)
	d := openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "DESK dana")
	ts.audit.mu.Lock()
	ts.audit.fail = true
	ts.audit.mu.Unlock()
	d.key(t, "a")
	d.out.waitFor(t, "refused: acknowledged alarm F07: audit journal unavailable, nothing was done: disk full")
	if got := ts.Stats().AuditFailures; got == 0 {
		t.Errorf("audit failures not counted")
	}
}

// TestLoginNotJournalledIsSaid: an operator whose login record could not be
// written (the journal's disk full) got in with nothing on the desk to say
// so, the desk looking whole until their first action was refused; the
// error went to serve's stderr alone. The login stands, and the desk now
// says at once that the journal cannot be written and what that means.
func TestLoginNotJournalledIsSaid(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, nil)
	ts.audit.mu.Lock()
	ts.audit.fail = true
	ts.audit.mu.Unlock()
	d := openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "DESK dana")
	d.out.waitFor(t, "audit journal unavailable (disk full): your login is not in it; journalled actions are refused until it can be written")
	if got := ts.Stats().AuditFailures; got != 1 {
		t.Errorf("audit failures %d, want 1 (the login)", got)
	}
}

func TestAuthenticationRefusals(t *testing.T) {
	known := newUser(t, "dana", RoleDispatcher)
	stranger := newUser(t, "mallory", RoleAdmin)
	ts := startServer(t, []user{known}, nil)
	tests := []struct {
		name string
		auth gossh.AuthMethod
		want string
	}{
		{"unknown key", gossh.PublicKeys(stranger.signer), "unable to authenticate"},
		{"password", gossh.Password("hunter2"), "no supported methods remain"},
		{"keyboard-interactive", gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{"hunter2"}, nil
		}), "no supported methods remain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := dial(t, ts.addr, tt.auth)
			if err == nil {
				c.Close()
				t.Fatal("connected; want refusal")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
	ts.audit.waitFor(t, AuditRefused+" ")
}

func TestNoPtyRefused(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, nil)
	d := openDesk(t, ts.addr, dana, true)
	if code := d.wait(t); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if got := d.out.text(); !strings.Contains(got, "the desk needs a terminal") {
		t.Errorf("output %q lacks the reason", got)
	}
	if ts.Presence().Len() != 0 {
		t.Errorf("refused session left in presence")
	}
}

func TestSessionLimit(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, func(c *Config) { c.MaxSessions = 2 })
	for i := 0; i < 2; i++ {
		openDesk(t, ts.addr, dana, false).out.waitFor(t, "DESK dana")
	}
	third := openDesk(t, ts.addr, dana, false)
	if code := third.wait(t); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if got := third.out.text(); !strings.Contains(got, "v2gdesk: the desk is full: 2 of 2 sessions in use; try again later") {
		t.Errorf("output %q lacks the refusal", got)
	}
}

// TestSessionLimitOfOne: a desk for one (--max-sessions 1) refused a
// second session with "1 of 1 sessions in use".
func TestSessionLimitOfOne(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, func(c *Config) { c.MaxSessions = 1 })
	openDesk(t, ts.addr, dana, false).out.waitFor(t, "DESK dana")
	second := openDesk(t, ts.addr, dana, false)
	if code := second.wait(t); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if got := second.out.text(); !strings.Contains(got, "v2gdesk: the desk is full: 1 of 1 session in use; try again later") {
		t.Errorf("output %q lacks the refusal in the singular", got)
	}
}

// The last seat is kept for someone who can act: with one seat left a
// viewer is turned away and a dispatcher still gets in.
func TestLastSeatIsKeptForADispatcher(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	vera := newUser(t, "vera", RoleViewer)
	ts := startServer(t, []user{dana, vera}, func(c *Config) { c.MaxSessions = 2 })
	openDesk(t, ts.addr, vera, false).out.waitFor(t, "DESK vera")
	second := openDesk(t, ts.addr, vera, false)
	if code := second.wait(t); code != 1 {
		t.Errorf("a viewer in the last seat: exit status %d, want 1", code)
	}
	if got := second.out.text(); !strings.Contains(got, "the desk is full for viewers: 1 of 2 sessions in use, the last is kept for a dispatcher") {
		t.Errorf("output %q lacks the refusal", got)
	}
	openDesk(t, ts.addr, dana, false).out.waitFor(t, "DESK dana")
}

func TestWindowResize(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, nil)
	d := openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "size 160x45")
	if err := d.sess.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	d.out.waitFor(t, "size 100x30")
}

func TestIdleTimeoutWarnsThenDisconnects(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, func(c *Config) {
		// Warned after 0.2 s idle, cut at 2 s: generous either side for a
		// loaded machine.
		c.IdleTimeout = 2 * time.Second
		c.IdleWarning = 1800 * time.Millisecond
	})
	d := openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "No input for a while: this session closes in")
	d.out.waitFor(t, "v2gdesk: disconnected after 2 s without input")
	if code := d.wait(t); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	if !ts.audit.has(AuditLogout + " dana") {
		t.Errorf("idle logout not audited: %v", ts.audit.records)
	}
}

// stopping shuts ts down as a SIGTERM does, with a grace of 2 s, and
// reports Shutdown's error on the channel it returns.
func stopping(ts *testServer) <-chan error {
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLong)
		defer cancel()
		done <- ts.Shutdown(ctx, untranslated("server stopping (SIGTERM)"), 2*time.Second)
	}()
	return done
}

func TestShutdownTellsOperators(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, nil)
	d := openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "DESK dana")
	done := stopping(ts)
	d.out.waitFor(t, "disconnecting in 2 s: server stopping (SIGTERM)")
	d.out.waitFor(t, "v2gdesk: disconnected: server stopping (SIGTERM)")
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if err := <-ts.done; err != nil {
		t.Errorf("serve: %v", err)
	}
	if _, err := dial(t, ts.addr, gossh.PublicKeys(dana.signer)); err == nil {
		t.Errorf("connected after shutdown")
	}
}

// TestShutdownNoticeOutlastsIdleWarning: a session whose idle warning is
// up when the desk shuts down shows the shutdown notice until it is
// disconnected; the warning's countdown, re-posted every second, replaced
// it. The grace spans at least one countdown tick.
func TestShutdownNoticeOutlastsIdleWarning(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, func(c *Config) {
		c.IdleTimeout = time.Minute
		c.IdleWarning = time.Minute - 200*time.Millisecond
	})
	d := openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "No input for a while: this session closes in")
	done := stopping(ts)
	d.out.waitFor(t, "disconnecting in 2 s: server stopping (SIGTERM)")
	// From the frame that drew the shutdown notice on.
	at := strings.Index(d.out.text(), "disconnecting in 2 s: server stopping (SIGTERM)")
	d.out.waitFor(t, "v2gdesk: disconnected: server stopping (SIGTERM)")
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if after := d.out.text()[at:]; strings.Contains(after, "No input for a while") {
		t.Errorf("the idle warning replaced the shutdown notice:\n%s", after)
	}
}

func TestSecondDispatcherToldWhoWasFirst(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	omar := newUser(t, "omar", RoleDispatcher)
	ts := startServer(t, []user{dana, omar}, nil)
	dd := openDesk(t, ts.addr, dana, false)
	od := openDesk(t, ts.addr, omar, false)
	dd.out.waitFor(t, "DESK dana")
	od.out.waitFor(t, "DESK omar")
	dd.key(t, "c")
	dd.out.waitFor(t, "claimed F07")
	od.key(t, "c")
	od.out.waitFor(t, "conflict: F07 is already being dispatched by dana (dispatcher) for cap F07 since")
	// dana leaving releases the claim.
	dd.key(t, "q")
	dd.wait(t)
	od.out.waitFor(t, "online: [omar]")
	od.key(t, "c")
	od.out.waitFor(t, "claimed F07")
}

// TestManySessionsNoLeaks runs 20 sessions at once, checks each renders, then
// closes them and the server and checks the goroutines all end.
func TestManySessionsNoLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	users := []user{newUser(t, "dana", RoleDispatcher), newUser(t, "vera", RoleViewer), newUser(t, "ada", RoleAdmin)}
	ts := startServer(t, users, nil)
	const n = 20
	desks := make([]*deskSession, n)
	var wg sync.WaitGroup
	for i := range desks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			desks[i] = openDesk(t, ts.addr, users[i%len(users)], false)
		}()
	}
	wg.Wait()
	for i, d := range desks {
		d.out.waitFor(t, "DESK "+users[i%len(users)].name)
	}
	desks[0].out.waitFor(t, fmt.Sprintf("online: [ada,dana,vera]"))
	if got := ts.Presence().Len(); got != n {
		t.Errorf("presence has %d sessions, want %d", got, n)
	}
	for i, d := range desks {
		if i%2 == 0 {
			d.key(t, "q") // half quit, half just hang up
			d.wait(t)
		}
		d.close()
	}
	ts.stop(t)
	waitGoroutines(t, before)
}

// waitGoroutines waits (polling, up to waitLong) until no more goroutines
// run than before, and fails with every stack if some never end.
func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(20 * time.Millisecond) // polling a count, not synchronising
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before, %d after closing everything:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

func TestPanickingDashboardEndsOnlyItsSession(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	vera := newUser(t, "vera", RoleViewer)
	ts := startServer(t, []user{dana, vera}, func(c *Config) {
		c.Factory = func(s *Session) tea.Model {
			if s.Operator.Name == "dana" {
				panic("factory bug")
			}
			return newDeskModel(s)
		}
	})
	vd := openDesk(t, ts.addr, vera, false)
	vd.out.waitFor(t, "DESK vera")
	dd := openDesk(t, ts.addr, dana, false)
	dd.out.waitFor(t, "v2gdesk: the desk hit an internal error in this session and closed it; please reconnect")
	dd.wait(t)
	if got := ts.Stats().Panics; got != 1 {
		t.Errorf("panics %d, want 1", got)
	}
	vd.key(t, "a")
	vd.out.waitFor(t, "refused: vera (viewer)") // still served
	if ts.Presence().Len() != 1 {
		t.Errorf("presence %d, want 1", ts.Presence().Len())
	}

	// A panic inside the running dashboard ends that session the same way.
	vd.key(t, "p")
	vd.out.waitFor(t, "v2gdesk: the desk hit an internal error in this session and closed it; please reconnect")
	vd.wait(t)
	if got := ts.Stats().Panics; got != 2 {
		t.Errorf("panics %d, want 2", got)
	}
}

// TestPanicInUpdateEndsOnlyItsSessionCleanly: a dashboard that panics in
// Update while running ends its own session and nothing else, cleanly. The
// frame handed Bubble Tea a nil model after the panic, and Bubble Tea's own
// recovery then printed "Caught panic" and its stack on the operator's
// screen, a second panic the log never had.
func TestPanicInUpdateEndsOnlyItsSessionCleanly(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	omar := newUser(t, "omar", RoleDispatcher)
	var logged lockedBuffer
	stdout := captureStdout(t)
	ts := startServer(t, []user{dana, omar}, func(c *Config) {
		c.Logger = slog.New(slog.NewJSONHandler(&logged, nil))
	})
	od := openDesk(t, ts.addr, omar, false)
	od.out.waitFor(t, "DESK omar")
	dd := openDesk(t, ts.addr, dana, false)
	dd.out.waitFor(t, "DESK dana")
	od.out.waitFor(t, "online: [dana,omar]")

	dd.key(t, "p")
	dd.out.waitFor(t, "v2gdesk: the desk hit an internal error in this session and closed it; please reconnect")
	dd.wait(t)
	if strings.Contains(dd.out.text(), "Caught panic") {
		t.Errorf("Bubble Tea caught a second panic on dana's screen:\n%s", dd.out.text())
	}
	if got := ts.Stats().Panics; got != 1 {
		t.Errorf("panics %d, want 1", got)
	}
	if out := stdout(); strings.Contains(out, "Caught panic") {
		t.Errorf("Bubble Tea caught a second panic, on the desk's standard output:\n%s", out)
	}
	ts.audit.waitFor(t, "logout dana")
	if got := ts.audit.detail(t, "logout dana")["reason"]; got != "the desk hit an internal error in this session and closed it; please reconnect" {
		t.Errorf("dana's logout reason %q, want the internal error", got)
	}
	var rec struct {
		Level, Msg, Operator, Panic, Stack string
	}
	for line := range strings.SplitSeq(logged.String(), "\n") {
		if strings.Contains(line, `"session panicked"`) {
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	if rec.Level != "ERROR" || rec.Operator != "dana" || rec.Panic != "dashboard bug" || !strings.Contains(rec.Stack, "deskModel") {
		t.Errorf("log of the panic %+v, want an error for dana with the panic and a stack through deskModel", rec)
	}

	// omar's session goes on, told dana left, and answers keys.
	od.out.waitFor(t, "online: [omar]")
	od.key(t, "a")
	od.out.waitFor(t, "status: acknowledged F07")
	if ts.audit.has("logout omar") {
		t.Error("omar logged out by dana's panic")
	}
	if strings.Contains(od.out.text(), "Caught panic") {
		t.Errorf("omar's screen shows a panic:\n%s", od.out.text())
	}
}

func TestSilentConnectionCutAfterLoginGrace(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, func(c *Config) { c.LoginGrace = time.Second })
	c, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Say nothing; the server sends its version line, then must hang up.
	_ = c.SetReadDeadline(time.Now().Add(waitLong))
	if _, err := io.ReadAll(c); err != nil {
		t.Fatalf("connection not closed by the server: %v", err)
	}
	// A real session outlives the grace period.
	d := openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "DESK dana")
	mark := d.out.mark()
	time.Sleep(1500 * time.Millisecond) // longer than the grace: the session must stay
	d.key(t, "a")
	d.out.waitForSince(t, mark, "acknowledged F07")
}

func TestCommandRefused(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, nil)
	c, err := dial(t, ts.addr, gossh.PublicKeys(dana.signer))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	out, err := s.CombinedOutput("cat /etc/passwd")
	ee, ok := err.(*gossh.ExitError)
	if !ok || ee.ExitStatus() != 1 {
		t.Fatalf("exit: %v, want status 1", err)
	}
	if !strings.Contains(string(out), `the desk runs no commands (got "cat /etc/passwd")`) {
		t.Errorf("output %q", out)
	}
}

// TestAuditLogoutReason: a client that drops its connection is journalled
// as such, not as having quit (a killed ssh client read reason=quit).
func TestAuditLogoutReason(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, nil)

	d := openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "DESK dana")
	d.client.Close() // the client is killed: no q, no exit
	ts.audit.waitFor(t, AuditLogout+" dana")
	if got := ts.audit.detail(t, AuditLogout+" dana")["reason"]; got != "connection closed by the client" {
		t.Errorf("logout after the client dropped: reason %q", got)
	}
	d = openDesk(t, ts.addr, dana, false)
	d.out.waitFor(t, "DESK dana")
	d.key(t, "q")
	d.wait(t) // the logout is journalled before the exit status is sent
	if got := ts.audit.detail(t, AuditLogout+" dana")["reason"]; got != "quit" {
		t.Errorf("logout after q: reason %q", got)
	}
}

// TestAuditActionNamesPermission: an action's record keeps its kind and
// names the permission it was authorised by as such; a shelve read
// action=ack-alarm, as if it were an acknowledgement.
func TestAuditActionNamesPermission(t *testing.T) {
	// No listener: Act needs none, and a server shut down before Serve has
	// taken its listener (charmbracelet/ssh tracks it only once Serve runs)
	// keeps accepting and never returns, which hung this test.
	dana := newUser(t, "dana", RoleDispatcher)
	cfg, audit := testConfig(t, []user{dana})
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &Session{Operator: Operator{Name: "dana", Role: RoleDispatcher}, srv: srv}
	if err := s.Act(ActionAckAlarm, "alarm_shelve", "shelved loading/F07", nil, map[string]any{"alarm": "loading/F07"}); err != nil {
		t.Fatal(err)
	}
	det := audit.detail(t, "alarm_shelve dana")
	if _, ok := det["action"]; ok || det["permission"] != string(ActionAckAlarm) || det["alarm"] != "loading/F07" {
		t.Errorf("alarm_shelve record %v: want permission=%s and no action contradicting the kind", det, ActionAckAlarm)
	}
}

// TestAuditUnknownKeyFingerprint: a key not in the users file is journalled
// with its fingerprint, not as a bare "authentication failed".
func TestAuditUnknownKeyFingerprint(t *testing.T) {
	dana := newUser(t, "dana", RoleDispatcher)
	ts := startServer(t, []user{dana}, nil)
	stranger := newUser(t, "stranger", RoleAdmin) // not in the users file
	if _, err := dial(t, ts.addr, gossh.PublicKeys(stranger.signer)); err == nil {
		t.Fatal("an unknown key got in")
	}
	ts.audit.waitFor(t, AuditRefused+" ")
	det := ts.audit.detail(t, AuditRefused+" ")
	if want := gossh.FingerprintSHA256(stranger.signer.PublicKey()); det["key"] != want || det["reason"] != "unknown key" {
		t.Errorf("refused unknown key: %v; want key=%s reason=unknown key", det, want)
	}
	if n := func() (n int) { ts.offered.Range(func(any, any) bool { n++; return true }); return }(); n != 0 {
		t.Errorf("%d offered-key notes left after the handshake", n)
	}
}

// lockedBuffer is a log's output, written by the server's goroutines and
// read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// captureStdout points os.Stdout at a pipe until the test ends (no test of
// this package runs in parallel) and returns what has been written to it
// so far: Bubble Tea prints a panic it catches there, not to the session.
func captureStdout(t *testing.T) func() string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	var got lockedBuffer
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(&got, r); close(copied) }()
	t.Cleanup(func() {
		os.Stdout = old
		w.Close()
		<-copied
		r.Close()
	})
	return func() string {
		// What was written before the call is in the pipe; a zero-length
		// write through it would not flush the copier, so read what the
		// copier has taken once it has taken everything written: close
		// the writer for good and wait for the copy to end.
		os.Stdout = old
		w.Close()
		<-copied
		return got.String()
	}
}
