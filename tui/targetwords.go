package tui

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// capWords are the words for what an event asks of its scope: an import
// cap's "cap 1,435 kW"; an export's target is net export ("export target
// 2,000 kW", where the line read "cap −2,000 kW") and a shed's the
// unmanaged load less the shed. sign turns the controller's cap on the
// load into the figure said.
type capWords struct {
	target, over, missed string
	// shortfall is the format of the line saying by how much energy a
	// plan misses what the event asks: an export or a shed has no cap to
	// the dispatcher who typed it, and "the cap cannot be fully met: 17.4
	// MWh over it" on a 2,000 kW export read as about some other limit.
	shortfall string
	// replan is the format of the reason for a re-plan made because the
	// scope was measured past what the event asks (control.WhyOverCap):
	// the measured figure, then the target, both as the target is said.
	// replanImporting is an export's while its scope still imports, the
	// measured figure said as import: "measured -283 kW, cap -300 kW" on
	// an export read as a cap the dispatcher never set.
	replan, replanImporting string
	sign                    float64
}

// targetWords are capWords for an event of kind, with t for the language:
// the desk's page and `v2gdesk dispatch` (TargetText) say one thing, the
// command line having printed "(cap −2,000)" for an export the page calls
// its "export target 2,000 kW".
func targetWords(t func(string) string, k feeds.EventKind) capWords {
	switch k {
	case feeds.EventExport:
		return capWords{t("export target %s kW"), t("short of the export target by %s kW"), t("export target missed since %s"),
			t("the export cannot be fully delivered: %s short of it in the plan"),
			t("export short: measured %s kW export, target %s kW export"),
			t("export short: measured %s kW import, target %s kW export"), -1}
	case feeds.EventShed:
		return capWords{t("shed target %s kW"), t("over the shed target by %s kW"), t("shed target missed since %s"),
			t("the shed cannot be fully met: %s short of it in the plan"),
			t("over the shed target: measured %s kW, target %s kW"), "", 1}
	}
	return capWords{t("cap %s kW"), t("over the cap by %s kW"), t("cap missed since %s"),
		t("the cap cannot be fully met: %s over it in the plan"),
		t("over cap: measured %s kW, cap %s kW"), "", 1}
}

// replanText words a re-plan made because the scope was measured past what
// its event asks (control.WhyOverCap), as the event's kind says its
// target: "export short: measured 283 kW export, target 300 kW export" as
// the journal has it (control.Why.String), with thousands separators.
func replanText(t func(string) string, w control.Why) string {
	words := targetWords(t, w.Event)
	format, measured := words.replan, words.sign*w.MeasuredKW
	if measured < 0 && words.replanImporting != "" {
		format, measured = words.replanImporting, -measured
	}
	return fmt.Sprintf(format, kw(measured), kw(words.sign*w.CapKW))
}

// targetLegend names the line an event's chart holds the plan against:
// an export's at minus the export, a shed's the unmanaged load less eventKW
// (a curve, so named by how it is made, not by one figure).
func targetLegend(t func(string) string, k feeds.EventKind, eventKW float64) string {
	switch k {
	case feeds.EventExport:
		return fmt.Sprintf(t("export target %s kW"), kw(eventKW))
	case feeds.EventShed:
		return fmt.Sprintf(t("shed target: unmanaged − %s kW"), kw(eventKW))
	}
	return fmt.Sprintf(t("cap %s kW"), kw(eventKW))
}

// TargetText is what an event of kind holds its scope to, in English as the
// desk's progress line says it, for `v2gdesk dispatch --follow`: capKW is
// the controller's cap on the scope's load (TrackPoint.CapKW), −2,000 for a
// 2,000 kW export, which reads "export target 2,000 kW".
func TargetText(kind feeds.EventKind, capKW float64) string {
	w := targetWords(translator{}.t, kind)
	return fmt.Sprintf(w.target, kw(w.sign*capKW))
}

// TargetMissedText is the desk's "cap missed since 18:05" (an export's
// "export target missed since 18:05", a shed's likewise) in English, for
// `v2gdesk dispatch --follow`; since is the time as the caller prints it.
func TargetMissedText(kind feeds.EventKind, since string) string {
	return fmt.Sprintf(targetWords(translator{}.t, kind).missed, since)
}

// TargetLegend is the desk's chart legend for what an event of kind asks
// (eventKW, the event's figure) in English: "export target 2,000 kW",
// "shed target: unmanaged − 500 kW", "cap 1,435 kW"; `v2gdesk dispatch`
// names its preview's target column with it.
func TargetLegend(kind feeds.EventKind, eventKW float64) string {
	return targetLegend(translator{}.t, kind, eventKW)
}

// CapShortfallText is the English format of the line saying by how much
// (%s, energy) a plan misses what an event of kind asks, as the desk's page
// says it (capWords.shortfall), for `v2gdesk dispatch`.
func CapShortfallText(kind feeds.EventKind) string {
	return targetWords(translator{}.t, kind).shortfall
}
