package control

import (
	"slices"
	"testing"
	"time"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// everyWhy is a reason of every kind and variant the controller gives.
func everyWhy() []Why {
	slot := time.Date(2024, 2, 4, 18, 15, 0, 0, t0.Location())
	check := HandBack{Scope: feeds.ScopeSystem, PeakKW: 4100, PeakAt: slot, LimitKW: 4000}
	return []Why{
		{Kind: WhyConfirmed},
		{Kind: WhyNewSlot, At: slot},
		{Kind: WhyOverCap, MeasuredKW: 3712, CapKW: 3600},
		{Kind: WhyOverCap, Event: feeds.EventExport, MeasuredKW: -283, CapKW: -300},
		{Kind: WhyOverCap, Event: feeds.EventExport, MeasuredKW: 140, CapKW: -300},
		{Kind: WhyOverCap, Event: feeds.EventShed, MeasuredKW: 3300, CapKW: 3210},
		{Kind: WhyDrift, MeasuredKW: 3900, PlannedKW: 3500},
		{Kind: WhyDrift, Event: feeds.EventExport, MeasuredKW: 40, PlannedKW: -30},
		{Kind: WhyWindowOver, HandBack: check},
		{Kind: WhyHandBack, At: slot, HandBack: check},
		{Kind: WhySeek, From: slot, At: slot.Add(time.Hour)},
		{Kind: WhySeek, From: slot, At: slot.Add(-time.Hour)},
		{Kind: WhySeek, At: slot},
		{Kind: WhyReleased, LimitKW: 4000},
		{Kind: WhyNoHandBackPlan, Err: "no topology"},
		{Kind: WhyForcedRelease, Hold: 4 * time.Hour, HandBack: check},
		{Kind: WhyUnconfirmed},
		{Kind: WhySourceEnded, At: slot, Mode: feeds.ModeSimulation},
		{Kind: WhySourceEnded, At: slot, Mode: feeds.ModeReplay},
		{Kind: WhySourceEnded, At: slot, Mode: feeds.ModeLive},
		{Kind: WhyEarlierPass, From: slot.Add(6 * time.Hour), At: slot.Add(-18 * time.Hour)},
	}
}

// TestWhyFormatsAreEverySentence: a desk translates the controller's
// reasons by the sentences WhyFormats lists (its check that it translates
// them all reads the list), so the list must hold every sentence Text
// hands to Words.T, and nothing it never does. The desk's own copies of
// the sentences had drifted from the journal's before they were one.
func TestWhyFormatsAreEverySentence(t *testing.T) {
	used := map[string]bool{}
	words := JournalWords()
	words.T = func(s string) string { used[s] = true; return s }
	for _, w := range everyWhy() {
		if got, want := w.Text(words), w.String(); got != want {
			t.Errorf("%s: Text %q, String %q", w.Kind, got, want)
		}
	}
	formats := WhyFormats()
	for s := range used {
		if !slices.Contains(formats, s) {
			t.Errorf("Text translates %q, which WhyFormats does not list", s)
		}
	}
	for _, s := range formats {
		if !used[s] {
			t.Errorf("WhyFormats lists %q, which no reason uses", s)
		}
	}
}
