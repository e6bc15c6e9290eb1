package control

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestConfirmAfterTheSlotBoundaryPlansAgain: a preview is current until the
// next slot boundary on the clock, where Step plans every active event
// again. A preview made at 18:14 and confirmed at 18:16 was sent, and the
// new slot's plan followed at once: on a desk with adapters every setpoint
// of it was refused by the guard's min_interval ("rate limit", 153 refused
// on the page seconds after the confirmation). It is refused instead
// (ErrNoPreview: the desk plans again and the dispatcher confirms what
// they see), and a confirmation within the slot is not planned again by
// the next step.
func TestConfirmAfterTheSlotBoundaryPlansAgain(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	ev := feeds.EventFrame{ID: "DR-1", Kind: feeds.EventImportCap, Scope: "F1", Start: t0, End: t0.Add(2 * time.Hour), KW: 120}
	id, err := r.c.Propose(ev, OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	r.site.report(14 * time.Minute) // 18:14
	pv, err := r.c.Preview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	r.site.report(2 * time.Minute) // 18:16: past the 18:15 boundary, within 15 minutes of the preview
	err = r.c.Confirm(ctx, id, ana, ConfirmOptions{Second: true, Seen: pv})
	if !errors.Is(err, ErrNoPreview) {
		t.Fatalf("confirm at 18:16 of a preview of 18:14: %v, want ErrNoPreview", err)
	}
	if n := r.snd.count(); n != 0 {
		t.Fatalf("%d setpoints sent from the previous slot's preview", n)
	}
	if v, _ := r.c.Event(id); v.State != StatePending {
		t.Fatalf("after the refusal %s is %s, want pending", id, v.State)
	}
	pv, err = r.c.Preview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{Second: true, Seen: pv}); err != nil {
		t.Fatalf("confirm of the 18:16 preview: %v", err)
	}
	sent := r.snd.count()
	r.c.Step(ctx)
	if v, _ := r.c.Event(id); v.Plans != 1 || r.snd.count() != sent {
		t.Errorf("the step after the confirmation planned again (plan %d, %d more setpoints, %s): its setpoints would meet min_interval",
			v.Plans, r.snd.count()-sent, v.LastReason)
	}
}
