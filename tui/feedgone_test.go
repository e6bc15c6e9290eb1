package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/dispatch/plan/control"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestFeedGoneStopsEstimating: a desk on a sim's --feed whose sim was
// killed marked its clock estimated and ran it on at the last speed for
// ever. Down for feedGoneAfter or longer, the header says the feed has
// been gone since its last data's time instead of an estimated clock;
// down for less, it still estimates. English and zh-CN, 160 and 80
// columns.
func TestFeedGoneStopsEstimating(t *testing.T) {
	fx := demo(t)
	var last time.Time
	for _, f := range fx.snap.Feeders {
		if f.Seen && f.TS.After(last) {
			last = f.TS
		}
	}
	at := hhmm(last, fx.snap.Location)
	for _, tt := range []struct {
		lang string
		w    int
		down time.Duration
		want string
	}{
		{"en", 160, feedGoneAfter, "SIMULATION  ○ feed gone since " + at},
		{"en", 80, feedGoneAfter + time.Hour, "○ feed gone since " + at},
		{"zh-CN", 160, feedGoneAfter, "○ 数据源自 " + at + " 起中断"},
		{"en", 160, feedGoneAfter - time.Second, "≈"},
		{"en", 80, feedGoneAfter - time.Second, "≈"},
	} {
		opts, _ := testOptions(fx, tt.lang)
		opts.Mode = feeds.ModeLive
		opts.Control = nil
		opts.Now = func() time.Time { return fixedNow.Add(tt.down) }
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: tt.w, Height: 24})
		snap := *fx.snap
		snap.FeedMode, snap.FeedSpeed, snap.ClockEstimated = feeds.ModeSimulation, 120, true
		snap.Stats.Connected, snap.Stats.LastFrame = false, fixedNow
		m.Update(SnapshotMsg{Snapshot: &snap})
		h := ansi.Strip(m.headerLine())
		gone := tt.down >= feedGoneAfter
		// Gone, the feed's last speed is not shown: it is not how its
		// clock runs now.
		if !strings.Contains(h, tt.want) || strings.Contains(h, "≈") == gone || gone && strings.Contains(h, "120×") {
			t.Errorf("%s at %d columns, down %v: header %q; want %q", tt.lang, tt.w, tt.down, h, tt.want)
		}
		if width(h) != tt.w {
			t.Errorf("%s at %d columns: header is %d cells", tt.lang, tt.w, width(h))
		}
	}
}

// TestHandBackSaysFeedGone: a handing-back event's page, once the feed is
// gone, says plainly that the hand-back cannot release its chargers until
// data returns, and when its forced release comes by the estimated clock;
// while the feed is only briefly down it says nothing more.
func TestHandBackSaysFeedGone(t *testing.T) {
	fx := demo(t)
	for _, tt := range []struct {
		lang string
		down time.Duration
		want string
	}{
		{"", feedGoneAfter, "✕ the feed has been gone since "},
		{"zh-CN", feedGoneAfter, "本次交还无法释放充电桩, 只会在 23:00 强制释放"},
		{"", feedGoneAfter - time.Second, ""},
	} {
		opts, _ := testOptions(fx, tt.lang)
		opts.Mode = feeds.ModeLive
		opts.Control = nil
		opts.Now = func() time.Time { return fixedNow.Add(tt.down) }
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		snap := *fx.snap
		snap.FeedMode, snap.FeedSpeed, snap.ClockEstimated = feeds.ModeSimulation, 120, true
		snap.Stats.Connected, snap.Stats.LastFrame = false, fixedNow
		m.Update(SnapshotMsg{Snapshot: &snap})
		day := snap.At.In(m.loc())
		release := time.Date(day.Year(), day.Month(), day.Day(), 23, 0, 0, 0, m.loc())
		v := control.EventView{HandBackSince: release.Add(-2 * time.Hour), ReleaseAt: release}
		got := ansi.Strip(m.handBackFeedGone(&v))
		switch {
		case tt.want == "" && got != "":
			t.Errorf("%s down %v: %q; want no line", tt.lang, tt.down, got)
		case !strings.Contains(got, tt.want):
			t.Errorf("%s down %v: %q; want %q", tt.lang, tt.down, got, tt.want)
		}
		if tt.want != "" && tt.lang == "" && !strings.Contains(got, "cannot release its chargers until data returns, only at its forced release at 23:00") {
			t.Errorf("down %v: %q does not say when the forced release comes", tt.down, got)
		}
		if got := m.handBackFeedGone(&control.EventView{}); got != "" {
			t.Errorf("%s: an event not handing back got %q", tt.lang, got)
		}
	}
}
