package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// The reasons the desk gives the controller when an operator declines or
// cancels an event. They are the journal's English record; the screen
// words them again from these (deskReason).
const (
	reasonDeclined  = "declined at the desk"
	reasonCancelled = "cancelled at the desk"
	reasonReplaced  = "replaced by %s at the desk"
	reasonExtended  = "extended at the desk"
)

// whyText words why the controller planned or ended an event, in the
// operator's language: the journal's sentence (control.Why.Text), each
// translated by its English and its figures written as the desk writes
// them, so the screen and the journal say one reason one way.
func (m *Model) whyText(w control.Why) string {
	return w.Text(m.whyWords())
}

// whyWords are the desk's words for the controller's reasons: its
// language, powers grouped, times in the site's zone, a failed hand-back
// plan's cause worded from its error, and the source named by the desk's
// mode, as its header names it ("scenario ended 00:00").
func (m *Model) whyWords() control.Words {
	return control.Words{
		T:     m.tr.t,
		KW:    kw,
		Load:  loadKW,
		Clock: func(t time.Time) string { return hhmm(t, m.loc()) },
		Pct:   Pct,
		Cause: func(w control.Why) string {
			// The planner's error, worded from its figures when it has
			// them; else English, an id-laden detail for whoever reads
			// the log.
			if w.Cause != nil {
				return m.drErrText(w.Cause)
			}
			return w.Err
		},
		Mode: m.mode(),
	}
}

// hoursText is a number of hours as a sentence says it: "4 h", "4 小时".
func hoursText(h float64, t func(string) string) string {
	return ftoa(h, -1) + " " + t("h")
}

// reasonText is why a final event ended, in the operator's language: the
// controller's reasons from their figures, the desk's own from the
// phrases it sent; a reason typed elsewhere (an event file, the feed's
// refusal) is shown as it was given.
func (m *Model) reasonText(v *control.EventView) string {
	if v.EndWhy.Kind != "" {
		return m.whyText(v.EndWhy)
	}
	if v.DeclineErr != nil {
		// The feed's event, declined on arrival: checkEvent's refusal.
		return m.drErrText(v.DeclineErr)
	}
	t := m.tr.t
	switch r := v.Reason; r {
	case reasonDeclined, reasonCancelled:
		return t(r)
	default:
		if routes, ok := strings.CutPrefix(r, strings.TrimSuffix(reasonUnrouted, "%s")); ok {
			return fmt.Sprintf(t(reasonUnrouted), routes)
		}
		var id string
		// Read back only when it says exactly what the desk wrote.
		if _, err := fmt.Sscanf(r, reasonReplaced, &id); err == nil && fmt.Sprintf(reasonReplaced, id) == r {
			return fmt.Sprintf(t(reasonReplaced), id)
		}
		return r
	}
}

// releasedNowFormat is the controller's words for what releasing the
// chargers at a hand-back plan would do (control.WhyFormats has it), and
// releasedThenFormat the desk's for the same once the event is over.
const (
	releasedNowFormat  = "%s; if released now, %s"
	releasedThenFormat = "%s; had it been released then, %s"
)

// whyTextThen is whyText for the last plan of an event that has ended,
// been cancelled or declined: a hand-back plan's "if released now" said at
// its time, not now. A cancelled event's page read "plan 4 at 23:45,
// hand-back 23:45; if released now, charging would take F10 to 1,548 kW"
// with the chargers already let go.
func (m *Model) whyTextThen(w control.Why) string {
	words := m.whyWords()
	words.T = func(s string) string {
		if s == releasedNowFormat {
			s = releasedThenFormat
		}
		return m.tr.t(s)
	}
	return w.Text(words)
}
