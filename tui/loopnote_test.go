package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// loopingControl is a replay's control that loops (replay.Player with
// Loop), its restarts counted in loops.
type loopingControl struct {
	fakeControl
	loops uint64
}

func (c *loopingControl) Loops() uint64 { c.mu.Lock(); defer c.mu.Unlock(); return c.loops }

// TestLoopRestartIsTold: when a looping replay starts its recording again,
// the footer says so, at 80 and 64 columns too and in zh-CN, beside ? help,
// once per restart (for the flash's time): the
// clock jumped from the end back to the start with nothing on screen to
// say why, in front of an audience.
func TestLoopRestartIsTold(t *testing.T) {
	fx := demo(t)
	for _, tt := range []struct {
		lang       string
		w          int
		want, help string
	}{
		{"en", 160, "the recording played to its end: playing it again from its start (--loop)", "? help"},
		// Too long beside the keys at 80 columns, the whole line hid ?
		// help for the flash's 6 seconds: the short form keeps it.
		{"en", 80, "replay restarted from its start (--loop)", "? help"},
		{"en", 64, "replay restarted from its start (--loop)", "? help"},
		{"zh-CN", 80, "从开头再次播放", "? 帮助"},
		{"zh-CN", 64, "从开头再次播放", "? 帮助"},
	} {
		opts, _ := testOptions(fx, tt.lang)
		opts.Mode = feeds.ModeReplay
		ctl := &loopingControl{fakeControl: fakeControl{now: fixedNow, speed: 60}}
		opts.Control = ctl
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: tt.w, Height: 24})
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		footer := func() string { return lastLine(ansi.Strip(m.View())) }
		if strings.Contains(footer(), tt.want) {
			t.Fatalf("%s %d: told a loop before any: %q", tt.lang, tt.w, footer())
		}
		ctl.mu.Lock()
		ctl.loops = 1
		ctl.mu.Unlock()
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		if f := footer(); !strings.Contains(f, tt.want) || !strings.Contains(f, tt.help) {
			t.Errorf("%s %d: after the loop the footer reads %q, want %q and %q", tt.lang, tt.w, f, tt.want, tt.help)
		}
		m.flash = "" // as when its time is up
		m.Update(SnapshotMsg{Snapshot: fx.snap})
		if f := footer(); strings.Contains(f, tt.want) {
			t.Errorf("%s %d: the same loop told again: %q", tt.lang, tt.w, f)
		}
	}
}
