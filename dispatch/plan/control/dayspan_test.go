package control

import (
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestDescribeMarksAnOvernightEnd: `dispatch` titled an event from 23:00 to
// 21:02 the next day "23:00–21:02", as if it ended before it started.
func TestDescribeMarksAnOvernightEnd(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 26, 23, 0, 0, 0, sh)
	for _, c := range []struct {
		end  time.Time
		want string
	}{
		{start.Add(22*time.Hour + 2*time.Minute), "cap F07 at 1,400 kW 23:00–21:02 (+1 d)"},
		{start.Add(30 * time.Minute), "cap F07 at 1,400 kW 23:00–23:30"},
		{start.Add(49 * time.Hour), "cap F07 at 1,400 kW 23:00–00:00 (+3 d)"},
	} {
		ev := feeds.EventFrame{ID: "DR-9", Kind: feeds.EventImportCap, Scope: "F07", KW: 1400, Start: start, End: c.end}
		if got := Describe(ev); got != c.want {
			t.Errorf("Describe to %s = %q, want %q", c.end, got, c.want)
		}
	}
	// Calendar days, not 24-hour spans: 23:30 and 23 hours later, over the
	// spring change, is the next day.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	a := time.Date(2026, 3, 7, 23, 30, 0, 0, ny)
	if n := DaysAfter(a.Add(23*time.Hour), a, ny); n != 1 {
		t.Errorf("DaysAfter across the spring change = %d, want 1", n)
	}
	if m := DayMark(a, a.AddDate(0, 0, 1), ny); m != " (−1 d)" {
		t.Errorf("DayMark of the day before = %q, want \" (−1 d)\"", m)
	}
}
