package tui

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/v2gdesk/v2gdesk/feeds"
)

// fakeReading is a replay's reading state that the test moves on.
type fakeReading struct {
	mu sync.Mutex
	r  Reading
}

func (f *fakeReading) get() Reading {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.r
}

func (f *fakeReading) set(r Reading) {
	f.mu.Lock()
	f.r = r
	f.mu.Unlock()
}

// TestReplayWaitsForAPartNotRead: a replay that plays its recording as it
// is read, seeking to a part not read yet, says in the header what it
// waits for and how far the reading has got, in both languages and at
// every width, rather than a link state over figures that do not move;
// once the part is in the link state is back.
func TestReplayWaitsForAPartNotRead(t *testing.T) {
	fx := demo(t)
	target := fx.snap.At.Add(2 * time.Hour)
	until := fx.snap.At.Add(30 * time.Minute)
	for _, tt := range []struct {
		lang, long, worded, tiny, up string
		english                      []string
	}{
		{"en", "loading %s… (read to %s, 45%%)", "loading %s… 45%", "%s… 45%", "● up", nil},
		{"zh-CN", "正在载入 %s…（已读到 %s，45%%）", "正在载入 %s… 45%", "%s… 45%", "● 已连接", []string{"loading", "read to", "up"}},
	} {
		for _, size := range [][2]int{{160, 45}, {80, 24}, {64, 20}} {
			w, h := size[0], size[1]
			rd := &fakeReading{r: Reading{Waiting: true, Target: target, Until: until, Pct: 45}}
			m := New(Options{Renderer: asciiRenderer(), Now: wallNow, Mode: feeds.ModeReplay, Lang: tt.lang, Loading: "day.v2grec", Reading: rd.get})
			m.Update(tea.WindowSizeMsg{Width: w, Height: h})
			snap := *fx.snap
			snap.Stats.Connected, snap.Stats.LastFrame = true, wallNow().Add(-time.Second)
			m.Update(SnapshotMsg{Snapshot: &snap})
			checkScreen(t, m.View(), w, h)
			at, to := target.In(m.loc()).Format("15:04"), until.In(m.loc()).Format("15:04")
			long := strings.ReplaceAll(strings.Replace(strings.Replace(tt.long, "%s", at, 1), "%s", to, 1), "%%", "%")
			worded := strings.Replace(tt.worded, "%s", at, 1)
			tiny := strings.Replace(tt.tiny, "%s", at, 1)
			head := ansi.Strip(m.headerLine())
			if w >= 160 && !strings.Contains(head, long) {
				t.Errorf("%s %dx%d: header %q; want %q", tt.lang, w, h, head, long)
			}
			if w < 160 && !strings.Contains(head, worded) && !strings.Contains(head, tiny) {
				t.Errorf("%s %dx%d: header %q; want %q or %q", tt.lang, w, h, head, worded, tiny)
			}
			for _, not := range append([]string{"DOWN", "断开", tt.up}, tt.english...) {
				if strings.Contains(head, not) {
					t.Errorf("%s %dx%d: header %q says %q while waiting", tt.lang, w, h, head, not)
				}
			}
			rd.set(Reading{Until: target, Pct: 60})
			checkScreen(t, m.View(), w, h)
			if head := ansi.Strip(m.headerLine()); strings.Contains(head, "45%") || strings.Contains(head, "60%") || !strings.Contains(head, tt.up) {
				t.Errorf("%s %dx%d, the part read: header %q; want %q and no loading", tt.lang, w, h, head, tt.up)
			}
		}
	}
}

// TestDamageFoundWhilePlaying: a recording read as it plays finds its
// damage when the reading gets there, after the desk has started and a
// key may have been pressed: the footer tells it then, until the next
// key, and the header marks the file as damaged from then on.
func TestDamageFoundWhilePlaying(t *testing.T) {
	fx := demo(t)
	rd := &fakeReading{r: Reading{Pct: 10}}
	m := New(Options{Renderer: asciiRenderer(), Now: wallNow, Mode: feeds.ModeReplay, Loading: "day.v2grec", Reading: rd.get})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 45})
	snap := *fx.snap
	snap.Stats.Connected, snap.Stats.LastFrame = true, wallNow().Add(-time.Second)
	m.Update(SnapshotMsg{Snapshot: &snap})
	runKeys(m, "2")
	if s := ansi.Strip(m.View()); strings.Contains(s, "damaged") || strings.Contains(s, "skipped") {
		t.Fatalf("a whole file so far is marked damaged:\n%s", s)
	}
	rd.set(Reading{Pct: 70, Damage: &RecordingDamage{File: "day.v2grec", Skipped: 12, CorruptSkipped: 12, CorruptMembers: 1}})
	s := ansi.Strip(m.View())
	if foot := lastLine(s); !strings.Contains(foot, "12 lines skipped (12 corrupt)") {
		t.Errorf("footer %q once the reading found a damaged member", foot)
	}
	if head := ansi.Strip(m.headerLine()); !strings.Contains(head, "damaged file") {
		t.Errorf("header %q once the reading found a damaged member", head)
	}
	runKeys(m, "1")
	if foot := lastLine(ansi.Strip(m.View())); strings.Contains(foot, "skipped") {
		t.Errorf("footer %q after the next key", foot)
	}
	if head := ansi.Strip(m.headerLine()); !strings.Contains(head, "damaged file") {
		t.Errorf("header %q after the next key: the mark stays", head)
	}
}
