package control

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/adapters"
)

// TestStaleChargersAreHeldAtTheirLastLimit: a cap in force, the feed goes
// silent. Chargers not heard from for the stale time dropped out of the
// new slot's plan, their setpoints expired at their validity and they went
// back to unmanaged charging while nobody could see: the event stopped
// controlling. They are held instead, at their last import limit (never
// more, never a discharge), with a validity, journalled as holds, for as
// long as the event is in force; heard again, they are planned again.
func TestStaleChargersAreHeldAtTheirLastLimit(t *testing.T) {
	r := newRig(t, nil) // stale after 5 min, 15-min slots, 5-min grace
	id := r.confirmed(t, capF1("DR-1", 120))
	ctx := context.Background()
	lastOf := func(from int) map[string]adapters.Setpoint {
		r.snd.mu.Lock()
		defer r.snd.mu.Unlock()
		m := map[string]adapters.Setpoint{}
		for _, sp := range r.snd.sent[from:] {
			m[sp.Charger] = sp
		}
		return m
	}
	first := lastOf(0)
	if len(first) == 0 {
		t.Fatal("the confirmation sent no setpoints")
	}
	// CP-00 was last told to discharge 5 kW: on stale data its SoC may be
	// at the driver's minimum, so it is held at 0 kW, not at -5.
	r.c.mu.Lock()
	r.c.events[id].lastKW["CP-00"] = -5
	r.c.mu.Unlock()
	sp := first["CP-00"]
	sp.KW = -5
	first["CP-00"] = sp
	r.site.report(time.Minute) // 18:01, heard
	r.c.Step(ctx)
	// The feed goes silent at 18:01: the clock runs on to 18:46, nothing
	// is reported; 18:15, 18:30 and 18:45 are new slots.
	for range 45 {
		r.site.mu.Lock()
		r.site.now = r.site.now.Add(time.Minute)
		r.site.mu.Unlock()
		from := r.snd.count()
		r.c.Step(ctx)
		now := r.site.Now()
		sent := lastOf(from)
		for ch, sp0 := range first {
			sp, ok := sent[ch]
			if !ok {
				if !sp0.ValidUntil.After(now) {
					t.Fatalf("%s: %s's last setpoint (%.1f kW) expired at %s: it charges unmanaged under the cap's event",
						now.Format("15:04"), ch, sp0.KW, sp0.ValidUntil.Format("15:04"))
				}
				continue
			}
			if sp.KW < 0 || sp.KW > max(0, sp0.KW)+1e-9 {
				t.Errorf("%s: %s held at %.2f kW, its last setpoint was %.2f kW: want 0 to %.2f, no discharge",
					now.Format("15:04"), ch, sp.KW, sp0.KW, max(0, sp0.KW))
			}
			if !sp.ValidUntil.After(now) || sp.ValidUntil.Sub(now) > 20*time.Minute {
				t.Errorf("%s: %s held with validity %s: want a slot and the grace at most", now.Format("15:04"), ch, sp.ValidUntil.Format("15:04"))
			}
			if !strings.Contains(sp.Reason, "held on stale data: not heard since 18:01") {
				t.Errorf("%s: %s reason %q: want it journalled as a hold on stale data", now.Format("15:04"), ch, sp.Reason)
			}
			first[ch] = sp
		}
	}
	if kw := first["CP-00"].KW; kw != 0 {
		t.Errorf("CP-00, last told -5 kW, held at %.2f kW: want 0 (no discharge on stale data)", kw)
	}
	v, _ := r.c.Event(id)
	if v.Plans < 4 {
		t.Errorf("plans by 18:46: %d, want the new slots 18:15, 18:30, 18:45 planned", v.Plans)
	}
	if want := len(first); v.Progress.Held != want {
		t.Errorf("progress held %d, want %d", v.Progress.Held, want)
	}
	if at := t0.Add(15 * time.Minute); !v.Progress.HeldSince.Equal(at) {
		t.Errorf("held since %v, want %v (the first plan after the chargers went stale)", v.Progress.HeldSince, at)
	}
	if at := t0.Add(time.Minute); !v.Progress.HeldLastHeard.Equal(at) {
		t.Errorf("held chargers last heard %v, want %v", v.Progress.HeldLastHeard, at)
	}
	// The plan without the event, for the page's split, leaves room for
	// the same holds: without them the held limits read as the event's
	// doing ("the event itself: +111 kW" with nothing planned).
	if v.Preview == nil || v.Preview.Reference == nil {
		t.Fatal("no reference plan for the page's split")
	}
	if d := v.Preview.EventNowKW(); d < -1e-6 || d > 1e-6 {
		t.Errorf("the event itself changes F1 by %.2f kW with every charger held: want 0", d)
	}
	// Data again: planned on it, not held.
	r.site.report(15 * time.Minute) // 19:01
	r.c.Step(ctx)
	v, _ = r.c.Event(id)
	if v.Progress.Held != 0 || !v.Progress.HeldSince.IsZero() {
		t.Errorf("heard again at 19:01: held %d since %v, want none", v.Progress.Held, v.Progress.HeldSince)
	}
}

// A hold's reason words its limit as the journal reads figures: a solver's
// 1e-8 kW read "last import limit 0.0 kW kept".
func TestHoldText(t *testing.T) {
	at := time.Date(2024, 1, 17, 17, 53, 0, 0, time.UTC)
	for _, tt := range []struct {
		kw   float64
		want string
	}{
		{1.13e-8, "last import limit 0 kW kept"},
		{-1e-9, "last import limit 0 kW kept"},
		{3.66, "last import limit 3.7 kW kept"},
		{11, "last import limit 11 kW kept"},
	} {
		got := HoldText(at, tt.kw)
		if !strings.Contains(got, tt.want) || !strings.HasPrefix(got, "held on stale data: not heard since 17:53") {
			t.Errorf("HoldText(%g) = %q, want %q", tt.kw, got, tt.want)
		}
	}
}

// A hand-back is not released on stale data: with the feed lost, the
// held chargers count at their held limits and the scope looked under its
// limit, so the event ended and let go of EVs whose rebound nobody could
// see. It keeps handing back, holding them, until data says it may let go
// (or the forced release).
func TestHandBackIsNotReleasedOnStaleData(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	id := r.confirmed(t, capF1("DR-1", 120)) // 18:00–20:00
	for range 7 {                            // to 19:45, heard
		r.site.report(15 * time.Minute)
		r.c.Step(ctx)
	}
	// Silent from 19:45: stale from 19:50; the window ends at 20:00.
	for range 16 { // to 20:01
		r.site.mu.Lock()
		r.site.now = r.site.now.Add(time.Minute)
		r.site.mu.Unlock()
		r.c.Step(ctx)
	}
	v, _ := r.c.Event(id)
	if v.State != StateActive || v.HandBackSince.IsZero() {
		t.Fatalf("at 20:01 with the feed lost since 19:45: %s (%s), hand-back since %v; want it handing back, not released on stale data",
			v.State, v.Reason, v.HandBackSince)
	}
	if v.Progress.Held != 10 {
		t.Errorf("held %d at 20:01, want the 10 F1 chargers", v.Progress.Held)
	}
}
