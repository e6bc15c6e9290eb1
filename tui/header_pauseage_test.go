package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestHeaderAgeStandsWhilePaused: the header's age of the latest frame
// counted up while the source was paused ("age 10 min" beside ❚❚ PAUSED),
// which reads as a failing feed. Paused (the desk's own control, or the
// feed's server saying so), it stands at the age it had when the pause
// began, however long the wall clock runs; resumed with no frame since, it
// counts on from there, without the time spent paused. At 80 and 160
// columns, in English and zh-CN.
func TestHeaderAgeStandsWhilePaused(t *testing.T) {
	for _, feed := range []bool{false, true} {
		for _, tc := range pausedCases {
			fx := demo(t)
			opts, ctl := testOptions(fx, tc.lang)
			opts.Operator = ""
			if feed {
				opts.Control = nil // a --feed desk: the server has the controls
			}
			wall := wallNow()
			opts.Now = func() time.Time { return wall }
			m := New(opts)
			m.Update(tea.WindowSizeMsg{Width: tc.w, Height: 24})
			snap := *fx.snap
			snap.Stats.LastFrame = wall.Add(-3 * time.Second)
			head := func() string { return strings.Split(ansi.Strip(m.View()), "\n")[0] }
			sec := map[string]string{"": " s", "zh-CN": " 秒"}[tc.lang]
			name := map[bool]string{false: "own pause", true: "feed pause"}[feed]
			want := func(when, age string) {
				t.Helper()
				if h := head(); !strings.Contains(h, age+sec) {
					t.Errorf("%s, %q %d columns, %s: header %q, want age %s%s", name, tc.lang, tc.w, when, h, age, sec)
				}
			}

			if feed {
				snap.Paused = true
				m.Update(SnapshotMsg{Snapshot: &snap})
			} else {
				m.Update(SnapshotMsg{Snapshot: &snap})
				ctl.Pause()
			}
			want("paused", "3.0")
			wall = wall.Add(10 * time.Minute)
			m.Update(tea.WindowSizeMsg{Width: tc.w, Height: 24}) // a redraw, ten minutes on
			want("10 min into the pause", "3.0")

			if feed {
				again := snap
				again.Paused = false
				m.Update(SnapshotMsg{Snapshot: &again})
			} else {
				ctl.Resume()
			}
			head() // drawn at the resume
			wall = wall.Add(2 * time.Second)
			want("resumed 2 s ago, no frame since", "5.0")
			snap.Stats.LastFrame = wall
			snap.Paused = false
			m.Update(SnapshotMsg{Snapshot: &snap})
			want("a frame just now", "0.0")
		}
	}
}
