package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestWriteProgressGroupsReasonsByCharger: 'dispatch --yes' on a feed whose
// chargers route to an adapter the --adapters file does not run printed one
// "not applied: 1× charger "CP-0124" routes to adapter "sim", which is not
// running" line per charger, 65 of them for F08 and 900 for a system event.
// Reasons that differ only in the charger are one line, with the count and
// the first chargers named; other reasons keep their own lines, the most
// frequent first.
func TestWriteProgressGroupsReasonsByCharger(t *testing.T) {
	at := time.Date(2024, 1, 17, 17, 30, 0, 0, time.UTC)
	failed := map[string]int{"queue is full": 2}
	for i := range 65 {
		failed[fmt.Sprintf(`charger "CP-%04d" routes to adapter "sim", which is not running`, 124+i)] = 1
	}
	v := control.EventView{Event: feeds.EventFrame{ID: "DR-78", Scope: "F08", Start: at}, Plans: 1, LastPlan: at, LastReason: "confirmed",
		Progress: control.Progress{Sent: 67, Done: 67, ByStatus: map[adapters.Status]int{adapters.StatusRejected: 65, adapters.StatusFailed: 2}, Failed: failed}}
	var b strings.Builder
	writeProgress(&b, v)
	got := b.String()
	want := `    not applied: 65× charger "CP-0124" routes to adapter "sim", which is not running (also CP-0125, CP-0126 and 62 more)
    not applied: 2× queue is full
`
	if !strings.HasSuffix(got, want) {
		t.Errorf("progress:\n%s\nwant it to end with\n%s", got, want)
	}
}
