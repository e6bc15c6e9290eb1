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

// An overnight cap (22:00 to 02:00) is drawn to its end, past midnight,
// with the next day's hours labelled 00, 01, ... and the planned load
// present after midnight.
func TestDispatchChartCrossesMidnight(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	loc := m.loc()
	start := time.Date(2024, 2, 4, 22, 0, 0, 0, loc)
	end := start.Add(4 * time.Hour)
	const slots = 16 // 15-minute slots from 22:00 to 02:00
	before, after := make([]float64, slots), make([]float64, slots)
	for k := range before {
		before[k], after[k] = 900, 700
	}
	ev := feeds.EventFrame{ID: "DR-N", Kind: feeds.EventImportCap, Scope: feeds.ScopeSystem, KW: 750, Start: start, End: end}
	v := control.EventView{Event: ev, State: control.StatePending, Preview: &plan.Preview{
		Event: &ev, Start: start, Slot: 15 * time.Minute,
		Before: plan.Loads{System: before}, After: plan.Loads{System: after},
	}}
	lines := m.dispatchChart(&v, true, 120, 16)
	text := ansi.Strip(strings.Join(lines, "\n"))
	axis := ""
	for _, l := range lines {
		if s := ansi.Strip(l); strings.Contains(s, "21") && strings.Contains(s, "23") {
			axis = s
		}
	}
	if axis == "" {
		t.Fatalf("no axis labels from 21 to 23 in:\n%s", text)
	}
	for _, want := range []string{"00", "01", "02", "03"} {
		if !strings.Contains(axis, want) {
			t.Errorf("axis %q lacks %s: the chart stops at midnight", strings.TrimSpace(axis), want)
		}
	}
	if strings.Contains(axis, "24") || strings.Contains(axis, "25") {
		t.Errorf("axis %q labels next-day hours 24/25 instead of 00/01", strings.TrimSpace(axis))
	}
	// The planned series has points right of the 00 tick.
	zero := strings.Index(axis, "00")
	drawn := false
	for _, l := range lines {
		r := []rune(ansi.Strip(l))
		for x := zero; x < len(r) && x < zero+10; x++ {
			if r[x] >= 0x2801 && r[x] <= 0x28FF {
				drawn = true
			}
		}
	}
	if !drawn {
		t.Errorf("no braille after midnight:\n%s", text)
	}
}

// TestProgressOverCapIsNotOK: once sent, a scope measured over its cap
// says so at once; "✓ OK" only when it is within the cap. (The cap-missed
// alarm waits a few minutes before it fires, and the line read "✓ OK" in
// the meantime.)
func TestProgressOverCapIsNotOK(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	v := control.EventView{Event: feeds.EventFrame{ID: "DR-1", Scope: "F10"}}
	for _, c := range []struct {
		measured float64
		want     string
	}{
		{1739, "F10 measured 1,739 kW · cap 1,435 kW · △ over the cap by 304 kW"},
		{1400, "F10 measured 1,400 kW · cap 1,435 kW · ✓ OK"},
		// Judged as shown: a load that reads as the cap is not "over the
		// cap by 0 kW".
		{1435.4, "F10 measured 1,435 kW · cap 1,435 kW · ✓ OK"},
		{1435.6, "F10 measured 1,436 kW · cap 1,435 kW · △ over the cap by 1 kW"},
	} {
		v.Track = []control.TrackPoint{{At: time.Now(), MeasuredKW: c.measured, CapKW: 1435}}
		got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
		if !strings.Contains(got, c.want) {
			t.Errorf("measured %v kW:\n%s\nwant a line %q", c.measured, got, c.want)
		}
	}
}

// TestEventFormShowsWindowAndErrors: the form says how it reads the window
// (an end before the start is the next day, here 23 hours: a warning), and
// when editing an event a validation error is shown under the help, which
// is there once (the error replaced it and the help showed twice).
func TestEventFormShowsWindowAndErrors(t *testing.T) {
	m, _, _ := newTestModel(t, "", 160, 45)
	m.openForm(m.page())
	m.form.text[fieldStart], m.form.text[fieldEnd] = []rune("18:37"), []rune("18:00")
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "△ window 18:37 – 18:00 next day · 23 h 23 min") {
		t.Errorf("no window line:\n%s", view)
	}
	m.form.replaces = "OP-1"
	m.form.err = "kW: not a number"
	view = ansi.Strip(m.View())
	if !strings.Contains(view, "✕ kW: not a number") || strings.Count(view, "enter proposes the corrected event and declines OP-1") != 1 {
		t.Errorf("edit form with an error:\n%s", view)
	}
}

// TestEditFormFooterKeepsKeys: at 80 columns the edit form's footer keeps
// its key hints; the event's name is in the box's title.
func TestEditFormFooterKeepsKeys(t *testing.T) {
	m, _, _ := newTestModel(t, "", 80, 24)
	m.openForm(m.page())
	m.form.replaces = "T-F10-2138"
	lines := strings.Split(m.View(), "\n")
	if foot := lines[len(lines)-1]; !strings.Contains(foot, "enter propose") {
		t.Errorf("edit form footer %q, want its keys", foot)
	}
}

// drF10 is the demo day's cap on F10 as the dispatch page shows it: 1,435
// kW from 18:30 to 20:30, unmanaged charging up to 1,950 kW, the plan
// running just over the cap, and (active) the feeder measured at 1,831 kW.
func drF10(m *Model, state control.State) control.EventView {
	loc := m.loc()
	start := time.Date(2024, 2, 4, 18, 30, 0, 0, loc)
	const slots = 14 // to 22:00
	before, after := make([]float64, slots), make([]float64, slots)
	for k := range before {
		before[k] = 1950 - 25*float64(k)
		after[k] = 1450 + 4*float64(k)
	}
	ev := feeds.EventFrame{ID: "OP-1", Kind: feeds.EventImportCap, Scope: "F10", KW: 1435, Start: start, End: start.Add(2 * time.Hour)}
	v := control.EventView{Event: ev, State: state, Preview: &plan.Preview{
		Event: &ev, Start: start, Slot: 15 * time.Minute,
		Before: plan.Loads{Feeders: map[string][]float64{"F10": before}}, After: plan.Loads{Feeders: map[string][]float64{"F10": after}},
	}}
	if state == control.StateActive {
		v.Track = []control.TrackPoint{{At: start, MeasuredKW: 1831, CapKW: 1435, PlannedKW: 1450}}
	}
	return v
}

// TestDispatchChartReadsAt80x24: at 80x24 the event page's chart (76x9 in
// the preview, 76x7 once sent) labels the cap on its line and values near
// the curves, in order, and the cap line shows over the whole window though
// the plan runs just over it. (It labelled 0 and 1,000 only, under curves
// at 1,450 to 1,950 kW, and the plan's row hid the cap.)
func TestDispatchChartReadsAt80x24(t *testing.T) {
	m, _, _ := newTestModel(t, "", 80, 24)
	for _, c := range []struct {
		state control.State
		h     int
		top   float64 // the top label reaches this: the highest curve
	}{
		{control.StatePending, 9, 1900},
		{control.StateActive, 7, 1800},
	} {
		v := drF10(m, c.state)
		lines := m.dispatchChart(&v, false, 76, c.h)
		chart := ansi.Strip(strings.Join(lines, "\n"))
		vals, at := axisLabels(t, lines)
		checkOrdered(t, vals, chart)
		if len(vals) < 3 || vals[0] < c.top {
			t.Errorf("%s: y labels %v, want at least three, the top one %v or more:\n%s", c.state, vals, c.top, chart)
		}
		capLine := -1
		for i, v := range vals {
			if v == 1435 {
				capLine = at[i]
			}
		}
		if capLine < 0 {
			t.Errorf("%s: the cap 1,435 is not labelled (labels %v):\n%s", c.state, vals, chart)
			continue
		}
		// The window is 2 h of the chart's 5 (17:00 to 22:00): the cap
		// glyph in about 40% of the plot's 70 columns, over all of them.
		if n := strings.Count(ansi.Strip(lines[capLine]), "┄"); n < 26 {
			t.Errorf("%s: the cap line has %d ┄, want the window's 28:\n%s", c.state, n, chart)
		}
		if !strings.Contains(ansi.Strip(lines[0]), "axis not from 0") {
			t.Errorf("%s: the range does not start at 0 and the top line does not say so:\n%s", c.state, chart)
		}
	}
}
