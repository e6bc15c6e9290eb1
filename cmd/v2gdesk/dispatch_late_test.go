package main

import (
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// The dispatch command's progress line says how many of the plan's
// answers came late: a setpoint reported timed out and accepted after
// reads as accepted, "answered late", not as a timeout.
func TestWriteProgressSaysLate(t *testing.T) {
	at := time.Date(2026, 2, 4, 18, 0, 0, 0, time.UTC)
	v := control.EventView{Event: feeds.EventFrame{ID: "DR-1", Scope: "F07", Start: at}, Plans: 1, LastPlan: at, LastReason: "first plan",
		Progress: control.Progress{Sent: 2, Done: 2, Late: 1, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 2}}}
	var b strings.Builder
	writeProgress(&b, v)
	got := b.String()
	if want := "2 of 2 answered: 2 accepted (1 of them answered late)"; !strings.Contains(got, want) {
		t.Errorf("progress %q, want %q", got, want)
	}
	if strings.Contains(got, "timeout") || strings.Contains(got, "not applied") {
		t.Errorf("progress %q says timeout or not applied after a late acceptance", got)
	}
}
