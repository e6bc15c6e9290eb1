package sshd

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

func TestParseUsers(t *testing.T) {
	ana := newUser(t, "ana", RoleDispatcher)
	bo := newUser(t, "bo", RoleViewer)
	key := func(u user) string {
		return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(u.signer.PublicKey())))
	}
	good := "# control room\n\n" + ana.line() + " ana@laptop\n" + bo.line() + "\n"
	u, err := ParseUsers(strings.NewReader(good), "users")
	if err != nil {
		t.Fatal(err)
	}
	if op, ok := u.Lookup(ana.signer.PublicKey()); !ok || op.Name != "ana" || op.Role != RoleDispatcher {
		t.Errorf("ana: %+v %v", op, ok)
	}
	if op, ok := u.Lookup(bo.signer.PublicKey()); !ok || op.Role != RoleViewer || op.Fingerprint != gossh.FingerprintSHA256(bo.signer.PublicKey()) {
		t.Errorf("bo: %+v %v", op, ok)
	}
	if _, ok := u.Lookup(newUser(t, "x", RoleAdmin).signer.PublicKey()); ok {
		t.Errorf("unknown key found")
	}

	tests := []struct {
		name, text, want string
	}{
		{"unknown role", "# header\nana boss " + key(ana) + "\n", `users:2: user ana: unknown role "boss" (want viewer, dispatcher or admin)`},
		{"too few fields", ana.line() + "\nbo viewer ssh-ed25519\n", "users:2: want NAME ROLE KEYTYPE BASE64KEY [comment], got 3 field(s)"},
		{"bad base64", "ana viewer ssh-ed25519 AAAA!!!notbase64\n", "users:1: user ana: bad public key"},
		{"type mismatch", "ana viewer ssh-rsa " + strings.Fields(key(ana))[1] + "\n", "users:1: user ana: key type \"ssh-rsa\" does not match the key"},
		{"bad name", "an a viewer " + key(ana) + "\n", `users:1: user an: unknown role "a"`},
		{"bad name chars", "-ana viewer " + key(ana) + "\n", `users:1: user name "-ana"`},
		{"duplicate key", ana.line() + "\n\nbo viewer " + key(ana) + "\n", "users:3: user bo: this key is already given to ana on line 1"},
		{"name with two roles", ana.line() + "\nana admin " + key(bo) + "\n", "users:2: user ana: role admin conflicts with role dispatcher on line 1"},
		{"options", "ana viewer from=\"10.0.0.1\" " + key(ana) + "\n", "users:1: user ana: key options are not supported"},
		{"empty", "# nobody yet\n\n", "users: no users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseUsers(strings.NewReader(tt.text), "users")
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error\n  %q\nwant prefix\n  %q", err, tt.want)
			}
			var ufe *UsersFileError
			if !errors.As(err, &ufe) {
				t.Errorf("error is %T, want *UsersFileError", err)
			}
		})
	}
}

func TestLoadUsersNamesFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope")
	if _, err := LoadUsers(missing); err == nil || !strings.HasPrefix(err.Error(), missing+": cannot read users file") {
		t.Errorf("missing file: %v", err)
	}
	bad := filepath.Join(dir, "users")
	if err := os.WriteFile(bad, []byte("# ok\nana root ssh-ed25519 AAAA\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadUsers(bad); err == nil || !strings.HasPrefix(err.Error(), bad+":2: user ana: unknown role") {
		t.Errorf("bad role: %v", err)
	}
}

func TestRoles(t *testing.T) {
	tests := []struct {
		role Role
		can  []Action
	}{
		{RoleViewer, nil},
		{RoleDispatcher, []Action{ActionAckAlarm, ActionDispatch, ActionControlClock}},
		{RoleAdmin, []Action{ActionAckAlarm, ActionDispatch, ActionControlClock, ActionChangeLimits, ActionAdapterSettings}},
		{Role("intern"), nil},
	}
	for _, tt := range tests {
		for _, a := range Actions() {
			want := false
			for _, c := range tt.can {
				want = want || c == a
			}
			if got := tt.role.Can(a); got != want {
				t.Errorf("%s can %s: %v, want %v", tt.role, a, got, want)
			}
			err := Operator{Name: "x", Role: tt.role}.Authorize(a)
			if (err == nil) != want || (err != nil && !errors.Is(err, ErrForbidden)) {
				t.Errorf("%s authorize %s: %v", tt.role, a, err)
			}
		}
	}
	if RoleAdmin.Can(Action("launch")) {
		t.Errorf("an unknown action is allowed")
	}
	if _, err := ParseRole("root"); !errors.Is(err, ErrUnknownRole) {
		t.Errorf("ParseRole(root): %v", err)
	}
}
