package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
)

// TestEarlierPassStateWholeBesideAnOvernightWindow: at 80 columns an
// earlier pass's overnight event ("11-26 23:00–02:00 (+1 d)") keeps its
// state whole, in both languages, its id as long as triage makes them;
// "↶ EARLIER PASS" was cut to "↶ EARLIER…" at the table's edge, every
// droppable column already gone.
func TestEarlierPassStateWholeBesideAnOvernightWindow(t *testing.T) {
	for _, tc := range []struct{ lang, mark, state string }{
		{"", "(+1 d)", "↶ EARLIER PASS"}, {"zh-CN", "(+1 天)", "↶ 上一轮"},
	} {
		m, d, _ := newHandBackDesk(t, tc.lang, RoleDispatcher, 80, 24, false)
		d.set(func(v *control.EventView) {
			// As triage names its events: the id fills its column.
			v.Event.ID = "T-F07-2300"
			day := dayStart(v.Event.Start, v.Event.Start.Location())
			v.Event.Start, v.Event.End = day.Add(23*time.Hour), day.Add(26*time.Hour)
			v.State, v.HandBackSince, v.ReleaseAt = control.StateEnded, time.Time{}, time.Time{}
			v.Ended = v.Event.End
			v.EndWhy = control.Why{Kind: control.WhyEarlierPass, From: day.Add(24 * time.Hour), At: day}
			v.EarlierPass = &control.EarlierPass{From: day.Add(24 * time.Hour), To: day}
		})
		m.Update(drChangedMsg{})
		runKeys(m, "5")
		var row string
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.Contains(l, "T-F07-2300") {
				row = l
			}
		}
		if !strings.Contains(row, tc.mark) || !strings.Contains(row, tc.state) {
			t.Errorf("%s: T-F07-2300's row %q; want its overnight window and its state %q whole", tc.lang, row, tc.state)
		}
		if got := width(row); got != 80 {
			t.Errorf("%s: T-F07-2300's row is %d cells wide, want 80: %q", tc.lang, got, row)
		}
	}
}

// TestLayoutColumnsNarrowsToLeastBeforeCutting: with nothing left to drop,
// the columns with a least width give up their padding, first in order,
// never under their least; those without keep theirs.
func TestLayoutColumnsNarrowsToLeastBeforeCutting(t *testing.T) {
	cols := []column{
		{title: "id", w: 10, least: 5},
		{title: "kind", w: 10, least: 8},
		{title: "window", w: 24},
		{title: "note", w: 9, drop: 1},
		{title: "state", w: 14},
	}
	// 2 for the cursor mark; 10+10+24+14 and 3 spaces = 61 > 56.
	out, keep := layoutColumns(cols, 58)
	if len(keep) != 4 || keep[3] != 4 {
		t.Fatalf("kept %v, want the note dropped", keep)
	}
	var ws []int
	for _, c := range out {
		ws = append(ws, c.w)
	}
	if want := []int{5, 10, 24, 14}; !slices.Equal(ws, want) {
		t.Errorf("widths %v, want %v (id narrowed by the 5 over)", ws, want)
	}
	// Three more over: id is at its least, kind gives 2 and stops at 8;
	// the table is then wider than asked, and only then is a tail cut.
	out, _ = layoutColumns(cols, 53)
	ws = ws[:0]
	for _, c := range out {
		ws = append(ws, c.w)
	}
	if want := []int{5, 8, 24, 14}; !slices.Equal(ws, want) {
		t.Errorf("widths %v, want %v", ws, want)
	}
	// Room enough: nothing narrows.
	out, _ = layoutColumns(cols, 80)
	if out[0].w != 10 || out[1].w != 10 {
		t.Errorf("at 80 the id and kind are %d and %d wide, want 10 and 10", out[0].w, out[1].w)
	}
}
