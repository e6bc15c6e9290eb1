package tui

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// triageTop is how many of a feeder's biggest chargers triage names.
const triageTop = 3

// trendWindowTriage is how far back triage looks for a feeder's trend.
const trendWindowTriage = 10 * time.Minute

// triageRow is one feeder at or over its warning threshold.
type triageRow struct {
	feeder int // index into snap.Feeders
	sev    alarm.Severity
	// shelved: the feeder's loading alarm is shelved; the overload is
	// not, and the row says so rather than look like any other.
	shelved bool
	// since is when the feeder came to the row's level and stayed there:
	// over its limit for a ▲ HIGH, near it for a △ WARN (levelSince);
	// zero when its alarm is not raised yet.
	since time.Time
	// sinceUnseen: since is the alarm's first time and its condition
	// began unseen, at or before it (alarm.Alarm.BeganUnseen).
	sinceUnseen bool
	trend       float64 // loading change over trendWindowTriage, percentage points
	top         []feeds.ChargerStatus
}

// triageRows lists the feeders at or over the warning threshold, worst
// first (by severity, then loading, then time at that level), with how
// long, which way they are heading and their biggest loads. The charger
// walk is done once per snapshot and cached on the page.
func (m *Model) triageRows(p *page) []triageRow {
	s := m.snap
	if s == nil {
		// Before the first snapshot: t pressed as an SSH session opened
		// ended the session ("the desk hit an internal error"), the
		// footer's keys asking for the rows.
		return nil
	}
	key := "triage"
	if p.idxSeq == s.Seq && p.idxKey == key && p.rows != nil {
		return p.rows
	}
	warn, _ := m.alarms.Thresholds()
	b := m.board()
	var rows []triageRow
	at := map[string]int{}
	for i := range s.Feeders {
		fs := &s.Feeders[i]
		if !fs.Seen || fs.Stale || fs.LimitKW <= 0 || fs.LoadingPct < warn {
			// A stale reading is not the present: a feeder last heard
			// over its threshold was listed and ranked among the live
			// rows with its old figures. It goes under "not judged,
			// stale" with the loading and time of its last reading.
			continue
		}
		r := triageRow{feeder: i, sev: alarm.SevWarn, trend: math.NaN()}
		if a, ok := b.Find("loading/" + fs.ID); ok && a.Active {
			r.sev, r.shelved = a.Severity, a.State == alarm.StateShelved
			r.since = m.levelSince(fs, r.sev, a.First, s.At)
			r.sinceUnseen = a.BeganUnseen && r.since.Equal(a.First)
		} else if _, high := m.alarms.Thresholds(); fs.LoadingPct >= high {
			r.sev = alarm.SevHigh
		}
		h := fs.History.Range(s.At.Add(-trendWindowTriage), s.At)
		if first, last := firstLast(h); !math.IsNaN(first) {
			r.trend = (last - first) / fs.LimitKW * 100
		}
		at[fs.ID] = len(rows)
		rows = append(rows, r)
	}
	if len(rows) > 0 {
		for i, n := 0, s.NumChargers(); i < n; i++ {
			c := s.ChargerAt(i)
			j, ok := at[c.Feeder]
			if !ok || !c.Seen || c.Last.KW <= 0 {
				continue
			}
			r := &rows[j]
			r.top = append(r.top, c)
			sort.SliceStable(r.top, func(a, b int) bool { return r.top[a].Last.KW > r.top[b].Last.KW })
			if len(r.top) > triageTop {
				r.top = r.top[:triageTop]
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].sev != rows[j].sev {
			return rows[i].sev > rows[j].sev
		}
		// Then the higher loading: the feeder furthest over its limit is
		// the one to act on first, and the alarm list ranks its loading
		// alarms so (alarm.WorseFirst). Ranked by time over the limit, a
		// feeder at 119 % and rising sat below two at 101 % for longer,
		// while the overview's alarm list put it first.
		if a, b := s.Feeders[rows[i].feeder].LoadingPct, s.Feeders[rows[j].feeder].LoadingPct; a != b {
			return a > b
		}
		// Then the longest at that level.
		a, b := rows[i].since, rows[j].since
		return !a.IsZero() && (b.IsZero() || a.Before(b))
	})
	p.rows, p.idxSeq, p.idxKey = rows, s.Seq, key
	return rows
}

// triageSev is feeder's loading level in triage, as its row shows it;
// alarm.SevNone when it has no row.
func (m *Model) triageSev(feeder string) alarm.Severity {
	if m.snap == nil {
		return alarm.SevNone
	}
	for _, r := range m.triageRows(m.page()) {
		if m.snap.Feeders[r.feeder].ID == feeder {
			return r.sev
		}
	}
	return alarm.SevNone
}

// levelSince is when feeder fs came to loading level sev (or above) and
// held it, by the alarm's rule with its deadband (alarm.Engine.Level), up
// to now: read from its minute history from the alarm's first time, from.
// The alarm's first time is when its condition began, the warning: a
// feeder over its limit for 2 minutes after 90 minutes near it read "▲ HIGH
// F10 101% · for 93 min", and ranked above one over it for 25. Minutes
// without data leave the level as it was; when no whole minute shows the
// level yet (it came this minute) it is now.
func (m *Model) levelSince(fs *feeds.FeederState, sev alarm.Severity, from, now time.Time) time.Time {
	if fs.LimitKW <= 0 {
		return from
	}
	start := from.Truncate(time.Minute)
	lvl, since := alarm.SevNone, time.Time{}
	for i, v := range fs.History.Range(start, now.Truncate(time.Minute).Add(time.Minute)) {
		if math.IsNaN(v) {
			continue
		}
		lvl = m.alarms.Level(v/fs.LimitKW*100, lvl)
		switch {
		case lvl < sev:
			since = time.Time{}
		case since.IsZero():
			since = start.Add(time.Duration(i) * time.Minute)
		}
	}
	switch {
	case since.IsZero():
		return now
	case since.Before(from):
		return from
	}
	return since
}

// firstLast returns the first and last values of vals that are not NaN.
func firstLast(vals []float64) (first, last float64) {
	first, last = math.NaN(), math.NaN()
	for _, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		if math.IsNaN(first) {
			first = v
		}
		last = v
	}
	return first, last
}

// triageView is the on-call screen (t): the feeders over or near their
// limit, for how long, their trend and their biggest chargers; enter opens
// the feeder.
func (m *Model) triageView(p *page, w, h int) []string {
	t := m.tr.t
	rows := m.triageRows(p)
	over := 0
	_, high := m.alarms.Thresholds()
	for _, r := range rows {
		if m.snap.Feeders[r.feeder].LoadingPct >= high {
			over++
		}
	}
	// The feeders triage cannot judge take their lines first: a feeder
	// without a limit or data is neither listed nor under its limit.
	unjudged := m.unjudgedFeeders(rows)
	title := fmt.Sprintf(t("Triage · %s over limit · %s near it"), thousands(int64(over)), thousands(int64(len(rows)-over)))
	if unjudged.judged == 0 && unjudged.total > 0 {
		// During a link loss every feeder is stale: "0 over limit · 0
		// near it" read as all clear where nothing was known.
		title = t("Triage · no feeder can be judged")
	}
	inner := h - 2
	var suggest []string
	if m.opts.Dispatch != nil && len(rows) > 0 {
		cur := max(0, min(p.cursor, len(rows)-1))
		// The bottom lines hold the suggested action, never more than
		// half the box, wrapped: cut, at 80 columns it lost its "0 EVs
		// short" and the key that proposes it.
		suggest = wrapLines(arrowBreak(m.suggestionLines(m.snap.Feeders[rows[cur].feeder].ID), w-4), w-4)
		suggest = suggest[:max(1, min(len(suggest), inner/2))]
		inner -= len(suggest)
	}
	notes := m.unjudgedLines(unjudged)
	if len(rows) > 0 && len(notes) > 0 {
		notes = notes[:min(len(notes), max(0, inner-2))]
		inner -= len(notes)
	}
	per := 2 // lines per feeder
	visible := max(1, inner/per)
	scroll(p, len(rows), visible)
	p.visible = visible
	var lines []string
	loc := m.loc()
	for i := p.offset; i < len(rows) && len(lines)+per <= inner; i++ {
		r := rows[i]
		fs := &m.snap.Feeders[r.feeder]
		mark := "  "
		if i == p.cursor {
			mark = cursorMark
		}
		sev := m.sevText(r.sev)
		if r.shelved {
			sev = m.shelvedText(r.sev) // as the feeders list marks it
		}
		lead := mark + fit(sev, 9) + " " + fit(fs.ID, 6) + " " + fitR(pct(fs.LoadingPct), 5) + "  "
		head := lead + kw(fs.KW) + " / " + kw(fs.LimitKW) + " kW"
		// A ▲ HIGH row back under its limit: the alarm holds until the
		// loading clears its deadband. Its time at the level read "for 73
		// min" under a title counting no feeder over its limit.
		held := r.sev >= alarm.SevHigh && fs.LoadingPct < high
		tail := m.triageTail(width(head), w-4, r.since, r.sinceUnseen, r.trend, loc, held)
		if !strings.Contains(tail, m.trendShort(r.trend)) && !strings.Contains(tail, m.trendText(r.trend)) {
			// Even its shortest tail with the trend does not fit (64x18
			// cut a trend to "−0.6%…"): the limit gives way, which the loading beside
			// it already says in a percentage, and the feeder's page gives.
			head = lead + kw(fs.KW) + " kW"
			tail = m.triageTail(width(head), w-4, r.since, r.sinceUnseen, r.trend, loc, held)
		}
		head += tail
		var top []string
		for _, c := range r.top {
			top = append(top, c.ID+" "+strconv.FormatFloat(c.Last.KW, 'f', 1, 64)+" kW")
		}
		detail := "    " + t("biggest loads") + ": "
		if len(top) == 0 {
			detail += t("no charging EVs")
		} else {
			detail += wholeItems(top, " · ", w-4-width(detail))
		}
		if i == p.cursor {
			head = m.st.bold.Render(head)
		}
		lines = append(lines, head, m.st.dim.Render(detail))
	}
	if len(rows) == 0 {
		lines = append(lines, m.triageOKLines(unjudged)...)
	}
	lines = append(lines, notes...)
	if len(rows) > 0 {
		// As every list says it: at 80x24 triage showed 8 of 9 feeders
		// with nothing to say a ninth was below.
		title += " · " + m.rangeText(p, len(rows), visible)
	}
	if len(suggest) > 0 {
		for len(lines) < inner+len(notes) {
			lines = append(lines, "")
		}
		lines = append(lines, suggest...)
	}
	return m.box(title, w, h, lines)
}

// wholeItems joins items with sep in at most room cells, each item whole:
// those that do not fit give way to "…" (at 64 columns triage's biggest
// loads ended "CP-0056 1…", read as 1 kW).
func wholeItems(items []string, sep string, room int) string {
	s := ""
	for i, it := range items {
		next := it
		if i > 0 {
			next = sep + it
		}
		more := ""
		if i < len(items)-1 {
			more = sep + "…"
		}
		if width(s+next+more) > room {
			if i > 0 {
				return s + sep + "…"
			}
			return "…"
		}
		s += next
	}
	return s
}

// arrowBreak breaks each line wider than w before its arrow: what is
// proposed on one line, what it does on the next, rather than a word wrap
// splitting "0 EVs | short".
func arrowBreak(lines []string, w int) []string {
	var out []string
	for _, l := range lines {
		if before, after, ok := strings.Cut(l, " → "); ok && width(l) > w {
			out = append(out, carryStyle([]string{before, "  → " + after})...)
			continue
		}
		out = append(out, l)
	}
	return out
}

// triageTail is the end of a triage row after its figures of now (lead
// columns wide, the row room wide): for how long the feeder has been over
// its threshold, since when, and which way it is heading. Where it does
// not fit, the words go before the figures: first the start time (at 80
// columns the row ended "(since 17:32) · ris…"), then the trend's word
// for its sign ("+1.7%/10 min"), then "for" ("for 106 min · rising
// 1.7%/10 m…" was cut with a three-digit duration). A held row (a ▲ HIGH
// alarm on a feeder back under its limit, kept on by its deadband) says
// that in place of the time: it is not over its limit, and the time at its
// level counted the minutes under it too. Where not even the shortest
// fits, the trend goes whole (cut, "−0.9%/10 …" read as another figure).
func (m *Model) triageTail(lead, room int, since time.Time, unseen bool, trend float64, loc *time.Location, held bool) string {
	t := m.tr.t
	trends := []string{m.trendText(trend), m.trendShort(trend)}
	if held {
		tails := []string{
			" · " + fmt.Sprintf(t("under its limit; ▲ HIGH clears under %s%%"), ftoa(m.highClearPct(), 0)) + " · " + trends[0],
			" · " + t("under its limit") + " · " + trends[0],
			" · " + t("under its limit") + " · " + trends[1],
			" · " + t("under its limit"), // the trend whole or not at all
		}
		return fitTail(tails, lead, room)
	}
	if since.IsZero() {
		return fitTail([]string{" · " + trends[0], " · " + trends[1], ""}, lead, room)
	}
	dur, at := m.ago(m.snap.At.Sub(since)), hhmm(since, loc)
	if unseen && m.snap.At.Sub(since) < time.Minute {
		// Just after the desk joined, "for ≥0.0 s (since ≤18:42)" said
		// nothing: the time the desk has read it is no bound worth
		// giving. What is true is that it was on before then.
		tails := []string{
			" · " + fmt.Sprintf(t("since before %s, when this desk began reading it"), at) + " · " + trends[0],
			" · " + fmt.Sprintf(t("since before %s"), at) + " · " + trends[0],
			" · " + fmt.Sprintf(t("since before %s"), at) + " · " + trends[1],
			" · ≤" + at + " · " + trends[1],
			" · ≤" + at,
		}
		return fitTail(tails, lead, room)
	}
	if unseen {
		// It began before the desk saw it: "for 2 min (since 18:42)" of
		// an overload on since 16:26 claimed a start the desk never saw.
		dur, at = "≥"+dur, "≤"+at
	}
	tails := []string{
		" · " + fmt.Sprintf(t("for %s (since %s)"), dur, at) + " · " + trends[0],
		" · " + fmt.Sprintf(t("for %s"), dur) + " · " + trends[0],
		" · " + fmt.Sprintf(t("for %s"), dur) + " · " + trends[1],
		" · " + dur + " · " + trends[1],
		// The trend whole or not at all: 64x18 read "2 h 11 min ·
		// −0.9%/10 …"; the feeder's page charts it.
		" · " + dur,
	}
	return fitTail(tails, lead, room)
}

// fitTail is the first of tails that fits room after lead cells, or the
// last, the shortest.
func fitTail(tails []string, lead, room int) string {
	for _, tail := range tails {
		if lead+width(tail) <= room {
			return tail
		}
	}
	return tails[len(tails)-1]
}

// trendShort is trendText with the figure's sign for its word: "+1.7%/10
// min", for a row short of room.
func (m *Model) trendShort(d float64) string {
	mins := int(trendWindowTriage / time.Minute)
	switch {
	case d >= 0.5:
		return fmt.Sprintf(m.tr.t("+%s%%/%d min"), strconv.FormatFloat(d, 'f', 1, 64), mins)
	case d <= -0.5:
		return fmt.Sprintf(m.tr.t("−%s%%/%d min"), strconv.FormatFloat(-d, 'f', 1, 64), mins)
	}
	return m.trendText(d)
}

func (m *Model) warnPct() float64 {
	w, _ := m.alarms.Thresholds()
	return w
}

// trendText says which way a loading is heading over the trend window.
func (m *Model) trendText(d float64) string {
	mins := int(trendWindowTriage / time.Minute)
	switch {
	case math.IsNaN(d):
		return m.tr.t("trend unknown")
	case d >= 0.5:
		return fmt.Sprintf(m.tr.t("rising %s%%/%d min"), strconv.FormatFloat(d, 'f', 1, 64), mins)
	case d <= -0.5:
		return fmt.Sprintf(m.tr.t("falling %s%%/%d min"), strconv.FormatFloat(-d, 'f', 1, 64), mins)
	}
	return m.tr.t("steady")
}
