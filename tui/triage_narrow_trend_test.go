package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestTriageRowTrendFitsAt64: at 64x18 a falling feeder's row cut its
// trend, "97 min · −0.6%…", its shortest tail still too long beside "4,735
// / 4,000 kW". The limit gives way (the loading's percentage says it), so
// the trend reads whole, in both languages; at 80 columns the limit stays.
func TestTriageRowTrendFitsAt64(t *testing.T) {
	for _, tc := range []struct {
		lang      string
		w, h      int
		want, not string
	}{
		{"", 64, 18, "118%  4,735 kW · 97 min · −0.6%/10 min", "/ 4,000"},
		{"zh-CN", 64, 18, "118%  4,735 kW · 97 分钟 · −0.6%/10 分钟", "/ 4,000"},
		{"", 80, 24, "4,735 / 4,000 kW · for 97 min · −0.6%/10 min", "…"},
	} {
		m, _, _ := newTestModel(t, tc.lang, tc.w, tc.h)
		press(m, "t")
		p := m.page()
		f07 := slices.IndexFunc(m.snap.Feeders, func(f feeds.FeederState) bool { return f.ID == "F07" })
		p.rows = []triageRow{{feeder: f07, sev: alarm.SevHigh, since: m.snap.At.Add(-97 * time.Minute), trend: -0.6}}
		p.idxSeq, p.idxKey = m.snap.Seq, "triage"
		var row string
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.Contains(l, "F07") {
				row = l
				break
			}
		}
		if !strings.Contains(row, tc.want) || strings.Contains(row, tc.not) || strings.Contains(row, "…") {
			t.Errorf("%q at %dx%d: triage row\n%s\nwant it to hold %q, uncut, without %q", tc.lang, tc.w, tc.h, row, tc.want, tc.not)
		}
	}
}
