package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// holdingControl is a replay's control that holds at the end of its
// recording (replay.Player with HoldAtEnd).
type holdingControl struct{ fakeControl }

func (*holdingControl) HoldsAtEnd() bool { return true }

// TestHeldReplaySeeksBackAfterTheEnd: at the end of a replay that holds
// there (the dashboard's), :seek back is taken, for a presenter to show
// the evening peak again; space, > and < say how to go on, in the
// operator's language. It said "the replay has ended: its clock has
// stopped" to everything, and the dashboard had to be started again. A
// replay that does not hold keeps refusing the seek.
func TestHeldReplaySeeksBackAfterTheEnd(t *testing.T) {
	fx := demo(t)
	for _, tt := range []struct {
		lang  string
		holds bool
		why   string
	}{
		{"en", true, "the replay has ended: :seek back to play it again"},
		{"zh-CN", true, "回放已结束：用 :seek 跳回即可再次播放"},
		{"en", false, "the replay has ended: its clock has stopped"},
	} {
		opts, _ := testOptions(fx, tt.lang)
		opts.Mode = feeds.ModeReplay
		ctl := &holdingControl{fakeControl{now: fixedNow, speed: 60}}
		var sought func() []time.Time
		if tt.holds {
			opts.Control = ctl
			sought = func() []time.Time { return ctl.sought }
		} else {
			plain := &ctl.fakeControl
			opts.Control = plain
			sought = func() []time.Time { return plain.sought }
		}
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		ended := *fx.snap
		ended.FeedMode = feeds.ModeReplay
		ended.Stats.Ended, ended.Stats.EndedAt = true, fx.snap.At
		m.Update(SnapshotMsg{Snapshot: &ended})
		footer := func() string { return lastLine(ansi.Strip(m.View())) }

		for _, k := range []string{" ", ">", "<"} {
			runKeys(m, "X"+k)
			if foot := footer(); !strings.Contains(foot, tt.why) {
				t.Errorf("%s, holds %v: %q at the end: footer %q, want %q", tt.lang, tt.holds, k, foot, tt.why)
			}
		}
		runKeys(m, "X:seek 17:00E")
		got := sought()
		if tt.holds && len(got) != 1 {
			t.Errorf("%s: :seek 17:00 at the end of a held replay: sought %v, want one seek; footer %q", tt.lang, got, footer())
		}
		if !tt.holds && (len(got) != 0 || !strings.Contains(footer(), tt.why)) {
			t.Errorf("%s: :seek 17:00 at the end of a replay that does not hold: sought %v, footer %q; want refused with %q", tt.lang, got, footer(), tt.why)
		}
	}
}

// TestHeldSimulationSeeksBackAfterTheEnd: the dashboard's in-process
// simulator holds at the end of its day (cmd/v2gdesk's restartingSim): the
// scenario shows ended, and :seek back is taken there, as at the end of a
// held replay; space, > and < say so, in the operator's language. A
// simulation that does not hold (an SSH desk's) keeps saying the clock has
// stopped and refusing the seek.
func TestHeldSimulationSeeksBackAfterTheEnd(t *testing.T) {
	fx := demo(t)
	for _, tt := range []struct {
		lang  string
		holds bool
		why   string
	}{
		{"en", true, "the scenario has ended: :seek back to play it again"},
		{"zh-CN", true, "场景已结束：用 :seek 跳回即可再次播放"},
		{"en", false, "the scenario has ended: its clock has stopped"},
	} {
		opts, _ := testOptions(fx, tt.lang)
		opts.Mode = feeds.ModeSimulation
		ctl := &holdingControl{fakeControl{now: fixedNow, speed: 60}}
		sought := func() []time.Time { return ctl.sought }
		opts.Control = ctl
		if !tt.holds {
			opts.Control = &ctl.fakeControl
		}
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
		ended := *fx.snap
		ended.FeedMode = feeds.ModeSimulation
		ended.Stats.Ended, ended.Stats.EndedAt = true, fx.snap.At
		m.Update(SnapshotMsg{Snapshot: &ended})
		footer := func() string { return lastLine(ansi.Strip(m.View())) }

		keys := []string{" ", ">", "<"}
		if tt.holds {
			keys = keys[1:] // space pauses there (TestHeldSimulationPausesAtTheEnd)
		}
		for _, k := range keys {
			runKeys(m, "X"+k)
			if foot := footer(); !strings.Contains(foot, tt.why) {
				t.Errorf("%s, holds %v: %q at the end: footer %q, want %q", tt.lang, tt.holds, k, foot, tt.why)
			}
		}
		if !tt.holds && ctl.Paused() {
			t.Errorf("%s: space paused a simulation that does not hold at its end", tt.lang)
		}
		runKeys(m, "X:seek 17:00E")
		got := sought()
		if tt.holds && len(got) != 1 {
			t.Errorf("%s: :seek 17:00 at the end of a held simulation: sought %v, want one seek; footer %q", tt.lang, got, footer())
		}
		if !tt.holds && (len(got) != 0 || !strings.Contains(footer(), tt.why)) {
			t.Errorf("%s: :seek 17:00 at the end of a simulation that does not hold: sought %v, footer %q; want refused with %q", tt.lang, got, footer(), tt.why)
		}
	}
}

// TestHeldSimulationPausesAtTheEnd: at the held end of the in-process
// demo day, space and :pause were refused ("the scenario has ended"), so a
// seek back from there ran at once, where `v2gdesk sim` pauses at its end.
// Now space and :pause pause there (the footer offers space), :resume
// resumes, and a :seek back keeps the clock paused for the presenter to
// start when ready; in the operator's language.
func TestHeldSimulationPausesAtTheEnd(t *testing.T) {
	fx := demo(t)
	for _, tt := range []struct {
		lang, paused, offer string
		w, h                int
	}{
		{"en", "paused", "space pause", 160, 45},
		{"en", "paused", "space pause", 80, 24},
		{"zh-CN", "已暂停", "space 暂停", 160, 45},
	} {
		opts, _ := testOptions(fx, tt.lang)
		opts.Mode = feeds.ModeSimulation
		ctl := &holdingControl{fakeControl{now: fixedNow, speed: 60}}
		opts.Control = ctl
		m := New(opts)
		m.Update(tea.WindowSizeMsg{Width: tt.w, Height: tt.h})
		ended := *fx.snap
		ended.FeedMode = feeds.ModeSimulation
		ended.Stats.Ended, ended.Stats.EndedAt = true, fx.snap.At
		m.Update(SnapshotMsg{Snapshot: &ended})
		footer := func() string { return lastLine(ansi.Strip(m.View())) }
		if tt.w == 160 && !strings.Contains(footer(), tt.offer) {
			t.Errorf("%s %dx%d: the footer at the held end does not offer %q: %q", tt.lang, tt.w, tt.h, tt.offer, footer())
		}
		runKeys(m, "X ")
		if !ctl.Paused() || !strings.Contains(footer(), tt.paused) {
			t.Errorf("%s %dx%d: space at the held end: paused %v, footer %q; want paused", tt.lang, tt.w, tt.h, ctl.Paused(), footer())
		}
		runKeys(m, "X:resumeE")
		if ctl.Paused() {
			t.Errorf("%s: :resume at the held end left the clock paused; footer %q", tt.lang, footer())
		}
		runKeys(m, "X:pauseE")
		if !ctl.Paused() {
			t.Errorf("%s: :pause at the held end: not paused; footer %q", tt.lang, footer())
		}
		runKeys(m, "X:seek 17:00E")
		if len(ctl.sought) != 1 || !ctl.Paused() {
			t.Errorf("%s: :seek 17:00 after pausing at the end: sought %v, paused %v; want one seek, still paused", tt.lang, ctl.sought, ctl.Paused())
		}
	}
}
