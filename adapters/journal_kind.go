package adapters

import "bytes"

// ReadJournalKind calls fn, in file order, for each record of kind in the
// journal at path, without changing it. A line is decoded only when it
// holds kind as a JSON string: Append writes every kind as it is (kinds
// are lower-case words joined by "_", which JSON never escapes), so a line
// without it is not of that kind. Decoding is most of a read's time (~80 %
// for a month of setpoints), so looking for a rare kind, such as whether
// an event was already confirmed, reads a month's bytes without decoding
// its millions of setpoints. A kind that has an old name
// (RecordKind.Current) is matched under it too, every line decoded. Lines
// that are not records are skipped; for
// what a read found (torn tail, corrupt lines, seq breaks), use
// ReadJournal.
func ReadJournalKind(path string, kind RecordKind, fn func(Record) error) error {
	f, err := OpenJournalReader(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = scanJournalSkipping(f, kindSkip(kind), func(r Record, _ int64, _ int) error {
		if r.Kind.Current() != kind {
			return nil
		}
		return fn(r)
	})
	return err
}

// kindSkip returns what ReadJournalKind leaves undecoded: the lines
// without kind as a JSON string; nil (decode every line) for a kind that
// could be written escaped or under an old name (RecordKind.Current).
func kindSkip(kind RecordKind) func(line []byte) bool {
	if !plainKind(kind) || hasOldName(kind) {
		return nil
	}
	quoted := []byte(`"` + string(kind) + `"`)
	return func(line []byte) bool { return !bytes.Contains(line, quoted) }
}

// hasOldName reports whether records of kind may be journalled under
// another name (RecordKind.Current).
func hasOldName(kind RecordKind) bool {
	switch kind {
	case RecLogin, RecLogout, RecRefused, RecForbidden:
		return true
	}
	return false
}

// plainKind reports whether kind is made only of bytes JSON writes as
// they are, so that its encoding is its bytes in quotes.
func plainKind(kind RecordKind) bool {
	for _, c := range []byte(kind) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return kind != ""
}
