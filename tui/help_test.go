package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The help overlay says "? or esc to close": both must close it, also at
// the top of a view where esc has nothing to go back to.
func TestHelpClosesWithEscAndQuestionMark(t *testing.T) {
	for _, tc := range []struct{ name, open, close string }{
		{"esc at the overview", "1?", "X"},
		{"? at the overview", "1?", "?"},
		{"esc in a feeder", "2E?", "X"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _, _ := newTestModel(t, "", 160, 45)
			pressViewing(m, tc.open)
			if got := ansi.Strip(m.View()); !strings.Contains(got, "Keys · ? or esc to close") {
				t.Fatalf("help did not open:\n%s", got)
			}
			pressViewing(m, tc.close)
			if got := ansi.Strip(m.View()); strings.Contains(got, "Keys · ? or esc to close") {
				t.Fatalf("help still open after %q:\n%s", tc.close, got)
			}
		})
	}
}

// TestHelpSpeedAndSeekNotReplayOnly: :speed and :seek work on a simulation
// as on a replay, and the help says so in both languages (it read "replay
// speed ×N" and "jump replay to").
func TestHelpSpeedAndSeekNotReplayOnly(t *testing.T) {
	for _, tc := range []struct{ lang, speed, seek string }{
		{"", ":speed N            clock speed ×N", ":seek HH:MM         jump clock to"},
		{"zh-CN", ":speed N            时钟倍速 ×N", ":seek HH:MM         时钟跳转到"},
	} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			m, _, _ := newTestModel(t, tc.lang, sz[0], sz[1])
			pressViewing(m, "?")
			got := ansi.Strip(m.View())
			if !strings.Contains(got, tc.speed) || !strings.Contains(got, tc.seek) {
				t.Errorf("%s %dx%d: want %q and %q:\n%s", tc.lang, sz[0], sz[1], tc.speed, tc.seek, got)
			}
		}
	}
}
