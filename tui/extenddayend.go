package tui

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// extendNoUse says why extending event v's hand-back would change nothing,
// or "" when it would change something: on a simulated day whose end comes
// at or before the hand-back's release, the desk ends the event at the
// day's end, so a later release never comes. Near midnight x was offered
// all the same, and its flash promised a release after the day.
func (m *Model) extendNoUse(v control.EventView) string {
	end, ok := m.scenarioDayEnd()
	if !ok || v.ReleaseAt.IsZero() || v.ReleaseAt.Before(end) {
		return ""
	}
	loc := m.loc()
	return fmt.Sprintf(m.tr.t("the scenario day ends at %s, before the hand-back's release at %s: extending it would change nothing"),
		hhmm(end, loc), hhmm(v.ReleaseAt, loc))
}
