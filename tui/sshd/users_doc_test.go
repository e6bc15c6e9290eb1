package sshd

import (
	"os"
	"strings"
	"testing"
)

// TestUsersFileDocExample parses the users file of docs/operations.md, so
// the example an operator copies is one serve starts with (its keys were
// cut to "AAAAC3NzaC1lZDI1NTE5AAAAIGq...", which no parser takes), and its
// error example is the one a bad role gives.
func TestUsersFileDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "\n### Users file\n")
	if !ok {
		t.Fatal(`docs/operations.md has no "### Users file" section`)
	}
	_, rest, _ := strings.Cut(section, "```\n")
	example, rest, _ := strings.Cut(rest, "```")
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
	_, rest, _ = strings.Cut(rest, "```\n")
	shown, _, _ := strings.Cut(rest, "```")
	bad := strings.Replace(example, "bo       viewer", "bo       operator", 1)
	_, err = ParseUsers(strings.NewReader(bad), "/etc/v2gdesk/users")
	if err == nil {
		t.Fatal("a role operator was taken")
	}
	if want := strings.TrimSpace(shown); "v2gdesk serve: users: "+err.Error() != want {
		t.Errorf("error %q, the section shows %q", "v2gdesk serve: users: "+err.Error(), want)
	}
}
