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
