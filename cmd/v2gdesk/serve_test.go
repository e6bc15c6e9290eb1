package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/replay/scenario"
	"github.com/v2gdesk/v2gdesk/tui"
	"github.com/v2gdesk/v2gdesk/tui/sshd"
)

// userLine returns a users file line with a fresh key.
func userLine(t *testing.T, name, role string) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s %s %s", name, role, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k))))
}

func TestServeCommandLine(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte(userLine(t, "ana", "dispatcher")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badUsers := filepath.Join(dir, "bad-users")
	if err := os.WriteFile(badUsers, []byte("# desk\n"+userLine(t, "bo", "operator")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	openKey := filepath.Join(dir, "open-key")
	if _, _, err := sshd.LoadOrCreateHostKey(openKey); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(openKey, 0o644); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "host")
	feed := "ws://127.0.0.1:1/feed"
	dryOnly := filepath.Join(dir, "dry.json")
	if err := os.WriteFile(dryOnly, []byte(`{"journal": "a.jsonl", "adapters": [{"name": "c", "kind": "dryrun"}], "chargers": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"--help"}, 0, "Usage: v2gdesk serve --ssh ADDR --users FILE"},
		{"nothing", nil, 2, "--ssh ADDR is required"},
		{"no users", []string{"--ssh", ":0"}, 2, "--users FILE is required"},
		// Refused before the host key and the journal are created.
		{"bad port", []string{"--ssh", "127.0.0.1:99999", "--users", users, "--scenario", "demo"}, 2, `--ssh "127.0.0.1:99999": port "99999" is not a number from 0 to 65535`},
		{"no port", []string{"--ssh", "localhost", "--users", users, "--scenario", "demo"}, 2, `--ssh "localhost": address localhost: missing port`},
		{"no source", []string{"--ssh", ":0", "--users", users}, 2, "give --feed URL (a live feed) or --scenario demo"},
		{"two sources", []string{"--ssh", ":0", "--users", users, "--feed", feed, "--scenario", "demo"}, 2, "not both"},
		{"missing scenario file", []string{"--ssh", ":0", "--users", users, "--host-key", key, "--scenario", filepath.Join(dir, "evening.json")}, 1, "v2gdesk serve: --scenario: open " + filepath.Join(dir, "evening.json") + ": no such file"},
		{"start with a feed", []string{"--ssh", ":0", "--users", users, "--feed", feed, "--start", "18:00"}, 2, "--start goes with --scenario"},
		{"bad speed", []string{"--ssh", ":0", "--users", users, "--scenario", "demo", "--speed", "0"}, 2, "--speed:"},
		{"bad start", []string{"--ssh", ":0", "--users", users, "--host-key", key, "--scenario", "demo", "--start", "25:99"}, exitUsage, "--start:"},
		{"bad feed", []string{"--ssh", ":0", "--users", users, "--feed", "http://x"}, 2, `--feed "http://x"`},
		{"bad lang", []string{"--ssh", ":0", "--users", users, "--feed", feed, "--lang", "fr"}, 2, `--lang "fr"`},
		{"extra", []string{"--ssh", ":0", "--users", users, "--feed", feed, "now"}, 2, `unexpected argument "now"`},
		{"unknown flag", []string{"--port", "22"}, 2, "flag provided but not defined: -port"},
		{"missing users file", []string{"--ssh", ":0", "--users", filepath.Join(dir, "nope"), "--host-key", key, "--feed", feed}, 1,
			"v2gdesk serve: users: " + filepath.Join(dir, "nope") + ": cannot read users file"},
		{"bad users line", []string{"--ssh", ":0", "--users", badUsers, "--host-key", key, "--feed", feed}, 1,
			"v2gdesk serve: users: " + badUsers + `:2: user bo: unknown role "operator"`},
		{"open host key", []string{"--ssh", ":0", "--users", users, "--host-key", openKey, "--feed", feed}, 1,
			"permissions 0644: host key permissions too open (want 0600"},
		{"bad address", []string{"--ssh", "256.0.0.1:22", "--users", users, "--host-key", key, "--feed", feed}, 1, "--ssh 256.0.0.1:22:"},
		{"adapters alone without a central system", []string{"--ssh", ":0", "--users", users, "--host-key", key, "--adapters", dryOnly}, 1,
			"v2gdesk serve: --adapters " + dryOnly + `: no adapter of kind "ocpp", so no telemetry`},
		{"missing adapters file", []string{"--ssh", ":0", "--users", users, "--host-key", key, "--feed", feed, "--adapters", "a.json"}, 1, "--adapters: adapters config: open a.json: no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"serve"}, tt.args...), &out, &errb)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, errb.String())
			}
			stream, got := "stderr", errb.String()
			if slices.Contains(tt.args, "--help") {
				stream, got = "stdout", out.String() // --help is the command's output
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("%s lacks %q:\n%s", stream, tt.want, got)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeStartsAndStops(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte(userLine(t, "ana", "admin")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "host")
	journal := filepath.Join(dir, "audit.jsonl")
	ctx, cancel := context.WithCancelCause(context.Background())
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--ssh", "127.0.0.1:0", "--users", users, "--host-key", key,
			"--feed", "ws://127.0.0.1:1/feed", "--shutdown-grace", "0s", "--journal", journal}, &bytes.Buffer{}, &errb)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(errb.String(), "listening on 127.0.0.1:") {
		if time.Now().After(deadline) {
			t.Fatalf("no listening line:\n%s", errb.String())
		}
		time.Sleep(10 * time.Millisecond) // polling a log, not synchronising
	}
	if !strings.Contains(errb.String(), ", created "+key+"; 1 operator, 1 key;") || !strings.Contains(errb.String(), "audit journal "+journal+")") {
		t.Errorf("start-up line lacks the key, users or journal:\n%s", errb.String())
	}
	// A stranger's key is refused, and the refusal is journalled.
	addr := errb.String()[strings.Index(errb.String(), "listening on ")+len("listening on "):]
	addr = addr[:strings.IndexByte(addr, ' ')]
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := gossh.NewSignerFromKey(stranger)
	if _, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "x", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second}); err == nil {
		t.Error("a stranger's key was accepted")
	}
	readJournal := func() []adapters.Record {
		var recs []adapters.Record
		if _, err := adapters.ReadJournal(journal, func(r adapters.Record) error { recs = append(recs, r); return nil }); err != nil {
			t.Fatal(err)
		}
		return recs
	}
	// The server journals the failure after the client has given up.
	for len(readJournal()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond) // polling a file, not synchronising
	}
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("host key: %v %v", st, err)
	}
	cancel(fmt.Errorf("terminated signal received"))
	if code := <-done; code != 0 {
		t.Errorf("exit %d after the signal, want 0:\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "reason=\"the desk is shutting down (terminated signal received)\"") ||
		!strings.Contains(errb.String(), "v2gdesk serve: stopped") {
		t.Errorf("shutdown not logged:\n%s", errb.String())
	}
	recs := readJournal()
	if len(recs) == 0 || recs[0].Kind != adapters.RecRefused || recs[0].Reason != "unknown key" || !strings.Contains(recs[0].Detail, "remote=127.0.0.1:") ||
		!strings.Contains(recs[0].Detail, "key="+gossh.FingerprintSHA256(signer.PublicKey())) {
		t.Errorf("journal %+v, want the refusal", recs)
	}
}

// TestServeOnOCPPAlone: `serve --adapters FILE` with an OCPP central system
// and no --feed is a live desk on the central system (startDesk merges its
// telemetry; TestLiveDeskShowsOCPPTelemetry connects a charge point).
func TestServeOnOCPPAlone(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte(userLine(t, "ana", "admin")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "adapters.json")
	if err := os.WriteFile(cfg, []byte(ocppSite), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--ssh", "127.0.0.1:0", "--users", users, "--host-key", filepath.Join(dir, "host"),
			"--adapters", cfg, "--shutdown-grace", "0s"}, &bytes.Buffer{}, &errb)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(errb.String(), "listening on 127.0.0.1:") {
		if time.Now().After(deadline) {
			t.Fatalf("no listening line:\n%s", errb.String())
		}
		time.Sleep(10 * time.Millisecond) // polling a log, not synchronising
	}
	if want := "OCPP central system depot of " + cfg + "; audit journal " + filepath.Join(dir, "audit.jsonl"); !strings.Contains(errb.String(), want) {
		t.Errorf("start-up line lacks %q:\n%s", want, errb.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d, want 0:\n%s", code, errb.String())
	}
}

// TestSessionKindsAreTheJournals: the SSH desk's session records land in
// the journal under the journal's own names (a login was journalled as
// login but a logout as ssh.logout), and the dashboard's actions too.
func TestSessionKindsAreTheJournals(t *testing.T) {
	for _, tc := range []struct {
		desk string
		want adapters.RecordKind
	}{
		{sshd.AuditLogin, adapters.RecLogin},
		{sshd.AuditLogout, adapters.RecLogout},
		{sshd.AuditRefused, adapters.RecRefused},
		{sshd.AuditForbidden, adapters.RecForbidden},
		{tui.ActAlarmAck, adapters.RecAlarmAck},
	} {
		if adapters.RecordKind(tc.desk) != tc.want {
			t.Errorf("the desk writes %q, the journal's kind is %q", tc.desk, tc.want)
		}
	}
}

func TestJournalAuditorRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, _, err := adapters.OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	a := journalAuditor{j}
	if err := a.Record(sshd.AuditLogin, "ana", map[string]any{"role": "dispatcher", "remote": "10.0.0.7:5501", "session": uint64(3), "term": "xterm 256"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Record(tui.ActAlarmAck, "ana", map[string]any{"alarm": "loading/F07", "reason": "crew on site"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Record(sshd.AuditLogout, "ana", map[string]any{"reason": "quit", "session": uint64(3)}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	var recs []adapters.Record
	if _, err := adapters.ReadJournal(path, func(r adapters.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []adapters.Record{
		{Kind: adapters.RecLogin, Operator: "ana", Detail: `remote=10.0.0.7:5501 role=dispatcher session=3 term="xterm 256"`},
		{Kind: adapters.RecAlarmAck, Operator: "ana", Reason: "crew on site", Detail: "alarm=loading/F07"},
		{Kind: adapters.RecLogout, Operator: "ana", Reason: "quit", Detail: "session=3"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i, w := range want {
		r := recs[i]
		if r.Kind != w.Kind || r.Operator != w.Operator || r.Reason != w.Reason || r.Detail != w.Detail {
			t.Errorf("record %d: %+v\nwant %+v", i, r, w)
		}
	}
}

func TestTOUBands(t *testing.T) {
	got := touBands(scenario.ChinaTOU())
	h := func(x float64) time.Duration { return time.Duration(x * float64(time.Hour)) }
	want := []tui.TOUBand{
		{From: h(23), To: h(24), Kind: tui.TOUValley}, {From: 0, To: h(7), Kind: tui.TOUValley},
		{From: h(7), To: h(10), Kind: tui.TOUFlat}, {From: h(10), To: h(12), Kind: tui.TOUPeak},
		{From: h(12), To: h(18), Kind: tui.TOUFlat}, {From: h(18), To: h(22), Kind: tui.TOUPeak},
		{From: h(22), To: h(23), Kind: tui.TOUFlat},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("bands\n%v\nwant\n%v", got, want)
	}
	if got := touBands([]scenario.PriceBand{{Name: "shoulder", From: "01:00", To: "02:00"}, {Name: "peak", From: "9", To: "10:00"}}); len(got) != 0 {
		t.Errorf("bad bands kept: %v", got)
	}
}

// TestServePortInUse: a port already taken fails before the host key is
// created, so nothing is left behind.
func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	users := filepath.Join(dir, "users")
	if err := os.WriteFile(users, []byte(userLine(t, "ana", "dispatcher")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "host")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve", "--ssh", ln.Addr().String(), "--users", users, "--host-key", key, "--scenario", "demo"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "--ssh "+ln.Addr().String()) {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if _, err := os.Stat(key); !os.IsNotExist(err) {
		t.Errorf("the host key was created for a server that could not start: %v", err)
	}
}

// TestEveryActionHasAPermission: every action the dashboard asks about
// needs a permission some role holds, or the SSH desk refuses it to
// everyone; the table names no action the dashboard no longer asks about.
func TestEveryActionHasAPermission(t *testing.T) {
	asked := tui.Actions()
	for _, a := range asked {
		p, ok := permissions[a]
		if !ok {
			t.Errorf("the dashboard asks about %q, which has no permission", a)
			continue
		}
		if _, ok := sshd.MinRole(p); !ok {
			t.Errorf("%q needs %q, which no role holds", a, p)
		}
	}
	for a := range permissions {
		if !slices.Contains(asked, a) {
			t.Errorf("permissions names %q, which the dashboard does not ask about", a)
		}
	}
	admin := sshd.Operator{Name: "ada", Role: sshd.RoleAdmin}
	if err := admin.Authorize(permission("clock_rewind")); !errors.Is(err, sshd.ErrForbidden) {
		t.Errorf("an action without a permission, for an admin: %v, want refused", err)
	}
}
