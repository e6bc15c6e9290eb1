package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestReplayHeaderSaysTheDay: a replay's header dates its clock, at 160 and
// at 80 columns (a projector's terminal), in English and zh-CN, so an
// audience shown a recorded day is told which day it is; it showed the time
// alone, and the chart beside it said "today". Where even the shortest
// header has no room for the date, the time stays. A live desk's clock is
// not dated.
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
		{"en", 160, feeds.ModeLive, "LIVE", false},
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
