package control

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestWhyString keeps the journal's sentences as they were when the
// reasons were text: screens word Why themselves, the record does not
// change.
func TestWhyString(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	slot := time.Date(2026, 7, 1, 18, 15, 0, 0, shanghai)
	check := HandBack{Scope: "F07", PeakKW: 4100, PeakAt: slot, LimitKW: 4000}
	midnight := time.Date(2026, 7, 2, 0, 0, 0, 0, shanghai)
	for _, tc := range []struct {
		why  Why
		want string
	}{
		{Why{Kind: WhyConfirmed}, "confirmed"},
		{Why{Kind: WhyNewSlot, At: slot}, "new slot 18:15"},
		{Why{Kind: WhySeek, From: slot, At: slot.Add(95 * time.Minute)}, "seek from 18:15 to 19:50"},
		{Why{Kind: WhySeek, From: slot, At: slot.Add(-15 * time.Minute)}, "seek back from 18:15 to 18:00"},
		{Why{Kind: WhySeek, At: slot}, "seek to 18:15"},
		{Why{Kind: WhyOverCap, MeasuredKW: 3712.4, CapKW: 3600}, "over cap: measured 3712 kW, cap 3600 kW"},
		{Why{Kind: WhyOverCap, Event: feeds.EventImportCap, MeasuredKW: 3712.4, CapKW: 3600}, "over cap: measured 3712 kW, cap 3600 kW"},
		// An export's cap is minus its target: a shortfall, in net export,
		// or as import while the scope still draws from the grid.
		{Why{Kind: WhyOverCap, Event: feeds.EventExport, MeasuredKW: -282.6, CapKW: -300}, "export short: measured 283 kW export, target 300 kW export"},
		{Why{Kind: WhyOverCap, Event: feeds.EventExport, MeasuredKW: 140, CapKW: -2000}, "export short: measured 140 kW import, target 2000 kW export"},
		{Why{Kind: WhyOverCap, Event: feeds.EventShed, MeasuredKW: 3300, CapKW: 3210}, "over the shed target: measured 3300 kW, target 3210 kW"},
		{Why{Kind: WhyDrift, MeasuredKW: 3900, PlannedKW: 3500}, "drift: measured 3900 kW, planned 3500 kW"},
		// An export's drift in export, as its shortfall: it read "drift:
		// measured -358 kW, planned -300 kW".
		{Why{Kind: WhyDrift, Event: feeds.EventExport, MeasuredKW: -358.2, PlannedKW: -300}, "drift: measured 358 kW export, planned 300 kW export"},
		{Why{Kind: WhyDrift, Event: feeds.EventExport, MeasuredKW: 40, PlannedKW: -30}, "drift: measured 40 kW import, planned 30 kW export"},
		{Why{Kind: WhyDrift, Event: feeds.EventShed, MeasuredKW: 3900, PlannedKW: 3500}, "drift: measured 3900 kW, planned 3500 kW"},
		{Why{Kind: WhyWindowOver}, "window over"},
		{Why{Kind: WhyWindowOver, HandBack: check},
			"window over; if released now, charging would take F07 to 4,100 kW (102%) at 18:15 (limit 4,000 kW)"},
		{Why{Kind: WhyHandBack, At: slot, HandBack: HandBack{Scope: feeds.ScopeSystem, PeakKW: 9000, PeakAt: slot, LimitKW: 8000}},
			"hand-back 18:15; if released now, charging would take the system to 9,000 kW (112%) at 18:15 (limit 8,000 kW)"},
		{Why{Kind: WhyReleased, LimitKW: 4000}, "window over; released: unmanaged charging stays under the 4,000 kW limit"},
		{Why{Kind: WhyNoHandBackPlan, Err: "no snapshot"}, "window over; released: no hand-back plan (no snapshot)"},
		{Why{Kind: WhyForcedRelease, Hold: 4 * time.Hour, HandBack: check},
			"window over; released at the 4 h hand-back limit, though charging would take F07 to 4,100 kW (102%) at 18:15 (limit 4,000 kW)"},
		{Why{Kind: WhyUnconfirmed}, "its window ended before it was confirmed"},
		{Why{Kind: WhySourceEnded, At: midnight, Mode: feeds.ModeSimulation}, "the scenario ended at 00:00"},
		{Why{Kind: WhySourceEnded, At: midnight, Mode: feeds.ModeReplay}, "the replay ended at 00:00"},
		{Why{Kind: WhySourceEnded, At: midnight, Mode: feeds.ModeLive}, "the feed ended at 00:00"},
		{Why{Kind: WhySourceEnded, At: midnight}, "the feed ended at 00:00"},
	} {
		if got := tc.why.String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.why.Kind, got, tc.want)
		}
	}
}

// TestExportReplanSaysShortfall: an export event re-planned because the
// scope exported less than its target said "over cap: measured -283 kW,
// cap -300 kW", a cap the dispatcher never set, in the journal and on the
// desk. The re-plan's Why carries the event's kind, and its sentence is a
// shortfall against the export target.
func TestExportReplanSaysShortfall(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	r.site.report(0, -60) // F1's base load 20 kW: its EVs can export 20 kW net
	ev := feeds.EventFrame{ID: "DR-X", Kind: feeds.EventExport, Scope: "F1", Start: t0, End: t0.Add(2 * time.Hour), KW: 20}
	id := r.confirmed(t, ev)
	r.site.report(time.Minute, -60)
	r.c.Step(ctx)
	r.site.report(2*time.Minute, -30) // the base load up by 30 kW: short of the target
	r.c.Step(ctx)
	v, _ := r.c.Event(id)
	if v.LastWhy.Kind != WhyOverCap || v.LastWhy.Event != feeds.EventExport {
		t.Fatalf("plans %d, why %+v; want an over-cap re-plan of an export", v.Plans, v.LastWhy)
	}
	if !strings.HasPrefix(v.LastReason, "export short: measured ") || !strings.HasSuffix(v.LastReason, "target 20 kW export") {
		t.Errorf("reason %q, want an export shortfall against the 20 kW target", v.LastReason)
	}
}

// TestExportDriftSaysExport: an export event re-planned because its scope
// exported more than planned said "drift: measured -358 kW, planned -300
// kW" in the journal and on the desk, beside a shortfall's "measured 273
// kW export". The drift's Why carries the event's kind, and its sentence
// gives both figures as export.
func TestExportDriftSaysExport(t *testing.T) {
	r := newRig(t, nil)
	ctx := context.Background()
	r.site.report(0, -60) // F1's base load 20 kW: its EVs can export 20 kW net
	ev := feeds.EventFrame{ID: "DR-X", Kind: feeds.EventExport, Scope: "F1", Start: t0, End: t0.Add(2 * time.Hour), KW: 20}
	id := r.confirmed(t, ev)
	r.site.report(time.Minute, -60)
	r.c.Step(ctx)
	r.site.report(2*time.Minute, -120) // the base load down by 60 kW: 60 kW more export than planned
	r.c.Step(ctx)
	v, _ := r.c.Event(id)
	if v.LastWhy.Kind != WhyDrift || v.LastWhy.Event != feeds.EventExport {
		t.Fatalf("plans %d, why %+v; want a drift re-plan of an export", v.Plans, v.LastWhy)
	}
	if !strings.HasPrefix(v.LastReason, "drift: measured ") || !strings.Contains(v.LastReason, " kW export, planned ") ||
		!strings.HasSuffix(v.LastReason, " kW export") || strings.Contains(v.LastReason, "-") {
		t.Errorf("reason %q, want a drift in export, both figures as export", v.LastReason)
	}
}
