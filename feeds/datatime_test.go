package feeds

import (
	"strings"
	"testing"
	"time"
)

// TestDataNowInTheSiteZoneToTheSecond: the journal's data_ts on a desk on
// a simulated feed read "2024-01-17T10:20:00.449550206Z" (the fleet clock,
// run on from the newest measurement by the wall's nanoseconds, in UTC)
// where a desk simulating the same day itself wrote
// "2024-01-17T18:20:00+08:00", as docs/adapters.md says it is: the site's
// offset, the time the screen showed. DataNow and DataTime give it so.
func TestDataNowInTheSiteZoneToTheSecond(t *testing.T) {
	wall := time.Date(2026, 11, 28, 0, 5, 34, 0, time.UTC)
	fl := NewFleet(FleetOptions{Wall: func() time.Time { return wall }})
	fl.HandleFrame([]byte(helloJSON)) // a simulation, Asia/Shanghai
	fl.HandleFrame([]byte(strings.Replace(feederJSON, "18:00:05+08:00", "18:00:05.25+08:00", 1)))
	wall = wall.Add(1449550206 * time.Nanosecond)

	got := fl.DataNow()
	want := "2024-02-04T18:00:06+08:00"
	if s := got.Format(time.RFC3339Nano); s != want {
		t.Errorf("DataNow %s, want %s: the site's zone, to the second", s, want)
	}
	if s := fl.DataTime(time.Date(2024, 2, 4, 10, 0, 7, 999, time.UTC)).Format(time.RFC3339Nano); s != "2024-02-04T18:00:07+08:00" {
		t.Errorf("DataTime of 10:00:07.000000999Z: %s, want 2024-02-04T18:00:07+08:00", s)
	}
	if !fl.DataTime(time.Time{}).IsZero() {
		t.Error("DataTime of the zero time is not zero")
	}
}
