package main

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
)

// removeEmptyJournal removes the journal at path that an interrupted
// dispatch created and wrote nothing to (the adapters were opened, then
// ^C came while the OCPP charge points were awaited). It keeps a journal
// that holds anything: a record is never thrown away.
func removeEmptyJournal(path string, lg *slog.Logger) {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() != 0 || !fi.Mode().IsRegular() {
		return
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		lg.Warn("dispatch: could not remove the empty journal of the interrupted run", "journal", path, "err", err)
	}
}
