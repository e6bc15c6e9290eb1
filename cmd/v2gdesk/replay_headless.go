package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/replay"
	"github.com/v2gdesk/v2gdesk/tui"
)

// summaryEvery is the simulated interval between headless summary lines.
const summaryEvery = 15 * time.Minute

// stamp is how the headless replay writes a recording's start and end.
const stamp = "2006-01-02 15:04"

// replayHeadless plays file with p, unpaced, into a Fleet while the file
// is still being read (replay.Open): it prints the recording's site and
// start at once, a summary line each time the replay clock passes a
// 15-minute boundary, then the end once the reading has found it, and what
// it read. Damage is told on stderr as the reading finds it, the rest at
// the end. It used to read the whole file first, for the end its first
// line printed: 7-10 s of nothing on a 22 MB day of 100,000 EVs.
//
// start, when not empty, is --start at startAt: the play begins at the
// index point before it, which is known once the reading is past it, so
// it waits for that; a startAt the reading finds past the end is refused
// (exit 1). A torn tail (a recorder stopped mid-line) is normal and exits
// 0; corrupted data exits 1 once the frames before it are played.
//
// A write to stdout that fails (> /dev/full, a closed pipe) stops the play
// and the reading (stopReading) at once and exits 1 saying so: it read the
// whole recording first, for lines that were all lost.
//
// Its messages on stderr are in lang (the shell's locale); the summary on
// stdout is a script's format and stays English.
func replayHeadless(ctx context.Context, lang, file string, p *replay.Player, start string, startAt time.Time, stopReading context.CancelFunc, stdout, stderr io.Writer) int {
	ctx, stopPlay := context.WithCancel(ctx)
	defer stopPlay()
	out := &checkedWriter{w: stdout, stop: func() { stopPlay(); stopReading() }}
	stdout = out
	rec := p.Recording()
	loc := rec.Header.Location()
	site := rec.Header.Site
	if site == "" {
		site = "(site not named)"
	}
	// The end is not known yet: it is the last frame, and a gzip stream
	// is read from its start. The line keeps its shape whatever the
	// reading has got to, so a script reads one format.
	fmt.Fprintf(stdout, "%s, from %s (%s); end: not read yet\n", site, rec.Start().In(loc).Format(stamp), loc)
	if werr := out.failed(); werr != nil {
		fmt.Fprintln(stderr, say(lang, "v2gdesk replay: could not write to stdout: %v: stopped before playing %s", werr, file))
		return 1
	}
	damage := &damageTeller{w: stderr, lang: lang, file: file}
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: p.Now})
	sum := &summarySink{fleet: fleet, now: p.Now, loc: loc, w: stdout,
		read: func() { damage.tell(rec.Progress().Report) }}
	var err error
	if start != "" {
		if _, err = rec.ReadPast(ctx, startAt); err == nil {
			if err := p.Seek(startAt); err != nil {
				fmt.Fprintln(stderr, say(lang, "v2gdesk replay: --start %s: %v", start, err))
				return 1
			}
		}
	}
	if err == nil {
		err = p.Run(ctx, sum)
	}
	if werr := out.failed(); werr != nil {
		fmt.Fprintln(stderr, say(lang, "v2gdesk replay: could not write to stdout: %v: stopped at %s of %s, the rest not played",
			werr, p.Now().In(loc).Format(stamp), file))
		return 1
	}
	sum.line() // the state at the end
	// Run returns at the end of what the reading found, or once ctx is
	// done, which stops the reading too.
	r, rerr := rec.Wait(context.Background())
	if rerr != nil {
		fmt.Fprintf(stdout, "end: not read (the reading stopped after %d frames, at %s)\n", r.Frames, rec.End().In(loc).Format(stamp))
	} else {
		fmt.Fprintf(stdout, "end: %s\n", rec.End().In(loc).Format(stamp))
	}
	snap := fleet.Snapshot()
	fmt.Fprintf(stdout, "read %d %s, %d %s skipped", r.Frames, pluralForm(r.Frames, "frame", "frames"), r.Skipped, pluralForm(r.Skipped, "line", "lines"))
	if r.Backwards > 0 {
		fmt.Fprintf(stdout, ", %d back in time", r.Backwards)
	}
	if r.Gaps > 0 {
		fmt.Fprintf(stdout, ", %d %s over %v", r.Gaps, pluralForm(r.Gaps, "gap", "gaps"), replay.LongGap)
	}
	switch {
	case r.Stopped:
		fmt.Fprintf(stdout, "; the file stopped early at line %d (byte %d of the decompressed stream): %v", r.StopLine, r.StopOffset, r.Cause)
	case rerr != nil:
		fmt.Fprint(stdout, "; the reading stopped before the file's end")
	default:
		fmt.Fprint(stdout, "; the file ended cleanly")
	}
	fmt.Fprintf(stdout, "\nfleet: %d %s accepted, %d rejected", snap.Stats.Frames, pluralForm(snap.Stats.Frames, "frame", "frames"), snap.Stats.RejectTotal())
	if reasons := snap.Stats.RejectReasons(); len(reasons) > 0 {
		var parts []string
		for _, rr := range reasons {
			parts = append(parts, fmt.Sprintf("%s %d", rr, snap.Stats.Rejects[rr]))
		}
		fmt.Fprintf(stdout, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(stdout, ", %d ignored as older\n", snap.Stats.Ignored)
	if rerr != nil {
		fmt.Fprintln(stderr, sayPlural(lang, r.Frames, "%s: the replay ended before the file was read to its end (%d frame read, to %s); the rest was not checked",
			"%s: the replay ended before the file was read to its end (%d frames read, to %s); the rest was not checked",
			file, r.Frames, rec.End().In(loc).Format("15:04")))
	}
	corrupt := damage.finish(r)
	if err != nil {
		fmt.Fprintf(stderr, "v2gdesk replay: %v\n", err) // the player's words, passed on
		return 1
	}
	if corrupt {
		return 1
	}
	return 0
}

// summarySink feeds a Fleet and prints a line per 15 recorded minutes.
type summarySink struct {
	fleet *feeds.Fleet
	now   func() time.Time
	loc   *time.Location
	w     io.Writer
	next  time.Time
	shown time.Time // replay time of the latest line
	// read, when set, is called before each frame is handled: the
	// headless replay tells there the damage the reading has found.
	read func()
}

func (s *summarySink) HandleFrame(raw []byte) {
	if s.read != nil {
		s.read()
	}
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
	if !slices.ContainsFunc(snap.Feeders, func(f feeds.FeederState) bool { return f.Seen }) {
		// The topology alone (a recording cut short after its hello):
		// "load 0 kW of 17300 (0%)" read as a site that drew nothing.
		fmt.Fprintf(s.w, "%s  no feeder measured yet\n", now.In(s.loc).Format("15:04"))
		return
	}
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
