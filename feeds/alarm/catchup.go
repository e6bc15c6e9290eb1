package alarm

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// A catch-up is a span of hours a replay or simulation delivers at once
// after a seek (feeds.Snapshot.CatchingUp). Nobody watched those hours, so
// raising every condition that came and went in them would flood the list
// with alarms no one can act on (ISA-18.2), yet the operator must not lose
// what happened. So, during a catch-up:
//
//   - alarms already listed before it carry on as usual;
//   - a condition that appears is held back, unlisted; if it still holds at
//     the arrival (the first snapshot after the catch-up) it is raised then,
//     unacknowledged, with its true start time;
//   - one that appears and clears inside the span is not raised but kept in
//     the CatchUp summary, which the Engine logs once and a desk shows.
//
// Feeder loading in the summary is read from each feeder's minute history
// over the span, not from the few snapshots a desk took while the hours
// went by in seconds: an overload that fell between two of them counts too.

// CatchUp summarises one catch-up.
type CatchUp struct {
	// N numbers the catch-ups an Engine has seen, from 1: a desk shows
	// each summary once.
	N uint64
	// From and To are the span skipped, by the snapshot clock: the time
	// before the seek (for a backward seek, the start of the history the
	// rebuilt fleet holds) and the arrival.
	From, To time.Time
	// Missed are the conditions that came and went inside the span, by
	// start time. None were raised.
	Missed []Missed
}

// Missed is a condition that started and ended inside a catch-up.
type Missed struct {
	Kind     Kind
	Source   string
	Feeder   string
	Severity Severity // the most severe it reached
	// Value is the peak loading in percent for KindLoading, else the
	// condition's figure when it was last seen.
	Value       float64
	First, Last time.Time
}

// Overloads counts the feeder loading conditions in the span that reached
// SevHigh, and names their feeders, sorted.
func (c CatchUp) Overloads() (n int, feeders []string) {
	return c.loading(func(s Severity) bool { return s >= SevHigh })
}

// Warnings counts the feeder loading conditions in the span that reached
// SevWarn but not SevHigh, and names their feeders, sorted.
func (c CatchUp) Warnings() (n int, feeders []string) {
	return c.loading(func(s Severity) bool { return s == SevWarn })
}

// Others counts the conditions in the span other than feeder loading
// (faults, lost communication, stale feeders, missed caps).
func (c CatchUp) Others() int {
	n := 0
	for _, m := range c.Missed {
		if m.Kind != KindLoading {
			n++
		}
	}
	return n
}

func (c CatchUp) loading(want func(Severity) bool) (int, []string) {
	n := 0
	seen := map[string]bool{}
	var feeders []string
	for _, m := range c.Missed {
		if m.Kind != KindLoading || !want(m.Severity) {
			continue
		}
		n++
		if !seen[m.Source] {
			seen[m.Source] = true
			feeders = append(feeders, m.Source)
		}
	}
	sort.Strings(feeders)
	return n, feeders
}

// catchUpState is the Engine's record of a catch-up under way.
type catchUpState struct {
	// from is the clock before the seek; zero after a backward seek's
	// reset or on a first look, when the span is whatever history the
	// fleet holds (at most a day), read at the arrival.
	from time.Time
	// shown are the feeders whose loading alarm was listed and active when
	// the catch-up began: an overload already running then is the listed
	// alarm's, which returns to normal as usual, not a missed one.
	shown  map[string]bool
	missed []Missed // conditions other than loading that came and went
	// Read from the histories at the arrival (readHistories): the loading
	// runs that ended inside the span, and the start of the run still on
	// at its end by feeder.
	runs []Missed
	open map[string]Missed
}

// beginCatchUp starts a catch-up from the snapshot clock from.
func (e *Engine) beginCatchUp(from time.Time) {
	cu := &catchUpState{from: from, shown: map[string]bool{}}
	for _, en := range e.alarms {
		if en.Kind == KindLoading && en.Active && !en.held {
			cu.shown[en.Source] = true
		}
	}
	e.catch = cu
}

// missedHeld records a held alarm whose condition cleared inside the
// catch-up. Loading is left to the feeder history (arrive).
func (e *Engine) missedHeld(en *entry, now time.Time) {
	if en.Kind == KindLoading {
		return
	}
	e.catch.missed = append(e.catch.missed, Missed{Kind: en.Kind, Source: en.Source, Feeder: en.Feeder,
		Severity: en.peak, Value: en.Value, First: en.First, Last: now})
}

// readHistories reads each feeder's minute history over the span at the
// arrival, before the loading is evaluated: the runs that ended inside it
// are kept for the summary, and a run still on at its end starts the
// feeder's delay-on timers when it began. The overload has held since
// then; the arrival must not wait out delay-on as if it had just begun,
// nor miss it when the whole catch-up fell between two snapshots.
func (e *Engine) readHistories(s *feeds.Snapshot, now time.Time) {
	cu := e.catch
	cu.open = map[string]Missed{}
	rebuilt := cu.from.IsZero()
	if rebuilt {
		cu.from = now
	}
	for i := range s.Feeders {
		f := &s.Feeders[i]
		from := cu.from
		if rebuilt {
			from = f.History.Start()
			if day := now.Add(-24 * time.Hour); from.Before(day) {
				from = day
			}
			// The first minute with data: the summary's span starts there.
			for j, kw := range f.History.Range(from, minuteFloor(now)) {
				if !math.IsNaN(kw) {
					from = minuteFloor(from).Add(time.Duration(j) * time.Minute)
					break
				}
			}
			if from.Before(cu.from) {
				cu.from = from
			}
		}
		runs, open, highSince := e.loadingRuns(f, from, now)
		for _, r := range runs {
			if r.First.Equal(minuteFloor(cu.from)) && cu.shown[f.ID] {
				continue
			}
			cu.runs = append(cu.runs, r)
		}
		if open == nil {
			continue
		}
		onSince := open.First
		cu.open[f.ID] = *open
		p := e.pending[f.ID]
		if p == nil {
			p = &pending{}
			e.pending[f.ID] = p
		}
		if p.warnSince.IsZero() || onSince.Before(p.warnSince) {
			p.warnSince = onSince
		}
		if !highSince.IsZero() && (p.highSince.IsZero() || highSince.Before(p.highSince)) {
			p.highSince = highSince
		}
	}
}

// arrive ends the catch-up at snapshot s: the held alarms still active are
// raised (loading ones dated from the history), and the summary of what
// came and went is kept and logged.
func (e *Engine) arrive(now time.Time, loc *time.Location) {
	cu := e.catch
	e.catch = nil
	missed := append(cu.missed, cu.runs...)
	for _, en := range e.alarms {
		if !en.held {
			continue
		}
		en.held = false
		en.Last = now // listed from the arrival
		if r, ok := cu.open[en.Source]; ok && en.Kind == KindLoading {
			// The history's minute is when it began; the snapshot that
			// raised it may be late (a quarter second of catch-up is an
			// hour) or early (a simulator's clock holds the time before
			// the seek while it delivers).
			en.First = r.First
			en.BeganUnseen = false
		}
		e.seq++
		en.Seq = e.seq
	}
	for id, r := range cu.open {
		// A run on at the end by the minute means (held by the deadband)
		// that the arrival's own figure does not alarm: it came and went
		// all the same.
		if en := e.alarms[alarmID(KindLoading, id)]; en == nil || !en.Active {
			r.Last = now
			missed = append(missed, r)
		}
	}
	sort.Slice(missed, func(i, j int) bool {
		if !missed[i].First.Equal(missed[j].First) {
			return missed[i].First.Before(missed[j].First)
		}
		return alarmID(missed[i].Kind, missed[i].Source) < alarmID(missed[j].Kind, missed[j].Source)
	})
	e.catchUps++
	e.last = CatchUp{N: e.catchUps, From: cu.from, To: now, Missed: missed}
	if len(missed) > 0 {
		e.logCatchUp(e.last, loc)
	}
}

// logCatchUp writes one warning line (the desk's log file keeps warnings)
// counting the conditions of the span that were not raised, by kind, and
// naming the first MaxListed (Digest): a line that named each ran to
// megabytes at 100,000 EVs. The feeders overloaded are capped alike. Its
// times are in loc, the site's zone (UTC when nil), as the alarms page
// and the journal give them: the data's own offsets (a feed's, a
// simulator's UTC clock) made 12:21 read 04:21 beside the page's 12:21.
func (e *Engine) logCatchUp(c CatchUp, loc *time.Location) {
	if loc == nil {
		loc = time.UTC
	}
	d := c.Digest(loc, MaxListed)
	over, feeders := c.Overloads()
	e.opts.Logger.Warn("alarm: conditions that came and went during a catch-up were not raised",
		"from", c.From.In(loc).Format(time.RFC3339), "to", c.To.In(loc).Format(time.RFC3339),
		"overloads", over, "feeders", ListIDs(feeders, MaxListed), "counts", d.Counts, "missed", d.Listed)
}

// ListIDs joins the first max of ids with commas and adds " and N more"
// for the rest.
func ListIDs(ids []string, max int) string {
	if len(ids) <= max {
		return strings.Join(ids, ",")
	}
	return strings.Join(ids[:max], ",") + fmt.Sprintf(" and %d more", len(ids)-max)
}

// loadingRuns reads feeder f's minute history over [from, to) against the
// limit in force now and returns each run of minutes at or over the
// warning threshold that ended inside the span, and the start of the run
// still going in the last whole minute (nil when there is none) and the
// start of its minutes at or over the high threshold up to the end. A run's
// severity is the highest its minutes reached; deadband and delay-on do
// not apply to minute means.
func (e *Engine) loadingRuns(f *feeds.FeederState, from, to time.Time) (runs []Missed, open *Missed, highSince time.Time) {
	if f.LimitKW <= 0 {
		return nil, nil, time.Time{}
	}
	start, end := minuteFloor(from), minuteFloor(to)
	vals := f.History.Range(start, end)
	var cur *Missed
	lvl := SevNone // with the deadband, as the live alarm holds its level
	for i, kw := range vals {
		pct := kw / f.LimitKW * 100
		if math.IsNaN(pct) {
			lvl = SevNone
		} else {
			lvl = e.Level(pct, lvl)
		}
		if lvl == SevNone {
			if cur != nil {
				cur.Last = start.Add(time.Duration(i) * time.Minute)
				runs = append(runs, *cur)
				cur = nil
			}
			highSince = time.Time{}
			continue
		}
		if cur == nil {
			cur = &Missed{Kind: KindLoading, Source: f.ID, Feeder: f.ID,
				First: start.Add(time.Duration(i) * time.Minute)}
		}
		cur.Value = max(cur.Value, pct)
		cur.Severity = max(cur.Severity, lvl)
		if lvl < SevHigh {
			highSince = time.Time{}
		} else if highSince.IsZero() {
			highSince = start.Add(time.Duration(i) * time.Minute)
		}
	}
	if cur == nil {
		return runs, nil, time.Time{}
	}
	return runs, cur, highSince
}

func minuteFloor(t time.Time) time.Time { return t.Truncate(time.Minute) }

// LastCatchUp returns the summary of the latest catch-up that has arrived,
// false before the first.
func (e *Engine) LastCatchUp() (CatchUp, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.last, e.catchUps > 0
}

// String is the severity's word as the log writes it.
func (s Severity) String() string {
	switch s {
	case SevHigh:
		return "HIGH"
	case SevWarn:
		return "WARN"
	case SevFault:
		return "FAULT"
	case SevStale:
		return "STALE"
	}
	return "none"
}
