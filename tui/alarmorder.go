package tui

import (
	"slices"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// worstUnacked returns the unacknowledged alarms of as, worst first
// (alarm.WorseFirst, the alarms view's order too): what a dispatcher must
// look at first at 3 a.m., not the latest to arrive.
func worstUnacked(as []alarm.Alarm) []alarm.Alarm {
	var out []alarm.Alarm
	for _, a := range as {
		if a.Unacknowledged() {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, alarm.WorseFirst)
	return out
}
