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

// While the scope is not heard from (a lost feed) the progress line gives
// its last figure as such: "F07 1,810 kW (cap 1,525)" read as the load now.
func TestWriteProgressSaysStale(t *testing.T) {
	at := time.Date(2026, 2, 4, 18, 0, 0, 0, time.UTC)
	v := control.EventView{Event: feeds.EventFrame{ID: "DR-1", Scope: "F07", Start: at}, Plans: 2, LastPlan: at.Add(15 * time.Minute), LastReason: "new slot 18:15",
		Progress: control.Progress{Sent: 2, Done: 2, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 2}},
		Track:    []control.TrackPoint{{At: at.Add(15 * time.Minute), MeasuredKW: 1810, CapKW: 1525, Stale: true, MeasuredAt: at.Add(4 * time.Minute)}}}
	var b strings.Builder
	writeProgress(&b, v)
	if want := "F07 1,810 kW (cap 1,525 kW) (stale: last measured 18:04, the cap is not judged)"; !strings.Contains(b.String(), want) {
		t.Errorf("progress %q, want %q", b.String(), want)
	}
}

// Chargers held at their last limit on stale data are said under the
// progress line: "plan 3: 30 of 30 answered" alone hid that 20 of them
// were steered blind.
func TestWriteProgressSaysHeldOnStaleData(t *testing.T) {
	at := time.Date(2026, 2, 4, 18, 0, 0, 0, time.UTC)
	v := control.EventView{Event: feeds.EventFrame{ID: "DR-1", Scope: "F07", Start: at}, Plans: 3, LastPlan: at.Add(30 * time.Minute), LastReason: "new slot 18:30",
		Progress: control.Progress{Sent: 30, Done: 30, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 30},
			HeldAsked: 20, Held: 20, HeldSince: at.Add(15 * time.Minute), HeldLastHeard: at.Add(6 * time.Minute), HeldUntil: at.Add(50 * time.Minute)}}
	var b strings.Builder
	writeProgress(&b, v)
	if want := "△ 20 chargers held on stale data since 18:15 (last heard 18:06): last import limit kept, no discharge; in force until 18:50"; !strings.Contains(b.String(), want) {
		t.Errorf("progress %q, want %q", b.String(), want)
	}
}

// Chargers held on stale data whose hold reached none of them (every
// setpoint of the plan failed: the feed carrying them lost) are not said
// to be kept at their last limit, in `dispatch --follow` as on the desk's
// page; with none held, a plan that reached no charger is said too.
func TestWriteProgressSaysHoldNotApplied(t *testing.T) {
	at := time.Date(2026, 2, 4, 18, 0, 0, 0, time.UTC)
	v := control.EventView{Event: feeds.EventFrame{ID: "DR-1", Scope: "F07", Start: at}, Plans: 3, LastPlan: at.Add(30 * time.Minute), LastReason: "new slot 18:30",
		Progress: control.Progress{Sent: 30, Done: 30, ByStatus: map[adapters.Status]int{adapters.StatusFailed: 30},
			Failed:    map[string]int{"not sent: the feed's connection, which carries this adapter's setpoints, is down": 30},
			HeldAsked: 20, HeldSince: at.Add(15 * time.Minute), HeldLastHeard: at.Add(6 * time.Minute), ValidUntil: at.Add(35 * time.Minute)}}
	var b strings.Builder
	writeProgress(&b, v)
	want := "✕ 20 chargers on stale data since 18:15 (last heard 18:06) are not held: none of this plan's setpoints was applied (below); " +
		"its chargers follow its earlier setpoints at most until 18:35, then none"
	if !strings.Contains(b.String(), want) || strings.Contains(b.String(), "kept") {
		t.Errorf("progress %q, want %q and no \"kept\"", b.String(), want)
	}
	v.Progress.HeldAsked = 0
	v.Progress.ValidUntil = at.Add(20 * time.Minute)
	b.Reset()
	writeProgress(&b, v)
	if want := "✕ none of this plan's 30 setpoints was applied (below); its chargers follow no setpoint of the event since 18:20"; !strings.Contains(b.String(), want) {
		t.Errorf("progress %q, want %q", b.String(), want)
	}
}

// Holds refused or not sent while the plan's other setpoints were applied:
// `dispatch --follow` says how many chargers on stale data are not held, as
// the desk's page does, and the held line counts only those acknowledged.
func TestWriteProgressSaysSomeHoldsNotApplied(t *testing.T) {
	at := time.Date(2026, 2, 4, 18, 0, 0, 0, time.UTC)
	v := control.EventView{Event: feeds.EventFrame{ID: "DR-1", Scope: "F07", Start: at}, Plans: 3, LastPlan: at.Add(30 * time.Minute), LastReason: "new slot 18:30",
		Progress: control.Progress{Sent: 30, Done: 30, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 25, adapters.StatusRejected: 5},
			HeldAsked: 20, Held: 15, HeldSince: at.Add(15 * time.Minute), HeldLastHeard: at.Add(6 * time.Minute)}}
	var b strings.Builder
	writeProgress(&b, v)
	for _, want := range []string{"△ 15 chargers held on stale data since 18:15", "✕ 5 chargers on stale data are not held: their hold is not in force (refused, failed or not sent; below)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("progress %q, want %q", b.String(), want)
		}
	}
}

// Holds that got no answer are neither held nor not held: the charger may
// hold its hold until its validity, and `dispatch --follow` says so apart,
// as the desk's page does; so are the chargers whose latest setpoint got
// none. Counted as not held, it said "their hold was not applied".
func TestWriteProgressSaysHoldsWithNoAnswer(t *testing.T) {
	at := time.Date(2026, 2, 4, 18, 0, 0, 0, time.UTC)
	v := control.EventView{Event: feeds.EventFrame{ID: "DR-1", Scope: "F07", Start: at}, Plans: 3, LastPlan: at.Add(30 * time.Minute), LastReason: "new slot 18:30",
		Progress: control.Progress{Sent: 30, Done: 30, ByStatus: map[adapters.Status]int{adapters.StatusAccepted: 25, adapters.StatusRejected: 2, adapters.StatusTimeout: 3},
			HeldAsked: 20, Held: 15, HeldUnknown: 3, HeldSince: at.Add(15 * time.Minute), HeldLastHeard: at.Add(6 * time.Minute), HeldUntil: at.Add(50 * time.Minute),
			Unanswered: 4, UnansweredUntil: at.Add(50 * time.Minute)}}
	var b strings.Builder
	writeProgress(&b, v)
	for _, want := range []string{
		"△ 15 chargers held on stale data since 18:15 (last heard 18:06): last import limit kept, no discharge; in force until 18:50",
		"△ 3 chargers on stale data: hold sent, no answer: may hold it until 18:50",
		"✕ 2 chargers on stale data are not held",
		"△ 4 chargers: latest setpoint sent, no answer: may hold it until 18:50",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("progress:\n%s\nwant %q", b.String(), want)
		}
	}
	// Every charger with no answer is one of the holds: said once.
	v.Progress.Unanswered = 3
	b.Reset()
	writeProgress(&b, v)
	if strings.Contains(b.String(), "latest setpoint sent") {
		t.Errorf("progress:\n%s\nwant the holds with no answer said once, not again as the chargers' latest setpoints", b.String())
	}
}
