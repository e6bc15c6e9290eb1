package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// runArchive moves the audit journal's records written before a time to
// an archive file, with no writer running (it takes the writer's lock), so
// a journal kept for years does not make every start-up read all of it.
func runArchive(_ context.Context, args []string, stdout, stderr io.Writer) int {
	return archiveAt(args, stdout, stderr, time.Now())
}

// archiveAt is runArchive with the clock's reading now.
func archiveAt(args []string, stdout, stderr io.Writer, now time.Time) int {
	fs := flag.NewFlagSet("v2gdesk archive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("journal", "", "audit journal `FILE` to move old records out of (required)")
	before := fs.String("before", "", "move the records written before `T` (their TIME): RFC 3339 time, or a duration back from now (720h); at least 24h ago (required)")
	to := fs.String("to", "", "the archive `FILE` to create; it must not exist (required)")
	said := commandLang(args, false)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk archive --journal FILE --before T --to ARCHIVE

Moves the records of an audit journal written before T to a new file ARCHIVE, as they
were, and leaves the journal with the rest: ARCHIVE followed by FILE is the journal as it
was, and seqs go on from the journal's last. Stop the desk, serve and setpoint on FILE
first: it refuses while one holds it. Exit 1 when refused or failed (the journal is then
as it was), %d for a bad command line.
`, exitUsage)
	}
	if code, done := parseArgs(fs, args, stdout, stderr, said); done {
		return code
	}
	if *file == "" || *before == "" || *to == "" {
		fmt.Fprintln(stderr, say(said, "v2gdesk archive: --journal FILE, --before T and --to ARCHIVE are required"))
		return exitUsage
	}
	if *to == *file {
		fmt.Fprintln(stderr, say(said, "v2gdesk archive: --to %s is the journal itself; name a new file", *to))
		return exitUsage
	}
	cutoff, ok := pastTime(*before, now)
	if !ok {
		fmt.Fprintln(stderr, say(said, "v2gdesk archive: --before %q is neither an RFC 3339 time with its offset (2026-11-01T00:00:00+08:00) nor a positive duration back from now (720h)", *before))
		return exitUsage
	}
	rep, err := adapters.ArchiveJournal(*file, *to, cutoff, now)
	if err != nil {
		if errors.Is(err, adapters.ErrJournalLocked) {
			fmt.Fprintln(stderr, say(said, "v2gdesk archive: %s is open for appending in another process: stop the desk, serve or setpoint writing to it, then archive; nothing was moved", *file))
			return 1
		}
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk archive", "archive the journal", err))
		return 1
	}
	if rep.Moved == 0 && rep.NotRecord == 0 {
		fmt.Fprintln(stdout, say(said, "%s: no record written before %s to move; nothing written", *file, cutoff.UTC().Format(time.RFC3339)))
		return 0
	}
	fmt.Fprintln(stdout, sayPlural(said, rep.Moved, "moved %d record (seq %d to %d, %d bytes) written before %s to %s", "moved %d records (seq %d to %d, %d bytes) written before %s to %s", rep.Moved, rep.FirstSeq, rep.LastSeq, rep.Bytes, cutoff.UTC().Format(time.RFC3339), *to))
	if rep.NotRecord > 0 {
		fmt.Fprintln(stdout, sayPlural(said, rep.NotRecord, "  with %d line that is not a record, as it was", "  with %d lines that are not records, as they were", rep.NotRecord))
	}
	fmt.Fprintln(stdout, sayPlural(said, rep.Kept, "%s keeps %d record, from seq %d", "%s keeps %d records, from seq %d", *file, rep.Kept, rep.NextSeq))
	return 0
}

// pastTime reads a time given as RFC 3339 with its offset or as a positive
// duration back from now.
func pastTime(s string, now time.Time) (time.Time, bool) {
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), d > 0
	}
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}
