package dispatch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// maxStartShown is how many characters of a file's first line an error
// quotes when the file is not JSON at all.
const maxStartShown = 40

// notProblemJSON says that data is not a Problem JSON document, quoting
// what it starts with, when a syntax error syn shows it is not a JSON
// object or array at all: a CSV of EVs given as --problem read only
// "invalid character 'i' looking for beginning of value", which left the
// reader to guess that the whole file was the wrong kind. The error keeps
// syn's place (at byte N) and syn itself. ok is false for a document that
// starts as JSON does ({ or [) or with a byte order mark, which
// syntaxHint words.
func notProblemJSON(data []byte, syn *json.SyntaxError) (err error, ok bool) {
	body := bytes.TrimLeft(data, " \t\r\n")
	if len(body) == 0 || body[0] == '{' || body[0] == '[' || bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		return nil, false
	}
	if bytes.HasPrefix(body, []byte("\x1f\x8b")) {
		// Quoted, its start is escaped binary that says nothing.
		return fmt.Errorf("not a Problem JSON document (one object, {…}): it is gzip-compressed (a .v2grec recording, or a Problem to gunzip first?): %s: %w", at(data, syn.Offset), syn), true
	}
	return fmt.Errorf("not a Problem JSON document (one object, {…}): it starts with %s: %s: %w", startOf(body), at(data, syn.Offset), syn), true
}

// startOf quotes the start of body's first line, at most maxStartShown
// characters, "…" where it is cut.
func startOf(body []byte) string {
	line := body
	if i := bytes.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	cut := false
	if utf8.RuneCount(line) > maxStartShown {
		n := 0
		for range maxStartShown {
			_, size := utf8.DecodeRune(line[n:])
			n += size
		}
		line, cut = line[:n], true
	}
	s := fmt.Sprintf("%q", line)
	if cut {
		s = s[:len(s)-1] + `…"`
	}
	return s
}
