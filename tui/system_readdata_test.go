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

// TestSystemEventPointsToTheFeedersData: a system-wide event over its cap
// (or short of its export target) said "still over after it: read what
// was not applied, and the feeder's data (2 Feeders)", as if one feeder
// were its scope. A system event points to the feeders' data, a feeder's
// event still to the feeder's, in English and zh-CN, at 160 and 80
// columns.
func TestSystemEventPointsToTheFeedersData(t *testing.T) {
	for _, c := range []struct {
		lang, scope   string
		kind          feeds.EventKind
		measured, cap float64
		want, not     string
	}{
		{"", feeds.ScopeSystem, feeds.EventImportCap, 9527, 9510,
			"still over after it: read what was not applied, and the feeders' data (2 Feeders)", "feeder's data"},
		{"", feeds.ScopeSystem, feeds.EventExport, -273, -300,
			"still short after it: read what was not applied, and the feeders' data (2 Feeders)", "feeder's data"},
		{"zh-CN", feeds.ScopeSystem, feeds.EventImportCap, 9527, 9510,
			"届时仍超出: 查看未执行的设定值, 以及各馈线数据 (2 馈线)", "feeders' data"},
		{"zh-CN", feeds.ScopeSystem, feeds.EventExport, -273, -300,
			"届时仍不足: 查看未执行的设定值, 以及各馈线数据 (2 馈线)", "feeders' data"},
		{"", "F10", feeds.EventImportCap, 1527, 1510,
			"still over after it: read what was not applied, and the feeder's data (2 Feeders)", "feeders' data"},
		{"zh-CN", "F10", feeds.EventImportCap, 1527, 1510,
			"届时仍超出: 查看未执行的设定值, 以及馈线数据 (2 馈线)", "各馈线"},
	} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			m, _, _ := newTestModel(t, c.lang, size[0], size[1])
			start := fixedNow.Add(-time.Hour)
			evKW := c.cap
			if c.kind == feeds.EventExport {
				evKW = -c.cap
			}
			ev := feeds.EventFrame{ID: "DR-S", Kind: c.kind, Scope: c.scope, KW: evKW, Start: start, End: start.Add(5 * time.Hour)}
			v := control.EventView{Event: ev, State: control.StateActive, Plans: 3, LastPlan: fixedNow,
				NextPlan: fixedNow.Truncate(15 * time.Minute).Add(15 * time.Minute), ToleranceKW: 100,
				Preview: &plan.Preview{Event: &ev, Start: start, Slot: 15 * time.Minute},
				Track:   []control.TrackPoint{{At: fixedNow, MeasuredKW: c.measured, PlannedKW: c.cap, CapKW: c.cap}}}
			m.dr = []control.EventView{v}
			pg := &page{view: viewEvents, kind: pageDispatch, id: ev.ID}
			text := ansi.Strip(strings.Join(wrapLines(m.dispatchView(pg, size[0], 200), size[0]), "\n"))
			// At 80 columns the line wraps under itself: read it as one.
			flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(text)), " ")
			want := strings.Join(strings.Fields(c.want), " ")
			if !strings.Contains(flat, want) {
				t.Errorf("%q %s %s %v: the event's page lacks %q:\n%s", c.lang, c.scope, c.kind, size, c.want, text)
			}
			if strings.Contains(flat, c.not) {
				t.Errorf("%q %s %s %v: the event's page says %q:\n%s", c.lang, c.scope, c.kind, size, c.not, text)
			}
		}
	}
}
