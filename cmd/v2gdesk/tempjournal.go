package main

import (
	"os"
)

// newTempJournal creates an empty audit journal file of its own in the
// temporary directory, named after pattern (os.CreateTemp): every run gets
// a new one, so two runs never share a journal (it has one writer), and no
// fixed name there can be planted beforehand (a link) by another user.
func newTempJournal(pattern string) (string, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return "", errorf("audit journal: %w", err)
	}
	path := f.Name()
	if err := f.Close(); err != nil {
		return "", errorf("audit journal %s: %w", path, err)
	}
	return path, nil
}

// tempJournalNote is what a command says when, given no --journal, it
// writes what to the temporary journal at path; when says until when it
// is left there ("" or " when the desk stops").
func tempJournalNote(what, path, when string) string {
	return "no --journal: " + what + " go to the temporary journal " + path +
		", left in the temporary directory" + when + " (give --journal FILE to keep them elsewhere)"
}
