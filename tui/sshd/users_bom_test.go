package sshd

import (
	"strings"
	"testing"
)

// TestParseUsersByteOrderMark: a users file saved with a UTF-8 byte-order
// mark (Notepad does) reads as the same file without it, whether its first
// line is a comment or a user. Its comment was read as a user line ("users:1:
// want NAME ROLE KEYTYPE BASE64KEY [comment], got 3 field(s)") and a first
// user's name as "\ufeffana".
func TestParseUsersByteOrderMark(t *testing.T) {
	ana := newUser(t, "ana", RoleDispatcher)
	bo := newUser(t, "bo", RoleViewer)
	for name, text := range map[string]string{
		"comment first": "\ufeff# control room\n" + ana.line() + "\n" + bo.line() + "\n",
		"user first":    "\ufeff" + ana.line() + "\n" + bo.line() + "\n",
	} {
		u, err := ParseUsers(strings.NewReader(text), "users")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if op, ok := u.Lookup(ana.signer.PublicKey()); !ok || op.Name != "ana" || op.Role != RoleDispatcher {
			t.Errorf("%s: ana is %+v (found %v), want ana (dispatcher)", name, op, ok)
		}
	}
	// Only at the start of the file: elsewhere it is not a mark but a
	// character in a name, and refused as one.
	_, err := ParseUsers(strings.NewReader(ana.line()+"\n\ufeff"+bo.line()+"\n"), "users")
	if err == nil || !strings.Contains(err.Error(), `users:2: user name "\ufeffbo"`) {
		t.Errorf("a mark on line 2: %v, want the name refused on line 2", err)
	}
}
