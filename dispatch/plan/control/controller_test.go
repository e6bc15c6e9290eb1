package control

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
	"github.com/v2gdesk/v2gdesk/feeds"
)

func TestViewerChangesNothing(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	if _, err := r.c.Propose(capF1("DR-1", 120), OriginOperator, viewer); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("viewer propose: err = %v, want ErrNotAllowed", err)
	}
	id, err := r.c.Propose(capF1("DR-1", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	// A viewer may look at the preview...
	if _, err := r.c.Preview(ctx, id); err != nil {
		t.Fatalf("viewer preview: %v", err)
	}
	// ...and do nothing else.
	for name, err := range map[string]error{
		"confirm": r.c.Confirm(ctx, id, viewer, ConfirmOptions{Second: true}),
		"decline": r.c.Decline(id, viewer, "no"),
		"cancel":  r.c.Cancel(ctx, id, viewer, "no"),
	} {
		if !errors.Is(err, ErrNotAllowed) {
			t.Errorf("viewer %s: err = %v, want ErrNotAllowed", name, err)
		}
	}
	if n := r.snd.count(); n != 0 {
		t.Errorf("%d setpoints sent after viewer actions, want 0", n)
	}
	if v, _ := r.c.Event(id); v.State != StatePending {
		t.Errorf("state = %s, want pending", v.State)
	}
	if k := r.j.kinds(); !slices.Equal(k, []adapters.RecordKind{RecDispatchPropose}) {
		t.Errorf("journal holds %v after viewer actions, want only ana's proposal", k)
	}
}

func TestProposeChecksTheEvent(t *testing.T) {
	price := 2.0
	nan := math.NaN()
	tests := []struct {
		name string
		mod  func(*feeds.EventFrame)
		want string
	}{
		{"unknown kind", func(e *feeds.EventFrame) { e.Kind = "boost" }, `kind "boost"`},
		{"unknown feeder", func(e *feeds.EventFrame) { e.Scope = "F9" }, `scope "F9"`},
		{"inverted window", func(e *feeds.EventFrame) { e.End = e.Start.Add(-time.Minute) }, "not after start"},
		{"already over", func(e *feeds.EventFrame) { e.Start, e.End = t0.Add(-2*time.Hour), t0.Add(-time.Hour) }, "already ended"},
		{"no window", func(e *feeds.EventFrame) { e.Start = time.Time{} }, "start and end are required"},
		{"nan kw", func(e *feeds.EventFrame) { e.KW = math.NaN() }, "not a finite number"},
		{"negative shed", func(e *feeds.EventFrame) { e.Kind, e.KW = feeds.EventShed, -5 }, "needs kw > 0"},
		{"zero export", func(e *feeds.EventFrame) { e.Kind, e.KW = feeds.EventExport, 0 }, "needs kw > 0"},
		{"negative cap", func(e *feeds.EventFrame) { e.KW = -10 }, "kind export"},
		{"price without price", func(e *feeds.EventFrame) { e.Kind = feeds.EventPrice }, "finite price"},
		{"price nan", func(e *feeds.EventFrame) { e.Kind, e.Price = feeds.EventPrice, &nan }, "finite price"},
		{"ok cap", func(e *feeds.EventFrame) {}, ""},
		{"ok price", func(e *feeds.EventFrame) { e.ID, e.Kind, e.Price = "P", feeds.EventPrice, &price }, ""},
	}
	r := newRig(t, nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := capF1("", 120)
			tc.mod(&ev)
			id, err := r.c.Propose(ev, OriginOperator, ana)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				if id == "" {
					t.Fatal("no id given")
				}
				return
			}
			if !errors.Is(err, ErrInvalidEvent) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrInvalidEvent containing %q", err, tc.want)
			}
		})
	}
	if _, err := r.c.Propose(capF1("P", 1), OriginOperator, ana); !errors.Is(err, ErrInvalidEvent) {
		t.Errorf("duplicate id: err = %v, want ErrInvalidEvent", err)
	}
}

func TestConfirmSendsThroughTheSenderAndJournals(t *testing.T) {
	r := newRig(t, func(o *Options) { o.SendChunk = 3 })
	r.snd.refuse["CP-03"] = "charger offline"
	ctx := context.Background()
	id, err := r.c.Propose(capF1("DR-1", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{}); !errors.Is(err, ErrNoPreview) {
		t.Fatalf("confirm before preview: err = %v, want ErrNoPreview", err)
	}
	pv, err := r.c.Preview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(pv.Setpoints); got != 10 {
		t.Fatalf("preview has %d setpoints, want 10 (F1 only: the event is scoped)", got)
	}
	// The preview carries the plan without the event: the cap at 120 kW
	// holds F1 under what prices alone would draw now.
	if pv.Reference == nil || math.IsNaN(pv.EventNowKW()) || pv.EventNowKW() > 0.5 || math.IsNaN(pv.EventCost()) {
		t.Errorf("reference %v, event now %.1f kW, cost %.2f: want a reference the cap does not raise", pv.Reference != nil, pv.EventNowKW(), pv.EventCost())
	}
	// As shown, in whole kW, the two parts add up to the change.
	if before, after := pv.ScopeCurves(); pv.PlainNowKW()+math.Round(pv.EventNowKW()) != math.Round(after[0]-before[0]) {
		t.Errorf("the split %.0f + %.0f kW is not the change %.0f kW", pv.PlainNowKW(), math.Round(pv.EventNowKW()), math.Round(after[0]-before[0]))
	}
	if got := r.c.SystemPlanKW(pv.Start, pv.Start.Add(time.Hour)); got != nil {
		t.Fatalf("a plan before any event is in force: %v", got[:3])
	}
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{Reason: "grid operator call"}); err != nil {
		t.Fatal(err)
	}
	// The overview's dotted plan: per minute, the slot's planned system
	// load, NaN before the plan starts.
	v, _ := r.c.Event(id)
	sys := v.Preview.After.System
	minutes := r.c.SystemPlanKW(pv.Start.Add(-time.Minute), pv.Start.Add(2*pv.Slot))
	slotMin := int(pv.Slot / time.Minute)
	if len(minutes) != 1+2*slotMin || !math.IsNaN(minutes[0]) || minutes[1] != sys[0] || minutes[slotMin] != sys[0] ||
		minutes[1+slotMin] != sys[1] || minutes[2*slotMin] != sys[1] {
		t.Errorf("plan per minute %v, want NaN then %d × %.1f then %d × %.1f", minutes, slotMin, sys[0], slotMin, sys[1])
	}
	if v.State != StateActive || v.DecidedBy != "ana" {
		t.Fatalf("state %s by %q, want active by ana", v.State, v.DecidedBy)
	}
	p := v.Progress
	if p.Sent != 10 || p.Done != 10 || p.ByStatus[adapters.StatusAccepted] != 9 || p.ByStatus[adapters.StatusRejected] != 1 {
		t.Errorf("progress = %+v, want 10 sent, 9 accepted, 1 rejected", p)
	}
	if p.Failed["charger offline"] != 1 {
		t.Errorf("failed by reason = %v, want charger offline: 1", p.Failed)
	}
	if v.Err == "" {
		t.Error("no error shown for the rejected setpoint")
	}
	for _, sp := range r.snd.sent {
		if !strings.HasPrefix(sp.Charger, "CP-0") {
			t.Errorf("setpoint for %s outside the event's scope", sp.Charger)
		}
		if sp.Event != id || sp.Operator != "ana" || sp.ID == "" || !sp.ValidUntil.After(t0) {
			t.Errorf("setpoint %+v: want event, operator, id and a validity", sp)
		}
	}
	if k := r.j.kinds(); !slices.Equal(k, []adapters.RecordKind{RecDispatchPropose, adapters.RecDispatchConfirm}) {
		t.Errorf("journal = %v, want the proposal and one dispatch_confirm", k)
	}
	// Its detail says how many confirmations were given: "second
	// confirmation false" read as if one were still wanted.
	if recs := r.j.records(adapters.RecDispatchConfirm); len(recs) != 1 || !strings.HasSuffix(recs[0].Detail, "; confirmed once") {
		t.Errorf("dispatch_confirm %+v, want its detail to end in \"; confirmed once\"", recs)
	}
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{}); !errors.Is(err, ErrState) {
		t.Errorf("second confirm: err = %v, want ErrState", err)
	}
}

func TestJournalFailureSendsNothing(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	// A proposal the journal cannot record is not made.
	r.j.fail = errors.New("disk full")
	if _, err := r.c.Propose(capF1("DR-0", 120), OriginOperator, ana); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("propose with the journal failing: %v, want the journal's error", err)
	}
	if _, ok := r.c.Event("DR-0"); ok {
		t.Fatal("an unrecorded proposal exists")
	}
	r.j.fail = nil
	id, err := r.c.Propose(capF1("DR-1", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	r.j.fail = errors.New("disk full")
	if _, err := r.c.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want the journal's", err)
	}
	if n := r.snd.count(); n != 0 {
		t.Errorf("%d setpoints sent without a journalled confirmation", n)
	}
	if v, _ := r.c.Event(id); v.State != StatePending {
		t.Errorf("state = %s, want still pending", v.State)
	}
}

func TestLargeDispatchNeedsSecondConfirmation(t *testing.T) {
	r := newRig(t, func(o *Options) { o.SecondConfirmKW = 10 })
	ctx := context.Background()
	id, _ := r.c.Propose(capF1("DR-1", 100), OriginOperator, ana)
	if _, err := r.c.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	if v, _ := r.c.Event(id); !v.NeedsSecond || v.MovedKW <= 10 {
		t.Fatalf("view: NeedsSecond %t, moved %.0f kW; want a second confirmation above 10 kW", v.NeedsSecond, v.MovedKW)
	}
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{}); !errors.Is(err, ErrSecondConfirm) {
		t.Fatalf("err = %v, want ErrSecondConfirm", err)
	}
	if n := r.snd.count(); n != 0 {
		t.Fatalf("%d setpoints sent before the second confirmation", n)
	}
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{Second: true}); err != nil {
		t.Fatal(err)
	}
}

func TestConflictingDispatchesAreRefused(t *testing.T) {
	var mu sync.Mutex
	held := map[string]string{}
	claims := ClaimFunc(func(by Actor, what string, keys ...string) (func(), error) {
		mu.Lock()
		defer mu.Unlock()
		for _, k := range keys {
			if h, ok := held[k]; ok {
				return nil, errors.New(k + " held by " + h)
			}
		}
		for _, k := range keys {
			held[k] = by.Name
		}
		return func() {
			mu.Lock()
			defer mu.Unlock()
			for _, k := range keys {
				delete(held, k)
			}
		}, nil
	})
	r := newRig(t, func(o *Options) { o.Claims = claims })
	ctx := context.Background()
	a := r.confirmed(t, capF1("DR-A", 120))

	sys := feeds.EventFrame{ID: "DR-SYS", Kind: feeds.EventImportCap, Scope: feeds.ScopeSystem, Start: t0, End: t0.Add(time.Hour), KW: 600}
	id, _ := r.c.Propose(sys, OriginOperator, ana)
	if _, err := r.c.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	bob := Actor{Name: "bob", Dispatcher: true}
	if err := r.c.Confirm(ctx, id, bob, ConfirmOptions{}); !errors.Is(err, ErrConflict) {
		t.Fatalf("system event over an active feeder event: err = %v, want ErrConflict", err)
	}
	// A feeder event on another feeder runs beside it.
	f2 := feeds.EventFrame{ID: "DR-F2", Kind: feeds.EventShed, Scope: "F2", Start: t0, End: t0.Add(time.Hour), KW: 5}
	r.confirmed(t, f2)

	if err := r.c.Cancel(ctx, a, ana, "done early"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	_, stillHeld := held["event:"+a]
	mu.Unlock()
	if stillHeld {
		t.Error("claim kept after cancel")
	}
}

func TestCancelReleasesTheChargers(t *testing.T) {
	tests := []struct {
		name                         string
		noRelease                    bool
		released, unsupported, calls int
	}{
		{"adapter releases", false, 10, 0, 10},
		{"adapter cannot release", true, 0, 10, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, nil)
			r.snd.noRelease = tc.noRelease
			id := r.confirmed(t, capF1("DR-1", 120))
			if err := r.c.Cancel(context.Background(), id, ana, "call withdrawn"); err != nil {
				t.Fatal(err)
			}
			v, _ := r.c.Event(id)
			if v.State != StateCancelled || v.Reason != "call withdrawn" {
				t.Errorf("state %s (%q), want cancelled with the reason", v.State, v.Reason)
			}
			if v.Progress.Released != tc.released || v.Progress.ReleaseUnsupported != tc.unsupported {
				t.Errorf("released %d, unsupported %d; want %d, %d", v.Progress.Released, v.Progress.ReleaseUnsupported, tc.released, tc.unsupported)
			}
			if len(r.snd.released) != tc.calls {
				t.Errorf("%d release calls, want %d", len(r.snd.released), tc.calls)
			}
			if k := r.j.kinds(); !slices.Equal(k, []adapters.RecordKind{RecDispatchPropose, adapters.RecDispatchConfirm, RecDispatchCancel}) {
				t.Errorf("journal = %v", k)
			}
			// The journal alone tells when the chargers that could not be
			// released were free again: the count and the time, in the
			// event's clock, as the event's page says it.
			want := fmt.Sprintf("released %d chargers, %d expire at their validity", tc.released, tc.unsupported)
			if tc.unsupported > 0 {
				want += ", by " + v.Progress.ValidUntil.In(t0.Location()).Format("15:04")
			}
			if recs := r.j.records(RecDispatchCancel); len(recs) != 1 || !strings.Contains(recs[0].Detail, want+" (") || v.Progress.ValidUntil.IsZero() {
				t.Errorf("dispatch_cancel %+v (valid until %s), want %q in its detail", recs, v.Progress.ValidUntil, want)
			}
			// Nothing more is sent for a cancelled event.
			n := r.snd.count()
			r.site.report(15 * time.Minute)
			r.c.Step(context.Background())
			if r.snd.count() != n {
				t.Error("setpoints sent after cancel")
			}
		})
	}
}

func TestStepReplansEverySlotAndEnds(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id := r.confirmed(t, capF1("DR-1", 120))
	// Within the slot, on plan: nothing new.
	r.site.report(time.Minute)
	r.c.Step(ctx)
	if v, _ := r.c.Event(id); v.Plans != 1 {
		t.Fatalf("plans = %d after a minute on plan, want 1", v.Plans)
	}
	for i := 0; i < 8; i++ { // two hours: the event's window
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
	}
	// The window is over, but the ten EVs (reporting half full, target
	// 80 %) released at once would draw 190 kW on F1's 150 kW: the event
	// hands back, planning F1 against its limit every slot.
	v, _ := r.c.Event(id)
	if v.State != StateActive || v.HandBackSince.IsZero() || !strings.HasPrefix(v.HandBack.Why(), "charging would take F1 to 190 kW (126%)") {
		t.Fatalf("after the window: state %s, hand-back since %v (%q); want active, handing back", v.State, v.HandBackSince, v.HandBack.Why())
	}
	if h := v.HandBack; h.Scope != "F1" || math.Round(h.PeakKW) != 190 || h.LimitKW != 150 || h.PeakAt.Before(v.HandBackSince) {
		t.Errorf("hand-back check %+v: want F1's 190 kW peak against its 150 kW limit, from %s on", h, v.HandBackSince.Format("15:04"))
	}
	if v.Plans != 9 || v.Replans != 8 || !strings.HasPrefix(v.LastReason, "window over; if released now, charging would take F1 to 190 kW") {
		t.Errorf("plans %d, replans %d, last reason %q; want 9, 8, the hand-back", v.Plans, v.Replans, v.LastReason)
	}
	if w := v.LastWhy; (w.Kind != WhyHandBack && w.Kind != WhyWindowOver) || w.HandBack != v.HandBack || w.String() != v.LastReason {
		t.Errorf("last why %+v: want a hand-back plan with the check on the view, worded as LastReason", w)
	}
	if r.c.SystemPlanKW(r.site.Now(), r.site.Now().Add(time.Minute)) == nil {
		t.Error("no plan drawn while handing back")
	}
	for i := 0; i < 16; i++ { // four hours of hand-back: the default limit
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
	}
	v, _ = r.c.Event(id)
	if v.State != StateEnded || !v.ForcedRelease || !strings.Contains(v.Reason, "released at the 4 h hand-back limit, though charging would take F1 to 190 kW (126%)") {
		t.Fatalf("after four hours of hand-back: state %s, reason %q; want ended at the limit", v.State, v.Reason)
	}
	if w := v.EndWhy; w.Kind != WhyForcedRelease || w.Hold != 4*time.Hour || w.String() != v.Reason {
		t.Errorf("end why %+v: want the forced release at 4 h, worded as Reason", w)
	}
	if v.Progress.Released != 10 {
		t.Errorf("released %d chargers at the end, want 10", v.Progress.Released)
	}
	for _, p := range v.Track {
		if !math.IsNaN(p.CapKW) && p.MeasuredKW > p.CapKW+r.c.ToleranceKW("F1") {
			t.Errorf("%s: measured %.1f kW over cap %.0f kW", p.At.Format("15:04"), p.MeasuredKW, p.CapKW)
		}
	}
	if len(v.Track) < 8 {
		t.Errorf("track has %d points, want one per step at least", len(v.Track))
	}
}

// A running event's re-plans carry the plan without the event, as its
// preview did, so the desk can split the change now into what prices and
// limits move and what the event itself does for the whole window; a
// hand-back plan, after the window, carries none.
func TestReplansKeepThePlanWithoutTheEvent(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id := r.confirmed(t, capF1("DR-1", 120))
	for i := 1; i <= 7; i++ { // every re-plan in the two-hour window
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
		v, _ := r.c.Event(id)
		pv := v.Preview
		if v.Plans != i+1 || !v.HandBackSince.IsZero() {
			t.Fatalf("slot %d: %d plans, hand-back since %v; want %d plans, in the window", i, v.Plans, v.HandBackSince, i+1)
		}
		if pv.Reference == nil || math.IsNaN(pv.EventNowKW()) || math.IsNaN(pv.EventCost()) {
			t.Fatalf("re-plan at %s: reference %v, event now %.1f kW, cost %.2f; want the plan without the event beside it",
				pv.Start.Format("15:04"), pv.Reference != nil, pv.EventNowKW(), pv.EventCost())
		}
		if before, after := pv.ScopeCurves(); pv.PlainNowKW()+math.Round(pv.EventNowKW()) != math.Round(after[0]-before[0]) {
			t.Errorf("re-plan at %s: the split %.0f + %.0f kW is not the change %.0f kW", pv.Start.Format("15:04"),
				pv.PlainNowKW(), math.Round(pv.EventNowKW()), math.Round(after[0]-before[0]))
		}
	}
	r.site.report(15 * time.Minute) // the window is over: hand-back
	r.c.Step(ctx)
	v, _ := r.c.Event(id)
	if v.HandBackSince.IsZero() || v.Preview == nil {
		t.Fatalf("after the window: hand-back since %v, preview %v; want a hand-back plan", v.HandBackSince, v.Preview != nil)
	}
	if v.Preview.Reference != nil || !math.IsNaN(v.Preview.EventNowKW()) {
		t.Errorf("hand-back plan has a plan without the event (event now %.1f kW); want none: the window is over", v.Preview.EventNowKW())
	}
}

// A dispatch confirmed mid-slot (18:07) is planned again on the quarter
// hour (18:15), not a slot length later (18:22): plans then line up with
// tariff bands and meter intervals.
func TestMidSlotConfirmRealignsOnTheQuarterHour(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	r.site.report(7 * time.Minute)
	id := r.confirmed(t, capF1("DR-1", 120))
	r.site.report(8 * time.Minute) // 18:15
	r.c.Step(ctx)
	v, _ := r.c.Event(id)
	if v.Plans != 2 || v.LastReason != "new slot 18:15" || v.LastWhy.Kind != WhyNewSlot || !v.Preview.Start.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("plans %d, last %q, slot 0 at %s; want a second plan at 18:15", v.Plans, v.LastReason, v.Preview.Start.Format("15:04"))
	}
}

// EVs at their targets when the window ends draw nothing unmanaged: the
// chargers are released at once, with no hand-back.
func TestWindowEndReleasesWhenSafe(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id := r.confirmed(t, capF1("DR-1", 120))
	for i := 0; i < 7; i++ {
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
	}
	r.site.mu.Lock()
	r.site.soc = 0.8
	r.site.mu.Unlock()
	r.site.report(15 * time.Minute)
	r.c.Step(ctx)
	v, _ := r.c.Event(id)
	if v.State != StateEnded || !strings.Contains(v.Reason, "unmanaged charging stays under the 150 kW limit") {
		t.Fatalf("state %s, reason %q; want ended at once, safe to release", v.State, v.Reason)
	}
	if v.Progress.Released != 10 {
		t.Errorf("released %d chargers, want 10", v.Progress.Released)
	}
}

func TestDriftReplansAtOnce(t *testing.T) {
	tests := []struct {
		name   string
		jumpKW float64 // base load change on F1 three minutes in
		why    string
	}{
		{"over the cap", 60, "over cap"},
		{"under plan", -40, "drift"},
		{"within the drift", -10, "confirmed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, nil)
			ctx := context.Background()
			id := r.confirmed(t, capF1("DR-1", 120))
			r.site.report(time.Minute, tc.jumpKW) // too soon after the plan: no re-plan yet
			r.c.Step(ctx)
			if v, _ := r.c.Event(id); v.Plans != 1 {
				t.Fatalf("re-planned %d times within MinReplan", v.Plans-1)
			}
			r.site.report(2*time.Minute, tc.jumpKW)
			r.c.Step(ctx)
			v, _ := r.c.Event(id)
			if !strings.HasPrefix(v.LastReason, tc.why) {
				t.Fatalf("plans %d, reason %q; want %q", v.Plans, v.LastReason, tc.why)
			}
			if tc.jumpKW > 0 {
				// The re-plan sees the new base load and keeps the feeder under the cap.
				_, after := v.Preview.ScopeCurves()
				if after[0] > 120+1 {
					t.Errorf("re-planned F1 load %.1f kW, want at most the cap", after[0])
				}
			}
		})
	}
}

func TestCapMissAlarm(t *testing.T) {
	r := newRig(t, func(o *Options) { o.CapMissAfter = 5 * time.Minute; o.MinReplan = time.Hour })
	// Refused setpoints: the feeder stays at 190 kW against a 120 kW cap.
	for i := 0; i < 10; i++ {
		r.snd.refuse[fmtCP(i)] = "offline"
	}
	id := r.confirmed(t, capF1("DR-1", 120))
	ctx := context.Background()
	for i := 0; i < 5; i++ { // over from the first step: 4 minutes by the fifth
		r.site.report(time.Minute)
		r.c.Step(ctx)
	}
	if v, _ := r.c.Event(id); v.Alarm != nil {
		t.Fatalf("alarm after 4 minutes over, want none before 5: %+v", v.Alarm)
	}
	r.site.report(time.Minute)
	r.c.Step(ctx)
	v, _ := r.c.Event(id)
	if v.Alarm == nil || !v.Alarm.Active() || v.Alarm.CapKW != 120 || v.Alarm.MeasuredKW < 189 {
		t.Fatalf("alarm = %+v, want active, cap 120, measured 190", v.Alarm)
	}
	if !v.Alarm.Since.Equal(t0.Add(time.Minute)) {
		t.Errorf("alarm since %s, want the first step over", v.Alarm.Since)
	}
	// The chargers come back and obey: the alarm clears.
	clear(r.snd.refuse)
	r.site.report(15 * time.Minute) // a new slot: re-plan and send
	r.c.Step(ctx)
	r.site.report(time.Minute)
	r.c.Step(ctx)
	v, _ = r.c.Event(id)
	if v.Alarm == nil || v.Alarm.Active() {
		t.Fatalf("alarm = %+v, want cleared", v.Alarm)
	}
}

func fmtCP(i int) string { return "CP-0" + string(rune('0'+i)) }

func TestFeedEventsArrivePending(t *testing.T) {
	r := newRig(t, nil)
	r.site.frame(`{"v":1,"type":"event","id":"GRID-7","kind":"shed","scope":"F1","start":"` + t0.Format(time.RFC3339) +
		`","end":"` + t0.Add(time.Hour).Format(time.RFC3339) + `","kw":30,"source":"aggregator"}`)
	r.c.Step(context.Background())
	v, ok := r.c.Event("GRID-7")
	if !ok || v.State != StatePending || v.Origin != OriginFeed {
		t.Fatalf("GRID-7: %+v, want pending from the feed", v)
	}
	// On the record as it arrives, once.
	r.c.Step(context.Background())
	if k := r.j.kinds(); !slices.Equal(k, []adapters.RecordKind{RecDispatchPropose}) || r.j.recs[0].Event != "GRID-7" || r.j.recs[0].Reason != "feed" {
		t.Errorf("journal %v (%+v), want one dispatch_propose for GRID-7 from the feed", k, r.j.recs)
	}
	if err := r.c.Decline("GRID-7", ana, "not today"); err != nil {
		t.Fatal(err)
	}
	r.c.Step(context.Background())
	if v, _ := r.c.Event("GRID-7"); v.State != StateDeclined {
		t.Errorf("state = %s after decline, want declined (not re-added)", v.State)
	}
	// Pending events whose window passes end without being sent.
	id, _ := r.c.Propose(capF1("DR-LATE", 120), OriginOperator, ana)
	r.site.report(2 * time.Hour)
	r.c.Step(context.Background())
	if v, _ := r.c.Event(id); v.State != StateEnded {
		t.Errorf("unconfirmed event after its window: %s, want ended", v.State)
	}
	if n := r.snd.count(); n != 0 {
		t.Errorf("%d setpoints sent for events nobody confirmed", n)
	}
}

// TestConcurrentUse runs previews, confirmations, steps and reads at once;
// run it with -race.
func TestConcurrentUse(t *testing.T) {
	r := newRig(t, func(o *Options) { o.SendChunk = 2 })
	ctx := context.Background()
	id, _ := r.c.Propose(capF1("DR-1", 120), OriginOperator, ana)
	if _, err := r.c.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(2)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-r.c.Changes():
				for _, v := range r.c.Events() {
					_ = v.Progress.ByStatus[adapters.StatusAccepted]
				}
			}
		}
	}()
	var confirmErr error
	go func() {
		defer wg.Done()
		confirmErr = r.c.Confirm(ctx, id, ana, ConfirmOptions{})
	}()
	for i := 0; i < 20; i++ {
		r.c.Step(ctx)
		_, _ = r.c.Preview(ctx, id)
		_ = r.c.Events()
	}
	close(stop)
	wg.Wait()
	if confirmErr != nil && !errors.Is(confirmErr, ErrBusy) && !errors.Is(confirmErr, ErrNoPreview) {
		t.Fatalf("confirm: %v", confirmErr)
	}
}

// A desk that stops cancels its events in force, on the record, and
// releases their chargers: nothing would re-plan them (a server restart
// dropped them with no trace in the journal).
func TestStopAllCancelsOnTheRecord(t *testing.T) {
	r := newRig(t, nil)
	id := r.confirmed(t, capF1("DR-1", 120))
	if got := r.c.Active(); len(got) != 1 || got[0] != id {
		t.Fatalf("active %v, want [%s]", got, id)
	}
	stopped := r.c.StopAll(context.Background(), "the desk stopped")
	if len(stopped) != 1 || stopped[0] != id {
		t.Fatalf("stopped %v, want [%s]", stopped, id)
	}
	v, _ := r.c.Event(id)
	if v.State != StateCancelled || v.Reason != "the desk stopped" || v.Progress.Released != 10 {
		t.Errorf("after StopAll: %s (%q), released %d; want cancelled, the reason, 10", v.State, v.Reason, v.Progress.Released)
	}
	var cancels int
	r.j.mu.Lock()
	recs := slices.Clone(r.j.recs)
	r.j.mu.Unlock()
	for _, rec := range recs {
		if rec.Kind == RecDispatchCancel && rec.Event == id && rec.Reason == "the desk stopped" {
			cancels++
		}
	}
	if cancels != 1 {
		t.Errorf("%d dispatch_cancel records for the stop, want 1", cancels)
	}
	if len(r.c.Active()) != 0 {
		t.Error("events still in force after StopAll")
	}
}

// TestSourceEndEndsEventsInForce: once the source has ended (a simulated
// day is over), Step plans nothing more. The event in force and the one
// handing back end on the record, their chargers released, with a reason
// naming the end; a pending event ends too, since it can never run. They
// were re-planned at every step, and their setpoints went to a simulator
// that was gone.
func TestSourceEndEndsEventsInForce(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	// F1's unmanaged charging (190 kW) is over its 150 kW limit: after its
	// short window DR-0 hands back.
	short := capF1("DR-0", 120)
	short.End = t0.Add(15 * time.Minute)
	handing := r.confirmed(t, short)
	running := r.confirmed(t, feeds.EventFrame{ID: "DR-1", Kind: feeds.EventImportCap, Scope: "F2", Start: t0, End: t0.Add(2 * time.Hour), KW: 105})
	later := capF1("DR-2", 110)
	later.Start, later.End = t0.Add(3*time.Hour), t0.Add(4*time.Hour)
	pending, err := r.c.Propose(later, OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
	}
	if v, _ := r.c.Event(handing); v.State != StateActive || v.HandBackSince.IsZero() {
		t.Fatalf("%s before the end: %s, handing back since %v; want it handing back", handing, v.State, v.HandBackSince)
	}
	if v, _ := r.c.Event(running); v.State != StateActive || len(v.Preview.Setpoints) == 0 {
		t.Fatalf("%s before the end: %s; want it running with setpoints", running, v.State)
	}
	r.site.fl.HandleLink(feeds.LinkEvent{At: r.site.Now(), End: true})
	sent := r.snd.count()
	plans := map[string]int{}
	for _, id := range []string{handing, running} {
		v, _ := r.c.Event(id)
		plans[id] = v.Plans
	}
	for range 3 {
		r.c.Step(ctx)
	}
	const reason = "the feed ended at 18:30"
	for _, id := range []string{handing, running} {
		v, _ := r.c.Event(id)
		if v.State != StateEnded || v.EndWhy.Kind != WhySourceEnded || v.Reason != reason {
			t.Errorf("%s after the end: %s, %q (%s); want ended, %q", id, v.State, v.Reason, v.EndWhy.Kind, reason)
		}
		if v.Progress.Released == 0 {
			t.Errorf("%s released no charger", id)
		}
		if v.Plans != plans[id] {
			t.Errorf("%s planned %d times after the end", id, v.Plans-plans[id])
		}
	}
	if n := r.snd.count(); n != sent {
		t.Errorf("%d setpoints sent after the source ended, want none", n-sent)
	}
	if v, _ := r.c.Event(pending); v.State != StateEnded || v.EndWhy.Kind != WhySourceEnded || v.Reason != reason {
		t.Errorf("pending %s after the end: %s, %q; want ended, %q", pending, v.State, v.Reason, reason)
	}
	if a := r.c.Active(); len(a) != 0 {
		t.Errorf("events still in force after the end: %v", a)
	}
	r.j.mu.Lock()
	recs := slices.Clone(r.j.recs)
	r.j.mu.Unlock()
	ends := map[string]int{}
	for _, rec := range recs {
		if rec.Kind == RecDispatchEnd && rec.Reason == reason {
			ends[rec.Event]++
		}
	}
	if ends[handing] != 1 || ends[running] != 1 || ends[pending] != 1 {
		t.Errorf("dispatch_end records with %q: %v, want one each for %s, %s and %s", reason, ends, handing, running, pending)
	}
	// The desk's stop that follows finds nothing left to cancel.
	if stopped := r.c.StopAll(ctx, "the desk stopped"); len(stopped) != 0 {
		t.Errorf("StopAll after the end stopped %v", stopped)
	}
}

// A dispatcher sends only the plan they read: when the event was planned
// again after it (another desk's d), Confirm with the preview seen is
// refused; the new preview confirms. A conflict names who holds the scope.
func TestConfirmSendsOnlyThePlanSeen(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id, err := r.c.Propose(capF1("DR-1", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	seen, err := r.c.Preview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := r.c.Preview(ctx, id) // planned again elsewhere
	if err != nil {
		t.Fatal(err)
	}
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{Seen: seen}); !errors.Is(err, ErrPlanChanged) {
		t.Fatalf("confirm of an outdated preview: %v, want ErrPlanChanged", err)
	}
	if n := r.snd.count(); n != 0 {
		t.Fatalf("%d setpoints sent for an outdated preview", n)
	}
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{Seen: fresh}); err != nil {
		t.Fatalf("confirm of the preview seen: %v", err)
	}
	other, err := r.c.Propose(capF1("DR-2", 130), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.c.Preview(ctx, other); err != nil {
		t.Fatal(err)
	}
	err = r.c.Confirm(ctx, other, ana, ConfirmOptions{})
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "confirmed by ana at 18:00:00") {
		t.Errorf("conflicting confirm: %v, want ErrConflict naming who confirmed DR-1 and when", err)
	}
}

// TestCanSendSaysWhetherConfirmCan: CanSend is false exactly when Confirm
// fails for want of a Sender, so a desk can say so before enter.
func TestCanSendSaysWhetherConfirmCan(t *testing.T) {
	r := newRig(t, nil)
	if !r.c.CanSend() {
		t.Error("a controller with a Sender says it cannot send")
	}
	r = newRig(t, func(o *Options) { o.Sender = nil })
	if r.c.CanSend() {
		t.Error("a controller without a Sender says it can send")
	}
	id, err := r.c.Propose(capF1("OP-9", 500), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.c.Preview(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if err := r.c.Confirm(context.Background(), id, ana, ConfirmOptions{}); !errors.Is(err, ErrNoSender) {
		t.Errorf("Confirm without a Sender: %v, want ErrNoSender", err)
	}
}

// A charger that did not answer in time may hold its setpoint all the same
// (a late acceptance): cancelling releases it with the others. It was left
// holding a 0 W limit for 20 minutes, and the desk said nothing was left.
func TestCancelReleasesChargersThatTimedOut(t *testing.T) {
	r := newRig(t, nil)
	r.snd.silent = map[string]bool{"CP-03": true}
	id := r.confirmed(t, capF1("DR-1", 120))
	if err := r.c.Cancel(context.Background(), id, ana, "test"); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(r.snd.released, "CP-03") || len(r.snd.released) != 10 {
		t.Errorf("released %v, want all ten chargers, CP-03 (timed out) among them", r.snd.released)
	}
}

// TestHandBackWhy: the journal's sentence for a hand-back check names the
// system as such, groups thousands, and is empty before any check.
func TestHandBackWhy(t *testing.T) {
	at := time.Date(2026, 1, 15, 18, 15, 0, 0, time.UTC)
	for _, tc := range []struct {
		h    HandBack
		want string
	}{
		{HandBack{Scope: "F07", PeakKW: 4100.4, PeakAt: at, LimitKW: 4000}, "charging would take F07 to 4,100 kW (102%) at 18:15 (limit 4,000 kW)"},
		{HandBack{Scope: feeds.ScopeSystem, PeakKW: 42999, PeakAt: at, LimitKW: 42000}, "charging would take the system to 42,999 kW (102%) at 18:15 (limit 42,000 kW)"},
		{HandBack{}, ""},
	} {
		if got := tc.h.Why(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.h, got, tc.want)
		}
	}
}

// TestNothingStartsAfterTheSourceEnded: between the source's end and the
// step that ends the events in force, a proposal or a confirmation (from a
// headless `dispatch --yes`, or a desk whose key arrived first) is refused
// with ErrSourceEnded and sends nothing.
func TestNothingStartsAfterTheSourceEnded(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id, err := r.c.Propose(capF1("DR-1", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.c.Preview(ctx, id); err != nil {
		t.Fatal(err)
	}
	r.site.fl.HandleLink(feeds.LinkEvent{At: r.site.Now(), End: true})
	if err := r.c.Confirm(ctx, id, ana, ConfirmOptions{}); !errors.Is(err, ErrSourceEnded) {
		t.Errorf("confirm after the end: %v, want ErrSourceEnded", err)
	}
	if _, err := r.c.Propose(capF1("DR-2", 120), OriginOperator, ana); !errors.Is(err, ErrSourceEnded) {
		t.Errorf("propose after the end: %v, want ErrSourceEnded", err)
	}
	if n := r.snd.count(); n != 0 {
		t.Errorf("%d setpoints sent after the source ended, want none", n)
	}
}

// TestUnconfirmedEventIsClosedOnTheRecord: a proposal is journalled, so
// one whose window ends before anyone confirms it is closed there too
// (dispatch_end, "never confirmed"), or the journal leaves it open.
func TestUnconfirmedEventIsClosedOnTheRecord(t *testing.T) {
	r := newRig(t, nil)
	ev := capF1("DR-1", 120)
	ev.End = t0.Add(15 * time.Minute)
	id, err := r.c.Propose(ev, OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	r.site.report(15 * time.Minute)
	r.c.Step(context.Background())
	if v, _ := r.c.Event(id); v.State != StateEnded || v.EndWhy.Kind != WhyUnconfirmed {
		t.Fatalf("%s after its window: %s (%s); want ended unconfirmed", id, v.State, v.EndWhy.Kind)
	}
	r.j.mu.Lock()
	recs := slices.Clone(r.j.recs)
	r.j.mu.Unlock()
	var ends []adapters.Record
	for _, rec := range recs {
		if rec.Kind == RecDispatchEnd && rec.Event == id {
			ends = append(ends, rec)
		}
	}
	if len(ends) != 1 || ends[0].Reason != "its window ended before it was confirmed" || !strings.HasSuffix(ends[0].Detail, "; never confirmed") {
		t.Errorf("dispatch_end records of %s: %+v; want one, its window ended before it was confirmed", id, ends)
	}
}

// TestNextPlanSaysWhen: a scope over its cap with an event in force, the
// page said "over the cap by 17 kW" and not when the desk would act on it.
// The view says when the next plan is due: the next slot, or as soon as
// MinReplan allows when the scope is over the cap beyond the tolerance or
// drifts from plan; and the tolerance it is judged by.
func TestNextPlanSaysWhen(t *testing.T) {
	tests := []struct {
		name   string
		jumpKW float64
		soon   bool
	}{
		{"over the cap", 60, true},
		{"under plan", -40, true},
		{"within the drift", -10, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, nil)
			id := r.confirmed(t, capF1("DR-1", 120))
			if v, _ := r.c.Event(id); v.NextPlan.IsZero() {
				t.Fatalf("confirmed: no next plan (%+v)", v)
			}
			r.site.report(time.Minute, tc.jumpKW)
			r.c.Step(context.Background())
			v, _ := r.c.Event(id)
			if v.Plans != 1 {
				t.Fatalf("re-planned within MinReplan")
			}
			want := v.LastPlan.Truncate(15 * time.Minute).Add(15 * time.Minute)
			if tc.soon {
				want = v.LastPlan.Add(2 * time.Minute)
			}
			if !v.NextPlan.Equal(want) {
				t.Errorf("next plan %s, want %s (last plan %s)", v.NextPlan.Format("15:04:05"), want.Format("15:04:05"), v.LastPlan.Format("15:04:05"))
			}
			if v.NextPlanEarly != tc.soon {
				t.Errorf("next plan early %t, want %t", v.NextPlanEarly, tc.soon)
			}
			if v.ToleranceKW != 5 {
				t.Errorf("tolerance %g kW, want 5 (the least; 2%% of F1's limit is less)", v.ToleranceKW)
			}
		})
	}
	r := newRig(t, nil)
	id, err := r.c.Propose(capF1("DR-2", 120), OriginOperator, ana)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := r.c.Event(id); !v.NextPlan.IsZero() {
		t.Errorf("a pending event has a next plan %s", v.NextPlan)
	}
}
