package control

import (
	"context"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestControllerEndKeepsWhoConfirmed: an event the controller ends on its
// own (the source gone, its window over) keeps who confirmed it and when;
// the end has its own time. The end overwrote the decision's time and kept
// its operator, so the page of an event ana confirmed at 23:10 read
// "✓ ENDED · by ana 00:00 · the scenario ended at 00:00", an end she had
// no part in, and the confirmation's time was gone. An operator's cancel is
// a decision: it is who and when.
func TestControllerEndKeepsWhoConfirmed(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	confirmedAt := r.site.Now()
	ended := r.confirmed(t, feeds.EventFrame{ID: "DR-1", Kind: feeds.EventImportCap, Scope: "F2", Start: t0, End: t0.Add(2 * time.Hour), KW: 105})
	cancelled := r.confirmed(t, capF1("DR-2", 120))
	r.site.report(15 * time.Minute)
	r.c.Step(ctx)
	omar := Actor{Name: "omar", Dispatcher: true}
	if err := r.c.Cancel(ctx, cancelled, omar, "feeder works"); err != nil {
		t.Fatal(err)
	}
	cancelledAt := r.site.Now()
	r.site.report(15 * time.Minute)
	r.site.fl.HandleLink(feeds.LinkEvent{At: r.site.Now(), End: true})
	endedAt := r.site.Now()
	r.c.Step(ctx)

	v, _ := r.c.Event(ended)
	if v.State != StateEnded || v.EndWhy.Kind != WhySourceEnded {
		t.Fatalf("%s: %s (%s), want ended by the source's end", ended, v.State, v.EndWhy.Kind)
	}
	if v.DecidedBy != "ana" || !v.Decided.Equal(confirmedAt) {
		t.Errorf("%s ended by the controller: decided by %q at %v, want ana at the confirmation %v", ended, v.DecidedBy, v.Decided, confirmedAt)
	}
	if !v.Ended.Equal(endedAt) {
		t.Errorf("%s: ended at %v, want %v", ended, v.Ended, endedAt)
	}
	c, _ := r.c.Event(cancelled)
	if c.State != StateCancelled || c.DecidedBy != "omar" || !c.Decided.Equal(cancelledAt) || !c.Ended.Equal(cancelledAt) {
		t.Errorf("%s cancelled by omar at %v: %s, decided by %q at %v, ended %v", cancelled, cancelledAt, c.State, c.DecidedBy, c.Decided, c.Ended)
	}
	// The final events list the latest end first.
	evs := r.c.Events()
	if len(evs) != 2 || evs[0].Event.ID != ended || evs[1].Event.ID != cancelled {
		var ids []string
		for _, e := range evs {
			ids = append(ids, e.Event.ID)
		}
		t.Errorf("events in the order %v, want %s (ended last) then %s", ids, ended, cancelled)
	}
}
