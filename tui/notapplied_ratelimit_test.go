package tui

import (
	"fmt"
	"strings"
	"testing"
)

// TestNotAppliedGroupsRateLimits: after a `v2gdesk sim` seek back the
// guard refused a plan's setpoints by its rate limit, one reason per
// charger, each with its own time since the previous setpoint, and the
// event's page was nothing but them (its measurement, next re-plan and
// keys off the screen). They are one item, counted, naming the first
// chargers.
func TestNotAppliedGroupsRateLimits(t *testing.T) {
	failed := map[string]int{}
	for i := 1; i <= 149; i++ {
		failed[fmt.Sprintf(`rate limit: previous setpoint for "CP-%04d" was -16m%ds ago; minimum interval is 10s`, i, i%7)] = 1
	}
	failed[`charger "CP-0900" routes to adapter "sim", which is not running`] = 1
	got := NotApplied(failed)
	if len(got) != 2 {
		t.Fatalf("%d items, want 2 (the rate limits, the route):\n%s", len(got), strings.Join(got, "\n"))
	}
	want := `149× rate limit: previous setpoint for "CP-0001" was -16m1s ago; minimum interval is 10s (also CP-0002, CP-0003 and 146 more)`
	if got[0] != want {
		t.Errorf("rate limits read\n%s\nwant\n%s", got[0], want)
	}
	if !strings.HasPrefix(got[1], `1× charger "CP-0900" routes`) {
		t.Errorf("the route's reason reads %q", got[1])
	}
}
