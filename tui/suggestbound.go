package tui

import (
	"fmt"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// suggestMaxLength is the longest cap triage suggests. The controller
// plans a suggestion until the forecast of the plugged-in EVs stays under
// the cap, up to the planning horizon: on a live desk one ran 12 hours,
// 22:32 to 10:32 the next day, a cap no dispatcher sets on a forecast made
// of the EVs plugged in now. Four hours covers an evening peak band; a
// feeder still near its limit then is suggested a new cap, planned on the
// EVs plugged in by then.
const suggestMaxLength = 4 * time.Hour

// suggestGrace is how far past suggestMaxLength a planned cap may end and
// still be offered whole: trimmed to the bound, a plan to 22:45 read
// "until 22:30, 4 h at most, then suggested anew (planned to 22:45)", a
// second suggestion for a quarter of an hour the dispatcher would rather
// take in one. Longer plans (the 12 hours the bound is for) are still cut
// to suggestMaxLength, so no suggestion runs over 5 hours.
const suggestGrace = time.Hour

// boundedSuggestion is the cap triage offers for a suggestion planned as
// ev: ev whole when it ends at most suggestMaxLength and suggestGrace
// after its start, else ev ending suggestMaxLength after its start, with
// the end the controller planned (else the zero time). What p proposes is
// this event, so its preview plans the bounded cap.
func boundedSuggestion(ev feeds.EventFrame) (feeds.EventFrame, time.Time) {
	limit := ev.Start.Add(suggestMaxLength)
	if !ev.End.After(limit.Add(suggestGrace)) {
		return ev, time.Time{}
	}
	planned := ev.End
	ev.End = limit
	return ev, planned
}

// boundedUntil says a bounded suggestion's end and why: "02:32, 4 h at
// most, then suggested anew (planned to 10:32 (+1 d))".
func (m *Model) boundedUntil(end, planned time.Time) string {
	return fmt.Sprintf(m.tr.t("%s, %s at most, then suggested anew (planned to %s)"),
		m.clockTime(end), m.ago(suggestMaxLength), m.clockTime(planned))
}
