package sshd

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/v2gdesk/v2gdesk/tui"
)

// The real dashboard tells the frame how tall its footer is.
var _ Footer = (*tui.Model)(nil)

// footerModel is a dashboard whose footer is its last footer lines.
type footerModel struct {
	linesModel
	footer int
}

func (m *footerModel) FooterHeight() int { return m.footer }

func (m *footerModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.got = append(m.got, msg)
	return m, nil
}

// TestNoticeCoversWrappedFooter: while the dashboard's message took two
// footer lines, a one-line notice (the idle warning, the shutdown's)
// covered only the second, and the first half of the message read on
// into it: "✕ c again to cancel T-F10-1835; its setpoints" above " this
// session closes in 58s …". The notice takes the bottom lines it needs,
// whole (a notice too long for one line wraps over the footer's), and
// the rest of the footer is blank above it; with a one-line footer only
// the last line is covered, as before.
func TestNoticeCoversWrappedFooter(t *testing.T) {
	r := lipgloss.NewRenderer(nil, termenv.WithProfile(termenv.Ascii))
	first := " ✕ c again to cancel T-F10-1835; its setpoints expire by 20:05 (this adapter"
	second := "     cannot release them)"
	idle := NoticeMsg{Text: idleWarning(LangEN, 58*time.Second), Warn: true, Sticky: true}
	shutdown := NoticeMsg{Say: shutdownNotice(func(string) string {
		return "the desk is shutting down; DR events in force T-F10-1835, T-F07-1900 keep their setpoints until these expire"
	}, 10*time.Second), Warn: true, Sticky: true, Closing: true}
	for _, c := range []struct {
		name        string
		width       int
		footer      int
		notice      NoticeMsg
		noticeLines int
	}{
		{"idle warning over a two-line message", 80, 2, idle, 1},
		{"shutdown over a two-line message", 80, 2, shutdown, 2},
		{"idle warning over a one-line footer", 80, 1, idle, 1},
		// At 64 columns the idle warning needs two lines: over a
		// two-line footer it has them, and reads whole.
		{"idle warning too long for a line, over a two-line message", 64, 2, idle, 2},
	} {
		inner := &footerModel{footer: c.footer}
		inner.lines = []string{"header", "body 1", "body 2", "body 3", first, second}
		if c.footer == 1 {
			inner.lines = []string{"header", "body 1", "body 2", "body 3", "body 4", " ? help  q quit"}
		}
		f := newFrame(inner, 7, LangEN, r, 0)
		f.Update(tea.WindowSizeMsg{Width: c.width, Height: len(inner.lines)})
		f.Update(c.notice)
		v := ansi.Strip(f.View())
		lines := strings.Split(v, "\n")
		if len(lines) != len(inner.lines) {
			t.Fatalf("%s: %d lines, want %d:\n%s", c.name, len(lines), len(inner.lines), v)
		}
		if strings.Contains(v, "c again to cancel") || strings.Contains(v, "cannot release them") || strings.Contains(v, "? help") {
			t.Errorf("%s: part of the footer shows beside the notice:\n%s", c.name, v)
		}
		covered := max(c.footer, c.noticeLines)
		if got := lines[len(lines)-covered-1]; !strings.HasPrefix(got, "body") {
			t.Errorf("%s: the line above the covered footer is %q, want the body's", c.name, got)
		}
		notice := strings.Join(lines[len(lines)-c.noticeLines:], "\n")
		for _, want := range []string{"closes in 58 s. Press any key to stay.", "disconnecting in 10 s", "keep their setpoints until these expire"} {
			if strings.Contains(ansi.Strip(c.notice.Text+sayOf(c.notice)), want) && !strings.Contains(strings.Join(strings.Fields(notice), " "), want) {
				t.Errorf("%s: the notice's bottom lines do not say %q whole:\n%s", c.name, want, v)
			}
		}
		for _, l := range lines[len(lines)-covered : len(lines)-c.noticeLines] {
			if strings.TrimSpace(l) != "" {
				t.Errorf("%s: the footer line above the notice is %q, want it blank", c.name, l)
			}
		}
	}
}

// sayOf is a notice's text in English when it is worded per language.
func sayOf(n NoticeMsg) string {
	if n.Say == nil {
		return ""
	}
	return n.Say(LangEN)
}
