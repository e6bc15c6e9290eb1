package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestPageWritesOneMinus: an export's page read "F10 measured -273 kW"
// with a hyphen under "change now against unmanaged charging: F10 −779 kW"
// with the minus sign. A load below zero reads with the minus sign
// wherever the page's lines give it, as its changes do: the progress line,
// fresh or stale, a shed target below zero, and the re-plan reasons of the
// other kinds. (The chart's axis keeps its hyphen: docs/operations.md.)
func TestPageWritesOneMinus(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		ev := feeds.EventFrame{ID: "DR-E", Kind: feeds.EventExport, Scope: "F10", KW: 300}
		v := control.EventView{Event: ev, State: control.StateActive, Plans: 3, LastPlan: fixedNow,
			Track: []control.TrackPoint{{At: fixedNow, MeasuredKW: -273, PlannedKW: -300, CapKW: -300}}}
		m.dr = []control.EventView{v}
		progress := ansi.Strip(strings.Join(m.progressLines(&m.dr[0]), "\n"))
		change := ansi.Strip(m.changeLine(map[string]float64{"F10": -779}, -779, 160))
		if want := strings.Replace(m.tr.t("%s measured %s kW"), "%s", "F10", 1); !strings.Contains(progress, strings.Replace(want, "%s", "−273", 1)) ||
			strings.Contains(progress, "-273") {
			t.Errorf("%s: the progress line does not write −273 as %q writes −779:\n%s", lang, change, progress)
		}
		if !strings.Contains(change, "F10\u00a0−779 kW") {
			t.Errorf("%s: the change line lacks F10's −779: %q", lang, change)
		}
		// Stale: the last figure, with the same minus.
		m.dr[0].Track[0].Stale, m.dr[0].Track[0].MeasuredAt = true, fixedNow.Add(-6*time.Minute)
		stale := ansi.Strip(strings.Join(m.progressLines(&m.dr[0]), "\n"))
		if !strings.Contains(stale, "−273") || strings.Contains(stale, "-273") {
			t.Errorf("%s: the stale progress line does not write −273:\n%s", lang, stale)
		}

		// A shed whose target is below zero (the unmanaged load less the
		// shed), and a cap's drift on a feeder that exports.
		shed := control.EventView{Event: feeds.EventFrame{ID: "DR-S", Kind: feeds.EventShed, Scope: "F10", KW: 500},
			Track: []control.TrackPoint{{At: fixedNow, MeasuredKW: -20, CapKW: -40}}}
		got := ansi.Strip(strings.Join(m.progressLines(&shed), "\n"))
		if !strings.Contains(got, strings.Replace(m.tr.t("shed target %s kW"), "%s", "−40", 1)) || strings.Contains(got, "-") {
			t.Errorf("%s: the shed's progress does not write its figures with the minus sign: %q", lang, got)
		}
		for _, w := range []control.Why{
			{Kind: control.WhyDrift, Event: feeds.EventImportCap, MeasuredKW: -40, PlannedKW: 10},
			{Kind: control.WhyOverCap, Event: feeds.EventShed, MeasuredKW: -20, CapKW: -40},
		} {
			if got := m.whyText(w); !strings.Contains(got, "−") || strings.Contains(got, "-") {
				t.Errorf("%s: %s %s reads %q, want its figures below zero with the minus sign", lang, w.Event, w.Kind, got)
			}
		}
	}
}
