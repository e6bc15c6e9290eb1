package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestReplayLoadingHeader: a replay's desk starts before its player has
// delivered a frame; until then the header and the body say the recording
// is loading, in both languages and at every width, where the header read
// "feed ○ DOWN" beside the clock (or "no data" before the first snapshot).
// The first frame brings the link state back.
func TestReplayLoadingHeader(t *testing.T) {
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: wallNow})
	before := fleet.Snapshot() // what the desk's hub publishes before any frame
	if before.Stats.Connected || !before.Stats.LastFrame.IsZero() {
		t.Fatalf("a fleet before any frame: connected %v, last frame %v", before.Stats.Connected, before.Stats.LastFrame)
	}
	fx := demo(t)
	for _, tt := range []struct {
		lang, long, tiny, up string
	}{
		{"en", "loading day.v2grec…", "loading…", "● up"},
		{"zh-CN", "正在载入 day.v2grec…", "正在载入…", "● 已连接"},
	} {
		for _, size := range [][2]int{{160, 45}, {80, 24}, {64, 20}} {
			w, h := size[0], size[1]
			m := New(Options{Renderer: asciiRenderer(), Now: wallNow, Mode: feeds.ModeReplay, Lang: tt.lang, Loading: "day.v2grec"})
			m.Update(tea.WindowSizeMsg{Width: w, Height: h})
			for _, step := range []struct {
				name string
				snap *feeds.Snapshot
			}{{"before the first snapshot", nil}, {"before the first frame", before}} {
				if step.snap != nil {
					m.Update(SnapshotMsg{Snapshot: step.snap})
				}
				got := m.View()
				checkScreen(t, got, w, h)
				head := m.headerLine()
				if !strings.Contains(head, tt.long) && !strings.Contains(head, tt.tiny) {
					t.Errorf("%s %dx%d, %s: header %q; want %q or %q", tt.lang, w, h, step.name, head, tt.long, tt.tiny)
				}
				if w >= 80 && !strings.Contains(head, tt.long) {
					t.Errorf("%s %dx%d, %s: header %q; want the file named, %q", tt.lang, w, h, step.name, head, tt.long)
				}
				for _, not := range []string{"DOWN", "断开", "no data", "无数据"} {
					if strings.Contains(head, not) {
						t.Errorf("%s %dx%d, %s: header %q says %q", tt.lang, w, h, step.name, head, not)
					}
				}
				if !strings.Contains(got, tt.long) || strings.Contains(got, "waiting for the feed") {
					t.Errorf("%s %dx%d, %s: the body does not say %q:\n%s", tt.lang, w, h, step.name, tt.long, got)
				}
			}
			// The first frame is in: the link state is back.
			snap := *fx.snap
			snap.Stats.Connected, snap.Stats.LastFrame = true, wallNow().Add(-time.Second)
			m.Update(SnapshotMsg{Snapshot: &snap})
			checkScreen(t, m.View(), w, h)
			if head := m.headerLine(); strings.Contains(head, tt.tiny[:len(tt.tiny)-len("…")]) || !strings.Contains(head, tt.up) {
				t.Errorf("%s %dx%d, after the first frame: header %q; want %q and no loading", tt.lang, w, h, head, tt.up)
			}
		}
	}
}

// TestLoadingOnlyForAReplay: without Options.Loading a desk with nothing
// delivered yet says its link is DOWN, as before.
func TestLoadingOnlyForAReplay(t *testing.T) {
	fleet := feeds.NewFleet(feeds.FleetOptions{Clock: wallNow})
	m := New(Options{Renderer: asciiRenderer(), Now: wallNow, Mode: feeds.ModeLive})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	m.Update(SnapshotMsg{Snapshot: fleet.Snapshot()})
	if head := m.headerLine(); !strings.Contains(head, "DOWN") || strings.Contains(head, "loading") {
		t.Errorf("a live desk before its first frame: header %q; want DOWN", head)
	}
}
