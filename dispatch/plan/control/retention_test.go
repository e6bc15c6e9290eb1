package control

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestEventsOverForADayAreForgotten: a live feed that prices every hour
// for 50 hours, nobody confirming anything, and one event confirmed and
// cancelled at the start: after the 50 hours the controller holds the
// events of the last day, as the fleet does, not all 51; each one it
// forgot is still on the record.
func TestEventsOverForADayAreForgotten(t *testing.T) {
	r := newRig(t, nil)
	op := r.confirmed(t, capF1("DR-1", 120))
	if err := r.c.Cancel(context.Background(), op, ana, "test"); err != nil {
		t.Fatal(err)
	}
	const hours = 50
	for h := range hours {
		start := r.site.Now().Add(time.Minute)
		r.site.frame(fmt.Sprintf(`{"v":1,"type":"event","id":"PRICE-%d","kind":"price","scope":"system","start":%q,"end":%q,"kw":0,"price":0.4}`,
			h, start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339)))
		for range 4 {
			r.site.report(15 * time.Minute)
			r.c.Step(context.Background())
		}
	}
	var ids []string
	for _, v := range r.c.Events() {
		ids = append(ids, v.Event.ID)
	}
	t.Logf("after %d h: %d events", hours, len(ids))
	if len(ids) > 26 || slices.Contains(ids, op) || slices.Contains(ids, "PRICE-0") || !slices.Contains(ids, fmt.Sprintf("PRICE-%d", hours-1)) {
		t.Errorf("after %d h: %d events %v; want the last day's (at most 26), not %s or PRICE-0", hours, len(ids), ids, op)
	}
	held := map[string]bool{}
	for _, ev := range r.site.Snapshot().Events {
		held[ev.ID] = true
	}
	for _, id := range ids {
		if v, _ := r.c.Event(id); v.State.Final() && !held[id] && r.site.Now().Sub(v.Event.End) > feeds.EventRetention+time.Hour {
			t.Errorf("%s kept, over since %v", id, v.Event.End)
		}
	}
	proposed := map[string]bool{}
	for _, rec := range r.j.recs {
		if rec.Kind == RecDispatchPropose {
			proposed[rec.Event] = true
		}
	}
	if !proposed[op] || !proposed["PRICE-0"] {
		t.Errorf("the journal lost the proposals of forgotten events: %v", proposed)
	}
}
