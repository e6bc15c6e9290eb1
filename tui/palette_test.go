package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// TestPalettePauseResumeAnswer: `:resume` on a replay that is not paused,
// and `:pause` on one that is, changed nothing and said nothing, so a
// dispatcher could not tell a typo from a no-op. Each answers in one line,
// in the desk's language, at both terminal sizes, and leaves the clock as
// it was. Space, which toggles, always has something to do and says which.
func TestPalettePauseResumeAnswer(t *testing.T) {
	for _, tc := range []struct {
		lang, notPaused, alreadyPaused string
	}{
		{"", "not paused", "already paused"},
		{"zh-CN", "未暂停", "已经暂停"},
	} {
		for _, size := range [][2]int{{160, 45}, {80, 24}} {
			m, _, ctl := newTestModel(t, tc.lang, size[0], size[1])
			press(m, ":resumeE")
			if ctl.Paused() {
				t.Fatalf("%s %v: :resume paused the replay", tc.lang, size)
			}
			if v := m.View(); !strings.Contains(v, tc.notPaused) {
				t.Errorf("%s %v: :resume when running does not say %q:\n%s", tc.lang, size, tc.notPaused, v)
			}
			ctl.Pause()
			press(m, ":pauseE")
			if !ctl.Paused() {
				t.Fatalf("%s %v: :pause resumed the replay", tc.lang, size)
			}
			if v := m.View(); !strings.Contains(v, tc.alreadyPaused) {
				t.Errorf("%s %v: :pause when paused does not say %q:\n%s", tc.lang, size, tc.alreadyPaused, v)
			}
		}
	}
}

// TestFooterSaysWhatSpaceDoes: on a paused clock the footer offers space
// to resume, not to pause.
func TestFooterSaysWhatSpaceDoes(t *testing.T) {
	for _, tc := range []struct{ lang, pause, resume string }{
		{"", "space pause", "space resume"},
		{"zh-CN", "space 暂停", "space 继续"},
	} {
		m, _, ctl := newTestModel(t, tc.lang, 160, 45)
		if foot := lastLine(ansi.Strip(m.View())); !strings.Contains(foot, tc.pause) {
			t.Errorf("%s running: footer %q, want %q", tc.lang, foot, tc.pause)
		}
		ctl.Pause()
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'1'}}) // any key redraws
		if foot := lastLine(ansi.Strip(m.View())); !strings.Contains(foot, tc.resume) {
			t.Errorf("%s paused: footer %q, want %q", tc.lang, foot, tc.resume)
		}
	}
}
