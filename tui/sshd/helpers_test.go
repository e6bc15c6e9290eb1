package sshd

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"maps"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// waitLong bounds how long a test waits for something that should happen
// promptly; it is generous because the machine is shared and slow.
const waitLong = 30 * time.Second

// deskModel is a small real dashboard for transport tests: it shows who is
// at the keyboard and who is online, and acknowledges an alarm on 'a'
// through the session's authorisation.
type deskModel struct {
	s      *Session
	online []string
	w, h   int
	status string
	last   string
}

func newDeskModel(s *Session) tea.Model {
	s.OnClose(func() { s.Broadcast(ActionMsg{By: s.Present, Summary: "closed their desk"}) })
	return &deskModel{s: s, w: s.Width, h: s.Height, status: "ready"}
}

func (m *deskModel) Init() tea.Cmd { return nil }

func (m *deskModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case PresenceMsg:
		m.online = m.online[:0]
		for _, o := range msg.Operators {
			m.online = append(m.online, o.Name)
		}
	case ActionMsg:
		m.last = msg.By.Operator.Name + " " + msg.Summary
	case tea.KeyMsg:
		switch msg.String() {
		case "q":
			return m, tea.Quit
		case "p":
			panic("dashboard bug")
		case "a":
			if err := m.s.Act(ActionAckAlarm, "alarm_ack", "acknowledged alarm F07", nil, map[string]any{"alarm": "F07"}); err != nil {
				m.status = "refused: " + err.Error()
			} else {
				m.status = "acknowledged F07"
			}
		case "d":
			if err := m.s.Act(ActionDispatch, "dispatch_send", "sent DR-17", nil, nil); err != nil {
				m.status = "refused: " + err.Error()
			} else {
				m.status = "sent DR-17"
			}
		case "c":
			if _, err := m.s.Claims().Acquire(m.s.Present, "cap F07", "F07"); err != nil {
				m.status = "conflict: " + err.Error()
			} else {
				m.status = "claimed F07"
			}
		}
	}
	return m, nil
}

func (m *deskModel) View() string {
	lines := []string{
		m.s.Renderer.NewStyle().Bold(true).Render("DESK "+m.s.Operator.String()) + " online: [" + strings.Join(m.online, ",") + "]",
		fmt.Sprintf("size %dx%d", m.w, m.h),
		"status: " + m.status,
		"last: " + m.last,
	}
	for len(lines) < m.h-1 {
		lines = append(lines, "")
	}
	lines = append(lines, "footer: a ack  q quit")
	return strings.Join(lines, "\n")
}

// user is a test operator with a fresh key.
type user struct {
	name   string
	role   Role
	signer gossh.Signer
}

func newUser(t testing.TB, name string, role Role) user {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return user{name: name, role: role, signer: s}
}

// line is the user's line in a users file.
func (u user) line() string {
	return fmt.Sprintf("%s %s %s", u.name, u.role, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(u.signer.PublicKey()))))
}

// memAuditor keeps audit records for assertions.
type memAuditor struct {
	mu      sync.Mutex
	records []string         // "kind operator"
	details []map[string]any // each record's detail, as records
	fail    bool
}

func (a *memAuditor) Record(kind, operator string, detail map[string]any) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail {
		return fmt.Errorf("disk full")
	}
	a.records = append(a.records, kind+" "+operator)
	a.details = append(a.details, maps.Clone(detail))
	return nil
}

// detail returns the detail of the latest record rec ("kind operator").
func (a *memAuditor) detail(t testing.TB, rec string) map[string]any {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := len(a.records) - 1; i >= 0; i-- {
		if a.records[i] == rec {
			return a.details[i]
		}
	}
	t.Fatalf("audit lacks %q: %v", rec, a.records)
	return nil
}

func (a *memAuditor) has(rec string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, r := range a.records {
		if r == rec {
			return true
		}
	}
	return false
}

// waitFor polls until rec is recorded, for records the server writes after
// the client has already seen the outcome (failed handshakes).
func (a *memAuditor) waitFor(t testing.TB, rec string) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for !a.has(rec) {
		if time.Now().After(deadline) {
			a.mu.Lock()
			defer a.mu.Unlock()
			t.Fatalf("audit lacks %q: %v", rec, a.records)
		}
		time.Sleep(5 * time.Millisecond) // polling a log, not synchronising
	}
}

// testServer is a Server listening on 127.0.0.1:0.
type testServer struct {
	*Server
	addr  string
	audit *memAuditor
	done  chan error
}

func startServer(t testing.TB, users []user, tweak func(*Config)) *testServer {
	t.Helper()
	cfg, audit := testConfig(t, users)
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: srv, addr: ln.Addr().String(), audit: audit, done: make(chan error, 1)}
	go func() { ts.done <- srv.Serve(ln) }()
	t.Cleanup(func() { ts.stop(t) })
	return ts
}

// stop shuts the server down once; later calls do nothing.
func (ts *testServer) stop(t testing.TB) {
	t.Helper()
	ts.Server.mu.Lock()
	closing := ts.Server.closing
	ts.Server.mu.Unlock()
	if closing != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	if err := ts.Shutdown(ctx, untranslated("test over"), 0); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if err := <-ts.done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// dial connects as u.
func dial(t testing.TB, addr string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	t.Helper()
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "desk",
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         waitLong,
	})
}

// screen collects what a session writes and lets a test wait for text.
type screen struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	cond *sync.Cond
	eof  bool
}

func newScreen() *screen {
	s := &screen{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	s.cond.Broadcast()
	return len(p), nil
}

func (s *screen) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.eof = true
	s.cond.Broadcast()
}

// text returns everything written so far with escape sequences removed.
func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ansi.Strip(s.buf.String())
}

// mark returns a position in the output for waitForSince.
func (s *screen) mark() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Len()
}

// waitFor waits until the output contains want, failing after waitLong.
func (s *screen) waitFor(t testing.TB, want string) {
	t.Helper()
	s.waitForSince(t, 0, want)
}

// waitForSince waits until the output written after mark contains want.
func (s *screen) waitForSince(t testing.TB, mark int, want string) {
	t.Helper()
	deadline := time.AfterFunc(waitLong, func() { s.mu.Lock(); s.cond.Broadcast(); s.mu.Unlock() })
	defer deadline.Stop()
	start := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for !strings.Contains(ansi.Strip(s.buf.String()[mark:]), want) {
		if s.eof || time.Since(start) >= waitLong {
			t.Fatalf("waiting for %q: not in output (eof=%v):\n%s", want, s.eof, ansi.Strip(s.buf.String()[mark:]))
		}
		s.cond.Wait()
	}
}

// deskSession is one interactive session.
type deskSession struct {
	client *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	out    *screen
	done   chan error // Wait's result
}

// openDesk connects as u and starts a shell with a PTY (unless noPty).
func openDesk(t testing.TB, addr string, u user, noPty bool) *deskSession {
	t.Helper()
	return openDeskEnv(t, addr, u, noPty, nil)
}

// openDeskEnv is openDesk sending env ("LANG=zh_CN.UTF-8") first, as
// OpenSSH's SendEnv and SetEnv do.
func openDeskEnv(t testing.TB, addr string, u user, noPty bool, env []string) *deskSession {
	t.Helper()
	c, err := dial(t, addr, gossh.PublicKeys(u.signer))
	if err != nil {
		t.Fatalf("dial as %s: %v", u.name, err)
	}
	s, err := c.NewSession()
	if err != nil {
		c.Close()
		t.Fatalf("session as %s: %v", u.name, err)
	}
	d := &deskSession{client: c, sess: s, out: newScreen(), done: make(chan error, 1)}
	s.Stdout = d.out
	s.Stderr = d.out
	if d.in, err = s.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if err := s.Setenv(k, v); err != nil {
			t.Fatalf("env %s: %v", kv, err)
		}
	}
	if !noPty {
		if err := s.RequestPty("xterm-256color", 45, 160, gossh.TerminalModes{}); err != nil {
			t.Fatalf("pty: %v", err)
		}
	}
	if err := s.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	go func() { err := s.Wait(); d.out.close(); d.done <- err }()
	t.Cleanup(d.close)
	return d
}

func (d *deskSession) key(t testing.TB, k string) {
	t.Helper()
	if _, err := io.WriteString(d.in, k); err != nil {
		t.Fatalf("send %q: %v", k, err)
	}
}

// wait waits for the session to end and returns its exit status.
func (d *deskSession) wait(t testing.TB) int {
	t.Helper()
	select {
	case err := <-d.done:
		d.done <- err
		if err == nil {
			return 0
		}
		if ee, ok := err.(*gossh.ExitError); ok {
			return ee.ExitStatus()
		}
		t.Fatalf("session ended without exit status: %v", err)
	case <-time.After(waitLong):
		t.Fatalf("session did not end; output:\n%s", d.out.text())
	}
	return -1
}

func (d *deskSession) close() {
	d.sess.Close()
	d.client.Close()
}

// testConfig is a server configuration for users with a fresh host key,
// the test desk model and an in-memory auditor, which it also returns.
func testConfig(t testing.TB, users []user) (Config, *memAuditor) {
	t.Helper()
	var lines []string
	for _, u := range users {
		lines = append(lines, u.line())
	}
	us, err := ParseUsers(strings.NewReader(strings.Join(lines, "\n")), "users")
	if err != nil {
		t.Fatal(err)
	}
	_, hk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	host, err := gossh.NewSignerFromKey(hk)
	if err != nil {
		t.Fatal(err)
	}
	audit := &memAuditor{}
	return Config{Users: us, HostKey: host, Factory: newDeskModel, Auditor: audit, NoticeFor: -1}, audit
}

// untranslated is a Sentence that reads s in every language: the tests'
// shutdown reasons, which no operator reads in a language of their own.
func untranslated(s string) Sentence { return func(string) string { return s } }
