package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// A catch-up over a day of 100,000 EVs misses as many comm_lost
// conditions; the alarm_catch_up record named each and was megabytes, one
// line that `v2gdesk audit` reads whole. It now counts them by kind and
// names the first few.
func TestCatchUpRecordIsCapped(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	from := time.Date(2024, 1, 17, 8, 0, 0, 0, time.UTC)
	c := alarm.CatchUp{N: 1, From: from, To: from.Add(4 * time.Hour),
		Missed: []alarm.Missed{{Kind: alarm.KindLoading, Source: "F10", Feeder: "F10", Severity: alarm.SevWarn,
			Value: 91, First: from.Add(21 * time.Minute), Last: from.Add(3 * time.Hour)}}}
	for i := range 100_000 {
		c.Missed = append(c.Missed, alarm.Missed{Kind: alarm.KindCommLost, Source: fmt.Sprintf("CP-%06d", i+1),
			Severity: alarm.SevHigh, First: from.Add(time.Hour), Last: from.Add(2 * time.Hour)})
	}
	rec := catchUpRecord(c, loc)
	b, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 4096 {
		t.Fatalf("alarm_catch_up record is %d bytes, want at most 4096 (it starts %.300s)", len(b), b)
	}
	t.Logf("alarm_catch_up of 100,001 conditions: %d bytes", len(b))
	for _, want := range []string{`counts="comm_lost 100000, loading 1"`, "loading/F10 WARN 16:21..19:00 91",
		"comm_lost/CP-000019 HIGH 17:00..18:00 0; and 99981 more"} {
		if !strings.Contains(rec.Detail, want) {
			t.Errorf("detail %q\nwants %q", rec.Detail, want)
		}
	}
}
