package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
	"github.com/v2gdesk/v2gdesk/feeds/alarm"
)

// TestCatchUpToMidnightReadsTwentyFour: `--start 23:58` on the demo day,
// its first look coming once the day had ended at midnight, read "skipped
// 00:00–00:00" (a whole day as none) where a first look a minute sooner
// read "00:00–23:59"; it was the time of the look, not the language. The
// span's end at midnight reads "24:00", in the flash, on the alarms page
// and in the journal's English, at 160 and 80 columns, en and zh-CN.
func TestCatchUpToMidnightReadsTwentyFour(t *testing.T) {
	for _, tc := range []struct {
		lang        string
		w, h        int
		flash, page string
	}{
		{"", 160, 45, "skipped 14:00–24:00: 1 overload on F07 (press 4: Alarms)", "skipped 14:00–24:00: 1 overload on F07 · d dismiss"},
		{"", 80, 24, "skipped 14:00–24:00: 1 overload on F07 (press 4: Alarms)", "skipped 14:00–24:00: 1 overload on F07 · d dismiss"},
		{"zh-CN", 160, 45, "已跳过 14:00–24:00：F07 过载 1 次 (按 4 查看告警页)", "已跳过 14:00–24:00：F07 过载 1 次 · d 关闭"},
		{"zh-CN", 80, 24, "已跳过 14:00–24:00：F07 过载 1 次 (按 4 查看告警页)", "已跳过 14:00–24:00：F07 过载 1 次 · d 关闭"},
	} {
		d := newCatchUpDesk(t)
		m := New(Options{Alarms: d.eng, Lang: tc.lang, Mode: feeds.ModeReplay, Now: func() time.Time { return d.now }})
		m.Update(tea.WindowSizeMsg{Width: tc.w, Height: tc.h})
		// The rest of the day delivered at once, to midnight, before the
		// desk's first look: F07 overloaded from 14:20 to 14:40.
		d.catchUps, d.catching = 1, true
		for i := 1; i <= 10*60; i++ {
			d.now = d.now.Add(time.Minute)
			kw := map[string]float64{}
			if i >= 20 && i < 40 {
				kw["F07"] = 1150
			}
			d.minute(kw)
		}
		d.catching = false
		if d.now.Format("15:04") != "00:00" || d.now.Day() != 27 {
			t.Fatalf("the day ends at %s, want the next day's 00:00", d.now)
		}
		m.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
		if foot := lastLine(ansi.Strip(m.View())); !strings.Contains(foot, tc.flash) {
			t.Errorf("%q %dx%d: footer %q, want %q", tc.lang, tc.w, tc.h, foot, tc.flash)
		}
		m.flash = ""
		m.Update(keyRunes("4"))
		if screen := ansi.Strip(m.View()); !strings.Contains(screen, tc.page) {
			t.Errorf("%q %dx%d: the alarms page lacks %q:\n%s", tc.lang, tc.w, tc.h, tc.page, screen)
		}
		c, ok := d.eng.LastCatchUp()
		if !ok {
			t.Fatal("no catch-up")
		}
		if got, want := CatchUpSummary(c, m.loc()), "skipped 14:00–24:00: 1 overload on F07"; got != want {
			t.Errorf("the journal's summary %q, want %q", got, want)
		}
	}
}

// TestCatchUpSpanAcrossMidnight: a span ending on a later date, not at
// midnight, carries its day as an event's window does; within a day it
// reads as before.
func TestCatchUpSpanAcrossMidnight(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, h, m int) time.Time { return time.Date(2024, 1, day, h, m, 0, 0, loc) }
	miss := []alarm.Missed{{Kind: alarm.KindLoading, Source: "F07", Feeder: "F07", Severity: alarm.SevHigh}}
	for _, tc := range []struct {
		from, to time.Time
		en, zh   string
	}{
		{at(17, 0, 0), at(17, 23, 58), "skipped 00:00–23:58: ", "已跳过 00:00–23:58："},
		{at(17, 0, 0), at(18, 0, 0), "skipped 00:00–24:00: ", "已跳过 00:00–24:00："},
		{at(17, 22, 0), at(18, 1, 30), "skipped 22:00–01:30 (+1 d): ", "已跳过 22:00–01:30 (+1 天)："},
		// A UTC clock: the span is the site's.
		{at(17, 0, 0).UTC(), at(18, 0, 0).UTC(), "skipped 00:00–24:00: ", "已跳过 00:00–24:00："},
	} {
		c := alarm.CatchUp{N: 1, From: tc.from, To: tc.to, Missed: miss}
		if got := catchUpSummary(translator{}.t, c, loc, false); !strings.HasPrefix(got, tc.en) {
			t.Errorf("%s–%s: %q, want it to start %q", tc.from, tc.to, got, tc.en)
		}
		zh := newTranslator("zh-CN")
		if got := catchUpSummary(zh.t, c, loc, false); !strings.HasPrefix(got, tc.zh) {
			t.Errorf("%s–%s zh-CN: %q, want it to start %q", tc.from, tc.to, got, tc.zh)
		}
	}
}
