package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan"
	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestEndedEventsChangeIsTheLastPlans: an ended event's page read "change
// now against unmanaged charging: F10 −377 kW" after its end, the last
// plan's figure read as the feeder's change now. Once the event has ended,
// been cancelled or declined, the line says it is the last plan's, at the
// plan's time; a pending or running event's says "now". In English and
// zh-CN, at 160 and 80 columns.
func TestEndedEventsChangeIsTheLastPlans(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, w := range []int{160, 80} {
			m, _, _ := newTestModel(t, lang, w, 45)
			tr := m.tr.t
			planned := fixedNow.Add(-40 * time.Minute)
			ev := feeds.EventFrame{ID: "DR-1", Kind: feeds.EventImportCap, Scope: "F10", KW: 1400, Start: planned, End: fixedNow.Add(-10 * time.Minute)}
			now := tr("change now against unmanaged charging")
			last := fmt.Sprintf(tr("the last plan's change at %s against unmanaged charging"), hhmm(planned, m.loc()))
			for _, c := range []struct {
				state   control.State
				want    string
				notWant string
			}{
				{control.StateEnded, last, now},
				{control.StateCancelled, last, now},
				{control.StateDeclined, last, now},
				{control.StateActive, now, last},
				{control.StatePending, now, last},
			} {
				m.dr = []control.EventView{{Event: ev, State: c.state, Plans: 2, LastPlan: planned,
					Preview: &plan.Preview{Event: &ev, Start: planned, Slot: 15 * time.Minute,
						FeederDeltaKW: map[string]float64{"F10": -377}, SystemDeltaKW: -377}}}
				page := ansi.Strip(strings.Join(m.dispatchView(&page{view: viewEvents, kind: pageDispatch, id: "DR-1"}, w, 40), "\n"))
				flat := strings.Join(strings.Fields(page), " ")
				if !strings.Contains(flat, strings.Join(strings.Fields(c.want), " ")) || strings.Contains(flat, c.notWant) {
					t.Errorf("%q %d %s: the page reads\n%s\nwant %q, not %q", lang, w, c.state, page, c.want, c.notWant)
				}
				if !strings.Contains(page, "−377 kW") {
					t.Errorf("%q %d %s: the page lost the plan's figure:\n%s", lang, w, c.state, page)
				}
			}
		}
	}
}
