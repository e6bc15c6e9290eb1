package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/v2gdesk/v2gdesk/replay"
)

// tellSkipped writes to w the lines of file that reading skipped (alone, or
// with a gzip member that failed its check), went back in time or followed a
// long gap, each with its line number, and, when the file is corrupt
// (damaged other than by a torn tail), where; it reports whether it is.
func tellSkipped(w io.Writer, lang, file string, r replay.Report) (corrupt bool) {
	return (&damageTeller{w: w, lang: lang, file: file}).finish(r)
}

// damageTeller tells a recording's damage on w as the reading finds it
// (tell, with each report so far) and the rest at the end (finish): a
// headless replay reads the file as it plays, and a note told only at the
// end of a long file comes after everything it explains. It remembers what
// it has told, so no note is told twice: the reports of one reading only
// grow. It words its notes in lang; what the reading said (the notes
// themselves, a JSON error) is passed on as said, as the command line's
// other frames do.
type damageTeller struct {
	w    io.Writer
	lang string
	file string
	// The notes of each kind told so far.
	skips, members, times                         int
	header, fromHeader, headerTopology, lostHello bool
}

// tell writes the notes of r not told yet.
func (d *damageTeller) tell(r replay.Report) { d.write(r, false) }

// finish writes the notes of r, the whole file's report, not told yet,
// then how many more there were than notes and, when the file is corrupt
// (damaged other than by a torn tail), where; it reports whether it is.
// A teller that told nothing before writes what tellSkipped always did, in
// the same order.
func (d *damageTeller) finish(r replay.Report) (corrupt bool) {
	d.write(r, true)
	if !r.Stopped || errors.Is(r.Cause, io.ErrUnexpectedEOF) {
		return r.BadMembers > 0
	}
	fmt.Fprintln(d.w, sayPlural(d.lang, r.Frames, "v2gdesk replay: %s is corrupt at line %d (byte %d of the decompressed stream): %v; the %d frame before it was played",
		"v2gdesk replay: %s is corrupt at line %d (byte %d of the decompressed stream): %v; the %d frames before it were played",
		d.file, r.StopLine, r.StopOffset, r.Cause, r.Frames))
	return true
}

func (d *damageTeller) write(r replay.Report, final bool) {
	w, file := d.w, d.file
	for ; d.skips < len(r.SkipNotes); d.skips++ {
		fmt.Fprintln(w, say(d.lang, "%s: skipped %s", file, r.SkipNotes[d.skips]))
	}
	if more := r.Skipped - r.MemberSkipped - len(r.SkipNotes); final && more > 0 {
		fmt.Fprintln(w, say(d.lang, "%s: %d more lines skipped", file, more))
	}
	for ; d.members < len(r.MemberNotes); d.members++ {
		fmt.Fprintln(w, say(d.lang, "%s: skipped %s", file, r.MemberNotes[d.members]))
	}
	more := r.BadMembers - len(r.MemberNotes)
	if r.HeaderNote != "" {
		d.once(&d.header, r.HeaderNote)
		more--
	}
	if final && more > 0 {
		fmt.Fprintln(w, say(d.lang, "%s: %d more gzip members failed their check and were skipped", file, more))
	}
	if r.HelloFromHeaderNote != "" {
		// The topology on show is not the file's own line: say whence.
		d.once(&d.fromHeader, r.HelloFromHeaderNote)
	}
	if r.HeaderTopologyNote != "" {
		d.once(&d.headerTopology, r.HeaderTopologyNote)
	}
	if r.LostHelloNote != "" {
		// Else the rejects that follow (no_topology) read as a feed's
		// fault, not the file's.
		d.once(&d.lostHello, r.LostHelloNote)
	}
	for ; d.times < len(r.TimeNotes); d.times++ {
		fmt.Fprintf(w, "%s: %s\n", file, r.TimeNotes[d.times])
	}
	if more := r.Backwards + r.Gaps - len(r.TimeNotes); final && more > 0 {
		fmt.Fprintln(w, say(d.lang, "%s: %d more lines back in time or after a gap of over %v", file, more, replay.LongGap))
	}
}

// once writes note unless told says it was, and marks it told.
func (d *damageTeller) once(told *bool, note string) {
	if !*told {
		fmt.Fprintf(d.w, "%s: %s\n", d.file, note)
		*told = true
	}
}
