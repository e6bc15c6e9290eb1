package sshd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	gossh "golang.org/x/crypto/ssh"
)

// Users maps public keys to operators. It is read once at start-up and never
// changes, so sessions read it without locking.
type Users struct {
	byKey map[string]Operator // key: the key's wire form
	names map[string]Role
}

// UsersFileError is a problem on one line of a users file.
type UsersFileError struct {
	File string
	Line int // 1-based; 0 for the file as a whole
	What string
	Err  error // underlying cause, if any
}

// Error is "file:line: what".
func (e *UsersFileError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.What)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.What)
}

// Unwrap returns the underlying cause.
func (e *UsersFileError) Unwrap() error { return e.Err }

// validName reports whether s may be a user name: it is shown in headers and
// written to the audit journal, so no spaces, control or look-alike characters.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '@' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// cutField splits s after its first whitespace-separated field.
func cutField(s string) (field, rest string) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

// byteOrderMark is the UTF-8 encoding of U+FEFF, which some editors put at
// the start of a file they save as UTF-8.
const byteOrderMark = "\ufeff"

// maxLine bounds one line of the users file; the largest RSA keys in
// authorized_keys form are a few kilobytes.
const maxLine = 64 << 10

// LoadUsers reads the users file at path. Any problem stops start-up with an
// error naming the file and line.
func LoadUsers(path string) (*Users, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &UsersFileError{File: path, What: fmt.Sprintf("cannot read users file: %v", err), Err: err}
	}
	defer f.Close()
	return ParseUsers(f, path)
}

// ParseUsers reads a users file from r; name is used in error messages.
//
// Each line is `NAME ROLE KEYTYPE BASE64KEY [comment]`, like an
// authorized_keys line with a name and a role in front. Blank lines and lines
// starting with '#' are ignored. One name may have several keys (a laptop and
// a control-room workstation) but only one role; a key belongs to one name.
func ParseUsers(r io.Reader, name string) (*Users, error) {
	u := &Users{byKey: map[string]Operator{}, names: map[string]Role{}}
	keyLine := map[string]int{}
	nameLine := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	n := 0
	for sc.Scan() {
		n++
		text := sc.Text()
		if n == 1 {
			// A file saved by an editor that marks UTF-8 (Notepad) starts
			// with a byte-order mark: its first line, a comment, was read
			// as a user line ("want NAME ROLE KEYTYPE BASE64KEY, got 3
			// field(s)"), its first user's name as "\ufeffana".
			text = strings.TrimPrefix(text, byteOrderMark)
		}
		line := strings.TrimSpace(text)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fail := func(format string, args ...any) error {
			return &UsersFileError{File: name, Line: n, What: fmt.Sprintf(format, args...)}
		}
		fields := strings.Fields(line)
		if len(fields) < 4 {
			return nil, fail("want NAME ROLE KEYTYPE BASE64KEY [comment], got %d field(s)", len(fields))
		}
		who, rest := cutField(line)
		roleName, rest := cutField(rest)
		if !validName(who) {
			return nil, fail("user name %q: use letters, digits, '.', '_', '@' or '-' (at most 64)", who)
		}
		role, err := ParseRole(roleName)
		if err != nil {
			return nil, &UsersFileError{File: name, Line: n, What: fmt.Sprintf("user %s: %v", who, err), Err: err}
		}
		key, _, opts, _, err := gossh.ParseAuthorizedKey([]byte(rest))
		if err != nil {
			return nil, &UsersFileError{File: name, Line: n, What: fmt.Sprintf("user %s: bad public key: %v", who, err), Err: err}
		}
		if len(opts) > 0 {
			// authorized_keys options (from=, command=, ...) would be silently
			// ignored here, which is worse than refusing them.
			return nil, fail("user %s: key options are not supported", who)
		}
		if t := key.Type(); t != fields[2] {
			return nil, fail("user %s: key type %q does not match the key, which is %q", who, fields[2], t)
		}
		if _, ok := key.(*gossh.Certificate); ok {
			return nil, fail("user %s: certificates are not supported; give the plain public key", who)
		}
		wire := string(key.Marshal())
		if first, ok := keyLine[wire]; ok {
			return nil, fail("user %s: this key is already given to %s on line %d", who, u.byKey[wire].Name, first)
		}
		if r, ok := u.names[who]; ok && r != role {
			return nil, fail("user %s: role %s conflicts with role %s on line %d", who, role, r, nameLine[who])
		}
		u.byKey[wire] = Operator{Name: who, Role: role, Fingerprint: gossh.FingerprintSHA256(key)}
		u.names[who] = role
		keyLine[wire] = n
		if _, ok := nameLine[who]; !ok {
			nameLine[who] = n
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &UsersFileError{File: name, Line: n + 1, What: fmt.Sprintf("line longer than %d bytes", maxLine), Err: err}
		}
		return nil, &UsersFileError{File: name, What: fmt.Sprintf("cannot read users file: %v", err), Err: err}
	}
	if len(u.byKey) == 0 {
		return nil, &UsersFileError{File: name, What: "no users: add a line NAME ROLE KEYTYPE BASE64KEY"}
	}
	return u, nil
}

// Lookup returns the operator whose key is key.
func (u *Users) Lookup(key gossh.PublicKey) (Operator, bool) {
	if key == nil {
		return Operator{}, false
	}
	op, ok := u.byKey[string(key.Marshal())]
	return op, ok
}

// Len returns the number of keys.
func (u *Users) Len() int { return len(u.byKey) }

// Names returns how many distinct operators the file names.
func (u *Users) Names() int { return len(u.names) }
