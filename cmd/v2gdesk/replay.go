package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/tui"
)

// summaryEvery is the simulated interval between headless summary lines.
const summaryEvery = 15 * time.Minute

// runReplay plays a recording: on the dashboard, or with --headless as one
// summary line per 15 recorded minutes.
func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	speed := fs.Float64("speed", 1, "playback speed, 0.5 to 3600 (recorded time per wall time)")
	start := fs.String("start", "", "start at this time of day (`HH:MM`, the recording's time zone, its first day)")
	headless := fs.Bool("headless", false, "no dashboard: print a fleet summary per 15 recorded minutes, as fast as possible")
	loop := fs.Bool("loop", false, "start again at the end (dashboard only)")
	lang := fs.String("lang", "en", "interface language: en or zh-CN (dashboard only)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: v2gdesk replay FILE [--speed N] [--start HH:MM] [--headless | [--loop] [--lang en|zh-CN]]")
		fmt.Fprintln(fs.Output(), "\nPlays a .v2grec recording. A torn or truncated file plays up to its last complete frame.")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		flagValueHint(fs, err, stderr)
		return exitUsage
	}
	switch {
	case len(pos) == 0:
		fmt.Fprintln(stderr, "v2gdesk replay: the recording FILE is required")
		return exitUsage
	case len(pos) > 1:
		fmt.Fprintf(stderr, "v2gdesk replay: unexpected argument %q\n", pos[1])
		return exitUsage
	}
	dashOnly := ""
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "loop" || f.Name == "lang" {
			dashOnly = f.Name
		}
	})
	if *headless && dashOnly != "" {
		fmt.Fprintf(stderr, "v2gdesk replay: --%s goes with the dashboard, not --headless\n", dashOnly)
		return exitUsage
	}
	if err := replay.CheckSpeed(*speed); err != nil {
		fmt.Fprintf(stderr, "v2gdesk replay: --speed: %v\n", err)
		return exitUsage
	}
	if err := tui.CheckLang(*lang); err != nil {
		fmt.Fprintf(stderr, "v2gdesk replay: --lang: %v\n", err)
		return exitUsage
	}
	// The dashboard plays the file as it is read (replay.Open): a day of
	// 100,000 EVs takes long to read, and its first frames are enough to
	// start. The summary wants the whole span first: it reads it all.
	var rec *replay.Recording
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	if *headless {
		rec, err = replay.ReadFile(pos[0])
	} else {
		rec, err = replay.Open(readCtx, pos[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "v2gdesk replay: %v\n", err)
		return 1
	}
	p, err := replay.NewPlayer(rec, replay.PlayerOptions{Speed: *speed, Loop: *loop && !*headless, Unpaced: *headless})
	if err != nil {
		fmt.Fprintf(stderr, "v2gdesk replay: %v\n", err)
		return 1
	}
	loc := rec.Header.Location()
	var startAt time.Time
	if *start != "" {
		at, err := clockOn(rec.Start().In(loc), *start)
		if err != nil {
			fmt.Fprintf(stderr, "v2gdesk replay: --start: %v\n", err)
			return exitUsage
		}
		startAt = at
		if err := p.Seek(at); err != nil {
			fmt.Fprintf(stderr, "v2gdesk replay: --start %s: %v\n", *start, err)
			return 1
		}
	}
	if !*headless {
		log, closeLog := dashboardLog(stderr, *lang)
		defer closeLog()
		code := runDashboard(ctx, replayIngest(pos[0], rec, p), deskOptions{}, *lang, log, stderr)
		if code == 0 {
			// The operator quit, maybe before the file was all read:
			// the rest is not read on. A dashboard that could not start
			// (no terminal) leaves the file to be read and told as
			// before, so the command still reports on all of it.
			stopReading()
		}
		r, rerr := rec.Wait(context.Background())
		if rerr != nil {
			tellNotRead(stderr, *lang, pos[0], r.Frames, rec.End().In(loc))
		}
		// The dashboard had the screen while it played: say now what the
		// file held back, or it goes unnoticed.
		tellStoppedEarly(stderr, *lang, pos[0], r)
		if tellSkipped(stderr, pos[0], r) && code == 0 {
			code = 1
		}
		if *start != "" && rerr == nil && startAt.After(rec.End()) {
			// Taken while the file was being read; its end came first.
			fmt.Fprintf(stderr, "v2gdesk replay: --start %s: %v\n", *start, &replay.SeekRangeError{From: rec.Start(), To: rec.End(), Loc: loc})
			code = 1
		}
		return code
	}
	return replayHeadless(ctx, pos[0], p, loc, stdout, stderr)
}

// tellStoppedEarly says, in lang, after the dashboard played file, that
// its recording r ended on a torn line (a recorder stopped mid-write): the
// dashboard had the screen, so this is where the person learns it. The
// cause is an error and stays English.
func tellStoppedEarly(w io.Writer, lang, file string, r replay.Report) {
	if r.Stopped && errors.Is(r.Cause, io.ErrUnexpectedEOF) {
		fmt.Fprintln(w, tui.Say(lang, "%s: the file stopped early at line %d (byte %d of the decompressed stream): %v; the %d frames before it were played",
			file, r.StopLine, r.StopOffset, r.Cause, r.Frames))
	}
}

// tellNotRead says, in lang, that the dashboard playing file ended before
// the file was read to its end: frames were read, up to the recorded time
// until, and what comes after was not checked, so the damage told below
// is only that of the part read.
func tellNotRead(w io.Writer, lang, file string, frames int, until time.Time) {
	fmt.Fprintln(w, tui.Say(lang, "%s: the dashboard ended before the file was read to its end (%d frames read, to %s); the rest was not checked",
		file, frames, until.Format("15:04")))
}

// replayIngest is the desk's ingest for the recording rec of file played by
// p. The header's time zone stands in until the hello: without it, a file
// whose hello went with a damaged gzip member showed its times in UTC.
func replayIngest(file string, rec *replay.Recording, p *replay.Player) ingest {
	return ingest{src: p, what: "replay " + file, mode: feeds.ModeReplay, control: p, clock: p.Now,
		damage: recordingDamage(file, rec.Report), loc: rec.Header.Location(), loading: filepath.Base(file),
		reading: replayReading(file, p)}
}

// replayReading is the dashboard's view of the reading of file while p
// plays it (tui.Options.Reading): what the player waits for, how far the
// reading has got, and the damage it has found so far.
func replayReading(file string, p *replay.Player) func() tui.Reading {
	return func() tui.Reading {
		l := p.Loading()
		r := tui.Reading{Waiting: l.Waiting, Target: l.Target, Until: l.Until, Pct: -1, Done: l.Done,
			Damage: recordingDamage(file, l.Report)}
		if l.Size > 0 {
			r.Pct = int(min(l.Read*100/l.Size, 100))
		}
		if f := l.Refused; f.N > 0 {
			r.Refused = tui.SeekRefusal{N: f.N, Target: f.Target, End: f.End, Back: f.Back, Start: f.BeforeRun}
		}
		return r
	}
}

// replayHeadless runs the player unpaced into a Fleet and prints a summary
// line each time the replay clock passes a 15-minute boundary, then what it
// read. A torn tail (a recorder stopped mid-line) is normal and exits 0;
// corrupted data exits 1 once the frames before it are played.
func replayHeadless(ctx context.Context, file string, p *replay.Player, loc *time.Location, stdout, stderr io.Writer) int {
	rec := p.Recording()
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: p.Now})
	sum := &summarySink{fleet: fleet, now: p.Now, loc: loc, w: stdout}
	site := rec.Header.Site
	if site == "" {
		site = "(site not named)"
	}
	fmt.Fprintf(stdout, "%s, %s to %s (%s)\n", site, rec.Start().In(loc).Format("2006-01-02 15:04"),
		rec.End().In(loc).Format("2006-01-02 15:04"), loc)
	err := p.Run(ctx, sum)
	sum.line() // the state at the end
	snap := fleet.Snapshot()
	r := rec.Report
	fmt.Fprintf(stdout, "read %d frames, %d lines skipped", r.Frames, r.Skipped)
	if r.Backwards > 0 {
		fmt.Fprintf(stdout, ", %d back in time", r.Backwards)
	}
	if r.Gaps > 0 {
		fmt.Fprintf(stdout, ", %d gaps over %v", r.Gaps, replay.LongGap)
	}
	if r.Stopped {
		fmt.Fprintf(stdout, "; the file stopped early at line %d (byte %d of the decompressed stream): %v", r.StopLine, r.StopOffset, r.Cause)
	} else {
		fmt.Fprint(stdout, "; the file ended cleanly")
	}
	fmt.Fprintf(stdout, "\nfleet: %d frames accepted, %d rejected", snap.Stats.Frames, snap.Stats.RejectTotal())
	if reasons := snap.Stats.RejectReasons(); len(reasons) > 0 {
		var parts []string
		for _, rr := range reasons {
			parts = append(parts, fmt.Sprintf("%s %d", rr, snap.Stats.Rejects[rr]))
		}
		fmt.Fprintf(stdout, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(stdout, ", %d ignored as older\n", snap.Stats.Ignored)
	corrupt := tellSkipped(stderr, file, r)
	if err != nil {
		fmt.Fprintf(stderr, "v2gdesk replay: %v\n", err)
		return 1
	}
	if corrupt {
		return 1
	}
	return 0
}

// tellSkipped writes to w the lines of file that reading skipped (alone, or
// with a gzip member that failed its check), went back in time or followed a
// long gap, each with its line number, and, when the file is corrupt
// (damaged other than by a torn tail), where; it reports whether it is.
func tellSkipped(w io.Writer, file string, r replay.Report) (corrupt bool) {
	for _, n := range r.SkipNotes {
		fmt.Fprintf(w, "%s: skipped %s\n", file, n)
	}
	if more := r.Skipped - r.MemberSkipped - len(r.SkipNotes); more > 0 {
		fmt.Fprintf(w, "%s: %d more lines skipped\n", file, more)
	}
	for _, n := range r.MemberNotes {
		fmt.Fprintf(w, "%s: skipped %s\n", file, n)
	}
	more := r.BadMembers - len(r.MemberNotes)
	if r.HeaderNote != "" {
		fmt.Fprintf(w, "%s: %s\n", file, r.HeaderNote)
		more--
	}
	if more > 0 {
		fmt.Fprintf(w, "%s: %d more gzip members failed their check and were skipped\n", file, more)
	}
	if r.HelloFromHeaderNote != "" {
		// The topology on show is not the file's own line: say whence.
		fmt.Fprintf(w, "%s: %s\n", file, r.HelloFromHeaderNote)
	}
	if r.HeaderTopologyNote != "" {
		fmt.Fprintf(w, "%s: %s\n", file, r.HeaderTopologyNote)
	}
	if r.LostHelloNote != "" {
		// Else the rejects that follow (no_topology) read as a feed's
		// fault, not the file's.
		fmt.Fprintf(w, "%s: %s\n", file, r.LostHelloNote)
	}
	for _, n := range r.TimeNotes {
		fmt.Fprintf(w, "%s: %s\n", file, n)
	}
	if more := r.Backwards + r.Gaps - len(r.TimeNotes); more > 0 {
		fmt.Fprintf(w, "%s: %d more lines back in time or after a gap of over %v\n", file, more, replay.LongGap)
	}
	if !r.Stopped || errors.Is(r.Cause, io.ErrUnexpectedEOF) {
		return r.BadMembers > 0
	}
	fmt.Fprintf(w, "v2gdesk replay: %s is corrupt at line %d (byte %d of the decompressed stream): %v; the %d frames before it were played\n",
		file, r.StopLine, r.StopOffset, r.Cause, r.Frames)
	return true
}

// recordingDamage is what reading file held back, in figures, for the
// dashboard to word in the operator's language while it plays; the lines
// themselves are told on stderr at the end (tellSkipped).
func recordingDamage(file string, r replay.Report) *tui.RecordingDamage {
	d := &tui.RecordingDamage{File: filepath.Base(file), Skipped: r.Skipped, CorruptSkipped: r.MemberSkipped,
		CorruptMembers: r.BadMembers, TimeJumps: r.Backwards + r.Gaps, TopologyLine: r.LostHello, HeaderTopologyLine: r.HelloFromHeader}
	if r.Stopped {
		d.StopLine, d.StopCorrupt = r.StopLine, !errors.Is(r.Cause, io.ErrUnexpectedEOF)
	}
	return d
}

// summarySink feeds a Fleet and prints a line per 15 recorded minutes.
type summarySink struct {
	fleet *feeds.Fleet
	now   func() time.Time
	loc   *time.Location
	w     io.Writer
	next  time.Time
	shown time.Time // replay time of the latest line
}

func (s *summarySink) HandleFrame(raw []byte) {
	s.fleet.HandleFrame(raw)
	now := s.now()
	if s.next.IsZero() {
		s.next = now.Truncate(summaryEvery).Add(summaryEvery)
		return
	}
	if !now.Before(s.next) {
		s.line()
		for !now.Before(s.next) {
			s.next = s.next.Add(summaryEvery)
		}
	}
}

func (s *summarySink) HandleLink(ev feeds.LinkEvent) {
	s.fleet.HandleLink(ev)
	if ev.Reset {
		s.next = time.Time{}
	}
}

// line prints one summary of the fleet now.
func (s *summarySink) line() {
	snap := s.fleet.Snapshot()
	now := s.now()
	if !snap.HaveTopology || now.Equal(s.shown) {
		return
	}
	s.shown = now
	over := 0
	worst := ""
	worstPct := 0.0
	for _, f := range snap.Feeders {
		if f.LoadingPct > 100 {
			over++
		}
		if f.Seen && f.LoadingPct > worstPct {
			worst, worstPct = f.ID, f.LoadingPct
		}
	}
	ids := make([]string, 0)
	for _, f := range snap.Feeders {
		if f.LoadingPct > 100 {
			ids = append(ids, f.ID)
		}
	}
	sort.Strings(ids)
	charging := snap.States[feeds.StateCharging.Index()]
	discharging := snap.States[feeds.StateDischarging.Index()]
	// Percentages round down, as on the dashboard (tui.Pct): a feeder at
	// 99.6 % must not read as the 100 % it has not reached.
	fmt.Fprintf(s.w, "%s  load %8.0f kW of %8.0f (%4s)  worst %s %4s  overloaded %d%s  plugged %d  charging %d  discharging %d  V2G %6.0f kW\n",
		now.In(s.loc).Format("15:04"), snap.System.KW, snap.System.ImportLimitKW, tui.Pct(snap.System.LoadingPct),
		worst, tui.Pct(worstPct), over, bracket(ids), snap.V2G.Plugged, charging, discharging, snap.V2G.DischargeKW)
}

func bracket(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return " [" + strings.Join(ids, " ") + "]"
}

// recordingExt is the extension v2gdesk record's files go by (docs/replay.md).
const recordingExt = ".v2grec"

// isRecording reports whether name is, by its extension, a recording.
func isRecording(name string) bool { return strings.HasSuffix(name, recordingExt) }

// playHint says how to play the recording file.
func playHint(file string) string { return "to play a recording: v2gdesk replay " + file }

// replayFlag finds a --replay flag in the dashboard's args, as a player's
// command line would have it, and returns the file it names ("FILE" when
// none); the dashboard has no such flag and plays recordings as `v2gdesk
// replay FILE`.
func replayFlag(args []string) (file string, ok bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "replay" {
			continue
		}
		switch {
		case hasValue:
			return value, true
		case i+1 < len(args) && !strings.HasPrefix(args[i+1], "-"):
			return args[i+1], true
		}
		return "FILE", true
	}
	return "", false
}
