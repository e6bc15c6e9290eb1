package control

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestResetForgetsUnsentFeedEvents: after the fleet forgot its history (a
// replay seeked back), a feed's event that no plan was sent for kept the
// state it had at the later time: one a presenter declined stayed declined,
// and an event the end of a recording ended showed "ended" before its window
// had opened. Such events come back pending when the feed sends them again;
// one whose plan went to the equipment stays as it is.
func TestResetForgetsUnsentFeedEvents(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, nil)
	event := func(id string, kw float64) string {
		return `{"v":1,"type":"event","id":"` + id + `","kind":"shed","scope":"F1","start":"` + t0.Format(time.RFC3339) +
			`","end":"` + t0.Add(time.Hour).Format(time.RFC3339) + `","kw":` + strconv.FormatFloat(kw, 'g', -1, 64) + `,"source":"aggregator"}`
	}
	r.site.frame(event("GRID-7", 30))
	r.site.frame(event("GRID-8", 20))
	r.c.Step(ctx)
	if err := r.c.Decline("GRID-7", ana, "not in this demo"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.c.Preview(ctx, "GRID-8"); err != nil {
		t.Fatal(err)
	}
	if err := r.c.Confirm(ctx, "GRID-8", ana, ConfirmOptions{}); err != nil {
		t.Fatal(err)
	}
	sent := r.snd.count()
	if sent == 0 {
		t.Fatal("GRID-8 confirmed but nothing sent")
	}
	own, err := r.c.Propose(capF1("", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}

	// The replay goes back: the fleet forgets, then reads the feed again.
	r.site.fl.HandleLink(feeds.LinkEvent{Up: true, Reset: true})
	r.site.report(0)
	r.c.Step(ctx)
	if _, ok := r.c.Event("GRID-7"); ok {
		t.Error("GRID-7, declined and never sent, is still listed after the reset")
	}
	if v, ok := r.c.Event("GRID-8"); !ok || v.State != StateActive {
		t.Errorf("GRID-8, whose plan was sent: %+v, %v; want it kept, active", v.State, ok)
	}
	if v, ok := r.c.Event(own); !ok || v.State != StatePending {
		t.Errorf("the operator's %s: %+v, %v; want it kept, pending", own, v.State, ok)
	}
	r.site.frame(event("GRID-7", 30))
	r.c.Step(ctx)
	if v, ok := r.c.Event("GRID-7"); !ok || v.State != StatePending {
		t.Errorf("GRID-7 sent again after the reset: %+v, %v; want pending", v.State, ok)
	}
	var ids []string
	for _, v := range r.c.Events() {
		ids = append(ids, v.Event.ID)
	}
	if !slices.Contains(ids, "GRID-7") || !slices.Contains(ids, "GRID-8") || len(ids) != 3 {
		t.Errorf("events %v, want GRID-8, %s and GRID-7 once each", ids, own)
	}
}
