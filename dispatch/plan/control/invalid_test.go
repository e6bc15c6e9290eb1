package control

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestInvalidEventErrorText: checkEvent's errors say exactly what they
// said before they were typed, and still wrap ErrInvalidEvent.
func TestInvalidEventErrorText(t *testing.T) {
	at := time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
	snap := &feeds.Snapshot{At: at, Site: "Demo City"}
	ok := feeds.EventFrame{ID: "E1", Kind: feeds.EventImportCap, Scope: feeds.ScopeSystem, Start: at, End: at.Add(time.Hour), KW: 100}
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		edit func(*feeds.EventFrame)
		want string
	}{
		{"kind", func(e *feeds.EventFrame) { e.Kind = "boost" }, `kind "boost" is not one of import_cap, shed, export, price`},
		{"scope", func(e *feeds.EventFrame) { e.Scope = "F99" }, `scope "F99" is neither "system" nor a feeder of Demo City`},
		{"no window", func(e *feeds.EventFrame) { e.Start = time.Time{} }, "start and end are required"},
		{"end not after", func(e *feeds.EventFrame) { e.End = e.Start },
			fmt.Sprintf("end %s is not after start %s", at.Format(time.RFC3339), at.Format(time.RFC3339))},
		{"ended", func(e *feeds.EventFrame) { e.Start, e.End = at.Add(-2*time.Hour), at.Add(-time.Hour) },
			fmt.Sprintf("already ended at %s (fleet time %s)", at.Add(-time.Hour).Format(time.RFC3339), at.Format(time.RFC3339))},
		{"kw", func(e *feeds.EventFrame) { e.KW = math.Inf(1) }, "kw +Inf is not a finite number"},
		{"shed", func(e *feeds.EventFrame) { e.Kind, e.KW = feeds.EventShed, 0 }, "shed needs kw > 0 (got 0)"},
		{"cap", func(e *feeds.EventFrame) { e.KW = -3 }, "an import cap needs kw >= 0 (got -3); ask for export with kind export"},
		{"price", func(e *feeds.EventFrame) { e.Kind, e.Price = feeds.EventPrice, &nan }, "kind price needs a finite price"},
	} {
		ev := ok
		tc.edit(&ev)
		err := checkEvent(ev, snap)
		if want := `event "E1": invalid event: ` + tc.want; err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", tc.name, err, want)
			continue
		}
		var ie *InvalidEventError
		if !errors.Is(err, ErrInvalidEvent) || !errors.As(fmt.Errorf("propose event: %w", err), &ie) {
			t.Errorf("%s: not an InvalidEventError wrapping ErrInvalidEvent", tc.name)
		}
	}
	if err := checkEvent(ok, snap); err != nil {
		t.Errorf("valid event: %v", err)
	}
}

// TestEventErrorsKeptOnTheView: a feed's event refused on arrival keeps
// checkEvent's error beside its reason, and a failed preview keeps the
// planner's error beside its text, for a screen to word them.
func TestEventErrorsKeptOnTheView(t *testing.T) {
	r := newRig(t, nil)
	r.site.frame(`{"v":1,"type":"event","id":"GRID-8","kind":"shed","scope":"F1","start":"` + t0.Format(time.RFC3339) +
		`","end":"` + t0.Add(time.Hour).Format(time.RFC3339) + `","kw":0,"source":"aggregator"}`)
	r.site.frame(`{"v":1,"type":"event","id":"GRID-9","kind":"shed","scope":"F1","start":"` + t0.Format(time.RFC3339) +
		`","end":"` + t0.Add(60*time.Hour).Format(time.RFC3339) + `","kw":30,"source":"aggregator"}`)
	r.c.Step(context.Background())
	v, _ := r.c.Event("GRID-8")
	var ie *InvalidEventError
	if v.State != StateDeclined || !errors.As(v.DeclineErr, &ie) || ie.Problem != InvalidKWNotAbove || v.Reason != v.DeclineErr.Error() {
		t.Errorf("GRID-8: %s, reason %q, error %#v: want declined for its kW, the reason the error's text", v.State, v.Reason, v.DeclineErr)
	}
	_, err := r.c.Preview(context.Background(), "GRID-9")
	v, _ = r.c.Event("GRID-9")
	var pe *plan.EventError
	if !errors.As(err, &pe) || pe.Problem != plan.EventBeyondHorizon || v.PreviewError != err || v.PreviewErr != err.Error() {
		t.Errorf("GRID-9 preview: %v; view %#v (%q): want the planner's beyond-horizon error on the view", err, v.PreviewError, v.PreviewErr)
	}
}
