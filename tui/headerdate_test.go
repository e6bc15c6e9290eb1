package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestReplayHeaderSaysTheDay: a replay's header dates its clock, at 160 and
// at 80 columns (a projector's terminal), in English and zh-CN, so an
// audience shown a recorded day is told which day it is; it showed the time
// alone, and the chart beside it said "today". Where even the shortest
// header has no room for the date, the time stays. A live desk's clock is
// dated where the whole header has room for it (at 160 columns, not at 80),
// as a simulation's: it runs through midnight, and its lists date what is
// not today's.
func TestReplayHeaderSaysTheDay(t *testing.T) {
	fx := demo(t)
	at := fixedNow.Add(-time.Hour)
	day := at.In(fx.snap.Location).Format("2006-01-02")
	clk := at.In(fx.snap.Location).Format("15:04:05")
	for _, tt := range []struct {
		lang  string
		w     int
		mode  feeds.Mode
		want  string
		dated bool
	}{
		{"en", 160, feeds.ModeReplay, day + " " + clk, true},
		{"en", 80, feeds.ModeReplay, day + " " + clk, true},
		{"zh-CN", 160, feeds.ModeReplay, day + " " + clk, true},
		{"zh-CN", 80, feeds.ModeReplay, day + " " + clk, true},
		{"en", 40, feeds.ModeReplay, clk, false},
		{"en", 160, feeds.ModeLive, "LIVE  " + wallNow().In(fx.snap.Location).Format("2006-01-02 15:04:05"), true},
		{"en", 80, feeds.ModeLive, "LIVE  " + wallNow().In(fx.snap.Location).Format("15:04:05"), false},
	} {
		opts, _ := testOptions(fx, tt.lang)
		opts.Mode = tt.mode
		opts.Control = &fakeControl{now: at, speed: 60, paused: true}
		if tt.mode == feeds.ModeLive {
			opts.Control = nil
		}
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: tt.w, Height: 24})
		snap := *fx.snap
		snap.FeedMode = feeds.ModeLive
		m.Update(SnapshotMsg{Snapshot: &snap})
		h := m.headerLine()
		if !strings.Contains(h, tt.want) || strings.Contains(h, day) != tt.dated {
			t.Errorf("%s %s at %d columns: header %q; want %q, dated %v", tt.mode, tt.lang, tt.w, h, tt.want, tt.dated)
		}
		if width(h) != tt.w {
			t.Errorf("%s %s at %d columns: header is %d cells", tt.mode, tt.lang, tt.w, width(h))
		}
	}
}

// TestReplayChartsNameTheirDay: a replay's or a simulation's day charts
// (the local demo, or a desk on a sim's --feed), the overview's system load
// and a feeder's page, are titled with the data's date, as the header is
// dated, not "today" (今日): a recording of 2024-01-17 shown in 2026 was
// "today's" load, and a simulation's chart said "today" under a header
// dated 2024-01-17. A live desk's are a rolling window, "past 18 h, next
// 6 h" (过去 18 小时，未来 6 小时): a live desk runs through midnight.
func TestReplayChartsNameTheirDay(t *testing.T) {
	fx := demo(t)
	day := fx.snap.At.In(fx.snap.Location).Format("2006-01-02")
	for _, tt := range []struct {
		lang, live string
	}{{"en", "past 18 h, next 6 h"}, {"zh-CN", "过去 18 小时，未来 6 小时"}} {
		for _, src := range []struct {
			name       string
			mode, feed feeds.Mode
			dated      bool
		}{
			{"replay", feeds.ModeReplay, feeds.ModeLive, true},
			{"simulation", feeds.ModeSimulation, feeds.ModeLive, true},
			{"desk on a sim's feed", feeds.ModeLive, feeds.ModeSimulation, true},
			{"desk on a replay's feed", feeds.ModeLive, feeds.ModeReplay, true},
			{"live", feeds.ModeLive, feeds.ModeLive, false},
		} {
			opts, _ := testOptions(fx, tt.lang)
			opts.Mode = src.mode
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
			snap := *fx.snap
			snap.FeedMode = src.feed
			m.Update(SnapshotMsg{Snapshot: &snap})
			want, not := " · "+day+" ─", " · "+tt.live+" ─"
			if !src.dated {
				want, not = not, want
			}
			overview := m.View()
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2")})
			m.Update(tea.KeyMsg{Type: tea.KeyEnter})
			feeder := m.View()
			for name, v := range map[string]string{"overview": overview, "feeder page": feeder} {
				if !strings.Contains(v, want) || strings.Contains(v, not) {
					t.Errorf("%s %s %s: want a chart titled %q, none %q:\n%s", src.name, tt.lang, name, want, not, v)
				}
			}
		}
	}
}

// TestFeedLostClockSaysEstimated: a desk on a sim's --feed whose link is
// lost runs its clock on at the speed the sim said last (feeds,
// Snapshot.ClockEstimated), and its header says the clock is an estimate,
// "≈" and, where there is room, "estimated" (估计), keeping the speed; it
// ran at 1× under no speed at all, as if the data's time had slowed to the
// wall's. With the link up the clock is not marked.
func TestFeedLostClockSaysEstimated(t *testing.T) {
	fx := demo(t)
	clk := fx.snap.At.In(fx.snap.Location).Format("15:04:05")
	for _, tt := range []struct {
		lang      string
		w         int
		estimated bool
		want      string
	}{
		{"en", 160, true, "◆ SIMULATION 120×  ≈" + fx.snap.At.In(fx.snap.Location).Format("2006-01-02") + " " + clk + " estimated"},
		{"en", 80, true, "◆ SIMULATION 120×  ≈" + clk},
		{"zh-CN", 160, true, "120×  ≈" + fx.snap.At.In(fx.snap.Location).Format("2006-01-02") + " " + clk + " 估计"},
		{"zh-CN", 80, true, "120×  ≈" + clk},
		{"en", 160, false, "◆ SIMULATION 120×  " + fx.snap.At.In(fx.snap.Location).Format("2006-01-02") + " " + clk},
	} {
		opts, _ := testOptions(fx, tt.lang)
		opts.Mode = feeds.ModeLive
		opts.Control = nil
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: tt.w, Height: 24})
		snap := *fx.snap
		snap.FeedMode, snap.FeedSpeed, snap.ClockEstimated = feeds.ModeSimulation, 120, tt.estimated
		snap.Stats.Connected = !tt.estimated
		m.Update(SnapshotMsg{Snapshot: &snap})
		h := ansi.Strip(m.headerLine())
		if !strings.Contains(h, tt.want) || strings.Contains(h, "≈") != tt.estimated {
			t.Errorf("%s at %d columns, estimated %v: header %q; want %q", tt.lang, tt.w, tt.estimated, h, tt.want)
		}
		if width(h) != tt.w {
			t.Errorf("%s at %d columns: header is %d cells", tt.lang, tt.w, width(h))
		}
	}
}
