package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// TestSeekRefusedWhenTheReadingFindsTheEnd: a seek (or --start) past the
// end of a recording still being read was accepted, and playing ended at
// the recording's end with nothing on screen. When the reading finds the
// end first the player refuses it then (Reading.Refused): the footer says
// so at once, in both languages and at 160 and 80 columns, with where
// playback goes on from, until the next key; each refusal once.
func TestSeekRefusedWhenTheReadingFindsTheEnd(t *testing.T) {
	fx := demo(t)
	loc := fx.snap.Location
	at := func(h, m int) time.Time {
		d := fx.snap.At.In(loc)
		return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, loc)
	}
	for _, tt := range []struct {
		lang        string
		start       bool
		long, short string // at 160 and at 80 columns
	}{
		{"en", false, "seek 23:00 is after the recording's end 17:38: stays at 16:40", "seek 23:00 is after the recording's end 17:38: stays at 16:40"},
		{"en", true, "--start 23:00 is after the recording's end 17:38: plays from 16:26, its start", "--start 23:00 is after the end 17:38: plays from 16:26"},
		{"zh-CN", false, "跳转 23:00 晚于录制的结束时间 17:38：仍停在 16:40", "跳转 23:00 晚于录制的结束时间 17:38：仍停在 16:40"},
		{"zh-CN", true, "--start 23:00 晚于录制的结束时间 17:38：从开头 16:26 播放", "--start 23:00 晚于录制的结束时间 17:38：从开头 16:26 播放"},
	} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			w, h := size[0], size[1]
			back := at(16, 40)
			if tt.start {
				back = at(16, 26)
			}
			rd := &fakeReading{r: Reading{Waiting: true, Target: at(23, 0), Until: at(17, 30), Pct: 90}}
			m := New(Options{Renderer: asciiRenderer(), Now: wallNow, Mode: feeds.ModeReplay, Lang: tt.lang, Loading: "day.v2grec", Reading: rd.get})
			m.Update(tea.WindowSizeMsg{Width: w, Height: h})
			snap := *fx.snap
			snap.Stats.Connected, snap.Stats.LastFrame = true, wallNow().Add(-time.Second)
			m.Update(SnapshotMsg{Snapshot: &snap})
			if f := ansi.Strip(footer(m)); strings.Contains(f, "✕") {
				t.Fatalf("%s %dx%d: footer %q before any refusal", tt.lang, w, h, f)
			}
			rd.set(Reading{Until: at(17, 38), Pct: 100, Done: true,
				Refused: SeekRefusal{N: 1, Target: at(23, 0), End: at(17, 38), Back: back, Start: tt.start}})
			m.Update(SnapshotMsg{Snapshot: &snap}) // the next snapshot: the refusal is found
			checkScreen(t, m.View(), w, h)
			want := tt.long
			if w < 160 {
				want = tt.short
			}
			f := ansi.Strip(footer(m))
			if !strings.Contains(f, "✕ "+want) {
				t.Errorf("%s %dx%d: footer %q\nwant %q", tt.lang, w, h, f, "✕ "+want)
			}
			if tt.lang == "zh-CN" {
				for _, en := range []string{"after", "end", "stays", "plays", "start"} {
					if strings.Contains(strings.ReplaceAll(f, "--start", ""), en) {
						t.Errorf("zh-CN %dx%d: footer %q says %q", w, h, f, en)
					}
				}
			}
			// It stays past the flash's few seconds: found later than
			// asked, the operator may have looked away.
			m.now = func() time.Time { return wallNow().Add(time.Hour) }
			if f := ansi.Strip(footer(m)); !strings.Contains(f, want) {
				t.Errorf("%s %dx%d: an hour later, footer %q; want it still there", tt.lang, w, h, f)
			}
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'?'}})
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'?'}})
			m.Update(SnapshotMsg{Snapshot: &snap}) // told once, not again
			if f := ansi.Strip(footer(m)); strings.Contains(f, want) {
				t.Errorf("%s %dx%d: after a key, footer %q still says it", tt.lang, w, h, f)
			}
		}
	}
}
