package tui

import (
	"fmt"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// readDataFor is words.readData for an event on scope: a system-wide
// event's points to the feeders' data, not one feeder's.
func (words nextWords) readDataFor(scope string) string {
	if scope == feeds.ScopeSystem {
		return words.readDataSystem
	}
	return words.readData
}

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
	// next are the lines under a scope measured past what the event asks,
	// saying when the controller re-plans it (nextPlanLines).
	next nextWords
	// state is the event's state word while its miss alarm is on
	// (drStateText), and alarm the format of that alarm's line in the
	// alarm list (the event, by how much): an export's read "▲ CAP MISSED"
	// and "OP-1 over cap 129 kW" beside "export target missed since".
	state, alarm string
	sign         float64
}

// nextWords are the formats of the lines saying when the controller
// re-plans an event whose scope is past what it asks, and what the
// dispatcher does if that does not help (nextPlanLines, inForceOverLine).
// An export's are a shortfall: "the plan cannot hold the cap" and "the EVs
// cannot shed more" under "short of the export target by 27 kW" spoke of a
// cap the dispatcher never set and of shedding where the EVs export.
type nextWords struct {
	// atOnce: the next re-plan's time and the tolerance it is past.
	atOnce string
	// cannotHold: the next slot's time, when the plan itself cannot meet
	// the target, and callBack the step after it.
	cannotHold, callBack string
	// withinTolerance: the next slot's time, by how much the scope is
	// past the target and the tolerance that is within.
	withinTolerance string
	// readData is the step after a re-plan that should have helped, on a
	// feeder's event; readDataSystem on a system-wide one, which points to
	// the feeders' data (it read "the feeder's data", as if one feeder
	// were the scope).
	readData, readDataSystem string
	// triage is triage's line: the scope, the event, by how much, and
	// the next re-plan's time.
	triage string
}

// targetWords are capWords for an event of kind, with t for the language:
// the desk's page and `v2gdesk dispatch` (TargetText) say one thing, the
// command line having printed "(cap −2,000)" for an export the page calls
// its "export target 2,000 kW".
func targetWords(t func(string) string, k feeds.EventKind) capWords {
	switch k {
	case feeds.EventExport:
		return capWords{
			target:    t("export target %s kW"),
			over:      t("short of the export target by %s kW"),
			missed:    t("export target missed since %s"),
			shortfall: t("the export cannot be fully delivered: %s short of it in the plan"),
			state:     t("TARGET MISSED"),
			alarm:     t("%s export short %s kW"),
			next: nextWords{
				atOnce:          t("next re-plan %s (short by more than the %s kW tolerance: re-planned at once)"),
				cannotHold:      t("next re-plan %s, the next slot (the plan cannot reach the export target; re-planning sooner would not either)"),
				callBack:        t("still short after it: call the grid operator back with the figure (the EVs cannot export more)"),
				withinTolerance: t("next re-plan %s, the next slot (%s kW short is within the %s kW tolerance)"),
				readData:        t("still short after it: read what was not applied, and the feeder's data (2 Feeders)"),
				readDataSystem:  t("still short after it: read what was not applied, and the feeders' data (2 Feeders)"),
				triage:          t("%s is short of %s's export target by %s kW: next re-plan %s · 5 Events, enter: its page"),
			},
			sign: -1,
		}
	case feeds.EventShed:
		next := capNextWords(t)
		next.cannotHold = t("next re-plan %s, the next slot (the plan cannot hold the shed target; re-planning sooner would not either)")
		next.triage = t("%s is over %s's shed target by %s kW: next re-plan %s · 5 Events, enter: its page")
		return capWords{
			target:    t("shed target %s kW"),
			over:      t("over the shed target by %s kW"),
			missed:    t("shed target missed since %s"),
			shortfall: t("the shed cannot be fully met: %s short of it in the plan"),
			state:     t("TARGET MISSED"),
			alarm:     t("%s over shed target %s kW"),
			next:      next,
			sign:      1,
		}
	}
	return capWords{
		target:    t("cap %s kW"),
		over:      t("over the cap by %s kW"),
		missed:    t("cap missed since %s"),
		shortfall: t("the cap cannot be fully met: %s over it in the plan"),
		state:     t("CAP MISSED"),
		alarm:     t("%s over cap %s kW"),
		next:      capNextWords(t),
		sign:      1,
	}
}

// broughtForwardText is the aside after "the event itself: +9 kW" when
// the event raises the scope's load now: charging brought forward ahead of
// what the event asks later, said as its kind says it. An export's and a
// price's read "ahead of the cap", a cap the dispatcher never set.
func broughtForwardText(t func(string) string, k feeds.EventKind) string {
	switch k {
	case feeds.EventExport:
		return t("(charging brought forward ahead of the export)")
	case feeds.EventShed:
		return t("(charging brought forward ahead of the shed)")
	case feeds.EventPrice:
		return t("(charging brought forward ahead of the price)")
	}
	return t("(charging brought forward ahead of the cap)")
}

// capNextWords are an import cap's nextWords; a shed's target is a
// ceiling too, and says most of them the same way.
func capNextWords(t func(string) string) nextWords {
	return nextWords{
		atOnce:          t("next re-plan %s (over the %s kW tolerance: re-planned at once)"),
		cannotHold:      t("next re-plan %s, the next slot (the plan cannot hold the cap; re-planning sooner would not either)"),
		callBack:        t("still over after it: call the grid operator back with the figure (the EVs cannot shed more)"),
		withinTolerance: t("next re-plan %s, the next slot (%s kW over is within the %s kW tolerance)"),
		readData:        t("still over after it: read what was not applied, and the feeder's data (2 Feeders)"),
		readDataSystem:  t("still over after it: read what was not applied, and the feeders' data (2 Feeders)"),
		triage:          t("%s is over %s's cap by %s kW: next re-plan %s · 5 Events, enter: its page"),
	}
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
	return fmt.Sprintf(w.target, loadKW(w.sign*capKW))
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
