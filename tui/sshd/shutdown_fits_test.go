package sshd

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// TestShutdownNoticeFitsAsTheFrameDrawsIt: serve shortens the reason it
// names DR events in until ShutdownNoticeFits says so; that must be what
// the frame draws at 80 columns: a reason it says fits is read whole, one
// it says does not is cut ("…").
func TestShutdownNoticeFitsAsTheFrameDrawsIt(t *testing.T) {
	ids := func(n int) string {
		var s []string
		for range n {
			s = append(s, "T-F10-1901")
		}
		return strings.Join(s, ", ")
	}
	for _, tc := range []struct {
		lang, reason string
		fits         bool
	}{
		{LangEN, "the desk is shutting down; pending ones are declined: " + ids(2), true},
		{LangEN, "the desk is shutting down; pending ones are declined: " + ids(11), true},
		{LangEN, "the desk is shutting down; pending ones are declined: " + ids(18), false},
		{LangZhCN, "控制台正在关闭; 待处理的事件被拒绝: " + ids(14), true},
		{LangZhCN, "控制台正在关闭; 待处理的事件被拒绝: " + ids(18), false},
	} {
		r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
		f := newFrame(&linesModel{lines: []string{"header", "body 1", "body 2", "body 3", "body 4", "footer keys"}}, 7, tc.lang, r, 0)
		f.Update(tea.WindowSizeMsg{Width: 80, Height: 6})
		reason := func(string) string { return tc.reason }
		f.Update(NoticeMsg{Say: shutdownNotice(reason, 10*time.Second), Warn: true, Sticky: true, Closing: true})
		cut := strings.Contains(ansi.Strip(f.View()), "…")
		if got := ShutdownNoticeFits(tc.reason, tc.lang, 10*time.Second, 80); got != tc.fits || got == cut {
			t.Errorf("%s, %d cells: fits %v, the frame cut it %v; want fits %v and drawn so", tc.lang, ansi.StringWidth(tc.reason), got, cut, tc.fits)
		}
	}
}
