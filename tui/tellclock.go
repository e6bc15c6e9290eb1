package tui

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// tellClock words a pause, resume or seek of the clock (a.Kind) for what
// the desk plays: a replay is "the replay", a simulated day "the
// simulation". The words are the journal's summary too (v2gdesk audit),
// where a presenter's replay read "moved the simulation to 18:40".
func (m *Model) tellClock(a Announcement) string {
	t := m.tr.t
	replay := m.mode() == feeds.ModeReplay
	switch {
	case a.Kind == ActClockPause && replay:
		return t("paused the replay")
	case a.Kind == ActClockPause:
		return t("paused the simulation")
	case a.Kind == ActClockResume && replay:
		return t("resumed the replay")
	case a.Kind == ActClockResume:
		return t("resumed the simulation")
	case replay:
		return fmt.Sprintf(t("moved the replay to %s"), hhmm(a.To, m.loc()))
	}
	return fmt.Sprintf(t("moved the simulation to %s"), hhmm(a.To, m.loc()))
}
