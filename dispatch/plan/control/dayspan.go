package control

import (
	"fmt"
	"time"
)

// DaysAfter is how many calendar days t's date is after ref's, both read in
// loc: 1 for 23:00 today to 21:02 tomorrow, though that is under 24 hours;
// negative when t's date is earlier.
func DaysAfter(t, ref time.Time, loc *time.Location) int {
	ty, tm, td := t.In(loc).Date()
	ry, rm, rd := ref.In(loc).Date()
	// Dates at noon UTC: no zone's daylight-saving hour can round a day.
	a := time.Date(ty, tm, td, 12, 0, 0, 0, time.UTC)
	b := time.Date(ry, rm, rd, 12, 0, 0, 0, time.UTC)
	return int(a.Sub(b).Round(24*time.Hour) / (24 * time.Hour))
}

// DayMark is " (+1 d)" when t falls on a later date than ref in loc (" (−1
// d)" on an earlier one), "" on the same date: an overnight window's end
// read "23:00–21:02", with no sign it is the next day's 21:02.
func DayMark(t, ref time.Time, loc *time.Location) string {
	switch n := DaysAfter(t, ref, loc); {
	case n > 0:
		return fmt.Sprintf(" (+%d d)", n)
	case n < 0:
		return fmt.Sprintf(" (−%d d)", -n)
	}
	return ""
}
