package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// keyRunes is the key message of typing s.
func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// TestCatchUpStaysOnAlarmsPage: the flash of what a seek skipped goes
// after a few seconds, so a dispatcher who looked away lost it. The
// alarms page keeps it above the list, in the operator's language and at
// 80 columns too, until d dismisses it in that session only; the list
// keeps its rows.
func TestCatchUpStaysOnAlarmsPage(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		w, h  int
		want  string
		never []string
	}{
		{"", 160, 45, "skipped 14:00–18:00: 3 overloads on F07, F10, 1 loading warning on F11 · d dismiss", nil},
		{"", 80, 24, "skipped 14:00–18:00: 3 overloads F07 F10, 1 warning F11 · d dismiss", nil},
		{"zh-CN", 160, 45, "已跳过 14:00–18:00：F07, F10 过载 3 次，F11 负载预警 1 次 · d 关闭", []string{"skipped", "overload", "warning", "dismiss"}},
		{"zh-CN", 80, 24, "已跳过 14:00–18:00：F07, F10 过载 3 次，F11 负载预警 1 次 · d 关闭", []string{"skipped", "overload", "warning", "dismiss"}},
	} {
		d := newCatchUpDesk(t)
		m := New(Options{Alarms: d.eng, Lang: tc.lang, Mode: feeds.ModeReplay, Now: func() time.Time { return d.now }})
		other := New(Options{Alarms: d.eng, Lang: tc.lang, Mode: feeds.ModeReplay, Now: func() time.Time { return d.now }})
		for _, s := range []*Model{m, other} {
			s.Update(tea.WindowSizeMsg{Width: tc.w, Height: tc.h})
			s.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
		}
		d.seek(nil)
		d.now = d.now.Add(time.Second)
		m.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
		other.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
		m.flash = "" // the flash has gone
		m.Update(keyRunes("4"))
		screen := ansi.Strip(m.View())
		lines := strings.Split(screen, "\n")
		at := -1
		for i, l := range lines {
			if strings.Contains(l, tc.want) {
				at = i
			}
		}
		if at < 0 {
			t.Fatalf("%q %dx%d: no %q on the alarms page:\n%s", tc.lang, tc.w, tc.h, tc.want, screen)
		}
		if ansi.StringWidth(lines[at]) > tc.w {
			t.Errorf("%q %dx%d: the line is %d wide", tc.lang, tc.w, tc.h, ansi.StringWidth(lines[at]))
		}
		// Above the list: the header, then F07's alarm, follow it.
		if at+2 >= len(lines) || !strings.Contains(lines[at+2], "F07") {
			t.Errorf("%q %dx%d: the summary is not above the list:\n%s", tc.lang, tc.w, tc.h, screen)
		}
		for _, english := range tc.never {
			if strings.Contains(screen, english) {
				t.Errorf("%q %dx%d: the Chinese desk shows %q:\n%s", tc.lang, tc.w, tc.h, english, screen)
			}
		}
		// Further snapshots keep it.
		d.now = d.now.Add(time.Second)
		m.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
		if !strings.Contains(ansi.Strip(m.View()), tc.want) {
			t.Errorf("%q %dx%d: gone after the next snapshot", tc.lang, tc.w, tc.h)
		}
		m.Update(keyRunes("d"))
		if screen := ansi.Strip(m.View()); strings.Contains(screen, tc.want) || !strings.Contains(screen, "F07") {
			t.Errorf("%q %dx%d: after d:\n%s", tc.lang, tc.w, tc.h, screen)
		}
		// The other session still has its own.
		other.Update(keyRunes("4"))
		if !strings.Contains(ansi.Strip(other.View()), tc.want) {
			t.Errorf("%q %dx%d: d in one session dismissed it in another", tc.lang, tc.w, tc.h)
		}
	}
}

// TestCatchUpOnPageForLaterSession: a session opened after a catch-up is
// not flashed it but finds it on the alarms page; d elsewhere does not
// dismiss it.
func TestCatchUpOnPageForLaterSession(t *testing.T) {
	d := newCatchUpDesk(t)
	d.eng.Observe(d.fleet.Snapshot())
	d.seek(nil)
	d.eng.Observe(d.fleet.Snapshot())
	m := New(Options{Alarms: d.eng, Mode: feeds.ModeReplay, Now: func() time.Time { return d.now }})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()})
	m.Update(keyRunes("d")) // on the overview: not the dismiss key
	m.Update(keyRunes("4"))
	if screen := ansi.Strip(m.View()); !strings.Contains(screen, "skipped 14:00–18:00: 3 overloads on F07, F10") {
		t.Errorf("a later session's alarms page lacks the summary:\n%s", screen)
	}
}

// TestCatchUpFlashInSiteTime: a session whose first snapshot is the
// arrival (a desk started with --start) flashed the span in UTC,
// "skipped 06:00–10:00" for 14:00–18:00 in Shanghai, while the alarms
// page said 14:00–18:00.
func TestCatchUpFlashInSiteTime(t *testing.T) {
	d := newCatchUpDesk(t)
	d.eng.Observe(d.fleet.Snapshot())
	d.seek(nil)
	m := New(Options{Alarms: d.eng, Mode: feeds.ModeReplay, Now: func() time.Time { return d.now }})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: d.fleet.Snapshot()}) // the arrival
	if want := "skipped 14:00–18:00: 3 overloads on F07, F10"; !strings.Contains(m.flash, want) {
		t.Errorf("flash %q, want %q (site time)", m.flash, want)
	}
}
