package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestV2GUnheardIsUnknown: a feeder whose chargers had never been heard
// from read V2G 0 and flex 0 kW (only stale chargers counted as unknown),
// which a dispatcher takes for "none available": before a desk's first
// charger frames, or a feeder whose telemetry never came. The hello does
// not say whether they are plugged, so they are drawn as stale ones are:
// "—" with none heard, the heard ones' figure marked "○" with some (the
// fixture's F06 has one never heard). English and zh-CN, 160x45.
func TestV2GUnheardIsUnknown(t *testing.T) {
	unknownCells := regexp.MustCompile(`\s—\s+—\s`)
	for _, lang := range []string{"", "zh-CN"} {
		m, _, _ := newTestModel(t, lang, 160, 45)
		runKeys(m, "2")
		if l := screenLine(m, " F06 ", "2,409"); strings.Count(l, "○") != 2 {
			t.Errorf("%q: F06, one charger never heard, reads %q: want its V2G and flex kW marked ○", lang, l)
		}

		// A desk whose feed has sent its hello and a feeder's load, no
		// charger frame yet.
		at := time.Date(2024, 2, 4, 18, 0, 5, 0, time.FixedZone("CST", 8*3600))
		fl := feeds.NewFleet(feeds.FleetOptions{Clock: func() time.Time { return at }, Wall: func() time.Time { return at }})
		fl.HandleLink(feeds.LinkEvent{Up: true, At: at})
		fl.HandleFrame([]byte(`{"v":1,"type":"hello","site":"Demo City","tz":"Asia/Shanghai","ts":"2024-02-04T18:00:00+08:00","mode":"simulation",` +
			`"feeders":[{"id":"F1","import_limit_kw":300}],` +
			`"chargers":[{"id":"CP-1","feeder":"F1","max_charge_kw":11,"max_discharge_kw":10},{"id":"CP-2","feeder":"F1","max_charge_kw":7.4}]}`))
		fl.HandleFrame([]byte(`{"v":1,"type":"feeder","id":"F1","ts":"2024-02-04T18:00:05+08:00","kw":212.5}`))
		opts, _ := testOptions(demo(t), lang)
		m = New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		m.Update(SnapshotMsg{Snapshot: fl.Snapshot()})
		runKeys(m, "2")
		if l := screenLine(m, " F1 ", "213"); !unknownCells.MatchString(l) {
			t.Errorf("%q: F1, no charger heard yet, reads %q: want V2G and flex kW as —", lang, l)
		}
		runKeys(m, "1")
		tr := m.tr.t
		if l := screenLine(m, tr("can discharge now")); !strings.Contains(l, " —") {
			t.Errorf("%q: the V2G box, no charger heard yet, reads %q: want —", lang, l)
		}
	}
}
