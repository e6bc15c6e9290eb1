package main

import (
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// Holds not acknowledged: `dispatch --follow` says what the plan assumed
// of those chargers, their full power from when their last acknowledged
// setpoint lapsed, as the desk's page does; with none, it says nothing.
func TestWriteProgressSaysHeldFullPower(t *testing.T) {
	at := time.Date(2026, 2, 4, 18, 0, 0, 0, time.UTC)
	v := control.EventView{Event: feeds.EventFrame{ID: "DR-1", Scope: "F07", Start: at}, Plans: 3, LastPlan: at.Add(30 * time.Minute), LastReason: "new slot 18:30",
		Progress: control.Progress{Sent: 30, Done: 30, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 28, adapters.StatusRejected: 2},
			HeldAsked: 20, Held: 18, HeldSince: at.Add(15 * time.Minute), HeldLastHeard: at.Add(6 * time.Minute),
			HeldFull: 2, HeldFullKW: 22, HeldFullFrom: at.Add(30 * time.Minute)}}
	var b strings.Builder
	writeProgress(&b, v)
	if want := "△ 2 chargers on stale data, latest setpoint not acknowledged: planned as if drawing 22 kW from 18:30"; !strings.Contains(b.String(), want) {
		t.Errorf("progress %q, want %q", b.String(), want)
	}
	v.Progress.HeldFull, v.Progress.HeldFullKW, v.Progress.HeldFullFrom = 0, 0, time.Time{}
	b.Reset()
	writeProgress(&b, v)
	if strings.Contains(b.String(), "planned as if") {
		t.Errorf("no hold planned at full power, progress %q", b.String())
	}
}
