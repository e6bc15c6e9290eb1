package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/tui"
)

// runReplay plays a recording: on the dashboard, or with --headless as one
// summary line per 15 recorded minutes.
func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("v2gdesk replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	speed := fs.Float64("speed", 1, "playback speed, 0.5 to 3600 (recorded time per wall time) (dashboard only: --headless plays as fast as possible)")
	start := fs.String("start", "", "start at this time of day (`HH:MM`, the recording's time zone, its first day)")
	headless := fs.Bool("headless", false, "no dashboard: print a fleet summary per 15 recorded minutes, as fast as possible")
	loop := fs.Bool("loop", false, "start again at the end (dashboard only)")
	lang := fs.String("lang", "en", "interface language: en or zh-CN (dashboard only)")
	journal := fs.String("journal", "", "audit journal `FILE` for the operator's actions: pause, speed, seeks and the seeks the reading refused, alarms, DR (dashboard only; default none)")
	said := commandLang(args, true)
	fs.Usage = func() {
		printUsage(fs, said, `Usage: v2gdesk replay FILE [--start HH:MM] [--headless | [--speed FACTOR] [--loop] [--lang en|zh-CN] [--journal FILE]]

Plays a .v2grec recording. A torn or truncated file plays up to its last complete frame.
`)
	}
	pos, err := parseInterspersed(fs, args, said, stdout)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	switch {
	case len(pos) == 0:
		fmt.Fprintln(stderr, say(said, "v2gdesk replay: the recording FILE is required"))
		return exitUsage
	case len(pos) > 1:
		fmt.Fprintln(stderr, say(said, "v2gdesk replay: unexpected argument %q", pos[1]))
		return exitUsage
	}
	// --headless plays unpaced: a --speed given with it would be
	// silently ignored, as would the dashboard's own flags.
	dashOnly := ""
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "speed" || f.Name == "loop" || f.Name == "lang" || f.Name == "journal" {
			dashOnly = f.Name
		}
	})
	if *headless && dashOnly != "" {
		fmt.Fprintln(stderr, say(said, "v2gdesk replay: --%s goes with the dashboard, not --headless", dashOnly))
		return exitUsage
	}
	if *headless {
		// --headless takes no --lang (its summary is a script's format):
		// its messages follow the shell's locale, as status's and
		// record's do, or a zh-CN engineer could never read them in
		// Chinese.
		said = commandLang(nil, false)
	}
	if err := replay.CheckSpeed(*speed); err != nil {
		fmt.Fprintln(stderr, say(said, "v2gdesk replay: --speed: %v", err))
		return exitUsage
	}
	if tui.CheckLang(*lang) != nil {
		fmt.Fprintln(stderr, say(said, "v2gdesk replay: --lang: %q: unknown interface language (want en or zh-CN)", *lang))
		return exitUsage
	}
	// The file plays as it is read (replay.Open), on the dashboard and
	// headless: a day of 100,000 EVs takes long to read, and its first
	// frames are enough to start.
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	rec, err := replay.Open(readCtx, pos[0])
	if err != nil {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk replay", "read the recording", err))
		return 1
	}
	p, err := replay.NewPlayer(rec, replay.PlayerOptions{Speed: *speed, Loop: *loop && !*headless, HoldAtEnd: !*headless, Unpaced: *headless})
	if err != nil {
		fmt.Fprintln(stderr, sayFailed(said, "v2gdesk replay", "play the recording", err))
		return 1
	}
	loc := rec.Header.Location()
	var startAt time.Time
	if *start != "" {
		at, err := clockOn(rec.Start().In(loc), *start)
		if err != nil {
			fmt.Fprintln(stderr, say(said, "v2gdesk replay: --start: %v", err))
			return exitUsage
		}
		startAt = at
		seek := p.Seek
		if *headless {
			// Before the first frame is refused now; the headless
			// replay seeks once the reading is past it.
			seek = p.CheckSeek
		}
		if err := seek(at); err != nil {
			fmt.Fprintln(stderr, say(said, "v2gdesk replay: --start %s: %v", *start, err))
			return 1
		}
	}
	if !*headless {
		log, closeLog := dashboardLog(stderr, *lang)
		defer closeLog()
		code := runDashboard(ctx, replayIngest(pos[0], rec, p), deskOptions{journal: *journal}, *lang, log, stderr)
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
		if tellSkipped(stderr, *lang, pos[0], r) && code == 0 {
			code = 1
		}
		if *start != "" && rerr == nil && startAt.After(rec.End()) {
			// Taken while the file was being read; its end came first.
			fmt.Fprintln(stderr, say(said, "v2gdesk replay: --start %s: %v", *start, &replay.SeekRangeError{From: rec.Start(), To: rec.End(), Loc: loc}))
			code = 1
		}
		return code
	}
	return replayHeadless(ctx, said, pos[0], p, *start, startAt, stopReading, stdout, stderr)
}

// tellStoppedEarly says, in lang, after the dashboard played file, that
// its recording r ended on a torn line (a recorder stopped mid-write): the
// dashboard had the screen, so this is where the person learns it. The
// cause is an error and stays English.
func tellStoppedEarly(w io.Writer, lang, file string, r replay.Report) {
	if r.Stopped && errors.Is(r.Cause, io.ErrUnexpectedEOF) {
		format := "%s: the file stopped early at line %d (byte %d of the decompressed stream): %v; the %d frames before it were played"
		if r.Frames == 1 {
			format = "%s: the file stopped early at line %d (byte %d of the decompressed stream): %v; the %d frame before it was played"
		}
		fmt.Fprintln(w, tui.Say(lang, format,
			file, r.StopLine, r.StopOffset, r.Cause, r.Frames))
	}
}

// tellNotRead says, in lang, that the dashboard playing file ended before
// the file was read to its end: frames were read, up to the recorded time
// until, and what comes after was not checked, so the damage told below
// is only that of the part read.
func tellNotRead(w io.Writer, lang, file string, frames int, until time.Time) {
	format := "%s: the dashboard ended before the file was read to its end (%d frames read, to %s); the rest was not checked"
	if frames == 1 {
		format = "%s: the dashboard ended before the file was read to its end (%d frame read, to %s); the rest was not checked"
	}
	fmt.Fprintln(w, tui.Say(lang, format,
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

// recordingExt is the extension v2gdesk record's files go by (docs/replay.md).
const recordingExt = ".v2grec"

// isRecording reports whether name is, by its extension, a recording.
func isRecording(name string) bool { return strings.HasSuffix(name, recordingExt) }

// playHintIn says, in lang, how to play the recording file.
func playHintIn(lang, file string) string {
	return say(lang, "to play a recording: v2gdesk replay %s", file)
}

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
