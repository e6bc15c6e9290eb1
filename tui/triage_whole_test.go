package tui

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// wholeLoad is one of triage's biggest loads, whole: "CP-0056 11.0 kW".
var wholeLoad = regexp.MustCompile(`^CP-\d{4} \d+\.\d kW$`)

// TestTriageDropsWholeFields: at 64x18 triage's biggest loads ended
// "CP-0056 1…" (read as 1 kW), and a feeder over its limit for 2 h 11 min
// ended "2 h 11 min · −0.9%/10 …". The loads that do not fit give way
// whole to "…", and the trend goes whole where even its short form does
// not fit (the feeder's page charts it), in both languages at 64x18, 70x20
// and 80x24.
func TestTriageDropsWholeFields(t *testing.T) {
	for _, lang := range []string{"", "zh-CN"} {
		for _, sz := range []struct{ w, h int }{{64, 18}, {70, 20}, {80, 24}} {
			m, _, _ := newTestModel(t, lang, sz.w, sz.h)
			press(m, "t")
			p := m.page()
			f07 := slices.IndexFunc(m.snap.Feeders, func(f feeds.FeederState) bool { return f.ID == "F07" })
			top := slices.Clone(m.triageRows(p)[0].top)
			if len(top) < 3 {
				t.Fatalf("F07 has %d biggest loads in triage, want 3 to fill the line", len(top))
			}
			p.rows = []triageRow{{feeder: f07, sev: alarm.SevHigh, since: m.snap.At.Add(-131 * time.Minute), trend: -0.9, top: top}}
			p.idxSeq, p.idxKey = m.snap.Seq, "triage"
			lines := strings.Split(ansi.Strip(m.View()), "\n")
			at := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "F07") && strings.Contains(l, "%") })
			if at < 0 || at+1 >= len(lines) {
				t.Fatalf("%q %dx%d: no F07 row in triage:\n%s", lang, sz.w, sz.h, strings.Join(lines, "\n"))
			}
			row, loads := strings.Trim(lines[at], "│ "), strings.Trim(lines[at+1], "│ ")
			short := m.trendShort(-0.9)
			if !strings.Contains(row, m.ago(131*time.Minute)) || strings.Contains(row, "…") {
				t.Errorf("%q %dx%d: F07's row %q, want %q whole and nothing cut", lang, sz.w, sz.h, row, m.ago(131*time.Minute))
			}
			if strings.Contains(row, "%/") && !strings.Contains(row, short) && !strings.Contains(row, m.trendText(-0.9)) {
				t.Errorf("%q %dx%d: F07's row %q has part of a trend", lang, sz.w, sz.h, row)
			}
			_, list, ok := strings.Cut(loads, ": ")
			if !ok {
				t.Fatalf("%q %dx%d: no biggest loads under F07: %q", lang, sz.w, sz.h, loads)
			}
			items := strings.Split(list, " · ")
			for i, it := range items {
				if !wholeLoad.MatchString(it) && !(it == "…" && i == len(items)-1) {
					t.Errorf("%q %dx%d: biggest load %q in %q is not whole", lang, sz.w, sz.h, it, loads)
				}
			}
		}
	}
}
