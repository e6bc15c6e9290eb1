package tui

import (
	"strings"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// setpointCounts are the guard's counters grouped as the overview shows
// them: what the equipment took, and each way a setpoint did not get there.
type setpointCounts struct {
	total    int // every result, whatever its status
	applied  int // accepted or clamped: the equipment holds a limit from us
	clamped  int // of applied, limited to the charger's bounds
	refused  int // rejected by the guard or the equipment
	timedOut int // no answer before the batch deadline
	failed   int // not delivered (adapter error, queue full, journal)
	// unverified: written and acknowledged, but the read-back failed, so
	// what the equipment holds was not seen (Modbus).
	unverified int
	queueFull  int // of failed, refused at once because the adapter's queue was full
	late       int // answers after the batch stopped waiting
	waiting    int // past their deadline and still with their adapter
	duplicates int // re-sends answered from the first result
}

func countSetpoints(s adapters.GuardStats) setpointCounts {
	c := setpointCounts{
		applied:    s.Results[adapters.StatusAccepted] + s.Results[adapters.StatusClamped],
		clamped:    s.Results[adapters.StatusClamped],
		refused:    s.Results[adapters.StatusRejected],
		timedOut:   s.Results[adapters.StatusTimeout],
		failed:     s.Results[adapters.StatusFailed],
		unverified: s.Results[adapters.StatusUnverified],
		queueFull:  s.QueueFull,
		late:       s.Late,
		waiting:    s.Waiting,
		duplicates: s.Duplicates,
	}
	for _, n := range s.Results {
		c.total += n
	}
	return c
}

// setpointLine is the guard's counters in one line of w cells, for the
// overview: an on-call engineer sees whether setpoints are refused or time
// out without reading the log. A count that needs looking at (refused,
// timed out, failed, late) carries △ and the warning style when it is not
// zero, so it stands out under NO_COLOR too. Without a guard the line
// says so: zeros would claim setpoints could have gone out.
func (m *Model) setpointLine(w int) string {
	t := m.tr.t
	head := m.st.bold.Render(t("Setpoints")) + "  "
	if m.opts.Setpoints == nil {
		return firstFit(w,
			head+t("no adapters configured: DR events are planned and previewed, not sent"),
			head+t("no adapters configured"))
	}
	stats := m.opts.Setpoints.Stats()
	c := countSetpoints(stats)
	n := func(v int, word string) string { return thousands(int64(v)) + " " + t(word) }
	bad := func(v int, s string) string {
		if v > 0 {
			return m.st.warn.Render("△ " + s)
		}
		return s
	}
	issued, applied := n(c.total, "issued"), n(c.applied, "applied")
	appliedLong := applied
	if c.clamped > 0 {
		appliedLong += " (" + n(c.clamped, "clamped") + ")"
	}
	failed := n(c.failed, "failed")
	failedLong := failed
	if c.queueFull > 0 {
		failedLong += " (" + n(c.queueFull, "queue full") + ")"
	}
	nz := func(v int, word string) string {
		if v == 0 {
			return ""
		}
		return bad(v, n(v, word))
	}
	// Unverified is rare (a Modbus read-back failed): shown only when not
	// zero, so the line is as before on every other desk.
	unverified := nz(c.unverified, "unverified")
	line := func(applied, failed string, rest ...string) string {
		parts := nonEmpty(issued, applied,
			bad(c.refused, n(c.refused, "refused")), bad(c.timedOut, n(c.timedOut, "timed out")), unverified, bad(c.failed, failed))
		return head + strings.Join(append(parts, nonEmpty(rest...)...), " · ")
	}
	problems := strings.Join(nonEmpty(nz(c.refused, "refused"), nz(c.timedOut, "timed out"), unverified,
		nz(c.failed, "failed"), nz(c.late, "late")), " · ")
	late, waiting, dup := bad(c.late, n(c.late, "late")), n(c.waiting, "waiting"), n(c.duplicates, "duplicates")
	// Narrower, the line keeps the outcomes and drops the details: the
	// duplicates, what applied and failed include, late and waiting while
	// they are zero, then waiting, then every zero, the applied count and
	// the total.
	lateNZ, waitingNZ := nz(c.late, "late"), ""
	if c.waiting > 0 {
		waitingNZ = waiting
	}
	if jLong, jShort := m.journalNotSent(stats); jLong != "" {
		// Nothing can be sent: the journal goes first, before every count.
		return firstFit(w,
			head+strings.Join(nonEmpty(jLong, issued, applied, problems, waitingNZ), " · "),
			head+strings.Join(nonEmpty(jLong, issued, problems), " · "),
			head+jLong,
			head+strings.Join(nonEmpty(jShort, problems), " · "),
			head+jShort)
	}
	return firstFit(w,
		line(appliedLong, failedLong, late, waiting, dup),
		line(appliedLong, failedLong, late, waiting),
		line(applied, failed, late, waiting),
		line(applied, failed, lateNZ, waitingNZ),
		// A setpoint still waiting outweighs the zeros. With none
		// waiting, the next line is the one above, which did not fit.
		head+strings.Join(nonEmpty(issued, applied, problems, waitingNZ), " · "),
		line(applied, failed, lateNZ),
		// The narrowest keep only the counts that need looking at and are
		// not zero, so none of them is cut off for a zero or a total.
		head+strings.Join(nonEmpty(issued, applied, problems), " · "),
		head+strings.Join(nonEmpty(issued, problems), " · "),
		head+problems)
}

// nonEmpty returns parts without the empty strings.
func nonEmpty(parts ...string) []string {
	out := parts[:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// firstFit returns the first of candidates (widest first) that fits in w
// cells, or the last cut to w.
func firstFit(w int, candidates ...string) string {
	for _, c := range candidates {
		if width(c) <= w {
			return fit(c, w)
		}
	}
	return fit(candidates[len(candidates)-1], w)
}
