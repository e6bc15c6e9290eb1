package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// systemEventTwelveFeeders is an active system-wide cap whose plan changes
// each of twelve feeders by a few hundred kW, as on the demo day.
func systemEventTwelveFeeders(m *Model) control.EventView {
	start := fixedNow.Truncate(time.Hour)
	ev := feeds.EventFrame{ID: "OP-1", Kind: feeds.EventImportCap, Scope: feeds.ScopeSystem, KW: 16435, Start: start, End: start.Add(2 * time.Hour)}
	const slots = 12
	before, after := make([]float64, slots), make([]float64, slots)
	for k := range before {
		before[k], after[k] = 16400-40*float64(k), 12100+10*float64(k)
	}
	deltas := map[string]float64{}
	for i, d := range []float64{-254, -303, -267, -282, -287, -258, -251, -204, -328, -307, -249, -302} {
		deltas[feederID(i+1)] = d
	}
	// The plan without the event, as every preview has: its line takes
	// two more rows at 80 columns.
	ref := &plan.Reference{After: plan.Loads{System: after}}
	return control.EventView{Event: ev, State: control.StateActive, Origin: control.OriginOperator, ProposedBy: "local", DecidedBy: "local", Decided: start,
		Preview: &plan.Preview{Event: &ev, Start: start, Slot: 15 * time.Minute,
			Before: plan.Loads{System: before}, After: plan.Loads{System: after},
			FeederDeltaKW: deltas, SystemDeltaKW: -3292, Reference: ref},
		Track: []control.TrackPoint{{At: start, MeasuredKW: 12085, CapKW: 16435, PlannedKW: 12100}},
	}
}

func feederID(i int) string { return "F" + string(rune('0'+i/10)) + string(rune('0'+i%10)) }

// TestSystemEventPageKeepsItsChartAt80x24: the line of what the plan
// changes per feeder listed all twelve feeders of a system-wide event and
// took four lines at 80 columns, which left no room for the chart: the
// presenter's 80x24 page of an active event had none. Narrow, the line
// keeps to one line, two where one cannot hold a feeder: the largest
// changes first, how many more, the system. Wide it still lists every
// feeder in order.
func TestSystemEventPageKeepsItsChartAt80x24(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 80, 24)
		m.dr = []control.EventView{systemEventTwelveFeeders(m)}
		lines := m.dispatchView(&page{view: viewEvents, kind: pageDispatch, id: "OP-1"}, 80, 21)
		text := ansi.Strip(strings.Join(lines, "\n"))
		if !strings.Contains(text, "┤") {
			t.Errorf("%q: the 80x24 page of an active system event has no chart:\n%s", lang, text)
		}
		var change []string
		for i, l := range lines {
			if s := ansi.Strip(l); strings.Contains(s, m.tr.t("change now against unmanaged charging")) {
				change = append(change, s)
				if i+1 < len(lines) {
					change = append(change, ansi.Strip(lines[i+1]))
				}
			}
		}
		if len(change) == 0 {
			t.Fatalf("%q: no line of the change per feeder:\n%s", lang, text)
		}
		// The largest change first, the count of the rest, the system;
		// in at most two lines (one where a feeder fits in it: zh-CN).
		joined := strings.Join(change, " ")
		more := strings.SplitN(m.tr.t("+%d more feeders"), "%d", 2)[0]
		head := m.tr.t("change now against unmanaged charging") + ": F09 −328 kW"
		if !strings.Contains(change[0], head) || !strings.Contains(joined, more) || !strings.Contains(joined, "−3,292 kW") {
			t.Errorf("%q: the change line is not the largest changes, the count of the rest and the system:\n%s", lang, strings.Join(change, "\n"))
		}
		if lang == "zh-CN" && !strings.Contains(change[0], "−3,292 kW") {
			t.Errorf("%q: the change line takes two lines where one holds it:\n%s", lang, strings.Join(change, "\n"))
		}
	}
	m, _, _ := newTestModel(t, "", 160, 45)
	m.dr = []control.EventView{systemEventTwelveFeeders(m)}
	text := ansi.Strip(strings.Join(m.dispatchView(&page{view: viewEvents, kind: pageDispatch, id: "OP-1"}, 160, 40), "\n"))
	if !strings.Contains(text, "F01 −254 kW · F02 −303 kW") || !strings.Contains(text, "F12 −302 kW") || strings.Contains(text, "more feeders") {
		t.Errorf("at 160 columns the change line does not list every feeder in order:\n%s", text)
	}
}
