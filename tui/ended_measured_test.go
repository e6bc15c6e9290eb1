package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestEndedEventSaysWhenItsLastReadingWas: the page of an event cancelled
// at 23:13 read "F10 measured 1,530 kW · limit 1,510 kW · △ over the limit
// by 20 kW" at 23:26, the feeders view beside it giving F10 1,695 kW: the
// event's last reading read as the load now. An ended, cancelled or
// declined event's reading says its time, and that it is the event's last;
// a running event's reads as before. In English and zh-CN.
func TestEndedEventSaysWhenItsLastReadingWas(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		tr := m.tr.t
		f, _ := m.snap.Feeder("F07")
		at := fixedNow.Add(-13 * time.Minute)
		view := func(state control.State) control.EventView {
			return control.EventView{Event: feeds.EventFrame{ID: "OP-1", Scope: "F07"}, State: state, HandBackSince: at.Add(-10 * time.Minute),
				Track: []control.TrackPoint{{At: at, MeasuredAt: at, MeasuredKW: f.LimitKW + 20, CapKW: math.NaN()}}}
		}
		want := fmt.Sprintf(tr("%s measured %s kW at %s, as the event ended"), "F07", kw(f.LimitKW+20), hhmm(at, m.loc()))
		for _, state := range []control.State{control.StateCancelled, control.StateEnded} {
			v := view(state)
			if got := ansi.Strip(strings.Join(m.progressLines(&v), "\n")); !strings.Contains(got, want) {
				t.Errorf("%s %s: progress:\n%s\nwant %q", lang, state, got, want)
			}
		}
		v := view(control.StateActive)
		got := ansi.Strip(strings.Join(m.progressLines(&v), "\n"))
		if now := fmt.Sprintf(tr("%s measured %s kW"), "F07", kw(f.LimitKW+20)); !strings.Contains(got, now) || strings.Contains(got, want) {
			t.Errorf("%s active: progress:\n%s\nwant %q, not the ended event's line", lang, got, now)
		}
	}
}
