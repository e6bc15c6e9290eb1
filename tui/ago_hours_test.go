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

// TestAgoKeepsMinutesFromTwoHours: from 2 h on an age read whole hours,
// truncated, so 2 h 59 min was "2 h" while a row under it said "119 min".
func TestAgoKeepsMinutesFromTwoHours(t *testing.T) {
	en := func(s string) string { return s }
	zh := func(s string) string { return zhCN[s] }
	for _, tc := range []struct {
		d    time.Duration
		tr   func(string) string
		want string
	}{
		{119*time.Minute + 59*time.Second, en, "119 min"},
		{2 * time.Hour, en, "2 h"},
		{2*time.Hour + 59*time.Minute + 59*time.Second, en, "2 h 59 min"},
		{3*time.Hour + time.Minute, en, "3 h 1 min"},
		{2*time.Hour + 59*time.Minute, zh, "2 小时 59 分钟"},
	} {
		if got := ago(tc.d, tc.tr); got != tc.want {
			t.Errorf("ago(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	// An alarm's text keeps whole hours: its list cell has no room for
	// the minutes, and the row gives the time the alarm began.
	if got := agoHours(2*time.Hour+59*time.Minute, en); got != "2 h" {
		t.Errorf("agoHours(2h59m) = %q, want %q", got, "2 h")
	}
}

// TestTriageRowHoursAndMinutesFit: a feeder over its limit for 10 h 59
// min and rising still fits its triage row at 80 columns, uncut, the
// words giving way first.
func TestTriageRowHoursAndMinutesFit(t *testing.T) {
	for _, tc := range []struct {
		lang string
		w    int
		want string
	}{
		{"", 80, "4,735 / 4,000 kW · for 10 h 59 min · +1.7%/10 min"},
		{"zh-CN", 80, "4,735 / 4,000 kW · 10 小时 59 分钟 · +1.7%/10 分钟"},
		{"", 160, "for 10 h 59 min (since "},
	} {
		m, _, _ := newTestModel(t, tc.lang, tc.w, 24)
		press(m, "t")
		p := m.page()
		f07 := slices.IndexFunc(m.snap.Feeders, func(f feeds.FeederState) bool { return f.ID == "F07" })
		p.rows = []triageRow{{feeder: f07, sev: alarm.SevHigh, since: m.snap.At.Add(-(10*time.Hour + 59*time.Minute)), trend: 1.7}}
		p.idxSeq, p.idxKey = m.snap.Seq, "triage"
		var row string
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.Contains(l, "F07") {
				row = l
				break
			}
		}
		if !strings.Contains(row, tc.want) || strings.Contains(row, "…") {
			t.Errorf("%q at %d columns: triage row\n%s\nwant it to hold %q, uncut", tc.lang, tc.w, row, tc.want)
		}
	}
}
