package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// runAudit reads the audit journal: a table by default, JSON lines with
// --json. A torn tail or corrupt lines are reported on stderr; the exit code
// stays 0 because every complete record was read.
func runAudit(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// --journal is the journal's flag in every command; --file, the name
	// this command had first, stays as an alias.
	file := fs.String("journal", "", "audit journal `FILE` (required)")
	alias := fs.String("file", "", "the same as --journal `FILE` (its older name)")
	since := fs.String("since", "", "only records written at or after `T` (their TIME, the wall clock, not a simulation's DATA TIME): RFC 3339 time, or a duration back from now (2h)")
	charger := fs.String("charger", "", "only records about charger `ID`")
	asJSON := fs.Bool("json", false, "print records as JSON lines")
	tz := fs.String("tz", "UTC", "print the table's times in `ZONE`: an IANA name (Asia/Shanghai, the site's time the desk shows), Local or UTC; --json keeps the journal's")
	wide := fs.Bool("wide", false, "print every value of the table whole, however wide (the default when stdout is not a terminal)")
	said := commandLang(args, false)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk audit --journal FILE [--since T] [--charger ID] [--tz ZONE] [--wide | --json]

Prints the records of an audit journal as a table (JSON lines with --json). On a terminal the
table fits its width: columns without a value are left out and long values cut short with …
(--wide prints them whole, as the table always is when piped). TIME is when a record was
written; DATA TIME, shown when records have one, the simulated or replayed time the desk
showed then. --since compares TIME. A torn tail or corrupt lines are reported on stderr and
still exit 0; exit 1 when FILE cannot be opened or read or holds no record (not a journal),
%d for a bad command line.
`, exitUsage)
	}
	if code, done := parseArgs(fs, args, stdout, stderr, said); done {
		return code
	}
	switch {
	case *file != "" && *alias != "" && *file != *alias:
		fmt.Fprintln(stderr, say(said, "v2gdesk audit: --journal %s and --file %s name two journals; give one", *file, *alias))
		return exitUsage
	case *file == "":
		*file = *alias
	}
	if *file == "" {
		fmt.Fprintln(stderr, say(said, "v2gdesk audit: --journal FILE is required"))
		return exitUsage
	}
	if *wide && *asJSON {
		// --wide shapes the table, which --json does not print: one of
		// them was a mistake, and taking either silently hides which.
		fmt.Fprintln(stderr, say(said, "v2gdesk audit: --wide and --json: give one (--wide prints the table whole, --json prints JSON lines instead of the table)"))
		return exitUsage
	}
	// The desk shows the site's time; the journal's are UTC. An on-call
	// engineer matching "by ana 17:47" on the screen to its record asks
	// for the site's zone rather than convert in their head.
	loc, err := time.LoadLocation(*tz)
	if err != nil || *tz == "" {
		fmt.Fprintln(stderr, say(said, "v2gdesk audit: --tz %q: not a time zone (want an IANA name such as Asia/Shanghai, Local or UTC)", *tz))
		return exitUsage
	}
	var from time.Time
	if *since != "" {
		if d, err := time.ParseDuration(*since); err == nil {
			if d < 0 {
				// -2h would be two hours ahead: nothing, silently.
				fmt.Fprintln(stderr, say(said, "v2gdesk audit: --since %s: a duration back from now is positive (2h, not -2h)", *since))
				return exitUsage
			}
			from = time.Now().Add(-d)
		} else if t, err := time.Parse(time.RFC3339, *since); err == nil {
			from = t
		} else if _, err := time.Parse("2006-01-02T15:04:05", *since); err == nil {
			// The time is there, its zone is not: say what to add,
			// rather than that it is no time at all.
			fmt.Fprintln(stderr, say(said, "v2gdesk audit: --since %q has no UTC offset: add one (%sZ for UTC, %s+08:00 for Asia/Shanghai)", *since, *since, *since))
			return exitUsage
		} else {
			fmt.Fprintln(stderr, say(said, "v2gdesk audit: --since %q is neither an RFC 3339 time (2026-11-27T22:00:00Z) nor a duration back from now (2h)", *since))
			return exitUsage
		}
	}

	enc := json.NewEncoder(stdout)
	f, err := adapters.OpenJournalReader(*file)
	if err != nil {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk audit", "read the journal", fmt.Errorf("%s: %w", *file, err)))
		return 1
	}
	defer f.Close()
	// A table written whole (piped, --wide) of more rows than
	// auditRowsHeld is written on a second pass over what the first read,
	// so a month's journal is not held in memory row by row (gigabytes):
	// the first pass measures its columns. Fewer rows (a --since or
	// --charger) are held and written after one pass, as on a terminal.
	width := auditWidth(stdout, *wide)
	whole := !*asJSON && width == 0
	streamed := false
	cols := newAuditColumns(auditHeader(loc.String()))
	var rows [][]string
	shown, withData := 0, false
	match := func(r adapters.Record) bool {
		return (from.IsZero() || !r.TS.Before(from)) && (*charger == "" || r.Charger == *charger)
	}
	// Records before --since are checked and counted, not decoded whole
	// (the last hour of a month reads in seconds). A --charger that
	// matches records only apart from case (cp-0412 for CP-0412) is said,
	// or "0 of 830 records shown" reads as a charger the journal holds
	// nothing about.
	sameButCase := ""
	rep, err := adapters.ScanJournalFrom(f, from, func(r adapters.Record) error {
		if !match(r) {
			if sameButCase == "" && *charger != "" && r.Charger != *charger && strings.EqualFold(r.Charger, *charger) {
				sameButCase = r.Charger
			}
			return nil
		}
		shown++
		if *asJSON {
			// The record as the journal holds it: --json is the
			// evidence, so an older kind is not renamed here.
			return enc.Encode(r)
		}
		withData = withData || r.DataTS != nil
		row := auditRow(r, loc)
		if whole {
			cols.add(row)
			streamed = streamed || len(rows) == auditRowsHeld
		}
		if streamed {
			rows = nil
		} else {
			rows = append(rows, row)
		}
		return nil
	})
	if err != nil {
		// The table stays unwritten: a failed read prints nothing on
		// stdout, not a header over no rows.
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk audit", "read the journal", fmt.Errorf("%s: %w", *file, err)))
		return 1
	}
	if rep.Records == 0 && len(rep.Corrupt) > 0 {
		// Complete lines and not one record: another file (the adapters
		// file, a recording), which the commands that append to a journal
		// refuse too. Said once, not line by line.
		fmt.Fprintln(stderr, say(said, "v2gdesk audit: %s: not an audit journal: %s", *file, notJournalWhy(*file, rep)))
		return 1
	}
	note := ""
	switch {
	case streamed:
		if err := cols.writeAgain(stdout, f, rep.End, match, func(r adapters.Record) []string { return auditRow(r, loc) }); err != nil {
			fmt.Fprintf(stderr, "v2gdesk audit: %s: %v\n", *file, err)
			return 1
		}
	case !*asJSON:
		fit, err := writeAuditTable(stdout, auditHeader(loc.String()), rows, width)
		if err != nil {
			fmt.Fprintf(stderr, "v2gdesk audit: %s: %v\n", *file, err)
			return 1
		}
		note = fit.note(width)
	}
	for _, c := range rep.Corrupt {
		fmt.Fprintf(stderr, "v2gdesk audit: %s: line %d (offset %d) is not a record: %v\n", *file, c.Line, c.Offset, c.Err)
	}
	if rep.Torn != nil {
		fmt.Fprintf(stderr, "v2gdesk audit: %s: %s; the record was never complete, so it was never reported as sent\n", *file, rep.Torn)
	}
	if b := rep.FirstSeqBreak; b != nil {
		fmt.Fprintf(stderr, "v2gdesk audit: %s: %s (the sequence goes back %s in the file): two processes wrote it, or it was pieced together from copies; its order may not be the order things happened in\n",
			*file, b, timesText(rep.SeqBreaks))
	}
	if shown == 0 && sameButCase != "" {
		fmt.Fprintln(stderr, say(said, "v2gdesk audit: no record about charger %q; did you mean %q? (ids are case-sensitive)", *charger, sameButCase))
	}
	if !*asJSON {
		fmt.Fprintf(stderr, "%d of %d %s shown\n", shown, rep.Records, pluralForm(rep.Records, "record", "records"))
		if note != "" {
			fmt.Fprintln(stderr, note)
		}
		if withData && *since != "" {
			// Two times a record; which one --since compared is not obvious.
			fmt.Fprintln(stderr, wrapWords("--since compared each record's TIME (when it was written), not its DATA TIME (the simulated or replayed time the desk showed)", width))
		}
	}
	return 0
}

// auditRow is r's cells in the table's columns, its times in loc.
func auditRow(r adapters.Record, loc *time.Location) []string {
	// The table shows older journals' ssh.logout, ssh.refused and
	// ssh.forbidden under today's names, so a reader looks for one name
	// whatever the journal's age.
	kind := string(r.Kind.Current())
	if r.DryRun {
		kind += " (dry)"
	}
	data := "-"
	if r.DataTS != nil {
		data = r.DataTS.In(loc).Format("2006-01-02 15:04:05")
	}
	return []string{strconv.FormatUint(r.Seq, 10), r.TS.In(loc).Format("2006-01-02 15:04:05"), data, kind,
		dash(r.Operator), dash(r.Charger), dash(r.Setpoint), kwText(r.KW), dash(string(r.Status)), kwText(r.AppliedKW),
		dash(r.Event), dash(oneLine(r.Reason)), dash(oneLine(r.Detail))}
}

// timesText says how often: "once", "3 times".
func timesText(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// notJournalWhy says why a file with no record is not a journal: it is
// gzip-compressed (most likely a recording), or none of its lines is a
// record, the first one's error quoted.
func notJournalWhy(file string, rep adapters.ScanReport) string {
	if f, err := os.Open(file); err == nil {
		magic := make([]byte, 2)
		n, _ := io.ReadFull(f, magic)
		f.Close()
		if n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			return fmt.Sprintf("it is gzip-compressed (a recording? play it with `v2gdesk replay %s`)", file)
		}
	}
	c := rep.Corrupt[0]
	if len(rep.Corrupt) == 1 {
		return fmt.Sprintf("its one line is not a journal record (line %d: %v)", c.Line, c.Err)
	}
	return fmt.Sprintf("none of its %d lines is a journal record (line %d: %v)", len(rep.Corrupt), c.Line, c.Err)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func kwText(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", *p)
}

// oneLine keeps a table row on one line whatever a reason contains.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
