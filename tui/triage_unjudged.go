package tui

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// triageUnjudged is what triage cannot judge: the feeders it has no
// loading for, by why, and how many feeders it could judge. A feeder
// without a limit, without a measurement or with a stale one is not
// "under 90% of its limit"; on an OCPP-only desk, whose one feeder has
// neither, triage said "✓ OK every feeder is under 90% of its limit".
type triageUnjudged struct {
	noLimit, noData, stale []string
	judged, total          int
}

// any reports whether some feeder could not be judged.
func (u triageUnjudged) any() bool {
	return len(u.noLimit)+len(u.noData)+len(u.stale) > 0
}

// unjudgedFeeders sorts the latest snapshot's feeders into those triage
// judges and those it cannot, leaving out rows: the feeders already
// listed. A stale feeder is never a row, whatever it last read.
func (m *Model) unjudgedFeeders(rows []triageRow) triageUnjudged {
	u := triageUnjudged{total: len(m.snap.Feeders)}
	listed := make(map[int]bool, len(rows))
	for _, r := range rows {
		listed[r.feeder] = true
	}
	for i := range m.snap.Feeders {
		fs := &m.snap.Feeders[i]
		switch {
		case listed[i]:
			u.judged++
		case fs.LimitKW <= 0:
			// First: no measurement would make it judgeable.
			u.noLimit = append(u.noLimit, fs.ID)
		case !fs.Seen:
			u.noData = append(u.noData, fs.ID)
		case fs.Stale:
			u.stale = append(u.stale, m.staleFeederText(fs))
		default:
			u.judged++
		}
	}
	return u
}

// triageOKLines are triage's lines when no feeder it can judge is near
// its limit: "✓ OK" for the feeders it judged, never for the others,
// which unjudgedLines names.
func (m *Model) triageOKLines(u triageUnjudged) []string {
	t := m.tr.t
	warn := pct(m.warnPct())
	switch {
	case u.judged == 0:
		return nil
	case !u.any():
		return []string{m.sevText(alarm.SevNone) + "  " + fmt.Sprintf(t("every feeder is under %s of its limit"), warn)}
	}
	return []string{m.sevText(alarm.SevNone) + "  " + plural(u.judged, t("%s of %s feeders is under %s of its limit"), t("%s of %s feeders are under %s of their limit"),
		thousands(int64(u.judged)), thousands(int64(u.total)), warn)}
}

// unjudgedLines name the feeders triage cannot judge, one line per why:
// "○ not judged, no limit: F01".
func (m *Model) unjudgedLines(u triageUnjudged) []string {
	t := m.tr.t
	var lines []string
	for _, g := range []struct {
		format string
		ids    []string
	}{
		{t("not judged, no limit: %s"), u.noLimit},
		{t("not judged, no data yet: %s"), u.noData},
		{t("not judged, stale: %s"), u.stale},
	} {
		if len(g.ids) > 0 {
			lines = append(lines, m.st.stale.Render("○ "+fmt.Sprintf(g.format, m.firstFew(g.ids))))
		}
	}
	return lines
}

// staleFeederText names a stale feeder for the "not judged, stale" line;
// one last heard at or over the warning threshold carries that reading and
// its time, "F12 (last 118% at 17:32)", so the dispatcher knows where it stood
// without taking it for the present.
func (m *Model) staleFeederText(fs *feeds.FeederState) string {
	if fs.LimitKW <= 0 || fs.LoadingPct < m.warnPct() || fs.TS.IsZero() {
		return fs.ID
	}
	return fs.ID + " " + fmt.Sprintf(m.tr.t("(last %s at %s)"), pct(fs.LoadingPct), hhmm(fs.TS, m.loc()))
}
