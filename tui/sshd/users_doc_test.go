package sshd

import (
	"strings"
	"testing"

	"github.com/v2gdesk/v2gdesk/docs/docstest"
)

// TestUsersFileDocExample parses the users file of docs/operations.md, so
// the example an operator copies is one serve starts with (its keys were
// cut to "AAAAC3NzaC1lZDI1NTE5AAAAIGq...", which no parser takes), and its
// error example is the one a bad role gives.
func TestUsersFileDocExample(t *testing.T) {
	blocks := docstest.Read(t, "docs/operations.md").Section(t, "### Users file").Blocks("")
	if len(blocks) < 2 {
		t.Fatalf("the Users file section has %d plain fenced blocks, want the users file and the error a bad role gives", len(blocks))
	}
	example, shown := blocks[0], blocks[1]
	u, err := ParseUsers(strings.NewReader(example), "users")
	if err != nil {
		t.Fatalf("the users file example does not parse: %v\n%s", err, example)
	}
	if u.Len() != 4 || u.Names() != 3 {
		t.Errorf("%d keys of %d names, want the example's 4 keys of ana, bo and root-ops", u.Len(), u.Names())
	}
	for name, want := range map[string]Role{"ana": RoleDispatcher, "bo": RoleViewer, "root-ops": RoleAdmin} {
		if got := u.names[name]; got != want {
			t.Errorf("%s: role %v, want %v", name, got, want)
		}
	}

	// The error the section shows for a role that does not exist.
	bad := strings.Replace(example, "bo       viewer", "bo       operator", 1)
	_, err = ParseUsers(strings.NewReader(bad), "/etc/v2gdesk/users")
	if err == nil {
		t.Fatal("a role operator was taken")
	}
	if want := strings.TrimSpace(shown); "v2gdesk serve: users: "+err.Error() != want {
		t.Errorf("error %q, the section shows %q", "v2gdesk serve: users: "+err.Error(), want)
	}
}
