package plan

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestEventErrorText: an EventError says exactly what Build said before it
// was typed (the log and the journal keep the same sentences), and a
// caller's %w keeps it within reach of errors.As.
func TestEventErrorText(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	a := time.Date(2026, 11, 26, 18, 0, 0, 0, loc)
	b := a.Add(time.Hour)
	for _, tc := range []struct {
		err  *EventError
		want string
	}{
		{&EventError{Event: "E1", Problem: EventEndNotAfterStart, Start: b, End: a},
			fmt.Sprintf("event %q: end %s not after start %s", "E1", a.Format(time.RFC3339), b.Format(time.RFC3339))},
		{&EventError{Event: "E1", Problem: EventAlreadyEnded, Start: a, End: b},
			fmt.Sprintf("event %q: already ended at %s", "E1", b.Format(time.RFC3339))},
		{&EventError{Event: "E1", Problem: EventBeyondHorizon, Start: a, End: b, Ahead: 50*time.Hour + 20*time.Second},
			fmt.Sprintf("event %q: ends %s, %s from now: a plan looks at most %s ahead", "E1", b.Format(time.RFC3339), 50*time.Hour, MaxHorizon)},
		{&EventError{Event: "E1", Problem: EventNoSlot, Start: a, End: b},
			fmt.Sprintf("event %q: window %s-%s covers no slot of the plan", "E1", a.Format(time.RFC3339), b.Format(time.RFC3339))},
		{&EventError{Event: "E1", Problem: EventUnknownScope, Scope: "F99"},
			fmt.Sprintf("event %q: scope %q is neither %q nor a known feeder", "E1", "F99", feeds.ScopeSystem)},
		{&EventError{Event: "E1", Problem: EventKWNotFinite, KW: math.NaN()},
			fmt.Sprintf("event %q: kw %v is not a finite number", "E1", math.NaN())},
		{&EventError{Event: "E1", Problem: EventNegativeKW, Kind: feeds.EventExport, KW: -5},
			fmt.Sprintf("event %q: export kw %v must be >= 0 (it is the export asked for)", "E1", -5.0)},
		{&EventError{Event: "E1", Problem: EventNegativeKW, Kind: feeds.EventShed, KW: -5},
			fmt.Sprintf("event %q: shed kw %v must be >= 0", "E1", -5.0)},
		{&EventError{Event: "E1", Problem: EventNoPrice, Kind: feeds.EventPrice},
			fmt.Sprintf("event %q: kind price without a price", "E1")},
		{&EventError{Event: "E1", Problem: EventUnknownKind, Kind: "boost"},
			fmt.Sprintf("event %q: unknown kind %q", "E1", "boost")},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.err.Problem, got, tc.want)
		}
		var ee *EventError
		if w := fmt.Errorf("plan %q: %w", "E1", tc.err); !errors.As(w, &ee) || ee != tc.err {
			t.Errorf("%s: errors.As through %%w lost it", tc.err.Problem)
		}
	}
}
