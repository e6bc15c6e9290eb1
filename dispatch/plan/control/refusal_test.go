package control

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestRefusalsKeepTheirEnglish: the typed refusals read, in the log and
// the journal, word for word as the sentences they replaced, and are the
// sentinels callers branch on.
func TestRefusalsKeepTheirEnglish(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 1, 17, 18, 30, 5, 0, sh)
	other := feeds.EventFrame{ID: "DR-17", Kind: feeds.EventImportCap, Scope: "F07", KW: 3600, Start: at, End: at.Add(2 * time.Hour)}
	for _, tc := range []struct {
		err  error
		want string
		is   error
	}{
		{&ActiveConflictError{Other: other, By: "ana", At: at},
			"conflicts with another dispatch: event DR-17 (cap F07 at 3,600 kW 18:30–20:30) is active on the same scope, confirmed by ana at 18:30:05", ErrConflict},
		{&SecondConfirmError{MovedKW: 4200.4, LimitKW: 3000}, "large dispatch: confirm a second time: it moves 4200 kW, more than 3000 kW", ErrSecondConfirm},
		{&StateError{State: StateDeclined}, "not possible in the event's state: it is declined", ErrState},
		{&UnsentError{Plan: 2, Unsent: 120, Total: 400, Err: context.Canceled}, "sending plan 2: 120 of 400 setpoints not sent: context canceled", context.Canceled},
		{&NotAppliedError{Plan: 3, Failed: 2, Total: 143}, "plan 3: 2 of 143 setpoints not applied", nil},
		{&ReleaseError{Failed: 1, Total: 5}, "1 of 5 chargers not released", nil},
		{&PlanFailure{Stage: "solve", Event: "OP-1", Err: errors.New("dispatch: solve: iteration limit")}, `solve "OP-1": dispatch: solve: iteration limit`, nil},
	} {
		wrapped := fmt.Errorf("confirm %q: %w", "OP-1", tc.err)
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%T:\n got %q\nwant %q", tc.err, got, tc.want)
		}
		if tc.is != nil && !errors.Is(wrapped, tc.is) {
			t.Errorf("%T is not %v", tc.err, tc.is)
		}
	}
}
