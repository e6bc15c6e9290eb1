package tui

import (
	"time"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// alarmClock is an alarm's time for the alarm lists, in their five cells:
// its HH:MM while it is less than a day old, its date (MM-DD) once it is
// older. An alarm's time is always in the past, so a bare HH:MM names the
// latest such time before now and needs no date for a day; after that it
// did: on a desk left running for days, a charger silent since 09:14 two
// days before read "09:14", like one silent since this morning.
func alarmClock(t, now time.Time, loc *time.Location) string {
	if t.IsZero() || now.IsZero() || now.Sub(t) < 24*time.Hour {
		return hhmm(t, loc)
	}
	return t.In(loc).Format("01-02")
}

// alarmFirst is a's first time as the alarm list writes it: "≤18:42" when
// its condition began unseen, at or before it (alarm.Alarm.BeganUnseen).
func alarmFirst(a alarm.Alarm, now time.Time, loc *time.Location) string {
	s := alarmClock(a.First, now, loc)
	if a.BeganUnseen && !a.First.IsZero() {
		return "≤" + s
	}
	return s
}
