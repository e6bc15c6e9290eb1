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

// TestOvernightEventSpanIsMarked: an event from 23:00 to 21:02 the next day
// read "23:00–21:02" in its page's title and the events list (one to
// midnight "22:00–00:00"), with no sign
// that it ends the next day (only the form warned). The end's day is
// marked, in both languages.
func TestOvernightEventSpanIsMarked(t *testing.T) {
	for _, c := range []struct{ lang, want, wantList string }{
		{"", "23:00–21:02 (+1 d)", "22:00–00:00 (+1 d)"},
		{"zh-CN", "23:00–21:02 (+1 天)", "22:00–00:00 (+1 天)"},
	} {
		m, _, _ := newTestModel(t, c.lang, 160, 45)
		loc := m.loc()
		y, mo, d := m.snap.At.In(loc).Date()
		start := time.Date(y, mo, d, 23, 0, 0, 0, loc)
		ev := feeds.EventFrame{ID: "DR-9", Kind: feeds.EventImportCap, Scope: "F07", KW: 1400, Start: start, End: start.Add(22*time.Hour + 2*time.Minute)}
		m.dr = []control.EventView{{Event: ev, State: control.StatePending, Preview: &plan.Preview{
			Event: &ev, Start: start, Slot: 15 * time.Minute,
		}}}
		pg := ansi.Strip(strings.Join(m.dispatchView(&page{view: viewEvents, kind: pageDispatch, id: "DR-9"}, 160, 40), "\n"))
		list := ansi.Strip(strings.Join(m.eventsView(&page{view: viewEvents}, 160, 40), "\n"))
		if !strings.Contains(pg, c.want) {
			t.Errorf("%q: the dispatch page lacks %q:\n%s", c.lang, c.want, pg)
		}
		// The feed's DR-19 runs from 22:00 to midnight.
		if !strings.Contains(list, c.wantList) {
			t.Errorf("%q: the events list lacks %q:\n%s", c.lang, c.wantList, list)
		}
		// A window within the day has no mark.
		if got := m.eventSpan(start.Add(-4*time.Hour), start.Add(-time.Hour)); got != "19:00–22:00" {
			t.Errorf("%q: same-day span = %q, want 19:00–22:00", c.lang, got)
		}
	}
}
