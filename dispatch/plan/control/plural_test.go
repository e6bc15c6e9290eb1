package control

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// The controller's English counts one thing in the singular: "1 of 1
// setpoints not applied", "released 1 chargers" and "1 EVs short" read as
// slips in the log, the journal an auditor signs off and, for a desk in
// English, on the screen.
func TestEnglishCountsOneInTheSingular(t *testing.T) {
	stop := errors.New("context canceled")
	for _, tc := range []struct {
		got, want string
	}{
		{(&UnsentError{Plan: 1, Unsent: 1, Total: 1, Err: stop}).Error(), "sending plan 1: 1 of 1 setpoint not sent: context canceled"},
		{(&UnsentError{Plan: 2, Unsent: 1, Total: 3, Err: stop}).Error(), "sending plan 2: 1 of 3 setpoints not sent: context canceled"},
		{(&NotAppliedError{Plan: 1, Failed: 1, Total: 1}).Error(), "plan 1: 1 of 1 setpoint not applied"},
		{(&NotAppliedError{Plan: 3, Failed: 2, Total: 143}).Error(), "plan 3: 2 of 143 setpoints not applied"},
		{(&ReleaseError{Failed: 1, Total: 1}).Error(), "1 of 1 charger not released"},
		{(&ReleaseError{Failed: 1, Total: 5}).Error(), "1 of 5 chargers not released"},
		{Suggestion{Event: feeds.EventFrame{Scope: "F07", End: t0}, Pct: 95, Chargers: 1, ReduceKW: 7, Short: 1}.String(),
			"cap F07 at 95% until " + t0.Format("15:04") + ": 1 charger, 7 kW, 1 EV short"},
		{Suggestion{Event: feeds.EventFrame{Scope: "F07", End: t0}, Pct: 95, Chargers: 23, ReduceKW: 180}.String(),
			"cap F07 at 95% until " + t0.Format("15:04") + ": 23 chargers, 180 kW, 0 EVs short"},
	} {
		if tc.got != tc.want {
			t.Errorf("got  %q\nwant %q", tc.got, tc.want)
		}
	}
}

// An event cancelled with one charger holding its setpoint says so in
// the singular on the record: "released 1 charger", "1 release failure",
// "1 expires at its validity".
func TestCancelRecordCountsOneInTheSingular(t *testing.T) {
	for _, tc := range []struct {
		name      string
		noRelease bool
		want      []string
	}{
		{"released", false, []string{"; released 1 charger, 0 expire at their validity (adapter cannot release), 0 release failures"}},
		{"cannot release", true, []string{"; released 0 chargers, 1 expires at its validity, by ", " (adapter cannot release), 0 release failures"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, nil)
			r.snd.noRelease = tc.noRelease
			ev := feeds.EventFrame{ID: "DR-2", Kind: feeds.EventImportCap, Scope: "F2", Start: t0, End: t0.Add(2 * time.Hour), KW: 7}
			id, err := r.c.Propose(ev, OriginOperator, ana)
			if err != nil {
				t.Fatal(err)
			}
			pv, err := r.c.Preview(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if len(pv.Setpoints) < 2 {
				t.Fatalf("the plan has %d setpoints, want one for each of F2's chargers", len(pv.Setpoints))
			}
			// Only the first charger holds the event's setpoint.
			for _, sp := range pv.Setpoints[1:] {
				r.snd.refuse[sp.Charger] = "refused"
			}
			if err := r.c.Confirm(context.Background(), id, ana, ConfirmOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := r.c.Cancel(context.Background(), id, ana, "test"); err != nil {
				t.Fatal(err)
			}
			recs := r.j.recsOf(RecDispatchCancel)
			if len(recs) != 1 {
				t.Fatalf("cancel records %+v, want one", recs)
			}
			for _, w := range tc.want {
				if !strings.Contains(recs[0].Detail, w) {
					t.Errorf("the cancel's detail %q lacks %q", recs[0].Detail, w)
				}
			}
		})
	}
}
